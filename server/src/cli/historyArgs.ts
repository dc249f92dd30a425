import path from 'node:path';
import { EXPORT_DISPOSITIONS, EXPORT_FORMATS, OUTCOME_FILTERS, REPO_NAME_PATTERN } from '../protocol';
import type { ExportDisposition, ExportFormat, OutcomeFilter } from '../protocol';
import { defaultDataDir, UsageError } from './args';
import type { RawArgs } from './args';

/** `threadwise export`: the history to a JSONL, CSV or Parquet file. */
export interface ExportCommand {
  command: 'export';
  format: ExportFormat;
  out: string;
  since?: string;
  repo?: string;
  disposition: ExportDisposition;
  dataDir: string;
  json: boolean;
}

/** `threadwise dataset`: the fine-tuning dataset (chat JSONL) from the cached threads. */
export interface DatasetCommand {
  command: 'dataset';
  out: string;
  since?: string;
  repo?: string;
  disposition: ExportDisposition;
  dataDir: string;
  json: boolean;
  apiUrl?: string;
}

/** `threadwise history [list|show ID|clear]`: the recorded suggestions. */
export interface HistoryCommand {
  command: 'history';
  action: 'list' | 'show' | 'clear';
  id?: string;
  repo?: string;
  outcome?: OutcomeFilter;
  thread?: number;
  limit: number;
  json: boolean;
  yes: boolean;
  dataDir: string;
}


export function parseExport({ positional, values, flags }: RawArgs, env: NodeJS.ProcessEnv): ExportCommand {
  if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
  const format = values.get('--format');
  if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}`);
  return { command: 'export', format: format as ExportFormat, ...target(values, env), json: flags.has('--json') };
}

export function parseDataset({ positional, values, flags }: RawArgs, env: NodeJS.ProcessEnv): DatasetCommand {
  if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
  const apiUrl = values.get('--api-url') ?? env.GITHUB_API_URL;
  return { command: 'dataset', ...target(values, env), json: flags.has('--json'), ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}) };
}

export function parseHistory({ positional, values, flags }: RawArgs, env: NodeJS.ProcessEnv): HistoryCommand {
  const [action = 'list', id, extra] = positional;
  if (action !== 'list' && action !== 'show' && action !== 'clear') throw new UsageError(`history takes list, show ID or clear, not ${JSON.stringify(action.slice(0, 40))}`);
  if (action === 'show' && !id) throw new UsageError('history show needs a suggestion id (from history list)');
  if ((action !== 'show' && id !== undefined) || extra !== undefined) throw new UsageError(`unexpected argument ${extra ?? id}`);
  const command: HistoryCommand = {
    command: 'history',
    action,
    limit: 20,
    json: flags.has('--json'),
    yes: flags.has('--yes'),
    dataDir: path.resolve(values.get('--data-dir') ?? defaultDataDir(env)),
  };
  if (id !== undefined) command.id = id;
  const repo = repoValue(values.get('--repo'));
  if (repo) command.repo = repo;
  const outcome = values.get('--outcome');
  if (outcome !== undefined) {
    if (!(OUTCOME_FILTERS as readonly string[]).includes(outcome)) throw new UsageError(`--outcome must be one of ${OUTCOME_FILTERS.join(', ')}`);
    command.outcome = outcome as OutcomeFilter;
  }
  const thread = values.get('--thread');
  if (thread !== undefined) {
    const number = Number(thread.replace(/^#/, ''));
    if (!Number.isInteger(number) || number < 1) throw new UsageError('--thread must be an issue or pull request number');
    command.thread = number;
  }
  const limit = values.get('--limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('--limit must be an integer from 1 to 1000');
    command.limit = n;
  }
  return command;
}

function target(values: Map<string, string>, env: NodeJS.ProcessEnv): { out: string; since?: string; repo?: string; disposition: ExportDisposition; dataDir: string } {
  const out = values.get('--out');
  if (!out) throw new UsageError('--out PATH is required');
  const disposition = values.get('--disposition') ?? 'replace';
  if (!(EXPORT_DISPOSITIONS as readonly string[]).includes(disposition)) throw new UsageError(`--disposition must be one of ${EXPORT_DISPOSITIONS.join(', ')}`);
  const since = values.get('--since');
  const repo = repoValue(values.get('--repo'));
  return {
    out: path.resolve(out),
    disposition: disposition as ExportDisposition,
    dataDir: path.resolve(values.get('--data-dir') ?? defaultDataDir(env)),
    ...(since !== undefined ? { since } : {}),
    ...(repo ? { repo } : {}),
  };
}

function repoValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!REPO_NAME_PATTERN.test(value)) throw new UsageError(`--repo must be owner/name, got ${JSON.stringify(value.slice(0, 80))}`);
  return value;
}
