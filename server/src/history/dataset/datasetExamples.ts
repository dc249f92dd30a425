import type { Thread } from '../../protocol';
import { maintainerExamples, type FineTuneExample, type MaintainerExamplesOptions } from './maintainerExamples';

/** How a run went so far; updated as the examples are consumed. */
export interface DatasetCounts {
  /** Threads taken from the source. */
  threadsRead: number;
  /** Threads that gave at least one example (`HistoryDatasetResult.threads`). */
  threadsUsed: number;
  /** Examples yielded (`HistoryDatasetResult.examples`). */
  examples: number;
  /** Examples dropped because an earlier one had the same id (the same thread seen twice). */
  duplicates: number;
  /** Threads that could not be turned into examples (reported to `onThreadFailed`). */
  threadsFailed: number;
}

export interface DatasetExamplesOptions extends MaintainerExamplesOptions {
  /** Checked before each thread; an abort ends the iteration with the signal's reason. */
  signal?: AbortSignal;
  /** A thread whose examples could not be built, and why; it is skipped and the run goes on. */
  onThreadFailed?: (thread: Thread, error: Error) => void;
}

/** The examples of a run, to iterate once, with its counts. */
export interface DatasetExamples extends AsyncIterable<FineTuneExample> {
  /** Live: read them after the iteration for the totals. */
  readonly counts: Readonly<DatasetCounts>;
}

/**
 * The fine-tuning examples of every thread `threads` yields (see `maintainerExamples`), in the
 * source's order, each id at most once. One thread failing (a thread too large for a small
 * `maxPromptTokens`, say) is reported and skipped, never the end of the run; an error of the source
 * itself, or an abort, ends it. The options are checked here, before anything is read: an invalid
 * `since` throws a RangeError at once.
 */
export function datasetExamples(threads: AsyncIterable<Thread>, options: DatasetExamplesOptions = {}): DatasetExamples {
  if (options.since !== undefined && !(options.since instanceof Date && Number.isFinite(options.since.getTime()))) {
    throw new RangeError('since must be a valid date');
  }
  const counts: DatasetCounts = { threadsRead: 0, threadsUsed: 0, examples: 0, duplicates: 0, threadsFailed: 0 };
  return { counts, [Symbol.asyncIterator]: () => generate(threads, options, counts) };
}

async function* generate(threads: AsyncIterable<Thread>, options: DatasetExamplesOptions, counts: DatasetCounts): AsyncGenerator<FineTuneExample> {
  const { signal, onThreadFailed, ...exampleOptions } = options;
  const seen = new Set<string>();
  for await (const thread of threads) {
    signal?.throwIfAborted();
    counts.threadsRead++;
    let examples: FineTuneExample[];
    try {
      examples = maintainerExamples(thread, exampleOptions);
    } catch (error) {
      counts.threadsFailed++;
      onThreadFailed?.(thread, error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    let used = false;
    for (const example of examples) {
      if (seen.has(example.id)) {
        counts.duplicates++;
        continue;
      }
      seen.add(example.id);
      if (!used) {
        used = true;
        counts.threadsUsed++;
      }
      counts.examples++;
      yield example;
    }
  }
}
