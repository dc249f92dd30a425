import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeBlock } from '../../server/src/protocol';
import {
  inferTarget,
  languageExtensions,
  normalizeWorkspacePath,
  targetCandidates,
  textBeforeBlock,
  vscodeLanguageId,
} from '../../client/src/codePreview/codeTarget';
import type { TargetQuery } from '../../client/src/codePreview/codeTarget';

function block(overrides: Partial<Pick<CodeBlock, 'file' | 'language' | 'code'>> = {}): TargetQuery['block'] {
  return { language: 'typescript', code: 'export function parse(text: string) {\n  return [];\n}\n', ...overrides };
}

const prFiles = (...paths: string[]) => paths.map((path) => ({ path }));

describe('normalizeWorkspacePath', () => {
  test('relative paths come back POSIX, without ./ or doubled slashes', () => {
    assert.equal(normalizeWorkspacePath('src/parser.ts'), 'src/parser.ts');
    assert.equal(normalizeWorkspacePath('./src//parser.ts'), 'src/parser.ts');
    assert.equal(normalizeWorkspacePath('src\\lib\\parser.ts'), 'src/lib/parser.ts');
    assert.equal(normalizeWorkspacePath('  README.md '), 'README.md');
    assert.equal(normalizeWorkspacePath('.github/workflows/ci.yml'), '.github/workflows/ci.yml');
  });

  test('paths that could leave the workspace folder or reach into .git are refused', () => {
    const hostile = [
      '',
      '   ',
      '/etc/passwd',
      '\\Windows\\system32',
      'C:\\Windows\\win.ini',
      'c:/x.ts',
      '\\\\server\\share\\x.ts',
      '~/.ssh/id_rsa',
      '..',
      '../secrets.ts',
      'src/../../etc/passwd',
      'src\\..\\..\\x',
      '...',
      'https://example.com/a.ts',
      'file:///etc/passwd',
      '.git/config',
      'sub/.GIT/hooks/pre-commit',
      'src/a\u0000.ts',
      'src/a\n.ts',
      `${'a/'.repeat(600)}x.ts`,
    ];
    for (const path of hostile) assert.equal(normalizeWorkspacePath(path), undefined, JSON.stringify(path));
  });
});

describe('textBeforeBlock', () => {
  test('the reply up to the block, without its opening fence', () => {
    const reply = 'Intro.\n\nIn `src/parser.ts`, change it:\n\n```ts title="x"\ncode\n```\n';
    assert.equal(textBeforeBlock(reply, { offset: reply.indexOf('code') }), 'Intro.\n\nIn `src/parser.ts`, change it:\n\n');
  });

  test('a bad offset is clamped', () => {
    assert.equal(textBeforeBlock('abc', { offset: 99 }), 'abc');
    assert.equal(textBeforeBlock('abc', { offset: -4 }), '');
    assert.equal(textBeforeBlock('abc', { offset: Number.NaN }), '');
  });
});

describe('inferTarget', () => {
  test('(1) the file the block names wins over everything else', () => {
    const query: TargetQuery = { block: block({ file: './src/lexer.ts' }), textBefore: 'In `src/parser.ts`, change this:', prFiles: prFiles('src/parser.ts') };
    assert.deepEqual(inferTarget(query, new Set(['src/lexer.ts', 'src/parser.ts'])), { path: 'src/lexer.ts', rule: 'named' });
  });

  test('(1) a named file that is not there is matched by the end of one existing candidate', () => {
    const query: TargetQuery = { block: block({ file: 'parser.ts' }), textBefore: '', prFiles: prFiles('docs/a.md', 'src/parser.ts') };
    assert.deepEqual(inferTarget(query, new Set(['docs/a.md', 'src/parser.ts'])), { path: 'src/parser.ts', rule: 'named' });
  });

  test('(1) a named file that matches nothing gives no target, not a guess', () => {
    const query: TargetQuery = { block: block({ file: 'src/new.ts' }), textBefore: 'In `src/parser.ts`:', prFiles: prFiles('src/parser.ts') };
    assert.equal(inferTarget(query, new Set(['src/parser.ts'])), undefined);
  });

  test('(1) a hostile named file gives no target and is never looked up', () => {
    for (const file of ['../../etc/passwd', '/etc/passwd', '.git/config', 'C:\\boot.ini']) {
      const query: TargetQuery = { block: block({ file }), textBefore: 'In `src/parser.ts`:', prFiles: prFiles('src/parser.ts') };
      assert.equal(inferTarget(query, new Set(['src/parser.ts', 'etc/passwd'])), undefined, file);
      assert.ok(!targetCandidates(query).some((path) => path.includes('..') || path.includes('passwd') || path.startsWith('.git')), file);
    }
  });

  test('(1) a diff targets the file of its +++ header', () => {
    const code = 'diff --git a/src/parser.ts b/src/parser.ts\n--- a/src/parser.ts\n+++ b/src/parser.ts\n@@ -1,2 +1,2 @@\n-old\n+new\n';
    const query: TargetQuery = { block: block({ language: 'diff', code }), textBefore: 'Apply this to `README.md`:' };
    assert.deepEqual(targetCandidates(query), ['src/parser.ts', 'README.md']);
    assert.deepEqual(inferTarget(query, new Set(['src/parser.ts', 'README.md'])), { path: 'src/parser.ts', rule: 'named' });
  });

  test('(1) a diff that deletes a file targets its --- path; a hostile header path gives no target', () => {
    const deletion = '--- a/src/old.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n';
    assert.deepEqual(inferTarget({ block: block({ language: 'diff', code: deletion }), textBefore: '' }, new Set(['src/old.ts'])), { path: 'src/old.ts', rule: 'named' });
    const hostile = '--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n';
    assert.equal(inferTarget({ block: block({ language: 'diff', code: hostile }), textBefore: '' }, new Set(['etc/passwd'])), undefined);
  });

  test('(2) a path in the paragraph just before the block, with line suffixes and punctuation removed', () => {
    const textBefore = 'Thanks for the report.\n\nIn `src/parser.ts:42`, change the loop. See also src/lexer.ts#L3-L9.\n\n';
    const query: TargetQuery = { block: block(), textBefore };
    assert.deepEqual(targetCandidates(query), ['src/parser.ts', 'src/lexer.ts']);
    assert.deepEqual(inferTarget(query, new Set(['src/parser.ts', 'src/lexer.ts'])), { path: 'src/parser.ts', rule: 'mentioned' });
    assert.deepEqual(inferTarget(query, new Set(['src/lexer.ts'])), { path: 'src/lexer.ts', rule: 'mentioned' });
  });

  test('(2) a path of the block language comes before an earlier one of another language', () => {
    const query: TargetQuery = { block: block({ language: 'python', code: 'def f():\n    pass\n' }), textBefore: 'As `README.md` says, edit `tools/build.py`:' };
    assert.deepEqual(inferTarget(query, new Set(['README.md', 'tools/build.py'])), { path: 'tools/build.py', rule: 'mentioned' });
  });

  test('(2) only the last paragraph counts: a path two paragraphs up is not a mention', () => {
    const query: TargetQuery = { block: block(), textBefore: 'Look at `src/parser.ts`.\n\nHere is a sketch:\n' };
    assert.equal(inferTarget(query, new Set(['src/parser.ts'])), undefined);
  });

  test('(2) mentions that do not exist or escape the folder are skipped', () => {
    const query: TargetQuery = { block: block(), textBefore: 'Edit `../outside.ts` or `/abs/x.ts`, really `src/missing.ts`, then `src/a.ts`:' };
    assert.deepEqual(targetCandidates(query), ['src/missing.ts', 'src/a.ts']);
    assert.deepEqual(inferTarget(query, new Set(['src/a.ts'])), { path: 'src/a.ts', rule: 'mentioned' });
  });

  test('(3) the one pull-request file with the block language extension', () => {
    const query: TargetQuery = { block: block(), textBefore: 'Try this:', prFiles: prFiles('README.md', 'src/parser.ts', 'test/parser.py') };
    assert.deepEqual(targetCandidates(query), ['src/parser.ts']);
    assert.deepEqual(inferTarget(query, new Set(['README.md', 'src/parser.ts', 'test/parser.py'])), { path: 'src/parser.ts', rule: 'pull-request' });
  });

  test('(3) of several, the one whose file name the reply mentions; else none', () => {
    const files = prFiles('src/parser.ts', 'src/lexer.ts', 'src/parser.test.ts');
    const existing = new Set(['src/parser.ts', 'src/lexer.ts', 'src/parser.test.ts']);
    const mentioned: TargetQuery = { block: block(), textBefore: 'The lexer.ts change is the culprit.\n\nTry:', prFiles: files };
    assert.deepEqual(inferTarget(mentioned, existing), { path: 'src/lexer.ts', rule: 'pull-request' });
    const ambiguous: TargetQuery = { block: block(), textBefore: 'Try this:', prFiles: files };
    assert.equal(inferTarget(ambiguous, existing), undefined);
    // `parser.ts` as a word is not `parser.test.ts`.
    const byName: TargetQuery = { block: block(), textBefore: 'In parser.ts:\n\nx\n\nTry:', prFiles: files };
    assert.deepEqual(inferTarget(byName, existing), { path: 'src/parser.ts', rule: 'pull-request' });
  });

  test('(3) pull-request files that are not in the workspace, or of an unknown language, give no target', () => {
    assert.equal(inferTarget({ block: block(), textBefore: '', prFiles: prFiles('src/deleted.ts') }, new Set()), undefined);
    const unknown = block({ language: 'haskell', code: 'main = pure ()' });
    assert.equal(inferTarget({ block: unknown, textBefore: '', prFiles: prFiles('Main.hs') }, new Set(['Main.hs'])), undefined);
  });

  test('hostile pull-request paths are dropped', () => {
    const query: TargetQuery = { block: block(), textBefore: '', prFiles: prFiles('../escape.ts', '/abs.ts', '.git/x.ts', 'ok.ts') };
    assert.deepEqual(targetCandidates(query), ['ok.ts']);
  });
});

describe('languages', () => {
  test('extensions per checked language; none for unknown ones', () => {
    assert.deepEqual(languageExtensions('typescript'), ['ts', 'mts', 'cts', 'tsx']);
    assert.deepEqual(languageExtensions('python'), ['py', 'pyi']);
    assert.deepEqual(languageExtensions('yaml'), ['yaml', 'yml']);
    assert.deepEqual(languageExtensions('shell'), ['sh', 'bash', 'zsh']);
    assert.deepEqual(languageExtensions('cobol'), []);
    assert.deepEqual(languageExtensions(null), []);
  });

  test('VS Code language ids for untitled documents', () => {
    const ids = ['typescript', 'tsx', 'javascript', 'jsx', 'json', 'yaml', 'python', 'shell', 'diff', 'ruby', null].map(vscodeLanguageId);
    assert.deepEqual(ids, ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'yaml', 'python', 'shellscript', 'diff', 'plaintext', 'plaintext']);
  });
});
