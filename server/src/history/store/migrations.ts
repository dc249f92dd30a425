import type { HistoryRecord } from '../../protocol';
import { findingRows } from '../record/findingRows';
import type { FindingRow } from '../record/findingRows';
import type { SqlExecutor } from './sqliteDatabase';

/**
 * The history database's schema, as an ordered list of migrations. `PRAGMA user_version` holds the
 * number of the last one applied; opening a database applies the ones after it, each in its own
 * transaction with the version bump, so a crash mid-migration leaves the previous version intact.
 *
 * Contract: a migration, once released, never changes. A new column or table is a new entry at the
 * end, and it must turn every database the earlier entries can produce into the new shape (backfilling
 * from the `record` JSON where it adds derived data). test/unit/historyMigrations.test.ts builds a
 * database at version 1 with the first migration alone and opens it with the current code.
 */
export interface Migration {
  version: number;
  name: string;
  up(tx: SqlExecutor): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'suggestions and outcomes',
    async up(tx) {
      // `record` is the whole HistoryRecord (outcome excepted) as JSON, secrets masked; the other
      // columns are copies of its fields that the view lists, filters and sorts on.
      await tx.exec(`
        CREATE TABLE suggestions (
          id TEXT PRIMARY KEY,
          created_at TEXT NOT NULL,
          origin TEXT NOT NULL,
          repo TEXT NOT NULL,
          thread_number INTEGER NOT NULL,
          thread_kind TEXT NOT NULL,
          title TEXT NOT NULL,
          model_name TEXT NOT NULL,
          model_file TEXT NOT NULL,
          model_size INTEGER NOT NULL,
          checks_passed INTEGER NOT NULL,
          repairs INTEGER NOT NULL,
          guardrail_label TEXT NOT NULL,
          unsafe INTEGER NOT NULL,
          cancelled INTEGER NOT NULL,
          ttft_ms REAL,
          tokens_per_second REAL NOT NULL,
          total_ms REAL NOT NULL,
          record TEXT NOT NULL
        );
        CREATE INDEX suggestions_by_time ON suggestions (created_at, id);
        CREATE INDEX suggestions_by_repo ON suggestions (repo, created_at, id);
        CREATE TABLE outcomes (
          suggestion_id TEXT PRIMARY KEY REFERENCES suggestions (id) ON DELETE CASCADE,
          outcome TEXT NOT NULL CHECK (outcome IN ('posted', 'edited', 'copied', 'discarded')),
          edit_distance INTEGER,
          final_length INTEGER,
          at TEXT NOT NULL,
          comment_url TEXT
        );
      `);
    },
  },
  {
    version: 2,
    name: 'check findings per rule, model file hashes, thread numbers indexed',
    async up(tx) {
      await tx.exec(`
        CREATE TABLE check_findings (
          suggestion_id TEXT NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
          cycle INTEGER NOT NULL,
          rule TEXT NOT NULL,
          severity TEXT NOT NULL,
          fails INTEGER NOT NULL
        );
        CREATE INDEX check_findings_by_suggestion ON check_findings (suggestion_id);
        CREATE INDEX check_findings_by_rule ON check_findings (rule, fails);
        CREATE INDEX suggestions_by_thread ON suggestions (thread_number, repo);
        ALTER TABLE suggestions ADD COLUMN model_sha256 TEXT;
        CREATE TABLE model_files (
          path TEXT NOT NULL,
          size INTEGER NOT NULL,
          mtime_ms INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          hashed_at TEXT NOT NULL,
          PRIMARY KEY (path, size, mtime_ms)
        );
      `);
      // Backfill: the findings of the records made at version 1, from their JSON. Version 1 did not
      // keep `checks.failOn`, so they are judged with the default (`warning`).
      const rows = await tx.all<{ id: string; record: string }>('SELECT id, record FROM suggestions');
      for (const row of rows) {
        const record = JSON.parse(row.record) as HistoryRecord;
        await insertFindings(tx, row.id, findingRows(record.suggestion.checkCycles ?? [], 'warning'));
        if (record.modelSha256) await tx.run('UPDATE suggestions SET model_sha256 = ? WHERE id = ?', [record.modelSha256, row.id]);
      }
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Inserts a record's finding rows (used by version 2's backfill and by every new record). */
export async function insertFindings(tx: SqlExecutor, id: string, rows: readonly FindingRow[]): Promise<void> {
  for (const row of rows) {
    await tx.run('INSERT INTO check_findings (suggestion_id, cycle, rule, severity, fails) VALUES (?, ?, ?, ?, ?)', [id, row.cycle, row.rule, row.severity, row.fails ? 1 : 0]);
  }
}
