import type { HistoryDatasetResult, HistoryExportResult } from '../protocol';
import { cachedThreads } from './dataset/cachedThreads';
import { datasetExamples } from './dataset/datasetExamples';
import type { FineTuneExample } from './dataset/maintainerExamples';
import { exportHistory } from './export/exportHistory';
import { writeJsonlFile } from './export/writeJsonlFile';
import { parseDatasetParams, parseExportParams } from './historyParams';
import type { HistoryStore } from './store/historyStore';

/** What the exports need from the service. */
export interface ExportContext {
  store(): Promise<HistoryStore>;
  storageDir: string;
  /** The GitHub API root whose cache the dataset reads (the signed-in one). */
  gitHubApiUrl?: () => string;
  log(level: 'warn' | 'info', message: string): void;
}

/**
 * `threadwise/history/export` and `threadwise export`: the records in scope, oldest first, to a
 * JSONL, CSV or Parquet file. `onProgress(done, total)` follows the records taken.
 */
export async function exportRecordsToFile(
  context: ExportContext,
  params: unknown,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<HistoryExportResult> {
  const target = parseExportParams(params);
  const scope = { ...(target.repo ? { repo: target.repo } : {}), ...(target.since ? { since: target.since } : {}) };
  const store = await context.store();
  const total = await store.count(scope);
  const result = await exportHistory(store.records(scope), {
    format: target.format,
    out: target.out,
    disposition: target.disposition,
    ...(signal ? { signal } : {}),
    onProgress: (done) => onProgress?.(done, total),
  });
  context.log('info', `history: exported ${result.exported} record(s) to ${target.out} (${target.format}, ${target.disposition})`);
  return { path: target.out, format: target.format, ...result };
}

/**
 * One line of the fine-tuning dataset: OpenAI-style chat JSONL. Earlier maintainer turns are in the
 * prompt as context only (`weight: 0`), so training learns the target reply, not the transcript's
 * `@login (MEMBER) commented…` headers; the last message is the target.
 */
export function datasetLine(example: FineTuneExample): { id: string; repo: string; number: number; kind: string; replyAuthor: string; replyCreatedAt: string; messages: object[] } {
  const last = example.messages.length - 1;
  return {
    id: example.id,
    repo: example.repo,
    number: example.number,
    kind: example.kind,
    replyAuthor: example.replyAuthor,
    replyCreatedAt: example.replyCreatedAt,
    messages: example.messages.map((message, index) => (message.role === 'assistant' && index !== last ? { ...message, weight: 0 } : message)),
  };
}

/** `threadwise/history/dataset` and `threadwise dataset`: maintainer replies in the GitHub cache as chat JSONL. */
export async function exportDatasetToFile(
  context: ExportContext,
  params: unknown,
  signal?: AbortSignal,
  onProgress?: (examples: number) => void,
): Promise<HistoryDatasetResult> {
  const target = parseDatasetParams(params);
  const threads = cachedThreads(
    { storageDir: context.storageDir, ...(context.gitHubApiUrl ? { apiUrl: context.gitHubApiUrl() } : {}) },
    { ...(target.repo ? { repo: target.repo } : {}), onSkipped: (file, reason) => context.log('warn', `dataset: skipped ${file}: ${reason}`), ...(signal ? { signal } : {}) },
  );
  const examples = datasetExamples(threads, {
    ...(target.since ? { since: target.since } : {}),
    ...(signal ? { signal } : {}),
    onThreadFailed: (thread, error) => context.log('warn', `dataset: skipped ${thread.repo}#${thread.number}: ${error.message}`),
  });
  const result = await writeJsonlFile(lines(examples), target.out, target.disposition, signal, onProgress);
  return { path: target.out, examples: examples.counts.examples, threads: examples.counts.threadsUsed, rows: result.rows, bytes: result.bytes };
}

async function* lines(examples: AsyncIterable<FineTuneExample>): AsyncGenerator<ReturnType<typeof datasetLine>> {
  for await (const example of examples) yield datasetLine(example);
}
