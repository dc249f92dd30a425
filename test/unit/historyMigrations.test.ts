import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { historyRecordOf } from '../../server/src/history/record/historyRecordOf';
import { historyMetrics } from '../../server/src/history/store/historyMetrics';
import { HistoryStore } from '../../server/src/history/store/historyStore';
import { MIGRATIONS, SCHEMA_VERSION } from '../../server/src/history/store/migrations';
import { openHistoryDatabase, schemaVersion } from '../../server/src/history/store/openHistoryDatabase';
import type { Suggestion } from '../../server/src/protocol';
import { aCheckReport, aSuggestion, aThread, timestampAt } from '../support/builders';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-migrate-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CYCLES: Suggestion['checkCycles'] = [
  {
    cycle: 0,
    text: 'draft',
    feedback: 'findings…',
    generatedTokens: 5,
    generationMs: 50,
    stopReason: 'end',
    report: aCheckReport({ passed: false, failures: 1, secrets: [{ ruleId: 'secret.github-token', message: 'GitHub token', offset: 0, length: 40, line: 1, masked: 'ghp_…' }] }),
  },
];

describe('history schema migrations', () => {
  test('the versions are 1, 2, … in order, and the latest is SCHEMA_VERSION', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
  });

  test('a database made by the first schema alone opens with the current code: rows kept, findings and hashes backfilled', async () => {
    const path = join(dir, 'v1', 'history.sqlite');
    const v1 = await openHistoryDatabase(path, { upToVersion: 1 });
    assert.equal(await schemaVersion(v1), 1);
    const records = [1, 2].map((n) =>
      historyRecordOf({
        thread: aThread({ number: n }),
        suggestion: aSuggestion({ id: `old-${n}`, createdAt: timestampAt(n), checkCycles: n === 1 ? CYCLES : [] }),
        origin: 'vscode',
        modelSha256: n === 2 ? 'cd'.repeat(32) : null,
      }),
    );
    // Written exactly as version 1 wrote them: no model_sha256 column, no findings table.
    for (const record of records) {
      const s = record.suggestion;
      await v1.run(
        `INSERT INTO suggestions (id, created_at, origin, repo, thread_number, thread_kind, title, model_name, model_file, model_size,
          checks_passed, repairs, guardrail_label, unsafe, cancelled, ttft_ms, tokens_per_second, total_ms, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [record.id, record.createdAt, record.origin, record.thread.repo, record.thread.number, record.thread.kind, record.thread.title, s.model.name,
          s.model.file, s.model.sizeBytes, 1, 0, s.safety.label, 0, 0, 35, 40, 350, JSON.stringify(record)],
      );
    }
    await v1.run(`INSERT INTO outcomes (suggestion_id, outcome, edit_distance, final_length, at) VALUES ('old-1', 'posted', 0, 48, ?)`, [timestampAt(9)]);
    await assert.rejects(v1.all('SELECT * FROM check_findings'), /no such table/);
    await v1.close();

    const store = await HistoryStore.open(path);
    assert.equal(await schemaVersion(store.db), SCHEMA_VERSION);
    assert.deepEqual(await store.get('old-1'), { ...records[0], outcome: { outcome: 'posted', editDistance: 0, finalLength: 48, at: timestampAt(9) } });
    assert.equal((await store.get('old-2'))?.modelSha256, 'cd'.repeat(32));
    assert.deepEqual(await store.db.all('SELECT suggestion_id, cycle, rule, severity, fails FROM check_findings'), [
      { suggestion_id: 'old-1', cycle: 0, rule: 'secret.github-token', severity: 'error', fails: 1 },
    ]);
    assert.deepEqual((await historyMetrics(store.db, {})).rules, [{ rule: 'secret.github-token', failures: 1, checked: 2 }]);
    await store.close();
    // Opening again applies nothing more.
    const again = await HistoryStore.open(path);
    assert.equal((await again.list({})).entries.length, 2);
    await again.close();
  });

  test('a database from a newer Threadwise is refused and left untouched', async () => {
    const path = join(dir, 'newer', 'history.sqlite');
    const db = await openHistoryDatabase(path);
    await db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await db.close();
    const bytes = await readFile(path);
    await assert.rejects(HistoryStore.open(path), (error: Error & { reason?: string }) => error.reason === 'history' && /newer than this Threadwise knows/.test(error.message));
    assert.deepEqual(await readFile(path), bytes);
  });

  test('a file that is not a database is moved aside, kept, and a new database started', async () => {
    const folder = join(dir, 'damaged');
    const path = join(folder, 'history.sqlite');
    await openHistoryDatabase(path).then((db) => db.close());
    await writeFile(path, 'this is not SQLite '.repeat(300));
    const logged: string[] = [];
    const store = await HistoryStore.open(path, { log: (m) => logged.push(m) });
    assert.deepEqual((await store.list({})).entries, []);
    await store.close();
    const aside = (await readdir(folder)).filter((name) => name.startsWith('history.sqlite.damaged-') && !name.endsWith('-wal') && !name.endsWith('-shm'));
    assert.equal(aside.length, 1);
    assert.equal(await readFile(join(folder, aside[0]!), 'utf8'), 'this is not SQLite '.repeat(300));
    assert.match(logged[0] ?? '', /was not a SQLite database; it was moved to .*damaged-/);
  });
});
