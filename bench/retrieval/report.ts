/**
 * What the benchmark reports: the shape of its JSON, the rounding of its figures, its progress lines
 * on stderr and the table it prints on stdout.
 */
import type { LangchainIngestion, ThreadwiseIngestion } from './ingest';
import type { MemorySample, ProbeResult } from './memory';
import { RECALL_K, RECALL_TARGET, TOP_K } from './queries';
import type { EfPoint, Latency, RecallFigures } from './queries';

/** The JSON written to bench/results/retrieval-<timestamp>.json, and what the report prints. */
export interface BenchResult {
  date: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  model: { path: string; dimensions: number; note: string };
  corpus: { seed: number; topics: number; generator: string };
  search: { hybridTopK: number; minSimilarity: number; recallK: number };
  tiers: TierResult[];
  peakRssMiB: number;
  totalSeconds: number;
}

/** One tier: both stores built over the same generated docs and asked the same queries. */
export interface TierResult {
  /** `1k`, `10k`, `100k`. */
  tier: string;
  files: number;
  chunks: number;
  queries: number;
  queriesWithKnownAnswer: number;
  /** How each store was built, in words. */
  built: { threadwise: string; langchain: string };
  threadwise: ThreadwiseFigures;
  langchain: LangchainFigures | { skipped: string };
  /** Null when LangChain was skipped. */
  ratiosThreadwiseOverLangchain: Ratios | null;
  /** Only on the largest tier. */
  memory: MemoryFigures | null;
}

/**
 * Threadwise's store. `answerInTop5`: the share of the queries with a known answer that found it in
 * their top TOP_K (5, the daemon's default), for the hybrid search and the vector-only path.
 */
export interface ThreadwiseFigures {
  ingestion: ThreadwiseIngestion;
  latencyMs: { hybrid: Latency; vectorOnly: Latency };
  recall: RecallFigures & { target: number };
  answerInTop5: { hybrid: number; vectorOnly: number };
}

/** LangChain's HNSWLib store, searched vector-only with k = RECALL_K. */
export interface LangchainFigures {
  ingestion: LangchainIngestion;
  latencyMs: { similaritySearch: Latency };
  recall: RecallFigures;
  answerInTop5: number;
}

/** Threadwise's figure over LangChain's; null where LangChain's is zero or ours is not a number. */
export interface Ratios {
  ingestionChunksPerSecond: number | null;
  ingestionChunksPerSecondEmbedIndexWrite: number | null;
  hybridP50: number | null;
  hybridP99: number | null;
  vectorOnlyP50: number | null;
  vectorOnlyP99: number | null;
  recallAt10: number | null;
}

/** Memory on the largest tier: fresh processes loading each store, and this process around updateIndex. */
export interface MemoryFigures {
  chunks: number;
  inThisProcess: { beforeBuild: MemorySample; afterBuild: MemorySample };
  freshProcess: { threadwise: ProbeResult; langchain: ProbeResult | null };
}

/** `value` rounded to `digits` decimals, as a number (for the JSON). */
export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** Milliseconds as seconds with two decimals. */
export function seconds(ms: number): number {
  return round(ms / 1000);
}

/** Threadwise's figure over LangChain's, or null when theirs is zero or ours is not a number. */
function ratio(ours: number, theirs: number): number | null {
  return theirs > 0 && Number.isFinite(ours) ? round(ours / theirs, 3) : null;
}

/** Threadwise's figures over LangChain's. */
export function ratiosOf(threadwise: ThreadwiseFigures, langchain: LangchainFigures): Ratios {
  const ours = threadwise.ingestion;
  const theirs = langchain.ingestion;
  const { hybrid, vectorOnly } = threadwise.latencyMs;
  const similaritySearch = langchain.latencyMs.similaritySearch;
  return {
    ingestionChunksPerSecond: ratio(ours.chunksPerSecond, theirs.chunksPerSecond),
    ingestionChunksPerSecondEmbedIndexWrite: ratio(ours.embedIndexWriteChunksPerSecond, theirs.chunksPerSecond),
    hybridP50: ratio(hybrid.p50, similaritySearch.p50),
    hybridP99: ratio(hybrid.p99, similaritySearch.p99),
    vectorOnlyP50: ratio(vectorOnly.p50, similaritySearch.p50),
    vectorOnlyP99: ratio(vectorOnly.p99, similaritySearch.p99),
    recallAt10: ratio(threadwise.recall.recallAt10, langchain.recall.recallAt10),
  };
}

/** Progress of the benchmark, on stderr so that stdout holds only the report. */
export function say(message: string): void {
  process.stderr.write(`[bench:retrieval] ${message}\n`);
}

/** A figure with `digits` decimals, or a dash for one that was not measured. */
const fmt = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
/** A table row: the label column, then right-aligned Threadwise / LangChain / ratio columns. */
const row = (cells: string[]): string => `  ${cells[0]!.padEnd(46)}${cells.slice(1).map((cell) => cell.padStart(16)).join('')}`;

/** Prints the whole result on stdout: the reading guide, a table per tier, memory, then the run's totals. */
export function printReport(result: BenchResult): void {
  console.log(`retrieval benchmark (${result.mode}): ${result.model.path}, ${result.model.dimensions} dimensions (${result.model.note}); ${result.machine.cpus} CPUs, node ${result.machine.node}`);
  console.log(`Threadwise's hybridSearch fuses BM25 and HNSW vectors; LangChain's HNSWLib is vector-only, so the vector-only rows are the apples-to-apples comparison.`);
  console.log(`Latencies include embedding the query. TW/LC > 1 means Threadwise's figure is higher (better for chunks/s and recall, worse for latency).`);
  console.log(`"Answer in top ${TOP_K}" counts the queries that name a file's error code; with random weights the vectors find few of them, BM25 most.`);
  for (const tier of result.tiers) printTier(tier);
  for (const tier of result.tiers) printMemory(tier);
  console.log('');
  console.log(`peak RSS of the benchmark process ${result.peakRssMiB} MiB; total ${result.totalSeconds} s`);
}

function printTier(tier: TierResult): void {
  const tw = tier.threadwise;
  const lc = 'ingestion' in tier.langchain ? tier.langchain : null;
  const lcp = lc?.latencyMs.similaritySearch;
  const lcr = lc?.recall;
  const r = tier.ratiosThreadwiseOverLangchain;
  console.log('');
  console.log(`tier ${tier.tier}: ${tier.files} files, ${tier.chunks} chunks, ${tier.queries} queries (${tier.queriesWithKnownAnswer} with a known answer)`);
  console.log(`  Threadwise built by: ${tier.built.threadwise}`);
  console.log(`  LangChain built by:  ${tier.built.langchain}`);
  console.log(row(['', 'Threadwise', 'LangChain', 'TW/LC']));
  console.log(row(['ingestion chunks/s, end to end', fmt(tw.ingestion.chunksPerSecond, 1), fmt(lc?.ingestion.chunksPerSecond, 1), fmt(r?.ingestionChunksPerSecond, 3)]));
  console.log(row(['ingestion chunks/s, embed + index + write', fmt(tw.ingestion.embedIndexWriteChunksPerSecond, 1), fmt(lc?.ingestion.chunksPerSecond, 1), fmt(r?.ingestionChunksPerSecondEmbedIndexWrite, 3)]));
  console.log(
    `    Threadwise ${tw.ingestion.totalSeconds} s = scan+chunk ${tw.ingestion.scanAndChunkSeconds} s, embed ${tw.ingestion.embedSeconds} s, index build ${tw.ingestion.indexBuildSeconds} s, write ${tw.ingestion.writeSeconds} s` +
      (lc ? `; LangChain ${lc.ingestion.totalSeconds} s = embed ${lc.ingestion.embedSeconds} s, add ${lc.ingestion.addSeconds} s, save ${lc.ingestion.saveSeconds} s` : ''),
  );
  console.log(row([`query p50 ms: TW hybrid k=${TOP_K}, LC k=${RECALL_K}`, fmt(tw.latencyMs.hybrid.p50, 3), fmt(lcp?.p50, 3), fmt(r?.hybridP50, 3)]));
  console.log(row([`query p99 ms: TW hybrid k=${TOP_K}, LC k=${RECALL_K}`, fmt(tw.latencyMs.hybrid.p99, 3), fmt(lcp?.p99, 3), fmt(r?.hybridP99, 3)]));
  console.log(row([`query p50 ms: vector-only k=${RECALL_K}, both`, fmt(tw.latencyMs.vectorOnly.p50, 3), fmt(lcp?.p50, 3), fmt(r?.vectorOnlyP50, 3)]));
  console.log(row([`query p99 ms: vector-only k=${RECALL_K}, both`, fmt(tw.latencyMs.vectorOnly.p99, 3), fmt(lcp?.p99, 3), fmt(r?.vectorOnlyP99, 3)]));
  console.log(row([`HNSW recall@${RECALL_K} vs exact (target ≥ ${RECALL_TARGET})`, fmt(tw.recall.recallAt10, 4), fmt(lcr?.recallAt10, 4), fmt(r?.recallAt10, 3)]));
  console.log(row(['  at the index parameters', `ef ${tw.recall.ef} M ${tw.recall.m}`, lcr ? `ef ${lcr.ef} M ${lcr.m}` : '—', '']));
  console.log(row([`answer in top ${TOP_K}: TW hybrid / vector-only`, `${fmt(tw.answerInTop5.hybrid, 3)} / ${fmt(tw.answerInTop5.vectorOnly, 3)}`, fmt(lc ? lc.answerInTop5 : null, 3), '']));
  const sweep = (points: readonly EfPoint[]): string => points.map((p) => `ef ${p.ef}: ${p.recallAt10.toFixed(4)} (${p.searchMicros} µs)`).join(', ');
  console.log(`    recall@${RECALL_K} by ef (HNSW search time without embedding), Threadwise: ${sweep(tw.recall.sweep)}`);
  if (lcr) console.log(`    same, LangChain: ${sweep(lcr.sweep)}`);
  if (tw.recall.recallAt10 < RECALL_TARGET) console.log(`    note: recall@${RECALL_K} at the default ef ${tw.recall.ef} misses the ${RECALL_TARGET} target; see the ef sweep above`);
}

function printMemory(tier: TierResult): void {
  const figures = tier.memory;
  if (!figures) return;
  const line = (name: string, probe: ProbeResult): void =>
    console.log(
      `  ${name.padEnd(11)} load ${probe.loadSeconds} s; RSS ${probe.withEmbedder.rssMiB} → ${probe.loaded.rssMiB} MiB (after a query ${probe.afterQuery.rssMiB}), ` +
        `heap ${probe.withEmbedder.heapUsedMiB} → ${probe.loaded.heapUsedMiB} MiB, external ${probe.withEmbedder.externalMiB} → ${probe.loaded.externalMiB} MiB; ` +
        `index costs ${(probe.afterQuery.rssMiB - probe.withEmbedder.rssMiB).toFixed(1)} MiB RSS`,
    );
  console.log('');
  console.log(`memory with the ${tier.tier} tier (${figures.chunks} chunks): a fresh node process (--expose-gc, gc before each sample) loads the embedder, then the index from disk, then runs one query:`);
  line('Threadwise', figures.freshProcess.threadwise);
  if (figures.freshProcess.langchain) line('LangChain', figures.freshProcess.langchain);
  const ours = figures.freshProcess.threadwise;
  const theirs = figures.freshProcess.langchain;
  if (theirs) console.log(`  TW/LC index RSS: ${fmt(ratio(ours.afterQuery.rssMiB - ours.withEmbedder.rssMiB, theirs.afterQuery.rssMiB - theirs.withEmbedder.rssMiB), 3)}`);
  const { beforeBuild, afterBuild } = figures.inThisProcess;
  console.log(`  this process around updateIndex (gc before each sample): RSS ${beforeBuild.rssMiB} → ${afterBuild.rssMiB} MiB, heap ${beforeBuild.heapUsedMiB} → ${afterBuild.heapUsedMiB} MiB`);
}
