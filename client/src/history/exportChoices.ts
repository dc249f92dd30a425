import type { ExportDisposition, ExportFormat, HistoryDatasetResult, HistoryExportResult } from '../../../server/src/protocol';
import { formatCount } from './htmlText';

/**
 * The choices and words of the export, dataset and clear commands (pure, no VS Code): formats and
 * their file extensions, the "since" choices and the custom date's validation, file names, and the
 * messages shown when they are done.
 */

export const EXPORT_FORMATS: ReadonlyArray<{ format: ExportFormat; label: string; detail: string; filterName: string }> = [
  { format: 'jsonl', label: 'JSON Lines', detail: 'One record per line, with its whole trace (.jsonl)', filterName: 'JSON Lines' },
  { format: 'csv', label: 'CSV', detail: 'One row per suggestion: the figures, for spreadsheets (.csv)', filterName: 'CSV' },
  { format: 'parquet', label: 'Parquet', detail: 'Columnar, for pandas, DuckDB or Spark (.parquet)', filterName: 'Parquet' },
];

/** `jsonl`, `csv`, `parquet`: the file extension of a format (without the dot). */
export function extensionOf(format: ExportFormat): string {
  return format;
}

export type SinceChoice = { kind: 'all' } | { kind: 'days'; days: number } | { kind: 'custom' };

export const SINCE_CHOICES: ReadonlyArray<{ label: string; choice: SinceChoice }> = [
  { label: 'All time', choice: { kind: 'all' } },
  { label: 'Last 7 days', choice: { kind: 'days', days: 7 } },
  { label: 'Last 30 days', choice: { kind: 'days', days: 30 } },
  { label: 'Last 90 days', choice: { kind: 'days', days: 90 } },
  { label: 'Since a date…', choice: { kind: 'custom' } },
];

/** The `since` of a preset choice: undefined for all time, else the ISO timestamp `days` before `now`. */
export function sinceOf(choice: SinceChoice, now: Date): string | undefined {
  return choice.kind === 'days' ? new Date(now.getTime() - choice.days * 86_400_000).toISOString() : undefined;
}

/**
 * Validates a typed date `YYYY-MM-DD`: a real calendar day, not after `now`'s (UTC) day. Returns
 * the date itself (the daemon reads it as UTC midnight) or what is wrong, for the input box.
 */
export function parseSinceDate(input: string, now: Date): { ok: true; since: string } | { ok: false; message: string } {
  const text = input.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return { ok: false, message: 'Write the date as YYYY-MM-DD, e.g. 2024-01-31.' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false, message: `${text} is not a day of the calendar.` };
  if (year < 2000) return { ok: false, message: 'Pick a date from 2000 on.' };
  if (text > now.toISOString().slice(0, 10)) return { ok: false, message: `${text} is in the future.` };
  return { ok: true, since: text };
}

/** `path` ending in `.ext` (any case), appending it when it does not. */
export function withExtension(path: string, ext: string): string {
  return path.toLowerCase().endsWith(`.${ext.toLowerCase()}`) ? path : `${path}.${ext}`;
}

/** `threadwise-history-octo-widgets-2024-01-15.csv`; `kind` `dataset` for the fine-tuning file. */
export function defaultFileName(kind: 'history' | 'dataset', ext: string, repo: string | undefined, now: Date): string {
  const scope = repo ? `-${repo.replace(/[^A-Za-z0-9._-]+/g, '-')}` : '';
  return `threadwise-${kind}${scope}-${now.toISOString().slice(0, 10)}.${ext}`;
}

export const DISPOSITIONS: ReadonlyArray<{ button: string; disposition: ExportDisposition }> = [
  { button: 'Replace', disposition: 'replace' },
  { button: 'Append', disposition: 'append' },
  { button: 'Merge', disposition: 'merge' },
];

/** The modal's question when the chosen file exists; `key` names what a merge matches on. */
export function dispositionQuestion(fileName: string, key: 'suggestion id' | 'example id'): { message: string; detail: string } {
  return {
    message: `${fileName} already exists.`,
    detail: `Replace it, append the rows to it (rows already there stay, duplicates too), or merge by ${key} (a row already there is replaced by the new one, the others are kept)?`,
  };
}

export function exportMessage(result: HistoryExportResult): string {
  return `Exported ${formatCount(result.exported)} ${result.exported === 1 ? 'suggestion' : 'suggestions'} to ${result.path} (${formatCount(result.rows)} ${result.rows === 1 ? 'row' : 'rows'}).`;
}

export function datasetMessage(result: HistoryDatasetResult): string {
  return `Wrote ${formatCount(result.examples)} fine-tuning ${result.examples === 1 ? 'example' : 'examples'} from ${formatCount(result.threads)} ${result.threads === 1 ? 'thread' : 'threads'} to ${result.path} (${formatCount(result.rows)} ${result.rows === 1 ? 'line' : 'lines'} in the file).`;
}

/** The clear modal: the question for all records, and the button for one repository's when it was asked on one. */
export function clearQuestion(total: number, repo?: { repo: string; count: number }): { message: string; all: string; one?: string } {
  return {
    message: `Delete all ${formatCount(total)} recorded ${total === 1 ? 'suggestion' : 'suggestions'}? This cannot be undone.`,
    all: `Delete All ${formatCount(total)}`,
    ...(repo ? { one: `Delete Only ${repo.repo} (${formatCount(repo.count)})` } : {}),
  };
}
