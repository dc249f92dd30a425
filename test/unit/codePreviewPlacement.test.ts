import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockReport, CodeFinding } from '../../server/src/protocol';
import { checkSummaryMarkdown, escapeMarkdown, previewFindings } from '../../client/src/codePreview/checkSummary';
import { placeBlock } from '../../client/src/codePreview/placement';
import type { PlacedBlock, PlacementInput } from '../../client/src/codePreview/placement';
import { changedRange, splitText } from '../../client/src/codePreview/textLines';

/** Lines joined with LF, with a final newline. */
const lf = (...lines: string[]) => `${lines.join('\n')}\n`;
/** Lines joined with CRLF, with a final newline. */
const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

function placed(input: PlacementInput): PlacedBlock {
  const result = placeBlock(input);
  if (!result.ok) assert.fail(`placement failed: ${result.reason}`);
  return result.placed;
}

function failure(input: PlacementInput): string {
  const result = placeBlock(input);
  if (result.ok) assert.fail(`placement succeeded: ${result.placed.description}`);
  return result.reason;
}

/** A 20-line file `line 1` … `line 20`. */
const numbered = lf(...Array.from({ length: 20 }, (_, i) => `line ${i + 1}`));

describe('placement (a): unified diffs', () => {
  test('a hunk whose header is off by 7 lines applies by its context', () => {
    const code = lf('--- a/notes.txt', '+++ b/notes.txt', '@@ -5,3 +5,3 @@', ' line 12', '-line 13', '+line thirteen', ' line 14');
    const result = placed({ fileText: numbered, code, language: 'diff', path: 'notes.txt' });
    assert.equal(result.kind, 'diff');
    assert.equal(result.description, 'applies 1 hunk');
    assert.equal(result.text, numbered.replace('line 13\n', 'line thirteen\n'));
    assert.deepEqual([result.startLine, result.endLine], [12, 14]);
    // Block lines: 0–2 headers, 3 context, 4 removed, 5 added, 6 context.
    assert.deepEqual(result.lineMap, [null, null, null, { line: 12, columnShift: 0 }, null, { line: 13, columnShift: 0 }, { line: 14, columnShift: 0 }]);
    assert.equal(result.unchanged, false);
  });

  test('two hunks: the second is found after the first, shifted by what the first added', () => {
    const code = lf('@@ -2,2 +2,4 @@', ' line 2', '+added a', '+added b', ' line 3', '@@ -10,2 +12,1 @@', ' line 15', '-line 16');
    const result = placed({ fileText: numbered, code, language: 'diff' });
    assert.equal(result.description, 'applies 2 hunks');
    const expected = numbered.replace('line 2\n', 'line 2\nadded a\nadded b\n').replace('line 16\n', '');
    assert.equal(result.text, expected);
    assert.deepEqual([result.startLine, result.endLine], [2, 17]);
  });

  test('a hunk whose context is not in the file fails with the line that is missing', () => {
    const code = lf('@@ -3,3 +3,3 @@', ' line 3', '-line 4', '+line four', ' line 99');
    assert.equal(failure({ fileText: numbered, code, language: 'diff' }), 'Hunk 1 of 1 (@@ -3,3 +3,3 @@) does not match the file: the line "line 99" is not in the file.');
  });

  test('lines that are all in the file but not together fail too', () => {
    const code = lf('@@ -3,2 +3,2 @@', ' line 3', '-line 9');
    assert.equal(
      failure({ fileText: numbered, code, language: 'diff' }),
      'Hunk 1 of 1 (@@ -3,2 +3,2 @@) does not match the file: its context and removed lines are in the file, but not together in this order.',
    );
  });

  test('a later hunk whose context comes before the earlier one fails (hunks are in order)', () => {
    const code = lf('@@ -10 +10 @@', '-line 10', '+ten', '@@ -2 +2 @@', '-line 2', '+two');
    assert.equal(failure({ fileText: numbered, code, language: 'diff' }), 'Hunk 2 of 2 (@@ -2 +2 @@) does not match the file: the line "line 2" is not in the file after line 10.');
  });

  test('bare @@ headers, blank context lines without their space, and whitespace differences are tolerated', () => {
    const file = lf('function f() {', '  const a = 1;', '', '  return a;', '}');
    const code = lf('@@', ' function f() {', '-  const a = 1;', '+  const a = 2;', '', '   return a;   ');
    const result = placed({ fileText: file, code, language: 'typescript' });
    assert.equal(result.kind, 'diff', 'code that reads as a diff is one, whatever the fence says');
    assert.equal(result.text, lf('function f() {', '  const a = 2;', '', '  return a;', '}'));
  });

  test('a pure insertion is placed by its line number; without one it fails', () => {
    assert.equal(placed({ fileText: lf('a', 'b'), code: lf('@@ -0,0 +1,1 @@', '+first'), language: 'diff' }).text, lf('first', 'a', 'b'));
    assert.equal(placed({ fileText: lf('a', 'b'), code: lf('@@ -1,0 +2,1 @@', '+between'), language: 'diff' }).text, lf('a', 'between', 'b'));
    assert.equal(failure({ fileText: lf('a'), code: lf('@@', '+x'), language: 'diff' }), 'Hunk 1 of 1 (@@) only adds lines and has no context or line number to place them by.');
  });

  test('a CRLF file stays CRLF and a missing final newline stays missing', () => {
    const file = 'one\r\ntwo\r\nthree';
    const code = lf('@@ -2,2 +2,3 @@', ' two', '-three', '+3', '+four');
    assert.equal(placed({ fileText: file, code, language: 'patch' }).text, 'one\r\ntwo\r\n3\r\nfour');
  });

  test('a diff of several files applies the part for the target; none matching fails', () => {
    const code = lf('--- a/a.txt', '+++ b/a.txt', '@@ -1 +1 @@', '-line 1', '+A', '--- a/src/b.txt', '+++ b/src/b.txt', '@@ -1 +1 @@', '-line 1', '+B');
    assert.equal(placed({ fileText: numbered, code, language: 'diff', path: 'src/b.txt' }).text, numbered.replace('line 1\n', 'B\n'));
    assert.equal(failure({ fileText: numbered, code, language: 'diff', path: 'c.txt' }), 'The diff changes 2 files, none of them c.txt.');
  });

  test('a removed line that starts with "-- " is not taken for a file header', () => {
    const file = lf('SELECT 1;', '-- old comment', 'SELECT 2;');
    const code = lf('@@ -1,3 +1,3 @@', ' SELECT 1;', '--- old comment', '+-- new comment', ' SELECT 2;');
    assert.equal(placed({ fileText: file, code, language: 'diff' }).text, lf('SELECT 1;', '-- new comment', 'SELECT 2;'));
  });

  test('a diff with no hunks fails', () => {
    assert.equal(failure({ fileText: numbered, code: 'just some text\n', language: 'diff' }), 'The diff has no hunks (no `@@` lines followed by changed lines).');
  });
});

describe('placement (b): first and last lines as anchors', () => {
  const file = lf(
    'import { x } from "./x";',
    '',
    'export class Parser {',
    '  parse(text: string) {',
    '    if (!text) {',
    '      return [];',
    '    }',
    '    return x(text);',
    '  }',
    '',
    '  reset() {',
    '    this.pos = 0;',
    '  }',
    '}',
  );

  test('a method written at column 0 replaces its span, re-indented to the file, its closing brace not an inner one', () => {
    const code = lf('parse(text: string) {', '  if (text === "") {', '    return [];', '  }', '  return x(text.trim());', '}');
    const result = placed({ fileText: file, code, language: 'typescript' });
    assert.equal(result.kind, 'span');
    assert.equal(result.description, 'replaces lines 4–9');
    assert.equal(
      result.text,
      file.replace('    if (!text) {\n', '    if (text === "") {\n').replace('    return x(text);\n', '    return x(text.trim());\n'),
    );
    assert.deepEqual([result.startLine, result.endLine], [4, 9]);
    assert.deepEqual(
      result.lineMap,
      [4, 5, 6, 7, 8, 9].map((line) => ({ line, columnShift: 2 })),
    );
  });

  test('leading and trailing blank lines of the block are dropped; the map says so', () => {
    const code = lf('', 'reset() {', '  this.pos = -1;', '}', '');
    const result = placed({ fileText: file, code, language: 'typescript' });
    assert.equal(result.description, 'replaces lines 11–13');
    assert.equal(result.text, file.replace('this.pos = 0;', 'this.pos = -1;'));
    assert.deepEqual(result.lineMap, [null, { line: 11, columnShift: 2 }, { line: 12, columnShift: 2 }, { line: 13, columnShift: 2 }, null]);
  });

  test('the nearest pair wins when the anchors occur more than once', () => {
    const repeated = lf('start', 'a', 'end', 'start', 'b', 'end');
    assert.equal(placed({ fileText: repeated, code: lf('start', 'B', 'end'), language: null }).text, lf('start', 'B', 'end', 'start', 'b', 'end'));
  });

  test('tab-indented files get tabs for the block’s space indentation', () => {
    const tabbed = lf('class A {', '\tf() {', '\t\treturn 1;', '\t}', '}');
    const result = placed({ fileText: tabbed, code: lf('f() {', '  return 2;', '}'), language: 'javascript' });
    assert.equal(result.text, lf('class A {', '\tf() {', '\t\treturn 2;', '\t}', '}'));
    assert.deepEqual(result.lineMap, [
      { line: 2, columnShift: 1 },
      { line: 3, columnShift: 0 }, // two spaces became one tab
      { line: 4, columnShift: 1 },
    ]);
  });

  test('a block indented like the file, or not uniformly less, keeps its indentation', () => {
    const same = lf('  reset() {', '    this.pos = 1;', '  }');
    assert.equal(placed({ fileText: file, code: same, language: 'typescript' }).text, file.replace('this.pos = 0;', 'this.pos = 1;'));
    const ragged = lf('    if (!text) {', '  return null;', '    }');
    assert.equal(placed({ fileText: file, code: ragged, language: 'typescript' }).text, file.replace('      return [];\n', '  return null;\n'));
  });

  test('indentation steps agree across a tab-indented file and a space-indented block', () => {
    const tabbed = lf('setup {', '\tfoo();', '\tbar();', '}');
    const result = placed({ fileText: tabbed, code: lf('setup {', '  foo(1);', '  bar();'), language: null });
    assert.equal(result.description, 'replaces lines 1–3');
    assert.equal(result.text, lf('setup {', '  foo(1);', '  bar();', '}'));
  });

  test('a CRLF file keeps CRLF on the new lines', () => {
    const file = crlf('a', 'begin', 'old', 'end', 'z');
    assert.equal(placed({ fileText: file, code: lf('begin', 'new', 'newer', 'end'), language: null }).text, crlf('a', 'begin', 'new', 'newer', 'end', 'z'));
  });

  test('a block already in the file is unchanged', () => {
    const result = placed({ fileText: file, code: lf('reset() {', '  this.pos = 0;', '}'), language: 'typescript' });
    assert.equal(result.unchanged, true);
    assert.equal(result.text, file);
  });

  test('a first line without a word character anchors nothing', () => {
    const braces = lf('x', '}', 'y', '}');
    assert.equal(placed({ fileText: braces, code: lf('}', 'y', '}'), language: null }).kind, 'whole-file');
  });
});

describe('placement (c): declarations', () => {
  test('a TypeScript function whose last line changed replaces the declaration, brace-balanced through strings and templates', () => {
    const file = lf(
      'export function parse(text: string): Token[] {',
      '  const open = "{";',
      '  const t = `${text}}`;',
      '  return tokens(t, open);',
      '}',
      '',
      'export function other() {}',
    );
    const code = lf('/** Parses. */', 'export function parse(text: string): Token[] {', '  return [];', '}');
    const result = placed({ fileText: file, code, language: 'typescript' });
    assert.equal(result.kind, 'declaration');
    assert.equal(result.description, 'replaces function parse (lines 1–5)');
    assert.equal(result.text, lf('/** Parses. */', 'export function parse(text: string): Token[] {', '  return [];', '}', '', 'export function other() {}'));
    assert.deepEqual([result.startLine, result.endLine], [1, 4]);
  });

  test('a regular expression holding a brace does not unbalance the scan', () => {
    const file = lf('function strip(s) {', '  return s.replace(/[{]/g, "");', '}', 'function keep() {}');
    const result = placed({ fileText: file, code: lf('function strip(s) {', '  return s.trim(); }'), language: 'javascript' });
    assert.equal(result.description, 'replaces function strip (lines 1–3)');
    assert.equal(result.text, lf('function strip(s) {', '  return s.trim(); }', 'function keep() {}'));
  });

  test('a method with a changed body and closing line, re-indented into its class', () => {
    const file = lf('class A {', '  run(): { ok: boolean } {', '    return { ok: false };', '  }', '', '  stop() {}', '}');
    const code = lf('run(): { ok: boolean } {', '  const ok = true;', '  return { ok }; }');
    const result = placed({ fileText: file, code, language: 'typescript' });
    assert.equal(result.description, 'replaces method run (lines 2–4)');
    assert.equal(result.text, lf('class A {', '  run(): { ok: boolean } {', '    const ok = true;', '    return { ok }; }', '', '  stop() {}', '}'));
  });

  test('a Python def inside a class: indentation-based extent, the file keeps its decorator', () => {
    const file = lf('class P:', '    @staticmethod', '    def parse(text):', '        """Doc', 'at column 0."""', '        return tokenize(', '    text)', '', '    def other(self):', '        pass');
    const result = placed({ fileText: file, code: lf('def parse(text):', '    return []'), language: 'python' });
    assert.equal(result.description, 'replaces function parse (lines 3–7)');
    assert.equal(result.text, lf('class P:', '    @staticmethod', '    def parse(text):', '        return []', '', '    def other(self):', '        pass'));
  });

  test('a YAML key replaces the key’s block, its sequence items included', () => {
    const file = lf('name: ci', 'on:', '- push', '- pull_request', 'jobs:', '  test:', '    runs-on: ubuntu-latest');
    const result = placed({ fileText: file, code: lf('on:', '  - push'), language: 'yaml' });
    assert.equal(result.description, 'replaces key on (lines 2–4)');
    assert.equal(result.text, lf('name: ci', 'on:', '  - push', 'jobs:', '  test:', '    runs-on: ubuntu-latest'));
  });

  test('a name declared twice, or a block of two declarations, falls back to the whole file', () => {
    const twice = lf('function f(a: string): void;', 'function f(a) {', '  return 1;', '}');
    assert.equal(placed({ fileText: twice, code: lf('function f(a) {', '  return 2; }'), language: 'typescript' }).kind, 'whole-file');
    const file = lf('function f() {', '  return 1;', '}', 'function g() {}');
    const two = lf('function f() {', '  return 2; }', 'function h() {}');
    assert.equal(placed({ fileText: file, code: two, language: 'typescript' }).kind, 'whole-file');
  });
});

describe('placement (d): the whole file', () => {
  test('replaces the whole file, keeping CRLF and the final newline', () => {
    const result = placed({ fileText: crlf('old 1', 'old 2'), code: lf('new 1', 'new 2', 'new 3'), language: 'json' });
    assert.equal(result.kind, 'whole-file');
    assert.equal(result.description, 'replaces the whole file');
    assert.equal(result.text, crlf('new 1', 'new 2', 'new 3'));
    assert.deepEqual([result.startLine, result.endLine], [1, 3]);
    assert.deepEqual(result.lineMap, [1, 2, 3].map((line) => ({ line, columnShift: 0 })));
  });

  test('a file without a final newline stays without one; an empty file gets one', () => {
    assert.equal(placed({ fileText: 'old', code: 'new\n', language: null }).text, 'new');
    assert.equal(placed({ fileText: '', code: 'new', language: null }).text, 'new\n');
  });

  test('an empty block is refused', () => {
    assert.equal(failure({ fileText: numbered, code: '\n  \n', language: 'typescript' }), 'The code block is empty.');
  });

  test('a block that leaves code out says so', () => {
    const result = placed({ fileText: 'a\n', code: lf('class A {', '  // ... rest of the code unchanged', '}'), language: 'typescript' });
    assert.deepEqual(result.warnings, ['The block leaves code out (line 2: "// ... rest of the code unchanged"); applying it replaces that code with the comment.']);
  });
});

describe('text helpers', () => {
  test('splitText keeps each line’s ending and finds the dominant one', () => {
    assert.deepEqual(splitText('a\r\nb\nc\r\n'), { lines: ['a', 'b', 'c'], eols: ['\r\n', '\n', '\r\n'], finalNewline: true, eol: '\r\n' });
    assert.deepEqual(splitText(''), { lines: [], eols: [], finalNewline: false, eol: '\n' });
  });

  test('changedRange is the smallest replacement and never splits a CRLF', () => {
    assert.deepEqual(changedRange('a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'), { start: 3, end: 4, text: 'B' });
    assert.deepEqual(changedRange('a\r\n', 'a\r\nb\r\n'), { start: 3, end: 3, text: 'b\r\n' });
    assert.deepEqual(changedRange('x\r\ny', 'x\r\n\r\ny'), { start: 3, end: 3, text: '\r\n' });
    assert.deepEqual(changedRange('same', 'same'), { start: 4, end: 4, text: '' });
  });
});

function finding(overrides: Partial<CodeFinding>): CodeFinding {
  return { ruleId: 'no-eval', kind: 'security', severity: 'error', line: 1, message: 'eval can be harmful.', engine: 'eslint', ...overrides };
}

describe('findings on the preview', () => {
  test('lines go through the map, columns shift with re-indentation and stay inside their line', () => {
    const lineMap = [null, { line: 12, columnShift: 2 }, { line: 13, columnShift: 2 }];
    const previewLines = [...Array.from({ length: 10 }, () => ''), '  reset() {', '    eval(x);', '  }'];
    const found = previewFindings(
      [finding({ line: 2, column: 3, endColumn: 7 }), finding({ line: 3, severity: 'warning', ruleId: 'semi' }), finding({ line: 1, column: 99, severity: 'info' })],
      lineMap,
      previewLines,
    );
    assert.deepEqual(found, [
      // `eval` at block line 2, columns 3–6, sits at preview line 12 (0-based 11), columns 4–7.
      { startLine: 11, startColumn: 4, endLine: 11, endColumn: 8, severity: 'error', ruleId: 'no-eval', message: 'eval can be harmful.' },
      // No column: from the first non-blank character to the line's end.
      { startLine: 12, startColumn: 2, endLine: 12, endColumn: 3, severity: 'warning', ruleId: 'semi', message: 'eval can be harmful.' },
      // Block line 1 is not in the preview: the nearest line that is; the column is clamped to that line.
      { startLine: 11, startColumn: 12, endLine: 11, endColumn: 12, severity: 'info', ruleId: 'no-eval', message: 'eval can be harmful.' },
    ]);
  });

  test('the hover summary escapes what the checkers and the model wrote', () => {
    const report: BlockReport = {
      block: { index: 1, language: 'typescript', languageFrom: 'fence', info: 'ts', code: 'eval(x)', startLine: 3, offset: 10, unclosed: false },
      syntax: 'ok',
      security: 'checked',
      findings: [finding({ line: 1, message: 'see [here](command:evil) <img src=x>' })],
      failed: true,
    };
    assert.equal(
      checkSummaryMarkdown(report, { path: 'src/a_b.ts', description: 'replaces lines 10–24', warnings: [] }),
      [
        '**Threadwise checks** of code block 2 (typescript)',
        '',
        'Syntax: ok · Security: checked · **fails the checks**',
        '',
        '- error no\\-eval (line 1): see \\[here\\]\\(command:evil\\) \\<img src=x\\>',
        '',
        'Preview of src/a\\_b\\.ts: replaces lines 10–24',
      ].join('\n'),
    );
    assert.equal(escapeMarkdown('a\n\n# b'), 'a \\# b');
  });

  test('a block that was not checked says why, and claims no clean result', () => {
    const report: BlockReport = {
      block: { index: 0, language: 'cobol', languageFrom: 'fence', info: 'cobol', code: 'x', startLine: 1, offset: 0, unclosed: false },
      syntax: 'not-checked',
      security: 'not-checked',
      notCheckedReason: 'no checker for cobol',
      findings: [],
      failed: false,
    };
    assert.equal(checkSummaryMarkdown(report), '**Threadwise checks** of code block 1 (cobol)\n\nSyntax: not checked · Security: not checked\n\nNot checked: no checker for cobol');
  });
});
