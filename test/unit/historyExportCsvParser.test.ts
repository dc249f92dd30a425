import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvParser, CsvSyntaxError, csvField, csvRecord } from '../../server/src/history/export/csvText';
import type { CsvRow } from '../../server/src/history/export/csvText';

/** Parses `text` fed in chunks cut at the given offsets. */
function parse(text: string, cuts: number[] = []): CsvRow[] {
  const parser = new CsvParser();
  const rows: CsvRow[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    rows.push(...parser.push(text.slice(start, cut)));
    start = cut;
  }
  rows.push(...parser.end());
  return rows;
}

describe('csvField and csvRecord', () => {
  test('quote only what must be quoted, doubling quotes', () => {
    assert.equal(csvField('plain text'), 'plain text');
    assert.equal(csvField(''), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
    assert.equal(csvRecord(['a', 'b,c', '']), 'a,"b,c",\r\n');
  });
});

describe('CsvParser', () => {
  const text = 'id,reply,n\r\na,"multi\nline, ""quoted""",1\r\nb,,\r\n\r\n"c",plain,3';

  test('reads quoted fields, embedded line breaks, empty fields, skips blank lines, keeps start lines', () => {
    assert.deepEqual(parse(text), [
      { line: 1, fields: ['id', 'reply', 'n'] },
      { line: 2, fields: ['a', 'multi\nline, "quoted"', '1'] },
      { line: 4, fields: ['b', '', ''] },
      { line: 6, fields: ['c', 'plain', '3'] },
    ]);
  });

  test('gives the same rows whatever the chunk boundaries (inside quotes, between CR and LF, on a doubled quote)', () => {
    const whole = parse(text);
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(parse(text, [cut]), whole, `cut at ${cut}`);
    assert.deepEqual(parse(text, [3, 11, 12, 30, 31, 32, 40]), whole);
  });

  test('accepts LF and lone CR line breaks and a final record without one', () => {
    assert.deepEqual(parse('a,b\nc,d\re,f'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  test('rejects text after a closing quote, a stray quote and an unclosed quote, naming the line', () => {
    const failure = (input: string) => {
      try {
        parse(input);
      } catch (error) {
        assert.ok(error instanceof CsvSyntaxError);
        return [error.line, error.message];
      }
      return null;
    };
    assert.deepEqual(failure('a,b\r\n"x"y,z\r\n'), [2, 'unexpected "y" after the closing quote of a field']);
    assert.deepEqual(failure('a,b\r\nx"y,z\r\n'), [2, 'a quote inside a field that does not start with one (such fields must be quoted whole)']);
    assert.deepEqual(failure('a,b\r\n\r\nc,"open\r\nstill open'), [3, 'a quoted field is never closed (the file ends inside it)']);
  });
});
