/**
 * The history export benchmark: `count` synthetic records written in each format (disposition
 * `replace`), timed, with the file size and the peak JavaScript heap seen while it ran. The records
 * are generated as they are taken, as the store's cursor would hand them over, so the heap figure is
 * the exporter's own working set, not the cost of holding the input.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFormat, HistoryRecord } from '../../server/src/protocol';
import { exportHistory } from '../../server/src/history/export/exportHistory';
import { syntheticRecords } from './generate';

export interface ExportBenchResult {
  format: ExportFormat;
  /** Wall time of the export, generating the records included. */
  ms: number;
  recordsPerSecond: number;
  /** Size of the file written. */
  bytes: number;
  /** Highest `heapUsed` sampled during the run (every 10 ms), in MiB; absent when never sampled. */
  heapPeakMb?: number;
}

const FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'parquet'];
const SEED = 20250106;
const SAMPLE_EVERY_MS = 10;

export async function benchExport(count: number, dir: string): Promise<ExportBenchResult[]> {
  const results: ExportBenchResult[] = [];
  for (const format of FORMATS) {
    const out = path.join(dir, `history-${count}.${format}`);
    collectGarbage();
    let heapPeak = 0;
    const sample = (): void => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    };
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    const started = performance.now();
    try {
      const result = await exportHistory(asyncRecords(count), { format, out, disposition: 'replace', onProgress: sample });
      const ms = performance.now() - started;
      sample();
      if (result.rows !== count) throw new Error(`${format}: wrote ${result.rows} rows, expected ${count}`);
      const { size } = await stat(out);
      results.push({ format, ms, recordsPerSecond: count / (ms / 1000), bytes: size, heapPeakMb: heapPeak / (1024 * 1024) });
    } finally {
      clearInterval(sampler);
    }
  }
  return results;
}

/**
 * The records one at a time, yielding to the event loop every 100 so the heap sampler gets to
 * run (a store cursor yields between pages the same way).
 */
async function* asyncRecords(count: number): AsyncGenerator<HistoryRecord> {
  let i = 0;
  for (const record of syntheticRecords(count, SEED)) {
    if (++i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    yield record;
  }
}

/** Runs a full collection first when node was started with `--expose-gc`, so runs start level. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}
