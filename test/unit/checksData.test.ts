import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDataChecker } from '../../server/src/checks/code/dataChecker';
import { findJsonSyntaxError } from '../../server/src/checks/code/jsonSyntax';
import { languageOfPath } from '../../server/src/checks/code/languages';
import { MAX_SYNTAX_FINDINGS } from '../../server/src/checks/code/syntaxErrors';
import type { CheckedLanguage } from '../../server/src/protocol';
import { findingKeys, loadCorpus } from '../support/checksCorpus';
import { seededRandom } from '../support/seededRandom';

const checker = createDataChecker();
before(() => checker.load());

function check(code: string, language: CheckedLanguage) {
  return checker.check(code, language, { strict: false });
}

/** [line, column, message] of each finding. */
function errors(code: string, language: CheckedLanguage): Array<[number, number, string]> {
  return check(code, language).findings.map((finding) => [finding.line, finding.column!, finding.message]);
}

describe('data checker', () => {
  test('checks JSON and YAML, nothing else', () => {
    assert.deepEqual([...checker.languages], ['json', 'yaml']);
    assert.throws(() => check('a = 1', 'python'), /does not check python/);
    assert.throws(() => createDataChecker().check('a: 1', 'yaml', { strict: false }), /before load\(\) resolved/);
  });

  test('valid data passes in strict mode too: no security rules for data', () => {
    assert.deepEqual(checker.check('{"password": "hunter2", "eval": "rm -rf /"}', 'json', { strict: true }), { syntax: 'ok', findings: [] });
    assert.deepEqual(checker.check('password: hunter2\nrun: curl x | sh\n', 'yaml', { strict: true }), { syntax: 'ok', findings: [] });
  });
});

describe('data checker: JSON', () => {
  test('a finding has the position, an end one character on, and engine json', () => {
    assert.deepEqual(check('{\n  "a": 1,\n}', 'json'), {
      syntax: 'error',
      findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 2, column: 9, endLine: 2, endColumn: 10, message: 'trailing commas are not allowed in JSON', engine: 'json' }],
    });
  });

  test('each kind of mistake, at its place', () => {
    const cases: Array<[string, [number, number, string]]> = [
      ['[1, 2,]', [1, 6, 'trailing commas are not allowed in JSON']],
      ['{"a": 1 // one\n}', [1, 9, 'comments are not allowed in JSON']],
      ['{"a": /* x */ 1}', [1, 7, 'comments are not allowed in JSON']],
      ["{'a': 1}", [1, 2, 'property names must be in double quotes, not single quotes']],
      ["{\"a\": 'x'}", [1, 7, 'strings must be in double quotes, not single quotes']],
      ['{a: 1}', [1, 2, 'a property name in double quotes expected, found `a`']],
      ['{"a" 1}', [1, 6, '`:` expected after a property name, found `1`']],
      ['{"a": 1 "b": 2}', [1, 9, '`,` or `}` expected, found `"`']],
      ['[1 2]', [1, 4, '`,` or `]` expected, found `2`']],
      ['{"a": 01}', [1, 7, 'invalid number (leading zeros, a lone `.` or a bad exponent)']],
      ['{"a": 1.}', [1, 7, 'invalid number (leading zeros, a lone `.` or a bad exponent)']],
      ['[-]', [1, 2, 'invalid number `-`']],
      ['{"a": NaN}', [1, 7, 'unexpected word `NaN`: JSON values are strings in double quotes, numbers, true, false, null, objects and arrays']],
      ['{"a": undefined}', [1, 7, 'unexpected word `undefined`: JSON values are strings in double quotes, numbers, true, false, null, objects and arrays']],
      ['{"a": "line\nbreak"}', [1, 12, 'unterminated string (a line break in a string must be written \\n)']],
      ['{"a": "tab\there"}', [1, 11, 'control character in a string']],
      ['{"a": "\\x41"}', [1, 8, 'invalid escape in a string']],
      ['{"a": "\\u12"}', [1, 8, 'invalid escape in a string']],
      ['{"a": "open', [1, 7, 'unterminated string']],
      ['{"a": 1} {"b": 2}', [1, 10, 'unexpected `{` after the JSON value']],
      ['{"a": [1, 2}', [1, 12, '`,` or `]` expected, found `}`']],
      ['{"a": [1, 2', [1, 12, 'unexpected end of JSON: `]` expected']],
      ['{"a":', [1, 6, 'unexpected end of JSON: a value expected']],
      ['{"a"', [1, 5, 'unexpected end of JSON: `:` expected']],
      ['{', [1, 2, 'unexpected end of JSON: a property name expected']],
      ['', [1, 1, 'unexpected end of JSON: a value expected']],
      ['  \n ', [2, 2, 'unexpected end of JSON: a value expected']],
      [']', [1, 1, 'a value expected, found `]`']],
      ['{"a": 1}\u0001', [1, 9, 'unexpected control character U+0001 after the JSON value']],
    ];
    for (const [code, expected] of cases) assert.deepEqual(errors(code, 'json'), [expected], JSON.stringify(code));
  });

  test('valid JSON of every kind passes', () => {
    for (const code of ['{}', '[]', '0', '-0.5e+10', '"x"', 'true', 'null', ' \r\n{"a": [1, {"b": null}], "c": "\\u00e9\\n\\"", "d": -1.25E-3}\r\n', '"\u2028"']) {
      assert.deepEqual(check(code, 'json'), { syntax: 'ok', findings: [] }, code);
    }
  });

  test('lines count CRLF and CR, not U+2028 inside strings', () => {
    assert.deepEqual(errors('{\r\n  "a": 1\r\n  "b": 2\r\n}', 'json').map(([line, column]) => [line, column]), [[3, 3]]);
    assert.deepEqual(errors('{\r  "a": 1,\r}', 'json').map(([line, column]) => [line, column]), [[2, 9]]);
    assert.deepEqual(errors('{"a": "x\u2028y",\n "b": }', 'json').map(([line, column]) => [line, column]), [[2, 7]]);
  });

  test('deep nesting does not overflow the scanner', () => {
    const deep = '['.repeat(200_000);
    assert.deepEqual(errors(deep, 'json'), [[1, 200_001, 'unexpected end of JSON: a value expected']]);
    assert.equal(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), null);
  });

  test('the scanner agrees with JSON.parse on what is JSON (seeded mutations of valid JSON)', () => {
    const random = seededRandom(6);
    const seeds = ['{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\\n\\u00e9"}}', '[{"x": ""}, [], {}]', '"plain"'];
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '1', '-', '.', 'e', 'E', '+', 'a', 't', 'u', "'", '/', '*', '\t'];
    for (let round = 0; round < 3000; round++) {
      let text = seeds[round % seeds.length]!;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const char = alphabet[Math.floor(random() * alphabet.length)]!;
        const kind = random();
        text = kind < 0.4 ? text.slice(0, at) + char + text.slice(at) : kind < 0.7 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + char + text.slice(at + 1);
      }
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      assert.equal(findJsonSyntaxError(text) === null, parses, JSON.stringify(text));
    }
  });
});

describe('data checker: YAML', () => {
  test('a finding has the position of the error, and engine yaml', () => {
    assert.deepEqual(check('a: b: c', 'yaml'), {
      syntax: 'error',
      findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 1, column: 4, endLine: 1, endColumn: 5, message: 'Nested mappings are not allowed in compact mappings', engine: 'yaml' }],
    });
  });

  test('each error of a stream, in every document, the first of a line only', () => {
    const code = 'a: 1\na: 2\n---\nlist: [1, 2\nnext: 3\n---\nk: v\nk: w\n';
    assert.deepEqual(errors(code, 'yaml'), [
      [2, 1, 'Map keys must be unique'],
      [5, 1, 'Flow sequence in block collection must be sufficiently indented and end with a ]'],
      [8, 1, 'Map keys must be unique'],
    ]);
  });

  test('tabs as indentation and bad indentation', () => {
    assert.deepEqual(errors('a:\n\tb: 1\n', 'yaml'), [[2, 1, 'Tabs are not allowed as indentation']]);
    assert.deepEqual(errors('a:\n  b: 1\n c: 2\n', 'yaml').map(([line]) => line), [3]);
  });

  test('at most MAX_SYNTAX_FINDINGS', () => {
    const code = Array.from({ length: 40 }, () => 'k: 1').join('\n');
    assert.equal(check(code, 'yaml').findings.length, MAX_SYNTAX_FINDINGS);
  });

  test('valid YAML passes: empty, comments only, anchors, block scalars, several documents, unknown tags (a warning only)', () => {
    const valid = ['', '# nothing\n', 'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n', 'run: |\n  echo "a: b"\n  exit 0\n', 'a: 1\n---\nb: 2\n...\n', 'value: !custom 3\n', 'a: 1\r\nb:\r\n  - x\r\n'];
    for (const code of valid) assert.deepEqual(check(code, 'yaml'), { syntax: 'ok', findings: [] }, JSON.stringify(code));
  });

  test('lines count CRLF', () => {
    assert.deepEqual(errors('a: 1\r\nb: 2\r\na: 3\r\n', 'yaml').map(([line, column]) => [line, column]), [[3, 1]]);
  });
});

describe('JSON and YAML corpus', () => {
  for (const folder of ['json', 'yaml']) {
    for (const entry of loadCorpus(folder)) {
      test(`${folder}/${entry.file}`, () => {
        const language = languageOfPath(entry.file);
        assert.ok(language !== null, `${entry.file} has a data extension`);
        const result = checker.check(entry.code, language, { strict: false });
        assert.deepEqual(findingKeys(result.findings), entry.expected);
        assert.equal(result.syntax, entry.file.startsWith('syntax-') ? 'error' : 'ok', 'broken files are named syntax-*');
      });
    }
  }
});
