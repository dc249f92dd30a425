import { join } from 'node:path';
import { maskSecrets } from '../checks/secrets';
import { ThreadwiseError, toThreadwiseError } from '../errors';
import type { DaemonSettings, HistoryDatasetResult, HistoryExportResult, HistoryListResult, HistoryMetrics, HistoryRecord, HistoryRepository, OutcomeInfo, Suggestion, Thread } from '../protocol';
import { editDistance } from './editDistance';
import { exportDatasetToFile, exportRecordsToFile } from './historyExports';
import { parseClearParams, parseId, parseListParams, parseOutcomeParams, parseSince, optionalRepo, invalidParams } from './historyParams';
import { ModelHasher } from './modelHasher';
import { findingRows } from './record/findingRows';
import { historyRecordOf } from './record/historyRecordOf';
import { HistoryStore } from './store/historyStore';
import { historyMetrics } from './store/historyMetrics';
import type { RecordScope } from './store/recordFilter';

export interface HistoryServiceOptions {
  /** The storage folder; the database is `<storageDir>/history/history.sqlite`. */
  storageDir: string;
  settings(): DaemonSettings;
  /** Who the records say asked (`vscode`, `cli`, an LSP client's name). */
  origin(): string;
  /** Exact values never to store (the GitHub token). */
  secretValues(): string[];
  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void;
  /** Records were added, changed or deleted. */
  onChanged(change: { repo?: string; id?: string }): void;
  /**
   * Whether this process deletes records past `historyRetentionDays` (default true). The CLI passes
   * false: it does not know the retention the person set in VS Code, and must never delete by a default.
   */
  retention?: boolean;
  /** The GitHub API root whose cache the fine-tuning dataset reads (default: github.com's). */
  gitHubApiUrl?: () => string;
}

/** How often retention runs while the daemon is up (it also runs when the database opens). */
const RETENTION_INTERVAL_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The daemon's history: records every suggestion (masked), takes outcomes, answers the views and
 * the dashboard, applies retention. The database opens on first use; a failure to open or write is
 * logged and retried on the next use, and never fails the suggestion being recorded.
 */
export class HistoryService {
  readonly path: string;
  private opening: Promise<HistoryStore> | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  readonly hasher: ModelHasher;

  constructor(private readonly options: HistoryServiceOptions) {
    this.path = join(options.storageDir, 'history', 'history.sqlite');
    this.hasher = new ModelHasher(
      () => this.store(),
      (file, _sha, updated) => {
        if (updated > 0) options.onChanged({});
        options.log('debug', `model file hashed: ${file}`);
      },
      (message) => options.log('warn', message),
    );
  }

  /** The open store (opened, migrated and pruned on first call). */
  store(): Promise<HistoryStore> {
    if (this.disposed) return Promise.reject(new ThreadwiseError('history', 'the history is closed'));
    if (!this.opening) {
      this.opening = HistoryStore.open(this.path, { log: (message) => this.options.log('warn', message) }).then(
        async (store) => {
          await this.applyRetention(store);
          if (this.options.retention !== false) {
            this.retentionTimer = setInterval(() => void this.applyRetention(store), RETENTION_INTERVAL_MS);
            this.retentionTimer.unref();
          }
          return store;
        },
        (error: unknown) => {
          this.opening = undefined;
          throw historyError(`could not open the history database ${this.path}`, error);
        },
      );
    }
    return this.opening;
  }

  /**
   * Records a finished (or cancelled) suggestion for `thread`. Resolves with the record stored, or
   * undefined when history is off or the write failed (logged: a suggestion never fails for it).
   */
  async record(thread: Thread, suggestion: Suggestion): Promise<HistoryRecord | undefined> {
    if (!this.options.settings().historyEnabled) return undefined;
    try {
      const store = await this.store();
      const sha = await this.hasher.known(suggestion.model.file);
      const record = historyRecordOf({ thread, suggestion, origin: this.options.origin(), modelSha256: sha ?? null, knownSecrets: this.options.secretValues() });
      await store.insert(record, findingRows(record.suggestion.checkCycles, this.options.settings().checksFailOn));
      if (!sha) void this.hasher.hash(suggestion.model.file);
      this.options.onChanged({ repo: record.thread.repo, id: record.id });
      return record;
    } catch (error) {
      this.options.log('error', `history: could not record suggestion ${suggestion.id}: ${toThreadwiseError(error).describe()}`);
      return undefined;
    }
  }

  /**
   * `threadwise/history/outcome`. A post whose text differs from the suggestion becomes `edited`,
   * with the Levenshtein distance between the two (both masked: the distance never needs a secret).
   */
  async outcome(params: unknown): Promise<OutcomeInfo | null> {
    const parsed = parseOutcomeParams(params);
    const store = await this.store();
    const record = await store.get(parsed.id);
    if (!record) return null;
    const at = new Date().toISOString();
    let info: OutcomeInfo;
    if (parsed.outcome === 'posted') {
      const finalText = maskSecrets(parsed.finalText ?? record.suggestion.text);
      const distance = editDistance(record.suggestion.text, finalText);
      info = { outcome: distance === 0 ? 'posted' : 'edited', editDistance: distance, finalLength: finalText.length, at, ...(parsed.commentUrl ? { commentUrl: parsed.commentUrl } : {}) };
    } else {
      info = { outcome: parsed.outcome, editDistance: null, finalLength: null, at };
    }
    const stored = await store.setOutcome(parsed.id, info);
    if (stored === info) this.options.onChanged({ repo: record.thread.repo, id: record.id });
    return stored ?? null;
  }

  async list(params: unknown): Promise<HistoryListResult> {
    return (await this.store()).list(parseListParams(params));
  }

  async get(params: unknown): Promise<HistoryRecord> {
    const id = parseId(params);
    const record = await (await this.store()).get(id);
    if (!record) throw invalidParams(`no recorded suggestion has the id ${JSON.stringify(id.slice(0, 80))} (it may have been cleared or expired)`);
    return record;
  }

  async repositories(): Promise<HistoryRepository[]> {
    return (await this.store()).repositories();
  }

  async metrics(params: unknown): Promise<HistoryMetrics> {
    const p = (params ?? {}) as Record<string, unknown>;
    return historyMetrics((await this.store()).db, scopeOf(p));
  }

  /** `threadwise/history/export`: see exportRecordsToFile. */
  exportRecords(params: unknown, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<HistoryExportResult> {
    return exportRecordsToFile(this.exportContext(), params, signal, onProgress);
  }

  /** `threadwise/history/dataset`: see exportDatasetToFile. */
  exportDataset(params: unknown, signal?: AbortSignal, onProgress?: (examples: number) => void): Promise<HistoryDatasetResult> {
    return exportDatasetToFile(this.exportContext(), params, signal, onProgress);
  }

  private exportContext(): Parameters<typeof exportRecordsToFile>[0] {
    const apiUrl = this.options.gitHubApiUrl;
    return {
      store: () => this.store(),
      storageDir: this.options.storageDir,
      ...(apiUrl ? { gitHubApiUrl: () => apiUrl() } : {}),
      log: (level, message) => this.options.log(level, message),
    };
  }

  /** `threadwise/history/clear`: deletes, then compacts so nothing deleted stays in the files. */
  async clear(params: unknown): Promise<{ deleted: number }> {
    const { repo } = parseClearParams(params);
    const store = await this.store();
    const deleted = await store.delete(repo ? { repo } : {});
    await store.compact();
    this.options.log('info', `history: cleared ${deleted} record(s)${repo ? ` of ${repo}` : ''}`);
    this.options.onChanged(repo ? { repo } : {});
    return { deleted };
  }

  /** Deletes records past `threadwise.history.retentionDays` (0 keeps them). */
  async applyRetention(store?: HistoryStore): Promise<number> {
    const days = this.options.settings().historyRetentionDays;
    if (days <= 0 || this.options.retention === false) return 0;
    try {
      const target = store ?? (await this.store());
      const deleted = await target.deleteOlderThan(new Date(Date.now() - days * DAY_MS));
      if (deleted > 0) {
        await target.compact();
        this.options.log('info', `history: deleted ${deleted} record(s) older than ${days} days (threadwise.history.retentionDays)`);
        this.options.onChanged({});
      }
      return deleted;
    } catch (error) {
      this.options.log('warn', `history: retention failed: ${toThreadwiseError(error).describe()}`);
      return 0;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    await this.hasher.idle();
    const store = await opening.catch(() => undefined);
    await store?.close().catch((error: unknown) => this.options.log('warn', `history: close failed: ${String(error)}`));
  }
}

/** The scope of a metrics or export request: `repo` and `since`, checked. */
export function scopeOf(params: Record<string, unknown>): RecordScope {
  const repo = optionalRepo(params.repo);
  const since = parseSince(params.since);
  return { ...(repo ? { repo } : {}), ...(since ? { since } : {}) };
}

function historyError(message: string, error: unknown): ThreadwiseError {
  if (error instanceof ThreadwiseError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ThreadwiseError('history', `${message}: ${detail}`, 'check that the storage folder is writable (threadwise.storageFolder or --data-dir); see the Threadwise log', { cause: error });
}
