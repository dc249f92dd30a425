import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HistoryStore } from '../../server/src/history/store/historyStore';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-crash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it has committed `atLeast` records (and `extraMs` more), then kills it with SIGKILL; resolves with the last commit it reported. */
function writeThenKill(path: string, atLeast: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'support', 'historyWriter.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = 0;
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/committed (\d+)/g)) last = Math.max(last, Number(match[1]));
      if (last >= atLeast && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    // 'close', not 'exit': every line the writer printed has been read by then.
    child.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe('history database under kill -9', () => {
  test('a writer killed mid-write leaves a consistent database that loses at most the record being written', async () => {
    const path = join(dir, 'history.sqlite');
    let committedSoFar = 0;
    // Several kills at different moments, each into the same database.
    for (const [atLeast, extraMs] of [[5, 0], [3, 7], [4, 23], [2, 41]] as const) {
      const lastReported = await writeThenKill(path, atLeast, extraMs);
      committedSoFar += lastReported;
      const store = await HistoryStore.open(path);
      assert.deepEqual(await store.db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(await store.db.all('PRAGMA foreign_key_check'), []);
      const count = await store.count();
      // Every commit it reported is there; at most one more (committed, killed before it said so).
      assert.ok(count >= committedSoFar && count <= committedSoFar + 1, `records ${count}, reported ${committedSoFar}`);
      committedSoFar = count;
      // No half record: each has its JSON whole and exactly its 3 finding rows.
      const rows = await store.db.all<{ id: string; record: string; findings: number }>(
        'SELECT s.id, s.record, (SELECT COUNT(*) FROM check_findings f WHERE f.suggestion_id = s.id) AS findings FROM suggestions s',
      );
      for (const row of rows) {
        assert.equal(row.findings, 3, row.id);
        assert.equal((JSON.parse(row.record) as { id: string }).id, row.id);
      }
      await store.close();
    }
  });
});
