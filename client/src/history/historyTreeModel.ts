import { REPO_NAME_PATTERN } from '../../../server/src/protocol';
import type { HistoryEntry, HistoryListParams, HistoryRepository, OutcomeFilter } from '../../../server/src/protocol';
import { timeAgo } from '../sidebar/treeModel';
import { formatCount, formatMs, formatNumber } from './htmlText';

/**
 * The History view as plain data (pure, no VS Code): repository rows, record rows with their
 * icons and tooltips, the "Load more…" row, the filter and how it is parsed and shown. Titles are
 * thread text written by strangers: here they are plain strings, and the provider shows them only
 * as text (Markdown tooltips through `appendText`).
 */

/** Records per page of a repository's rows. */
export const HISTORY_PAGE_SIZE = 100;
/** Most records one list request may return (the daemon's cap). */
export const HISTORY_MAX_LIMIT = 1000;

export interface ThreadFilter {
  /** `owner/name`, when the filter names one. */
  repo?: string;
  number: number;
}

export interface HistoryFilter {
  outcome?: OutcomeFilter;
  thread?: ThreadFilter;
}

export type HistoryNode = HistoryRepoNode | HistoryEntryNode | HistoryMoreNode | HistoryNoticeNode;

export interface HistoryRepoNode {
  kind: 'repo';
  id: string;
  repo: string;
  /** Records of the repository (unfiltered). */
  count: number;
  description: string;
}

export interface HistoryEntryNode {
  kind: 'entry';
  id: string;
  entry: HistoryEntry;
  label: string;
  description: string;
  icon: EntryIcon;
  /** Plain text lines; the first is the title. */
  tooltip: string[];
}

export interface HistoryMoreNode {
  kind: 'more';
  id: string;
  repo: string;
  /** The oldest record shown: the next page starts after it. */
  before: string;
}

export interface HistoryNoticeNode {
  kind: 'notice';
  id: string;
  severity: 'error' | 'info';
  label: string;
  /** Plain text. */
  tooltip: string;
}

/** A codicon id, and a theme colour id when the row needs attention. */
export interface EntryIcon {
  id: 'check' | 'edit' | 'copy' | 'trash' | 'clock';
  color?: 'list.warningForeground';
}

export const OUTCOME_FILTERS: ReadonlyArray<{ value: OutcomeFilter | undefined; label: string; detail: string }> = [
  { value: undefined, label: 'All outcomes', detail: 'Every recorded suggestion' },
  { value: 'posted', label: 'Posted', detail: 'Posted as suggested' },
  { value: 'edited', label: 'Edited', detail: 'Edited, then posted' },
  { value: 'copied', label: 'Copied', detail: 'Copied to the clipboard' },
  { value: 'discarded', label: 'Discarded', detail: 'Closed without posting' },
  { value: 'pending', label: 'Pending', detail: 'Nothing reported yet' },
];


/**
 * Parses the thread filter: `#123`, `123` or `owner/name#123` (spaces around are ignored). The
 * number must be a positive whole number below 2^31; the repository `owner/name` as GitHub spells them.
 */
export function parseThreadFilter(input: string): { ok: true; thread: ThreadFilter } | { ok: false; message: string } {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Type an issue or pull request number: #123, 123 or owner/name#123.' };
  const match = /^(?:([^#\s]+)#|#)?(\d+)$/.exec(text);
  if (!match) return { ok: false, message: `"${text.slice(0, 60)}" is not a thread: type #123, 123 or owner/name#123.` };
  const number = Number(match[2]);
  if (!Number.isSafeInteger(number) || number < 1 || number > 2_147_483_647) return { ok: false, message: 'The number must be a whole number from 1 up.' };
  const repo = match[1];
  if (repo === undefined) return { ok: true, thread: { number } };
  if (!REPO_NAME_PATTERN.test(repo)) return { ok: false, message: `"${repo.slice(0, 60)}" is not a repository: write owner/name#123.` };
  return { ok: true, thread: { repo, number } };
}

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.outcome !== undefined || filter.thread !== undefined;
}

/** The view's description for a filter: `posted · owner/name#12`, `pending`, `#12`; '' when none. */
export function filterDescription(filter: HistoryFilter): string {
  const parts: string[] = [];
  if (filter.outcome) parts.push(filter.outcome);
  if (filter.thread) parts.push(`${filter.thread.repo ?? ''}#${filter.thread.number}`);
  return parts.join(' · ');
}

/** The repositories shown under a filter: all, or only the one its thread names (case-insensitive). */
export function visibleRepositories(repos: readonly HistoryRepository[], filter: HistoryFilter): HistoryRepository[] {
  const named = filter.thread?.repo?.toLowerCase();
  return named === undefined ? [...repos] : repos.filter((repo) => repo.repo.toLowerCase() === named);
}

/** The list request for one repository's rows under `filter`. */
export function listParams(repo: string, filter: HistoryFilter, limit: number, before?: string): HistoryListParams {
  return {
    repo,
    limit: Math.min(HISTORY_MAX_LIMIT, Math.max(1, limit)),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.thread ? { thread: filter.thread.number } : {}),
    ...(before ? { before } : {}),
  };
}

export function repoNode(repo: HistoryRepository): HistoryRepoNode {
  return { kind: 'repo', id: `history/repo/${repo.repo}`, repo: repo.repo, count: repo.count, description: formatCount(repo.count) };
}

/** Icon by outcome (pending: a clock), drawn in the warning colour when the checks failed or the reply was unsafe. */
export function entryIcon(entry: Pick<HistoryEntry, 'outcome' | 'checksPassed' | 'unsafe'>): EntryIcon {
  const ids = { posted: 'check', edited: 'edit', copied: 'copy', discarded: 'trash' } as const;
  const id = entry.outcome ? (ids[entry.outcome] ?? 'clock') : 'clock';
  return !entry.checksPassed || entry.unsafe ? { id, color: 'list.warningForeground' } : { id };
}

/** `edited · 2h ago · Llama 3.2 1B Instruct`. */
export function entryDescription(entry: HistoryEntry, now: Date): string {
  return [entry.outcome ?? 'pending', timeAgo(entry.createdAt, now), entry.modelName].filter((part) => part !== '').join(' · ');
}

/** The tooltip's lines, plain text: title, thread, outcome, checks, guardrail, speed, model and origin. */
export function entryTooltip(entry: HistoryEntry, now: Date): string[] {
  const outcome = entry.outcome === 'edited' || (entry.outcome === 'posted' && entry.editDistance !== null && entry.editDistance > 0)
    ? `${entry.outcome} (edit distance ${formatCount(entry.editDistance)})`
    : (entry.outcome ?? 'pending');
  const repairs = entry.repairs === 0 ? 'no repair' : entry.repairs === 1 ? '1 repair' : `${entry.repairs} repairs`;
  return [
    entry.title.trim(),
    `${entry.repo}#${entry.number} · ${entry.kind === 'pull' ? 'pull request' : 'issue'}${entry.cancelled ? ' · cancelled' : ''}`,
    `Outcome: ${outcome}`,
    `Checks: ${entry.checksPassed ? 'passed' : 'failed'} after ${repairs}`,
    `Guardrail: ${entry.guardrailLabel}${entry.unsafe ? ' (unsafe)' : ''}`,
    `Time to first token ${formatMs(entry.timeToFirstTokenMs)} · ${formatNumber(entry.tokensPerSecond)} tok/s · total ${formatMs(entry.totalMs)}`,
    `Model: ${entry.modelName}`,
    `Made ${timeAgo(entry.createdAt, now)} by ${entry.origin}`,
  ];
}

export function entryNode(entry: HistoryEntry, now: Date): HistoryEntryNode {
  return {
    kind: 'entry',
    id: `history/entry/${entry.id}`,
    entry,
    label: `#${entry.number} ${oneLine(entry.title)}`,
    description: entryDescription(entry, now),
    icon: entryIcon(entry),
    tooltip: entryTooltip(entry, now),
  };
}

/** The rows under a repository: its records, then "Load more…" when more match. */
export function pageNodes(repo: string, entries: readonly HistoryEntry[], hasMore: boolean, now: Date): Array<HistoryEntryNode | HistoryMoreNode> {
  const nodes: Array<HistoryEntryNode | HistoryMoreNode> = entries.map((entry) => entryNode(entry, now));
  const last = entries.at(-1);
  if (hasMore && last) nodes.push({ kind: 'more', id: `history/more/${repo}/${last.id}`, repo, before: last.id });
  return nodes;
}

/** A title on one line, at most 200 characters (a label is no place for a thread's whole first line). */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * The record id a command argument names: a record row, a HistoryEntry or HistoryRecord (anything
 * else with a string `id`), or the id itself; undefined for anything else (a repository, "Load
 * more…" or notice row, nothing).
 */
export function recordIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.trim() === '' ? undefined : arg.trim();
  if (typeof arg !== 'object' || arg === null) return undefined;
  const value = arg as { kind?: unknown; entry?: { id?: unknown }; id?: unknown };
  if (value.kind === 'entry') return typeof value.entry?.id === 'string' && value.entry.id !== '' ? value.entry.id : undefined;
  // Other rows carry tree ids, not record ids (a HistoryEntry's own `kind` is `issue` or `pull`).
  if (value.kind === 'repo' || value.kind === 'more' || value.kind === 'notice') return undefined;
  return typeof value.id === 'string' && value.id !== '' ? value.id : undefined;
}

/** The repository a command argument names: a repository row (with its count); undefined otherwise. */
export function repositoryOf(arg: unknown): { repo: string; count: number } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const value = arg as { kind?: unknown; repo?: unknown; count?: unknown };
  if (value.kind !== 'repo' || typeof value.repo !== 'string') return undefined;
  return { repo: value.repo, count: typeof value.count === 'number' ? value.count : 0 };
}
