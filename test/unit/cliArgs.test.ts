import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { defaultDataDir, isThreadReference, parseArgs, UsageError, USAGE, type CliCommand, type SuggestCommand } from '../../server/src/cli/args';

function suggest(argv: readonly string[]): SuggestCommand {
  const command: CliCommand = parseArgs(argv);
  assert.equal(command.command, 'suggest');
  return command;
}

function assertUsage(argv: readonly string[], message: string | RegExp): void {
  assert.throws(
    () => parseArgs(argv),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
      assert.equal(error.name, 'UsageError');
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

let savedXdg: string | undefined;
beforeEach(() => {
  savedXdg = process.env.XDG_DATA_HOME;
  process.env.XDG_DATA_HOME = '/xdg/data';
});
afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = savedXdg;
});

describe('parseArgs: suggest', () => {
  test('only a thread: the defaults', () => {
    assert.deepEqual(parseArgs(['suggest', 'thread.json'], { XDG_DATA_HOME: '/xdg/data' }), {
      command: 'suggest',
      thread: 'thread.json',
      mode: 'append',
      json: false,
      offline: false,
      verbose: false,
      dataDir: path.join('/xdg/data', 'threadwise'),
      apiUrl: 'https://api.github.com',
      post: false,
      yes: false,
    });
  });

  test('every option as --opt value', () => {
    assert.deepEqual(
      parseArgs([
        'suggest',
        '--model', 'hf:o/r/m.gguf',
        '--guard-model', '/guard',
        '--out', '/tmp/out',
        '--mode', 'replace',
        '--json',
        '--data-dir', '/data',
        '--offline',
        '--threads', '4',
        '--context-size', '4096',
        '--max-tokens', '256',
        '--temperature', '0.25',
        '--verbose',
        '--api-url', 'https://ghe.example.com/api',
        '--post',
        '--yes',
        'owner/repo#12',
      ], {}),
      {
        command: 'suggest',
        thread: 'owner/repo#12',
        model: 'hf:o/r/m.gguf',
        guardModel: '/guard',
        out: path.resolve('/tmp/out'),
        mode: 'replace',
        json: true,
        offline: true,
        verbose: true,
        dataDir: path.resolve('/data'),
        threads: 4,
        contextSize: 4096,
        maxTokens: 256,
        temperature: 0.25,
        apiUrl: 'https://ghe.example.com/api',
        post: true,
        yes: true,
      },
    );
  });

  test('every option as --opt=value, with = inside the value kept', () => {
    assert.deepEqual(
      parseArgs([
        'suggest',
        '-',
        '--model=/models/a=b.gguf',
        '--guard-model=Xenova/toxic-bert',
        '--out=/o',
        '--mode=append',
        '--data-dir=/d',
        '--threads=2',
        '--context-size=512',
        '--max-tokens=16',
        '--temperature=0',
        '--api-url=http://127.0.0.1:8080/api',
      ], {}),
      {
        command: 'suggest',
        thread: '-',
        model: '/models/a=b.gguf',
        guardModel: 'Xenova/toxic-bert',
        out: path.resolve('/o'),
        mode: 'append',
        json: false,
        offline: false,
        verbose: false,
        dataDir: path.resolve('/d'),
        threads: 2,
        contextSize: 512,
        maxTokens: 16,
        temperature: 0,
        apiUrl: 'http://127.0.0.1:8080/api',
        post: false,
        yes: false,
      },
    );
  });

  test('relative --out and --data-dir are resolved against the working directory', () => {
    const command = suggest(['suggest', 't.json', '--out', 'results', '--data-dir=store']);
    assert.equal(command.out, path.resolve('results'));
    assert.equal(command.dataDir, path.resolve('store'));
  });

  test('integer edges are accepted', () => {
    const low = suggest(['suggest', 't.json', '--threads', '1', '--context-size', '512', '--max-tokens', '16', '--temperature', '2']);
    assert.deepEqual([low.threads, low.contextSize, low.maxTokens, low.temperature], [1, 512, 16, 2]);
    const high = suggest(['suggest', 't.json', '--threads', '1024', '--context-size', String(1 << 20), '--max-tokens', String(1 << 16)]);
    assert.deepEqual([high.threads, high.contextSize, high.maxTokens], [1024, 1 << 20, 1 << 16]);
  });
});

describe('parseArgs: usage errors', () => {
  test('an unknown command or option', () => {
    assertUsage(['draft', 't.json'], 'unknown command "draft"');
    assertUsage(['suggest', 't.json', '--fast'], 'unknown option --fast for suggest');
    assertUsage(['suggest', 't.json', '--json=yes'], 'unknown option --json=yes for suggest');
  });

  test('an option without its value', () => {
    assertUsage(['suggest', 't.json', '--model'], '--model needs a value');
    assertUsage(['suggest', 't.json', '--out='], '--out needs a value');
    assertUsage(['suggest', 't.json', '--threads', ''], '--threads needs a value');
  });

  test('an option followed by another option has no value', () => {
    assertUsage(['suggest', 't.json', '--out', '--json'], '--out needs a value');
  });

  test('a bad mode', () => {
    assertUsage(['suggest', 't.json', '--mode', 'merge'], '--mode must be append or replace');
    assertUsage(['suggest', 't.json', '--mode=Append'], '--mode must be append or replace');
  });

  test('bad integers', () => {
    assertUsage(['suggest', 't.json', '--threads', '0'], '--threads must be an integer from 1 to 1024');
    assertUsage(['suggest', 't.json', '--threads', '1.5'], '--threads must be an integer from 1 to 1024');
    assertUsage(['suggest', 't.json', '--threads', 'four'], '--threads must be an integer from 1 to 1024');
    assertUsage(['suggest', 't.json', '--threads', '1025'], '--threads must be an integer from 1 to 1024');
    assertUsage(['suggest', 't.json', '--context-size', '511'], `--context-size must be an integer from 512 to ${1 << 20}`);
    assertUsage(['suggest', 't.json', '--max-tokens=15'], `--max-tokens must be an integer from 16 to ${1 << 16}`);
  });

  test('a bad temperature', () => {
    for (const value of ['-0.1', '2.5', 'hot', 'Infinity']) {
      assertUsage(['suggest', 't.json', `--temperature=${value}`], '--temperature must be a number from 0 to 2');
    }
  });

  test('no thread, or two threads', () => {
    assertUsage(['suggest'], 'suggest needs a thread: a JSON file, - or owner/repo#N');
    assertUsage(['suggest', '--json'], 'suggest needs a thread: a JSON file, - or owner/repo#N');
    assertUsage(['suggest', 'a.json', 'b.json'], 'unexpected argument b.json');
  });
});

describe('parseArgs: help and version', () => {
  test('help', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h'], ['suggest', 't.json', '--help'], ['suggest', '-h']]) {
      assert.deepEqual(parseArgs(argv), { command: 'help' }, JSON.stringify(argv));
    }
    assert.ok(USAGE.startsWith('Usage: threadwise suggest'));
    assert.ok(USAGE.includes('--mode <append|replace>'));
  });

  test('version', () => {
    for (const argv of [['version'], ['--version'], ['-v']]) {
      assert.deepEqual(parseArgs(argv), { command: 'version' }, JSON.stringify(argv));
    }
  });
});

describe('defaultDataDir', () => {
  test('uses XDG_DATA_HOME when set', () => {
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '/home/me/.data' }), path.join('/home/me/.data', 'threadwise'));
  });

  test('falls back to ~/.local/share when unset or empty', () => {
    const fallback = path.join(os.homedir(), '.local', 'share', 'threadwise');
    assert.equal(defaultDataDir({}), fallback);
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '' }), fallback);
  });

  test('parseArgs uses it when --data-dir is not given', () => {
    process.env.XDG_DATA_HOME = '/elsewhere';
    assert.equal(suggest(['suggest', 't.json']).dataDir, path.join('/elsewhere', 'threadwise'));
  });
});

describe('isThreadReference', () => {
  test('owner/repo#N is a reference', () => {
    for (const value of ['acme/widgets#12', 'Octo_Org/my.repo-2#1', 'https://github.com/acme/widgets/issues/1', 'https://ghe.example.com/acme/widgets/pull/3/files']) {
      assert.equal(isThreadReference(value), true, value);
    }
  });

  test('files and other strings are not', () => {
    for (const value of ['thread.json', '-', 'acme/widgets', 'acme/widgets#', 'acme/widgets#1x', 'a/b/c#1', './acme/widgets#1', 'acme/widgets#-1', 'acme/widgets#0', 'https://github.com/acme/widgets', 'https://github.com/acme/widgets/wiki/1', 'ftp://github.com/acme/widgets/issues/1', '../x/issues/1']) {
      assert.equal(isThreadReference(value), false, value);
    }
  });
});

describe('parseArgs: index and search', () => {
  test('index: the folder, resolved, with the defaults', () => {
    assert.deepEqual(parseArgs(['index', 'docs'], { XDG_DATA_HOME: '/xdg/data' }), {
      command: 'index',
      path: path.resolve('docs'),
      json: false,
      offline: false,
      verbose: false,
      full: false,
      dataDir: path.join('/xdg/data', 'threadwise'),
      apiUrl: 'https://api.github.com',
    });
  });

  test('index: repo, model, full, repeated include and exclude globs', () => {
    const command = parseArgs(['index', '.', '--repo', 'acme/yamlette', '--embed-model', './models/embed', '--full', '--include', 'docs/**/*.md', '--include=*.rst', '--exclude', '**/old/**', '--json']);
    assert.equal(command.command, 'index');
    if (command.command !== 'index') return;
    assert.equal(command.repo, 'acme/yamlette');
    assert.equal(command.embedModel, './models/embed');
    assert.equal(command.full, true);
    assert.equal(command.json, true);
    assert.deepEqual(command.include, ['docs/**/*.md', '*.rst']);
    assert.deepEqual(command.exclude, ['**/old/**']);
  });

  test('search: query, repo or folder, k', () => {
    const command = parseArgs(['search', 'parser crashes on BOM', '--repo', 'acme/yamlette', '--k', '8', '--json']);
    assert.equal(command.command, 'search');
    if (command.command !== 'search') return;
    assert.equal(command.query, 'parser crashes on BOM');
    assert.equal(command.repo, 'acme/yamlette');
    assert.equal(command.k, 8);
    const local = parseArgs(['search', 'x', '--folder', 'docs']);
    assert.equal(local.command === 'search' && local.folder, path.resolve('docs'));
  });

  test('index and search usage errors say what is wrong', () => {
    assertUsage(['index'], 'index needs a folder: threadwise index <folder>');
    assertUsage(['index', 'a', 'b'], 'unexpected argument b');
    assertUsage(['index', '.', '--repo', 'not-a-repo'], /--repo must be owner\/name/);
    assertUsage(['index', '.', '--repo', '../etc'], /--repo must be owner\/name/);
    assertUsage(['index', '.', '--post'], 'unknown option --post for index');
    assertUsage(['search'], 'search needs a query: threadwise search "<query>"');
    assertUsage(['search', 'two', 'words'], 'unexpected argument words (quote the query)');
    assertUsage(['search', '  '], 'the query is empty');
    assertUsage(['search', 'q', '--k', '0'], '--k must be an integer from 1 to 100');
    assertUsage(['search', 'q', '--repo', 'a/b', '--folder', 'x'], 'give --repo or --folder, not both');
    assertUsage(['search', 'q', '--include', '*.md'], 'unknown option --include for search');
  });

  test('suggest takes --embed-model for the index', () => {
    assert.equal(suggest(['suggest', 't.json', '--embed-model', '/m/embed']).embedModel, '/m/embed');
  });

  test('suggest takes --max-fix-cycles from 0 to 5', () => {
    assert.equal(suggest(['suggest', 't.json', '--max-fix-cycles', '0']).maxFixCycles, 0);
    assert.equal(suggest(['suggest', 't.json']).maxFixCycles, undefined);
    assertUsage(['suggest', 't.json', '--max-fix-cycles', '6'], '--max-fix-cycles must be an integer from 0 to 5');
  });

  test('check: a file or -, with language, strictness, severity and external tools', () => {
    assert.deepEqual(parseArgs(['check', 'reply.md']), { command: 'check', file: 'reply.md', json: false, strict: false, external: [] });
    assert.deepEqual(parseArgs(['check', '-', '--language', '.py', '--strict', '--json', '--fail-on', 'error', '--external', 'bandit, semgrep,bandit', '--semgrep-config', 'rules.yml']), {
      command: 'check',
      file: '-',
      language: '.py',
      json: true,
      strict: true,
      failOn: 'error',
      external: ['bandit', 'semgrep'],
      semgrepConfig: path.resolve('rules.yml'),
    });
    assertUsage(['check'], 'check needs a file or - for standard input');
    assertUsage(['check', 'a.md', 'b.md'], 'unexpected argument b.md');
    assertUsage(['check', 'a.md', '--fail-on', 'info'], '--fail-on must be error or warning');
    assertUsage(['check', 'a.md', '--external', 'pylint'], '--external takes bandit and/or semgrep, not "pylint"');
    assertUsage(['check', 'a.md', '--language', 'c; rm -rf /'], /--language must be a language name or extension/);
    assertUsage(['check', 'a.md', '--post'], 'unknown option --post for check');
  });
});
