/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): the
 * history of suggestions. The daemon records every Suggestion it makes (with its lineage) in a SQLite
 * database under `<storage>/history/`; the client reports what the person did with it (posted,
 * edited then posted, copied, discarded), lists and opens records, reads metrics, exports and clears.
 * Every text in a record has had its secrets masked before it reached the store.
 */
import { ProtocolNotificationType, ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ThreadwiseErrorData } from './errors';
import type { Suggestion } from './suggestion';

/** What the person did with a suggestion. A record without one is still `pending`. */
export type SuggestionOutcome = 'posted' | 'edited' | 'copied' | 'discarded';
export type OutcomeFilter = SuggestionOutcome | 'pending';
/** Every OutcomeFilter, in the order pickers list them. */
export const OUTCOME_FILTERS: readonly OutcomeFilter[] = ['posted', 'edited', 'copied', 'discarded', 'pending'];

export interface OutcomeInfo {
  outcome: SuggestionOutcome;
  /**
   * `edited` (and `posted`, where it is 0): characters inserted, deleted or replaced to turn the
   * suggested text into the text posted (Levenshtein distance over UTF-16 code units); null for
   * copied and discarded.
   */
  editDistance: number | null;
  /** Length of the text posted, in UTF-16 code units; null when nothing was posted. */
  finalLength: number | null;
  /** ISO-8601 timestamp of the outcome. */
  at: string;
  /** The comment on GitHub, when it was posted. */
  commentUrl?: string;
}

/** The thread a record answered, as it was when the suggestion was made. */
export interface HistoryThreadRef {
  /** `owner/name`. */
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  url: string | null;
  /** The thread's `updatedAt` on GitHub at the time (null for a thread file without one). */
  updatedAt: string | null;
  /** Comments in the thread (review comments included). */
  commentCount: number;
}

/** The sampling settings of a suggestion's first draft. */
export interface SamplingSettings {
  temperature: number;
  seed: number;
  maxTokens: number;
  maxFixCycles: number;
}

/** One stored suggestion with its lineage: everything needed to explain it later. */
export interface HistoryRecord {
  /** = `suggestion.id`. */
  id: string;
  /** = `suggestion.createdAt`. */
  createdAt: string;
  /** Who asked: `vscode`, `cli`, or the LSP client's name. */
  origin: string;
  thread: HistoryThreadRef;
  /** SHA-256 (hex) of the model file; null until it has been hashed (it is hashed once per file, in the background). */
  modelSha256: string | null;
  /** The suggestion as the daemon returned it, every text with its secrets masked. */
  suggestion: Suggestion;
  outcome: OutcomeInfo | null;
}

/** A record as the History view lists it. */
export interface HistoryEntry {
  id: string;
  createdAt: string;
  origin: string;
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  outcome: SuggestionOutcome | null;
  editDistance: number | null;
  modelName: string;
  checksPassed: boolean;
  /** Repair cycles run after the first draft. */
  repairs: number;
  guardrailLabel: string;
  unsafe: boolean;
  cancelled: boolean;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number;
  totalMs: number;
}

export interface HistoryListParams {
  /** Only this repository (`owner/name`). */
  repo?: string;
  /** Only this outcome (`pending`: none reported yet). */
  outcome?: OutcomeFilter;
  /** Only this issue or pull request number (with `repo`, or in any repository). */
  thread?: number;
  /** Most entries (default 100, at most 1000). */
  limit?: number;
  /** Paging: only entries older than this one (an id from the previous page). */
  before?: string;
}

export interface HistoryListResult {
  /** Newest first. */
  entries: HistoryEntry[];
  /** More entries match beyond `limit`. */
  hasMore: boolean;
}

/** client → daemon. Lists records, newest first. */
export namespace HistoryListRequest {
  export const method = 'threadwise/history/list' as const;
  export const type = new ProtocolRequestType<HistoryListParams, HistoryListResult, never, ThreadwiseErrorData, void>(method);
}

export interface HistoryRepository {
  repo: string;
  count: number;
  /** createdAt of its newest record. */
  latest: string;
}

/** client → daemon. The repositories that have records, with their counts (by name). */
export namespace HistoryRepositoriesRequest {
  export const method = 'threadwise/history/repositories' as const;
  export const type = new ProtocolRequestType<Record<string, never>, HistoryRepository[], never, ThreadwiseErrorData, void>(method);
}

/** client → daemon. One record in full; `invalid-params` when there is none with that id. */
export namespace HistoryRecordRequest {
  export const method = 'threadwise/history/record' as const;
  export const type = new ProtocolRequestType<{ id: string }, HistoryRecord, never, ThreadwiseErrorData, void>(method);
}

export interface HistoryOutcomeParams {
  id: string;
  /** `posted` covers both: the daemon makes it `edited` when `finalText` differs from the suggestion. */
  outcome: 'posted' | 'copied' | 'discarded';
  /** The text posted (for `posted`); its secrets are masked before the distance is stored, the text itself is not stored. */
  finalText?: string;
  commentUrl?: string;
}

/**
 * client → daemon. Reports what the person did with a suggestion. A stronger outcome replaces a
 * weaker one (posted/edited > copied > discarded), never the reverse, so a late "panel closed" does
 * not undo a post. Resolves with the outcome now stored (null when the record no longer exists).
 */
export namespace HistoryOutcomeRequest {
  export const method = 'threadwise/history/outcome' as const;
  export const type = new ProtocolRequestType<HistoryOutcomeParams, OutcomeInfo | null, never, ThreadwiseErrorData, void>(method);
}

export interface HistoryMetricsParams {
  repo?: string;
  /** ISO-8601 date or timestamp: only records made then or later. */
  since?: string;
}

export interface HistoryMetrics {
  /** Records counted. */
  total: number;
  /** One point per generated suggestion, oldest first. */
  speed: { createdAt: string; timeToFirstTokenMs: number | null; tokensPerSecond: number; modelName: string }[];
  /** Per check rule: in how many suggestions it failed (in any cycle), out of `checked`. Most failures first. */
  rules: { rule: string; failures: number; checked: number }[];
  acceptance: { posted: number; edited: number; copied: number; discarded: number; pending: number };
}

/** client → daemon. The numbers the metrics dashboard plots. */
export namespace HistoryMetricsRequest {
  export const method = 'threadwise/history/metrics' as const;
  export const type = new ProtocolRequestType<HistoryMetricsParams, HistoryMetrics, never, ThreadwiseErrorData, void>(method);
}

export type ExportFormat = 'jsonl' | 'csv' | 'parquet';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'parquet'];
/**
 * What to do with a file that exists: `replace` it, `append` the records to it (rows already there
 * stay, duplicates too), or `merge` by suggestion id (a record already there is replaced by the new
 * one, others are kept; running the same merge twice gives the same file).
 */
export type ExportDisposition = 'append' | 'replace' | 'merge';
export const EXPORT_DISPOSITIONS: readonly ExportDisposition[] = ['append', 'replace', 'merge'];

export interface HistoryExportParams extends WorkDoneProgressParams {
  format: ExportFormat;
  /** Absolute path of the file to write. */
  out: string;
  since?: string;
  repo?: string;
  /** Default `replace`. */
  disposition?: ExportDisposition;
}

export interface HistoryExportResult {
  path: string;
  format: ExportFormat;
  /** Records taken from the history. */
  exported: number;
  /** Rows in the file now. */
  rows: number;
  bytes: number;
}

/** client → daemon. Writes the history to a file (to a temporary file, renamed into place). */
export namespace HistoryExportRequest {
  export const method = 'threadwise/history/export' as const;
  export const type = new ProtocolRequestType<HistoryExportParams, HistoryExportResult, never, ThreadwiseErrorData, void>(method);
}

export interface HistoryDatasetParams extends WorkDoneProgressParams {
  /** Absolute path of the chat JSONL file to write. */
  out: string;
  /** Only threads of this repository (default: every repository in the GitHub cache). */
  repo?: string;
  /** Only maintainer replies made then or later. */
  since?: string;
  /** Default `replace`; `merge` is keyed by the example's id (the reply comment). */
  disposition?: ExportDisposition;
}

export interface HistoryDatasetResult {
  path: string;
  /** Examples written by this run. */
  examples: number;
  /** Threads they came from. */
  threads: number;
  /** Lines in the file now. */
  rows: number;
  bytes: number;
}

/**
 * client → daemon. Writes a fine-tuning dataset in chat JSONL: for each maintainer's reply in the
 * cached threads, the system prompt and the thread up to that reply, and the reply as the target.
 */
export namespace HistoryDatasetRequest {
  export const method = 'threadwise/history/dataset' as const;
  export const type = new ProtocolRequestType<HistoryDatasetParams, HistoryDatasetResult, never, ThreadwiseErrorData, void>(method);
}

/** client → daemon. Deletes the records (of one repository, or all) and compacts the file, so nothing deleted stays on disk. */
export namespace HistoryClearRequest {
  export const method = 'threadwise/history/clear' as const;
  export const type = new ProtocolRequestType<{ repo?: string }, { deleted: number }, never, ThreadwiseErrorData, void>(method);
}

/** daemon → client. Records were added, changed or deleted (`repo` undefined: possibly all of them). */
export namespace HistoryChangedNotification {
  export const method = 'threadwise/history/changed' as const;
  export const type = new ProtocolNotificationType<{ repo?: string; id?: string }, void>(method);
}
