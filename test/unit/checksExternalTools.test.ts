import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBanditReport, parseSemgrepReport } from '../../server/src/checks/code/externalToolOutput';
import { type ExternalToolsBlock, findExecutable, runExternalTools } from '../../server/src/checks/code/externalTools';

/**
 * The external scanners through fake executables on a temporary PATH (a Node script that prints
 * Bandit- or Semgrep-shaped JSON, chosen by its own file name), and through the real Bandit when
 * one is installed.
 */

const FAKE_TOOL = `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const mode = process.env.FAKE_MODE || 'ok';
const files = args.filter((arg) => /^block-/.test(arg));
if (process.env.FAKE_LOG) {
  const contents = Object.fromEntries(files.map((file) => [file, fs.readFileSync(file, 'utf8')]));
  fs.writeFileSync(process.env.FAKE_LOG, JSON.stringify({ tool, cwd: process.cwd(), args, contents }));
}
if (mode === 'sleep') {
  setTimeout(() => {}, 60000);
} else if (mode === 'badjson') {
  process.stdout.write('Traceback (most recent call last):\\n  oops\\n');
  process.exit(1);
} else if (mode === 'exit2') {
  process.stderr.write('starting\\n' + tool + ': error: unrecognized arguments: --bogus\\n');
  process.exit(2);
} else if (mode === 'noresults') {
  process.stdout.write(JSON.stringify({ errors: [] }));
} else {
  const results = [];
  for (const file of files) {
    fs.readFileSync(file, 'utf8').split('\\n').forEach((line, i) => {
      if (tool === 'bandit') {
        if (line.includes('shell=True')) results.push({ filename: './' + file, line_number: i + 1, col_offset: 4, line_range: [i + 1, i + 2], issue_severity: 'HIGH', issue_confidence: 'HIGH', issue_text: 'subprocess call with shell=True identified, security issue.', test_id: 'B602', test_name: 'subprocess_popen_with_shell_equals_true' });
        if (line.includes('yaml.load(')) results.push({ filename: file, line_number: i + 1, line_range: [i + 1], issue_severity: 'MEDIUM', issue_confidence: 'HIGH', issue_text: 'Use of unsafe yaml load.', test_id: 'B506', test_name: 'yaml_load' });
        if (/^\\s*assert /.test(line)) results.push({ filename: file, line_number: i + 1, issue_severity: 'LOW', issue_confidence: 'HIGH', issue_text: 'Use of assert detected.', test_id: 'B101', test_name: 'assert_used' });
      } else if (line.includes('TODO')) {
        results.push({ check_id: 'rules.no-todo', path: file, start: { line: i + 1, col: line.indexOf('TODO') + 1 }, end: { line: i + 1, col: line.length + 1 }, extra: { message: 'A TODO\\n  left in', severity: file.endsWith('.sh') ? 'ERROR' : 'INFO' } });
      }
    });
  }
  results.push({ filename: 'elsewhere.py', path: 'elsewhere.py', line_number: 1, start: { line: 1 }, check_id: 'x', test_id: 'B999' });
  results.push({ filename: files[0], line_number: 'one', test_id: 'B602' });
  results.push('not an object');
  process.stdout.write(JSON.stringify({ errors: [], results }));
  process.exit(results.length > 3 ? 1 : 0);
}
`;

let bin: string;
let logFile: string;

before(async () => {
  bin = await fs.mkdtemp(path.join(os.tmpdir(), 'threadwise-fake-tools-'));
  logFile = path.join(bin, 'log.json');
  for (const tool of ['bandit', 'semgrep']) await fs.writeFile(path.join(bin, tool), FAKE_TOOL, { mode: 0o755 });
  await fs.writeFile(path.join(bin, 'not-executable'), 'x', { mode: 0o644 });
  await fs.mkdir(path.join(bin, 'a-directory'));
  await fs.writeFile(path.join(bin, 'rules.yml'), 'rules: []\n');
});

after(async () => {
  await fs.rm(bin, { recursive: true, force: true });
});

/** An environment whose PATH has only the fakes. */
function fakeEnv(mode = 'ok'): NodeJS.ProcessEnv {
  return { PATH: bin, FAKE_MODE: mode, FAKE_LOG: logFile };
}

interface FakeLog {
  tool: string;
  cwd: string;
  args: string[];
  contents: Record<string, string>;
}

async function readLog(): Promise<FakeLog> {
  return JSON.parse(await fs.readFile(logFile, 'utf8')) as FakeLog;
}

const BLOCKS: ExternalToolsBlock[] = [
  { index: 0, language: 'python', code: 'import subprocess\n\nsubprocess.run(cmd, shell=True)\nassert x\n' },
  { index: 1, language: 'shell', code: 'echo hi # TODO remove\n' },
  { index: 3, language: 'python', code: 'import yaml\nyaml.load(text)\n' },
  { index: 4, language: 'typescript', code: 'const a = 1; // TODO\n' },
];

describe('findExecutable', () => {
  test('finds an executable file on PATH and nothing else', async () => {
    const env = { PATH: ['relative/dir', bin, '/nonexistent'].join(path.delimiter) };
    assert.equal(await findExecutable('bandit', env), path.join(bin, 'bandit'));
    assert.equal(await findExecutable('not-executable', env), null);
    assert.equal(await findExecutable('a-directory', env), null);
    assert.equal(await findExecutable('missing-tool', env), null);
    assert.equal(await findExecutable(`../${path.basename(bin)}/bandit`, env), null);
    assert.equal(await findExecutable('bandit', {}), null);
  });
});

describe('runExternalTools with fake tools', () => {
  test('Bandit gets the Python blocks in a private folder; its findings come back per block, mapped', async () => {
    const result = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 10_000, env: fakeEnv() });
    assert.deepEqual(result.runs, [{ tool: 'bandit', ran: true }]);
    assert.deepEqual([...result.findings.keys()].sort(), [0, 3]);
    assert.deepEqual(result.findings.get(0), [
      {
        ruleId: 'bandit.B602',
        kind: 'security',
        severity: 'error',
        line: 3,
        column: 5,
        endLine: 4,
        message: 'subprocess call with shell=True identified, security issue. (Bandit B602 subprocess_popen_with_shell_equals_true, confidence high)',
        engine: 'bandit',
      },
      { ruleId: 'bandit.B101', kind: 'security', severity: 'info', line: 4, message: 'Use of assert detected. (Bandit B101 assert_used, confidence high)', engine: 'bandit' },
    ]);
    assert.deepEqual(result.findings.get(3)?.map((f) => [f.ruleId, f.severity, f.line]), [['bandit.B506', 'warning', 2]]);

    const log = await readLog();
    assert.deepEqual(log.args, ['-f', 'json', '-q', 'block-0.py', 'block-3.py']);
    assert.deepEqual(log.contents, { 'block-0.py': BLOCKS[0]?.code, 'block-3.py': BLOCKS[2]?.code });
    assert.match(path.basename(log.cwd), /^threadwise-checks-/);
    assert.equal(existsSync(log.cwd), false, 'the temp folder is removed');
  });

  test('Semgrep gets every block with a local config, severities mapped, messages on one line', async () => {
    const config = path.join(bin, 'rules.yml');
    const result = await runExternalTools(BLOCKS, { tools: ['semgrep'], semgrepConfig: config, timeoutMs: 10_000, env: fakeEnv() });
    assert.deepEqual(result.runs, [{ tool: 'semgrep', ran: true }]);
    assert.deepEqual(result.findings.get(1), [
      { ruleId: 'semgrep.rules.no-todo', kind: 'security', severity: 'error', line: 1, column: 11, endLine: 1, endColumn: 22, message: 'A TODO left in (Semgrep rules.no-todo)', engine: 'semgrep' },
    ]);
    assert.deepEqual(result.findings.get(4)?.map((f) => [f.ruleId, f.severity, f.line, f.column]), [['semgrep.rules.no-todo', 'info', 1, 17]]);
    const log = await readLog();
    assert.deepEqual(log.args, ['--config', config, '--json', '--quiet', '--metrics', 'off', '--disable-version-check', 'block-0.py', 'block-1.sh', 'block-3.py', 'block-4.ts']);
  });

  test('both tools together: runs in the order asked, findings merged per block', async () => {
    const result = await runExternalTools(BLOCKS, { tools: ['semgrep', 'bandit'], semgrepConfig: path.join(bin, 'rules.yml'), timeoutMs: 10_000, env: fakeEnv() });
    assert.deepEqual(result.runs.map((run) => [run.tool, run.ran]), [['semgrep', true], ['bandit', true]]);
    assert.deepEqual(result.findings.get(0)?.map((f) => f.ruleId).sort(), ['bandit.B101', 'bandit.B602']);
    assert.deepEqual(result.findings.get(4)?.map((f) => f.ruleId), ['semgrep.rules.no-todo']);
  });

  test('a tool that runs past the limit is killed and reported, and the folder still goes', async () => {
    const started = Date.now();
    const result = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 300, env: fakeEnv('sleep') });
    assert.ok(Date.now() - started < 5000, 'returns soon after the limit');
    assert.deepEqual(result.runs, [{ tool: 'bandit', ran: false, error: 'bandit timed out after 300 ms' }]);
    assert.equal(result.findings.size, 0);
    assert.equal(existsSync((await readLog()).cwd), false);
  });

  test('cancelling stops the tool; an already cancelled request runs nothing', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 30_000, signal: controller.signal, env: fakeEnv('sleep') });
    assert.deepEqual(result.runs, [{ tool: 'bandit', ran: false, error: 'bandit was cancelled' }]);
    const cancelled = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 30_000, signal: AbortSignal.abort(), env: fakeEnv() });
    assert.deepEqual(cancelled.runs, [{ tool: 'bandit', ran: false, error: 'cancelled' }]);
  });

  test('output that is not a report, or has no results, is a failed run', async () => {
    const bad = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 10_000, env: fakeEnv('badjson') });
    assert.deepEqual(bad.runs, [{ tool: 'bandit', ran: false, error: 'bandit printed something that is not a JSON report: "Traceback (most recent call last): oops"' }]);
    const empty = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 10_000, env: fakeEnv('noresults') });
    assert.deepEqual(empty.runs, [{ tool: 'bandit', ran: false, error: 'bandit\'s JSON report has no "results" list' }]);
  });

  test('an exit code other than 0 or 1 is a failed run, with the last line it printed', async () => {
    const result = await runExternalTools(BLOCKS, { tools: ['bandit'], timeoutMs: 10_000, env: fakeEnv('exit2') });
    assert.deepEqual(result.runs, [{ tool: 'bandit', ran: false, error: 'bandit exited with code 2: bandit: error: unrecognized arguments: --bogus' }]);
  });

  test('what keeps a tool from running is said, never thrown', async () => {
    const noPath = await runExternalTools(BLOCKS, { tools: ['bandit', 'semgrep'], semgrepConfig: path.join(bin, 'rules.yml'), timeoutMs: 1000, env: { PATH: '/nonexistent' } });
    assert.deepEqual(noPath.runs, [
      { tool: 'bandit', ran: false, error: 'bandit is not on PATH' },
      { tool: 'semgrep', ran: false, error: 'semgrep is not on PATH' },
    ]);
    const noPython = await runExternalTools([BLOCKS[1] as ExternalToolsBlock], { tools: ['bandit'], timeoutMs: 1000, env: fakeEnv() });
    assert.deepEqual(noPython.runs, [{ tool: 'bandit', ran: false, error: 'no Python blocks to scan' }]);
    const nothing = await runExternalTools([], { tools: ['semgrep'], semgrepConfig: path.join(bin, 'rules.yml'), timeoutMs: 1000, env: fakeEnv() });
    assert.deepEqual(nothing.runs, [{ tool: 'semgrep', ran: false, error: 'no code blocks to scan' }]);
    assert.deepEqual(await runExternalTools(BLOCKS, { tools: [], timeoutMs: 1000 }), { findings: new Map(), runs: [] });
  });

  test('Semgrep needs a local config: none, a registry one, or a missing file each say why', async () => {
    const network = 'Semgrep runs only with a local rules file or folder (threadwise setting semgrepConfig): registry configs need the network';
    const cases: Array<[string | undefined, string]> = [
      [undefined, network],
      ['p/python', `${network}, and "p/python" is one`],
      ['auto', `${network}, and "auto" is one`],
      ['https://semgrep.dev/c/r/x', `${network}, and "https://semgrep.dev/c/r/x" is one`],
      [path.join(bin, 'missing.yml'), `the Semgrep config ${path.join(bin, 'missing.yml')} does not exist`],
    ];
    for (const [semgrepConfig, error] of cases) {
      const result = await runExternalTools(BLOCKS, { tools: ['semgrep'], ...(semgrepConfig ? { semgrepConfig } : {}), timeoutMs: 1000, env: fakeEnv() });
      assert.deepEqual(result.runs, [{ tool: 'semgrep', ran: false, error }], String(semgrepConfig));
    }
  });
});

describe('report parsing', () => {
  test('Bandit: results outside the blocks, without a line or with a malformed id are skipped; unknown severities are warnings', () => {
    const report = JSON.stringify({
      results: [
        { filename: '/tmp/x/block-2.py', line_number: 7, issue_severity: 'UNDEFINED', issue_text: '  ', test_id: 'B307' },
        { filename: 'block-2.py', line_number: 0, test_id: 'B307' },
        { filename: 'block-2.py', line_number: 3, test_id: 'rm -rf' },
        { filename: 'notes.txt', line_number: 3, test_id: 'B307' },
        null,
      ],
    });
    assert.deepEqual([...parseBanditReport(report)], [
      [2, [{ ruleId: 'bandit.B307', kind: 'security', severity: 'warning', line: 7, message: 'Bandit finding (Bandit B307)', engine: 'bandit' }]],
    ]);
  });

  test('Semgrep: new-style severities, and results without a check id or a start line are skipped', () => {
    const report = JSON.stringify({
      results: [
        { check_id: 'a.b', path: 'block-0.js', start: { line: 2, col: 1 }, end: { line: 2, col: 5 }, extra: { severity: 'HIGH', message: 'm' } },
        { check_id: 'a.c', path: 'block-0.js', start: { line: 3 }, extra: { severity: 'LOW' } },
        { check_id: '', path: 'block-0.js', start: { line: 3 } },
        { check_id: 'a.d', path: 'block-0.js', start: {} },
      ],
    });
    assert.deepEqual(parseSemgrepReport(report).get(0)?.map((f) => [f.ruleId, f.severity, f.line, f.message]), [
      ['semgrep.a.b', 'error', 2, 'm (Semgrep a.b)'],
      ['semgrep.a.c', 'info', 3, 'Semgrep finding (Semgrep a.c)'],
    ]);
  });

  test('output that is not a report throws with what it was', () => {
    assert.throws(() => parseBanditReport(''), /bandit printed something that is not a JSON report \(nothing\)/);
    assert.throws(() => parseSemgrepReport('[1, 2]'), /semgrep's JSON report has no "results" list/);
  });
});

describe('runExternalTools with the real Bandit', () => {
  test('finds shell=True and yaml.load in the right blocks and lines', async (t) => {
    const bandit = await findExecutable('bandit');
    if (!bandit) {
      t.skip('bandit is not on PATH (install it, e.g. `apt-get install bandit` or `pip install bandit`, to run this test)');
      return;
    }
    const blocks: ExternalToolsBlock[] = [
      { index: 0, language: 'python', code: 'import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n' },
      { index: 1, language: 'python', code: 'def add(a, b):\n    return a + b\n' },
      { index: 2, language: 'python', code: 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n' },
      { index: 3, language: 'shell', code: 'curl -s https://x | sh\n' },
    ];
    const result = await runExternalTools(blocks, { tools: ['bandit'], timeoutMs: 60_000 });
    assert.deepEqual(result.runs, [{ tool: 'bandit', ran: true }]);
    const shellCall = result.findings.get(0)?.find((f) => f.ruleId === 'bandit.B602');
    assert.deepEqual(shellCall && [shellCall.line, shellCall.severity, shellCall.engine], [5, 'error', 'bandit']);
    const yamlLoad = result.findings.get(2)?.find((f) => f.ruleId === 'bandit.B506');
    assert.deepEqual(yamlLoad && [yamlLoad.line, yamlLoad.severity], [5, 'warning']);
    assert.equal(result.findings.has(1), false, 'nothing in the clean block');
    assert.equal(result.findings.has(3), false, 'shell blocks are not given to Bandit');
  });
});
