/**
 * bench:history — what the history costs (issue 7):
 *   - recording overhead per suggestion: HistoryService.record (mask every string, build the
 *     finding rows, one SQLite transaction with synchronous=FULL in WAL mode) on realistic records,
 *     p50/p95/p99, split into masking and the write; the baseline, same run: appending the same
 *     record as one JSON line to a file and fsyncing it (the JSONL log the CLI's --out keeps).
 *     Target: median < 5 ms.
 *   - export throughput: 100k records (10k with --quick) seeded into a history database, then
 *     `threadwise export` in each format from the database (the store's keyset cursor included),
 *     against the same writer fed from memory (no database) as the baseline.
 *
 *   npm run bench:history             full run (a few minutes: the 100k seed takes most of it)
 *   npm run bench:history -- --quick  10k records
 * Writes bench/results/history-<timestamp>.json and prints a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { appendFile, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HistoryService } from '../server/src/history/historyService';
import { findingRows } from '../server/src/history/record/findingRows';
import { historyRecordOf } from '../server/src/history/record/historyRecordOf';
import { HistoryStore } from '../server/src/history/store/historyStore';
import type { ExportFormat, HistoryRecord, Thread } from '../server/src/protocol';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { benchExport } from './history/exportBench';
import { syntheticRecords } from './history/generate';

const quick = process.argv.includes('--quick');
const RECORDINGS = quick ? 200 : 1000;
const EXPORT_COUNT = quick ? 10_000 : 100_000;
const TARGET_MEDIAN_MS = 5;
const FORMATS: ExportFormat[] = ['jsonl', 'csv', 'parquet'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function summary(values: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** The thread a synthetic record answers, rebuilt so HistoryService.record sees what the daemon passes. */
function threadOf(record: HistoryRecord): Thread {
  return {
    repo: record.thread.repo,
    number: record.thread.number,
    kind: record.thread.kind,
    title: record.thread.title,
    body: record.suggestion.chat[1]?.text ?? '',
    author: { login: 'reporter', association: 'NONE' },
    createdAt: record.createdAt,
    comments: [],
    ...(record.thread.updatedAt ? { updatedAt: record.thread.updatedAt } : {}),
  };
}

async function benchRecording(dir: string, modelFile: string): Promise<Record<string, unknown>> {
  const service = new HistoryService({
    storageDir: path.join(dir, 'recording'),
    settings: () => DEFAULT_SETTINGS,
    origin: () => 'bench',
    secretValues: () => [],
    log: (level, message) => {
      if (level === 'error') throw new Error(message);
    },
    onChanged: () => undefined,
    retention: false,
  });
  const inputs = [...syntheticRecords(RECORDINGS + 50, 7)].map((record) => ({ thread: threadOf(record), suggestion: { ...record.suggestion, model: { ...record.suggestion.model, file: modelFile } } }));
  await service.store();
  await service.hasher.hash(modelFile);
  const total: number[] = [];
  const masking: number[] = [];
  const baseline: number[] = [];
  const jsonl = path.join(dir, 'baseline.jsonl');
  const handle = await open(jsonl, 'a');
  try {
    for (const [i, input] of inputs.entries()) {
      const t0 = performance.now();
      const record = historyRecordOf({ ...input, origin: 'bench', modelSha256: null });
      findingRows(record.suggestion.checkCycles, 'warning');
      const t1 = performance.now();
      await handle.appendFile(`${JSON.stringify(input.suggestion)}\n`);
      await handle.datasync();
      const t2 = performance.now();
      const stored = await service.record(input.thread, { ...input.suggestion, id: `bench-${i}` });
      const t3 = performance.now();
      if (!stored) throw new Error('a record was not stored');
      // The first 50 warm up the JIT and the page cache.
      if (i < 50) continue;
      masking.push(t1 - t0);
      baseline.push(t2 - t1);
      total.push(t3 - t2);
    }
  } finally {
    await handle.close();
    await service.dispose();
  }
  const recordBytes = JSON.stringify(inputs[0]!.suggestion).length;
  const t = summary(total);
  const b = summary(baseline);
  return {
    recordings: total.length,
    averageRecordKb: round(recordBytes / 1024, 1),
    recordMs: { p50: round(t.p50), p95: round(t.p95), p99: round(t.p99) },
    maskingMs: (({ p50, p95, p99 }) => ({ p50: round(p50), p95: round(p95), p99: round(p99) }))(summary(masking)),
    baselineJsonlFsyncMs: { p50: round(b.p50), p95: round(b.p95), p99: round(b.p99) },
    ratioToBaselineP50: round(t.p50 / b.p50),
    targetMedianMs: TARGET_MEDIAN_MS,
    met: t.p50 < TARGET_MEDIAN_MS,
  };
}

async function seed(dir: string): Promise<{ store: HistoryStore; ms: number; bytes: number }> {
  const file = path.join(dir, 'export', 'history', 'history.sqlite');
  const store = await HistoryStore.open(file);
  // Seeding only: no fsync per transaction, so 100k records take a minute, not ten.
  await store.db.exec('PRAGMA synchronous = OFF');
  const started = performance.now();
  let n = 0;
  for (const record of syntheticRecords(EXPORT_COUNT, 11)) {
    await store.insert(record, findingRows(record.suggestion.checkCycles, 'warning'));
    if (++n % 10_000 === 0) process.stderr.write(`  seeded ${n}/${EXPORT_COUNT}\n`);
  }
  await store.db.exec('PRAGMA synchronous = FULL');
  await store.compact();
  return { store, ms: performance.now() - started, bytes: (await stat(file)).size };
}

async function benchExports(dir: string): Promise<Record<string, unknown>> {
  const seeded = await seed(dir);
  await seeded.store.close();
  const service = new HistoryService({
    storageDir: path.join(dir, 'export'),
    settings: () => DEFAULT_SETTINGS,
    origin: () => 'bench',
    secretValues: () => [],
    log: () => undefined,
    onChanged: () => undefined,
    retention: false,
  });
  const fromDatabase: Record<string, unknown>[] = [];
  try {
    for (const format of FORMATS) {
      const out = path.join(dir, `export.${format}`);
      const started = performance.now();
      const result = await service.exportRecords({ format, out });
      const ms = performance.now() - started;
      if (result.rows !== EXPORT_COUNT) throw new Error(`${format}: ${result.rows} rows`);
      fromDatabase.push({ format, ms: Math.round(ms), recordsPerSecond: Math.round(EXPORT_COUNT / (ms / 1000)), mb: round(result.bytes / 1e6, 1), rssMb: Math.round(process.memoryUsage().rss / 1e6) });
      await rm(out);
    }
  } finally {
    await service.dispose();
  }
  const writerOnly = await benchExport(EXPORT_COUNT, dir);
  return {
    records: EXPORT_COUNT,
    seedSeconds: round(seeded.ms / 1000, 1),
    databaseMb: round(seeded.bytes / 1e6, 1),
    fromDatabase,
    writerFromMemory: writerOnly.map((r) => ({ format: r.format, ms: Math.round(r.ms), recordsPerSecond: Math.round(r.recordsPerSecond), mb: round(r.bytes / 1e6, 1), heapPeakMb: r.heapPeakMb === undefined ? null : Math.round(r.heapPeakMb) })),
    ratioDatabaseToMemory: FORMATS.map((format) => {
      const db = fromDatabase.find((r) => r.format === format)!.ms as number;
      const mem = writerOnly.find((r) => r.format === format)!.ms;
      return { format, ratio: round(db / mem) };
    }),
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tw-bench-history-'));
  try {
    const modelFile = path.join(dir, 'model.gguf');
    await writeFile(modelFile, Buffer.alloc(8 * 1024 * 1024, 7));
    process.stderr.write(`recording ${RECORDINGS} suggestions…\n`);
    const recording = await benchRecording(dir, modelFile);
    console.log('recording', JSON.stringify(recording, null, 2));
    process.stderr.write(`seeding ${EXPORT_COUNT} records, then exporting…\n`);
    const exports = await benchExports(dir);
    console.log('exports', JSON.stringify(exports, null, 2));
    const results = path.join(import.meta.dirname, 'results');
    mkdirSync(results, { recursive: true });
    const file = path.join(results, `history-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, quick, recording, exports }, null, 2));
    await appendFile(file, '\n');
    console.log(`wrote ${file}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
