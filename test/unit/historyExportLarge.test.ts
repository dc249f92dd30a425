import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportHistory } from '../../server/src/history/export/exportHistory';
import type { HistoryRecord, SuggestionOutcome } from '../../server/src/protocol';
import { timestampAt } from '../support/builders';
import { parquetRowGroups, readParquetRows } from '../support/exportReaders';
import { aHistoryRecord, anOutcome, streamOf } from '../support/historyRecords';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-export-large-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COUNT = 10_000;
const OUTCOMES: (SuggestionOutcome | null)[] = ['posted', 'edited', 'copied', 'discarded', null];

/** Record i: its own id, time, thread, reply and outcome, generated as it is taken. */
function recordAt(i: number): HistoryRecord {
  const outcome = OUTCOMES[i % OUTCOMES.length]!;
  return aHistoryRecord({
    id: `large-${String(i).padStart(5, '0')}`,
    createdAt: timestampAt(i),
    thread: { number: 1 + (i % 997) },
    suggestion: { text: `Reply number ${i}: ${'words '.repeat(i % 50)}✓` },
    outcome: outcome === null ? null : anOutcome({ outcome, editDistance: outcome === 'edited' ? i % 300 : null, at: timestampAt(i + 5) }),
  });
}

function* generated(): Generator<HistoryRecord> {
  for (let i = 0; i < COUNT; i++) yield recordAt(i);
}

describe('a 10,000-record Parquet export', () => {
  test('reads back through parquet-wasm with every row, in row groups of 5,000, values intact', async () => {
    const out = path.join(dir, 'history.parquet');
    const result = await exportHistory(streamOf(generated()), { format: 'parquet', out });
    assert.deepEqual({ exported: result.exported, rows: result.rows }, { exported: COUNT, rows: COUNT });
    assert.deepEqual(await parquetRowGroups(out), [5000, 5000]);

    const rows = await readParquetRows(out);
    assert.equal(rows.length, COUNT);
    for (const i of [0, 1, 4999, 5000, 7777, 9999]) {
      const row = rows[i]!;
      const outcome = OUTCOMES[i % OUTCOMES.length]!;
      assert.equal(row.id, `large-${String(i).padStart(5, '0')}`);
      assert.equal(row.created_at, timestampAt(i));
      assert.equal(row.thread_number, 1 + (i % 997));
      assert.equal(row.reply, `Reply number ${i}: ${'words '.repeat(i % 50)}✓`);
      assert.equal(row.outcome, outcome);
      assert.equal(row.edit_distance, outcome === 'edited' ? i % 300 : null);
      assert.equal(row.outcome_at, outcome === null ? null : timestampAt(i + 5));
    }
    assert.equal(new Set(rows.map((row) => row.id)).size, COUNT);
  });

  test('merging 10 changed records into it rewrites those rows and keeps the other 9,990', async () => {
    const out = path.join(dir, 'history.parquet');
    function* changed(): Generator<HistoryRecord> {
      for (let i = 0; i < COUNT; i += 1000) yield aHistoryRecord({ ...recordAt(i), suggestion: { text: `changed ${i}` } });
    }
    const result = await exportHistory(streamOf(changed()), { format: 'parquet', out, disposition: 'merge' });
    assert.deepEqual({ exported: result.exported, rows: result.rows }, { exported: 10, rows: COUNT });
    const rows = await readParquetRows(out);
    assert.equal(rows[3000]!.reply, 'changed 3000');
    assert.equal(rows[3001]!.reply, `Reply number 3001: ${'words '.repeat(1)}✓`);
    assert.equal(rows.filter((row) => String(row.reply).startsWith('changed ')).length, 10);
  });
});
