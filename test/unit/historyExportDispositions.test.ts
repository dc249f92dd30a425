import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportHistory } from '../../server/src/history/export/exportHistory';
import { exportColumns, toExportRow } from '../../server/src/history/export/exportRow';
import { writeJsonlFile } from '../../server/src/history/export/writeJsonlFile';
import type { ExportDisposition, ExportFormat, HistoryRecord } from '../../server/src/protocol';
import { readCsv, readJsonlObjects, readParquetRows } from '../support/exportReaders';
import { aHistoryRecord, anOutcome, streamOf } from '../support/historyRecords';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A record whose reply names its id and version, so a replaced row is visible in every format. */
function record(id: string, version = 1): HistoryRecord {
  return aHistoryRecord({ id, suggestion: { text: `reply ${id} v${version}` }, outcome: version > 1 ? anOutcome({ editDistance: version }) : null });
}

/** (id, reply) of every row, read with the independent reader of the format. */
async function rowsOf(format: ExportFormat, file: string): Promise<[string, string][]> {
  if (format === 'jsonl') return (await readJsonlObjects(file)).map((r) => [(r as HistoryRecord).id, (r as HistoryRecord).suggestion.text]);
  if (format === 'parquet') return (await readParquetRows(file)).map((r) => [r.id as string, r.reply as string]);
  const reply = exportColumns.findIndex((c) => c.name === 'reply');
  return (await readCsv(file)).records.map((cells) => [cells[0]!, cells[reply]!]);
}

const FORMATS: ExportFormat[] = ['jsonl', 'csv', 'parquet'];

for (const format of FORMATS) {
  describe(`${format} dispositions`, () => {
    const out = () => path.join(dir, `history.${format}`);
    const run = (records: HistoryRecord[], disposition?: ExportDisposition) => exportHistory(streamOf(records), { format, out: out(), disposition });

    test('replace (the default) writes exactly this run, whatever the file held', async () => {
      await run([record('a'), record('b'), record('c')]);
      const result = await run([record('d')]);
      assert.deepEqual(await rowsOf(format, out()), [['d', 'reply d v1']]);
      assert.equal(result.exported, 1);
      assert.equal(result.rows, 1);
    });

    test('append keeps the rows there and adds these after them, duplicates included', async () => {
      await run([record('a'), record('b')]);
      const result = await run([record('b', 2), record('c')], 'append');
      assert.deepEqual(await rowsOf(format, out()), [['a', 'reply a v1'], ['b', 'reply b v1'], ['b', 'reply b v2'], ['c', 'reply c v1']]);
      assert.deepEqual({ exported: result.exported, rows: result.rows }, { exported: 2, rows: 4 });
    });

    test('append and merge to a file that does not exist yet write it as replace would', async () => {
      const result = await run([record('a')], 'append');
      assert.deepEqual(await rowsOf(format, out()), [['a', 'reply a v1']]);
      await rm(out());
      await run([record('b')], 'merge');
      assert.deepEqual(await rowsOf(format, out()), [['b', 'reply b v1']]);
      assert.equal(result.rows, 1);
    });

    test('merge replaces a row whose id comes again in place, keeps the others, appends new ids in export order', async () => {
      await run([record('a'), record('b'), record('c')]);
      const result = await run([record('e'), record('b', 2), record('d')], 'merge');
      assert.deepEqual(await rowsOf(format, out()), [['a', 'reply a v1'], ['b', 'reply b v2'], ['c', 'reply c v1'], ['e', 'reply e v1'], ['d', 'reply d v1']]);
      assert.deepEqual({ exported: result.exported, rows: result.rows }, { exported: 3, rows: 5 });
    });

    test('merge is idempotent: the same merge again leaves the file byte-identical', async () => {
      await run([record('a'), record('b')]);
      await run([record('c'), record('a', 2)], 'merge');
      const once = await readFile(out());
      const again = await run([record('c'), record('a', 2)], 'merge');
      assert.deepEqual(await readFile(out()), once);
      assert.equal(again.bytes, once.byteLength);
    });

    test('merging one changed record changes that row only', async () => {
      const records = Array.from({ length: 12 }, (_, i) => record(`id-${i}`));
      await run(records);
      const before = await rowsOf(format, out());
      await run([record('id-7', 3)], 'merge');
      const after = await rowsOf(format, out());
      assert.equal(after.length, 12);
      assert.deepEqual(after.filter((_, i) => i !== 7), before.filter((_, i) => i !== 7));
      assert.deepEqual(after[7], ['id-7', 'reply id-7 v3']);
    });

    test('merge collapses earlier duplicates of a merged id (after an append) and keeps ids it does not touch', async () => {
      await run([record('a'), record('b')]);
      await run([record('a'), record('b')], 'append');
      await run([record('a', 2)], 'merge');
      assert.deepEqual(await rowsOf(format, out()), [['a', 'reply a v2'], ['b', 'reply b v1'], ['b', 'reply b v1']]);
    });

    test('a record exported twice in one merge keeps its first position and its last version', async () => {
      await run([record('x'), record('a'), record('x', 2)], 'merge');
      assert.deepEqual(await rowsOf(format, out()), [['x', 'reply x v2'], ['a', 'reply a v1']]);
    });

    test('no temp or spill file is left beside the export', async () => {
      await run([record('a')]);
      await run([record('b')], 'append');
      await run([record('a', 2)], 'merge');
      assert.deepEqual(await readdir(dir), [`history.${format}`]);
    });
  });
}

describe('text formats keep untouched lines byte for byte', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    test(`${format}: merging one changed record rewrites only its line`, async () => {
      const out = path.join(dir, `history.${format}`);
      await exportHistory(streamOf(Array.from({ length: 6 }, (_, i) => record(`id-${i}`))), { format, out });
      const before = (await readFile(out, 'utf8')).split(format === 'csv' ? '\r\n' : '\n');
      await exportHistory(streamOf([record('id-2', 4)]), { format, out, disposition: 'merge' });
      const after = (await readFile(out, 'utf8')).split(format === 'csv' ? '\r\n' : '\n');
      const changed = after.map((line, i) => (line === before[i] ? -1 : i)).filter((i) => i !== -1);
      assert.deepEqual(changed, [format === 'csv' ? 3 : 2], 'only the line of id-2 differs (CSV has a header line first)');
    });
  }
});

describe('Parquet merge keeps untouched rows value for value', () => {
  test('merging one changed record changes every column of its row and nothing else', async () => {
    const out = path.join(dir, 'history.parquet');
    const records = Array.from({ length: 6 }, (_, i) => record(`id-${i}`));
    await exportHistory(streamOf(records), { format: 'parquet', out });
    const before = await readParquetRows(out);
    const changed = record('id-4', 5);
    await exportHistory(streamOf([changed]), { format: 'parquet', out, disposition: 'merge' });
    const after = await readParquetRows(out);
    assert.deepEqual(after.filter((_, i) => i !== 4), before.filter((_, i) => i !== 4));
    assert.deepEqual(after[4], toExportRow(changed));
  });
});

describe('progress', () => {
  test('onProgress reports every 1,000 records and once at the end', async () => {
    const seen: number[] = [];
    const records = Array.from({ length: 2500 }, (_, i) => record(`p-${i}`));
    const result = await exportHistory(streamOf(records), { format: 'jsonl', out: path.join(dir, 'p.jsonl'), onProgress: (n) => seen.push(n) });
    assert.deepEqual(seen, [1000, 2000, 2500]);
    assert.equal(result.exported, 2500);
  });
});

describe('writeJsonlFile', () => {
  test('writes any objects keyed by id with the same dispositions', async () => {
    const out = path.join(dir, 'dataset.jsonl');
    const example = (id: string, content: string) => ({ id, messages: [{ role: 'assistant', content }] });
    await writeJsonlFile(streamOf([example('c1', 'one'), example('c2', 'two')]), out, 'replace');
    const merged = await writeJsonlFile(streamOf([example('c2', 'two, edited'), example('c3', 'three')]), out, 'merge');
    assert.deepEqual(await readJsonlObjects(out), [example('c1', 'one'), example('c2', 'two, edited'), example('c3', 'three')]);
    assert.deepEqual({ exported: merged.exported, rows: merged.rows }, { exported: 2, rows: 3 });
    const appended = await writeJsonlFile(streamOf([example('c1', 'again')]), out, 'append');
    assert.equal(appended.rows, 4);
    assert.equal((await readFile(out, 'utf8')).split('\n').at(-2), JSON.stringify(example('c1', 'again')));
  });
});
