import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { CheckReport } from '../../server/src/protocol';
import { loadCorpus } from '../support/checksCorpus';
import { runThreadwise } from '../support/cliProcess';
import type { CliRun } from '../support/cliProcess';

function threadwise(args: string[], stdin = ''): Promise<CliRun> {
  return runThreadwise(args, { stdin });
}

/** Runs `work` over `items`, `limit` at a time (each CLI run is a process start plus parser loads). */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const CORPUS_LANGUAGES = ['javascript', 'typescript', 'json', 'yaml', 'python', 'shell'] as const;

describe('threadwise check', () => {
  for (const language of CORPUS_LANGUAGES) {
    test(`finds exactly the planted findings of every ${language} corpus file, and nothing in the clean ones`, async () => {
      const corpus = loadCorpus(language);
      assert.ok(corpus.length >= 3, `the ${language} corpus has files`);
      await inParallel(corpus, 4, async (entry) => {
        const run = await threadwise(['check', entry.path, '--json']);
        const report = JSON.parse(run.stdout) as CheckReport;
        const found = report.blocks.flatMap((block) => block.findings.map((finding) => ({ ruleId: finding.ruleId, line: finding.line })));
        const sort = (list: { ruleId: string; line: number }[]) => [...list].sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId));
        assert.deepEqual(sort(found), sort(entry.expected), `${language}/${entry.file}`);
        assert.equal(report.blocks.length, 1, `${entry.file} is checked as one block of code`);
        assert.equal(report.blocks[0]!.syntax === 'not-checked', false, `${entry.file} is checked`);
        // Exit code 3 exactly when something fails (every corpus finding is at least a warning, or info).
        assert.equal(run.code, report.passed ? 0 : 3, `${entry.file}: ${run.stderr}`);
      });
    });
  }

  test('a reply in Markdown: every block checked in its language, findings at the lines of the file, exit code 3', async () => {
    const file = path.join('examples', 'checks', 'unsafe-reply.md');
    const run = await threadwise(['check', file]);
    assert.equal(run.code, 3, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^block 1 \(python, line 4\): syntax ok, \d+ security findings — FAILS$/);
    assert.ok(lines.some((line) => line.startsWith(`  ${file}:9:`) && line.includes('python.yaml-load')), run.stdout);
    assert.ok(lines.some((line) => line.startsWith(`  ${file}:10:`) && line.includes('python.os-system')), run.stdout);
    assert.ok(lines.some((line) => line.startsWith(`  ${file}:17:`) && line.includes('shell.rm-rf-variable')), run.stdout);
    assert.ok(lines.some((line) => line.startsWith(`  ${file}:18:`) && line.includes('shell.curl-pipe-shell')), run.stdout);
    assert.ok(lines.some((line) => line.startsWith(`  ${file}:24:`) && line.includes('no-eval')), run.stdout);
    assert.match(lines.at(-2)!, /^FAILED \(\d+ failures\): 3 code blocks · 3 failing · 0 possible secrets/);
  });

  test('the clean reply passes with exit code 0', async () => {
    const run = await threadwise(['check', path.join('examples', 'checks', 'clean-reply.md'), '--json']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as CheckReport;
    assert.equal(report.passed, true);
    assert.deepEqual(report.blocks.map((block) => [block.block.language, block.syntax, block.findings.length]), [['python', 'ok', 0], ['shell', 'ok', 0]]);
  });

  test('standard input, a language flag, secrets masked, unknown languages reported as not checked', async () => {
    const token = `ghp_${'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa'}`;
    const reply = ['Set it like this:', '', '```rust', 'fn main() { println!("hi"); }', '```', '', `export GITHUB_TOKEN=${token}`].join('\n');
    const run = await threadwise(['check', '-', '--json'], reply);
    assert.equal(run.code, 3);
    assert.ok(!run.stdout.includes(token), 'the secret never appears in the output');
    const report = JSON.parse(run.stdout) as CheckReport;
    assert.deepEqual(report.blocks.map((block) => [block.block.language, block.syntax]), [['rust', 'not-checked']]);
    assert.equal(report.secrets.length, 1);
    assert.equal(report.secrets[0]!.line, 7);

    const code = await threadwise(['check', '-', '--language', 'python', '--json'], 'import pickle\ndata = pickle.loads(blob)\n');
    const codeReport = JSON.parse(code.stdout) as CheckReport;
    assert.deepEqual(codeReport.blocks[0]!.findings.map((f) => [f.ruleId, f.line]), [['python.pickle-load', 2]]);
  });

  test('bad input gives a clear error and exit code 2', async () => {
    const missing = await threadwise(['check', 'no/such/file.md']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no\/such\/file\.md: ENOENT/);
    const usage = await threadwise(['check', '--fail-on', 'sometimes', 'x.md']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--fail-on must be error or warning/);
    const none = await threadwise(['check']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /check needs a file or - for standard input/);
  });
});
