import type { HistoryEntry, HistoryListParams, HistoryListResult, HistoryRecord, HistoryRepository, OutcomeInfo } from '../../protocol';
import type { FindingRow } from '../record/findingRows';
import { insertFindings } from './migrations';
import { openHistoryDatabase } from './openHistoryDatabase';
import type { OpenHistoryOptions } from './openHistoryDatabase';
import { recordFilter } from './recordFilter';
import type { RecordScope } from './recordFilter';
import type { SqliteDatabase, SqlValue } from './sqliteDatabase';

/** How strong an outcome is: a weaker one never replaces a stronger one. */
const OUTCOME_STRENGTH: Record<OutcomeInfo['outcome'], number> = { discarded: 1, copied: 2, edited: 3, posted: 3 };
const EXPORT_BATCH = 500;

interface SuggestionRow {
  id: string;
  created_at: string;
  origin: string;
  repo: string;
  thread_number: number;
  thread_kind: string;
  title: string;
  model_name: string;
  checks_passed: number;
  repairs: number;
  guardrail_label: string;
  unsafe: number;
  cancelled: number;
  ttft_ms: number | null;
  tokens_per_second: number;
  total_ms: number;
  outcome: OutcomeInfo['outcome'] | null;
  edit_distance: number | null;
}

interface OutcomeRow {
  outcome: OutcomeInfo['outcome'];
  edit_distance: number | null;
  final_length: number | null;
  at: string;
  comment_url: string | null;
}

const ENTRY_COLUMNS = `s.id, s.created_at, s.origin, s.repo, s.thread_number, s.thread_kind, s.title, s.model_name, s.checks_passed,
  s.repairs, s.guardrail_label, s.unsafe, s.cancelled, s.ttft_ms, s.tokens_per_second, s.total_ms, o.outcome, o.edit_distance`;

/**
 * The suggestion records in SQLite: one row per suggestion (its lineage as JSON plus the columns
 * the views sort and filter on), its outcome, and its check findings per rule. Each write is one
 * transaction; reads never see half a record.
 */
export class HistoryStore {
  private constructor(readonly db: SqliteDatabase) {}

  static async open(path: string, options: OpenHistoryOptions = {}): Promise<HistoryStore> {
    return new HistoryStore(await openHistoryDatabase(path, options));
  }

  /** Stores a new record (already masked) with its finding rows, in one transaction. */
  async insert(record: HistoryRecord, findings: readonly FindingRow[]): Promise<void> {
    const s = record.suggestion;
    const stored: HistoryRecord = { ...record, outcome: null };
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO suggestions (id, created_at, origin, repo, thread_number, thread_kind, title, model_name, model_file, model_size,
           checks_passed, repairs, guardrail_label, unsafe, cancelled, ttft_ms, tokens_per_second, total_ms, model_sha256, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.id, record.createdAt, record.origin, record.thread.repo, record.thread.number, record.thread.kind, record.thread.title,
          s.model.name, s.model.file, s.model.sizeBytes, s.checks.passed ? 1 : 0, Math.max(0, s.checkCycles.length - 1), s.safety.label,
          s.safety.unsafe ? 1 : 0, s.cancelled ? 1 : 0, s.timings.timeToFirstTokenMs, s.timings.tokensPerSecond, s.timings.totalMs,
          record.modelSha256, JSON.stringify(stored),
        ],
      );
      await insertFindings(tx, record.id, findings);
      if (record.outcome) await writeOutcome(tx, record.id, record.outcome);
    });
  }

  /** One record with its outcome and the model hash known now; undefined when there is none. */
  async get(id: string): Promise<HistoryRecord | undefined> {
    const row = await this.db.get<{ record: string; model_sha256: string | null } & Partial<OutcomeRow>>(
      `SELECT s.record, s.model_sha256, o.outcome, o.edit_distance, o.final_length, o.at, o.comment_url
       FROM suggestions s LEFT JOIN outcomes o ON o.suggestion_id = s.id WHERE s.id = ?`,
      [id],
    );
    return row ? toRecord(row) : undefined;
  }

  /**
   * Records an outcome unless a stronger one is stored already (posted/edited > copied > discarded;
   * a later post replaces an earlier one). Resolves with the outcome stored, undefined when the
   * record does not exist (deleted, or never recorded).
   */
  async setOutcome(id: string, outcome: OutcomeInfo): Promise<OutcomeInfo | undefined> {
    return this.db.transaction(async (tx) => {
      const exists = await tx.get<{ id: string }>('SELECT id FROM suggestions WHERE id = ?', [id]);
      if (!exists) return undefined;
      const current = await tx.get<OutcomeRow>('SELECT outcome, edit_distance, final_length, at, comment_url FROM outcomes WHERE suggestion_id = ?', [id]);
      if (current && OUTCOME_STRENGTH[current.outcome] > OUTCOME_STRENGTH[outcome.outcome]) return toOutcome(current);
      await writeOutcome(tx, id, outcome);
      return outcome;
    });
  }

  /** Entries newest first (created_at, then id, descending), filtered, one page at a time. */
  async list(params: HistoryListParams): Promise<HistoryListResult> {
    const limit = Math.min(Math.max(Math.trunc(params.limit ?? 100), 1), 1000);
    const where: string[] = [];
    const values: SqlValue[] = [];
    if (params.repo !== undefined) {
      where.push('s.repo = ?');
      values.push(params.repo);
    }
    if (params.thread !== undefined) {
      where.push('s.thread_number = ?');
      values.push(params.thread);
    }
    if (params.outcome === 'pending') where.push('o.outcome IS NULL');
    else if (params.outcome !== undefined) {
      where.push('o.outcome = ?');
      values.push(params.outcome);
    }
    if (params.before !== undefined) {
      const anchor = await this.db.get<{ created_at: string }>('SELECT created_at FROM suggestions WHERE id = ?', [params.before]);
      if (anchor) {
        where.push('(s.created_at < ? OR (s.created_at = ? AND s.id < ?))');
        values.push(anchor.created_at, anchor.created_at, params.before);
      }
    }
    const rows = await this.db.all<SuggestionRow>(
      `SELECT ${ENTRY_COLUMNS} FROM suggestions s LEFT JOIN outcomes o ON o.suggestion_id = s.id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.created_at DESC, s.id DESC LIMIT ?`,
      [...values, limit + 1],
    );
    return { entries: rows.slice(0, limit).map(toEntry), hasMore: rows.length > limit };
  }

  async repositories(): Promise<HistoryRepository[]> {
    return this.db.all<HistoryRepository>('SELECT repo, COUNT(*) AS count, MAX(created_at) AS latest FROM suggestions GROUP BY repo ORDER BY repo');
  }

  async count(scope: RecordScope = {}): Promise<number> {
    const filter = recordFilter(scope, 's');
    const row = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM suggestions s ${filter.where}`, filter.values);
    return row?.n ?? 0;
  }

  /**
   * Every record in scope, oldest first, read in batches by keyset (created_at, id) so memory stays
   * flat and no read holds the database for long: records added meanwhile after the last batch are
   * included, none is read twice.
   */
  async *records(scope: RecordScope = {}): AsyncGenerator<HistoryRecord> {
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const filter = recordFilter(scope, 's');
      const clauses = filter.where ? [filter.where.replace(/^WHERE /, '')] : [];
      const values = [...filter.values];
      if (after) {
        clauses.push('(s.created_at > ? OR (s.created_at = ? AND s.id > ?))');
        values.push(after.createdAt, after.createdAt, after.id);
      }
      const rows = await this.db.all<{ id: string; created_at: string; record: string; model_sha256: string | null } & Partial<OutcomeRow>>(
        `SELECT s.id, s.created_at, s.record, s.model_sha256, o.outcome, o.edit_distance, o.final_length, o.at, o.comment_url
         FROM suggestions s LEFT JOIN outcomes o ON o.suggestion_id = s.id
         ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY s.created_at, s.id LIMIT ?`,
        [...values, EXPORT_BATCH],
      );
      for (const row of rows) yield toRecord(row);
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1]!;
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  /** Deletes the records in scope (their outcomes and findings go with them). */
  async delete(scope: RecordScope): Promise<number> {
    const filter = recordFilter(scope, 'suggestions');
    const info = await this.db.run(`DELETE FROM suggestions ${filter.where}`, filter.values);
    return info.changes;
  }

  /** Deletes records made before `cutoff` (the retention setting). */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const info = await this.db.run('DELETE FROM suggestions WHERE created_at < ?', [cutoff.toISOString()]);
    return info.changes;
  }

  /**
   * Gives freed pages back to the file system and folds the WAL into the database, so what was
   * deleted is gone from both files (secure_delete has zeroed it already).
   */
  async compact(): Promise<void> {
    await this.db.exec('PRAGMA incremental_vacuum');
    await this.db.get('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  /** The SHA-256 of a model file known for this path, size and modification time. */
  async knownModelHash(path: string, size: number, mtimeMs: number): Promise<string | undefined> {
    const row = await this.db.get<{ sha256: string }>('SELECT sha256 FROM model_files WHERE path = ? AND size = ? AND mtime_ms = ?', [path, size, Math.trunc(mtimeMs)]);
    return row?.sha256;
  }

  /** Remembers a model file's hash and fills it into the records of that file that lack it. Resolves with how many records changed. */
  async saveModelHash(path: string, size: number, mtimeMs: number, sha256: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run('INSERT OR REPLACE INTO model_files (path, size, mtime_ms, sha256, hashed_at) VALUES (?, ?, ?, ?, ?)', [
        path, size, Math.trunc(mtimeMs), sha256, new Date().toISOString(),
      ]);
      const info = await tx.run('UPDATE suggestions SET model_sha256 = ? WHERE model_file = ? AND model_size = ? AND model_sha256 IS NULL', [sha256, path, size]);
      return info.changes;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function writeOutcome(tx: Pick<SqliteDatabase, 'run'>, id: string, outcome: OutcomeInfo): Promise<void> {
  await tx.run(
    `INSERT INTO outcomes (suggestion_id, outcome, edit_distance, final_length, at, comment_url) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (suggestion_id) DO UPDATE SET outcome = excluded.outcome, edit_distance = excluded.edit_distance,
       final_length = excluded.final_length, at = excluded.at, comment_url = excluded.comment_url`,
    [id, outcome.outcome, outcome.editDistance, outcome.finalLength, outcome.at, outcome.commentUrl ?? null],
  );
}

function toRecord(row: { record: string; model_sha256: string | null } & Partial<OutcomeRow>): HistoryRecord {
  const record = JSON.parse(row.record) as HistoryRecord;
  return {
    ...record,
    modelSha256: row.model_sha256 ?? record.modelSha256 ?? null,
    outcome: row.outcome ? toOutcome(row as OutcomeRow) : null,
  };
}

function toOutcome(row: OutcomeRow): OutcomeInfo {
  return {
    outcome: row.outcome,
    editDistance: row.edit_distance,
    finalLength: row.final_length,
    at: row.at,
    ...(row.comment_url ? { commentUrl: row.comment_url } : {}),
  };
}

function toEntry(row: SuggestionRow): HistoryEntry {
  return {
    id: row.id,
    createdAt: row.created_at,
    origin: row.origin,
    repo: row.repo,
    number: row.thread_number,
    kind: row.thread_kind === 'pull' ? 'pull' : 'issue',
    title: row.title,
    outcome: row.outcome,
    editDistance: row.edit_distance,
    modelName: row.model_name,
    checksPassed: row.checks_passed === 1,
    repairs: row.repairs,
    guardrailLabel: row.guardrail_label,
    unsafe: row.unsafe === 1,
    cancelled: row.cancelled === 1,
    timeToFirstTokenMs: row.ttft_ms,
    tokensPerSecond: row.tokens_per_second,
    totalMs: row.total_ms,
  };
}
