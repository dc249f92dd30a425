/**
 * Memory figures: samples of a process after full garbage collections, and the probe process that
 * loads an index from disk as the daemon does on start, so its cost is seen from a fresh process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { hybridSearch } from '../../server/src/knowledge/retrieve/hybridSearch';
import { IndexStore } from '../../server/src/knowledge/store/indexStore';
import { ROOT } from '../../test/support/paths';
import { loadEmbedder, SameEmbeddings } from './ingest';
import { MIN_SIMILARITY, RECALL_K, TOP_K } from './queries';
import { round, seconds } from './report';

/** One process's memory, in MiB, sampled after two full garbage collections. */
export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

/**
 * `gc()`: node's own when started with --expose-gc (the probe processes are), otherwise exposed at
 * run time, so that `npm run bench:retrieval` needs no node flag.
 */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const collectGarbage = exposeGc();

/** This process's memory once what can be collected is gone. */
export function sampleMemory(): MemorySample {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

/** Which store a probe loads. */
export type ProbedStore = 'threadwise' | 'langchain';

/** What a probe process saw, each sample taken after gc: the daemon's view of an index's cost. */
export interface ProbeResult {
  /** With the benchmark's modules loaded, nothing else. */
  bare: MemorySample;
  withEmbedder: MemorySample;
  /** With the index loaded from disk as well. */
  loaded: MemorySample;
  afterQuery: MemorySample;
  loadSeconds: number;
  chunks: number;
}

/** The flag that makes the benchmark's entry run {@link runMemoryProbe} instead of the benchmark. */
export const MEMORY_PROBE_FLAG = '--memory-probe';

/**
 * The probe process is the benchmark's entry itself, so it loads the same modules as the process that
 * measured everything else did.
 */
const BENCH_ENTRY = fileURLToPath(new URL('../retrieval.ts', import.meta.url));

const PROBE_QUERY = 'proxy timeout behind a corporate firewall';

/**
 * The probe process's work: load the embedder, then the store saved in `dir` (as the daemon does on
 * start), then run one query, sampling memory between the steps; writes its ProbeResult as one JSON
 * line on stdout.
 */
export async function runMemoryProbe(store: ProbedStore, dir: string): Promise<void> {
  const bare = sampleMemory();
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-bench-probe-'));
  const embedder = await loadEmbedder(cacheDir);
  const withEmbedder = sampleMemory();
  const start = performance.now();
  let query: () => Promise<unknown>;
  let chunks: number;
  if (store === 'threadwise') {
    const index = await new IndexStore(dir).load();
    if (!index) throw new Error(`no index in ${dir}`);
    chunks = index.chunkCount;
    query = () => hybridSearch(index, embedder, PROBE_QUERY, { folder: null, repo: null, webUrl: null }, { k: TOP_K, minSimilarity: MIN_SIMILARITY });
  } else {
    const langchain = await HNSWLib.load(dir, new SameEmbeddings(embedder));
    chunks = langchain.index.getCurrentCount();
    query = () => langchain.similaritySearch(PROBE_QUERY, RECALL_K);
  }
  const loadSeconds = seconds(performance.now() - start);
  const loaded = sampleMemory();
  await query();
  const afterQuery = sampleMemory();
  await embedder.dispose();
  await rm(cacheDir, { recursive: true, force: true });
  const result: ProbeResult = { bare, withEmbedder, loaded, afterQuery, loadSeconds, chunks };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a fresh node process (--expose-gc) that probes the store saved in `dir`, and returns what it saw. */
export async function probeMemory(store: ProbedStore, dir: string): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', BENCH_ENTRY, MEMORY_PROBE_FLAG, store, dir], { cwd: ROOT, maxBuffer: 1 << 20 });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ProbeResult;
}
