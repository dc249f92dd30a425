/**
 * `npm run bench:retrieval` — the knowledge index of issue 5 on a generated docs corpus with the tiny
 * embedding model (test/.models/tiny-embed), side by side in the same run with LangChain.js's HNSWLib
 * vector store fed the same chunk texts through the same embedder (only the store differs):
 *  1. ingestion throughput (chunks/s) of updateIndex over files on disk, split into its phases
 *     (scan + chunk, embed, index build, write to disk), and LangChain's (embed, add, save);
 *  2. query latency p50/p99, the query's embedding included: hybridSearch (BM25 + vectors, the
 *     daemon's top-k and relevance floor), our vector-only path (embed + HNSW search) and LangChain's
 *     similaritySearch (vector-only), run interleaved query by query;
 *  3. HNSW recall@10 against exact search at the index's efSearch (target ≥ 0.95), plus an ef sweep;
 *  4. memory of a fresh process — the daemon's view — before and after loading the largest tier's
 *     index (ours and LangChain's), and of this process before and after building it.
 * Tiers of about 1k, 10k and 100k chunks (`--quick` or BENCH_QUICK=1: 1k and 10k). BENCH_QUERIES sets
 * the queries per tier (default 500); BENCH_LANGCHAIN_BUDGET_S the seconds LangChain's ingestion of a
 * tier may be projected to take before it is skipped (default 420). The tiny model has random weights:
 * its figures are speed and recall, not answer quality. Prints a table, writes
 * bench/results/retrieval-<timestamp>.json, and reports progress on stderr. No figure is asserted: the
 * ratios are against LangChain measured here.
 *
 * Run by itself with `--memory-probe <threadwise|langchain> <dir>` it is the probe process of 4.
 * This file runs the tiers and writes the figures; the pieces live in bench/retrieval/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { EMBED_BATCH_SIZE } from '../server/src/knowledge/embed/embedder';
import type { Embedder } from '../server/src/knowledge/embed/embedder';
import { ROOT, TINY_EMBED } from '../test/support/paths';
import { CORPUS_SEED, generateCorpus, generateQueries, TOPIC_COUNT, writeCorpus } from './retrieval/corpus';
import { ingestLangchain, ingestThreadwise, LangchainBudget, loadEmbedder, TimedIndexStore } from './retrieval/ingest';
import type { LangchainIngestion } from './retrieval/ingest';
import { MEMORY_PROBE_FLAG, probeMemory, runMemoryProbe, sampleMemory } from './retrieval/memory';
import { answerKey, answerRate, langchainRecall, MIN_SIMILARITY, RECALL_K, RECALL_TARGET, searchersOf, threadwiseRecall, timeQueries, TOP_K } from './retrieval/queries';
import { printReport, ratiosOf, round, say, seconds } from './retrieval/report';
import type { BenchResult, LangchainFigures, MemoryFigures, ThreadwiseFigures, TierResult } from './retrieval/report';

if (process.argv[2] === MEMORY_PROBE_FLAG) {
  const [store, dir] = process.argv.slice(3);
  if ((store !== 'threadwise' && store !== 'langchain') || !dir) throw new Error(`usage: retrieval.ts ${MEMORY_PROBE_FLAG} <threadwise|langchain> <dir>`);
  await runMemoryProbe(store, dir);
  // Exit at once: the parent has its answer when this process ends.
  process.exit(0);
}

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const TIERS = QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const LANGCHAIN_BUDGET_S = Number(process.env.BENCH_LANGCHAIN_BUDGET_S ?? 420);

/**
 * One tier of about `target` chunks, in `<work>/<label>` (removed when done): generates and writes the
 * corpus, indexes it with both stores, times the queries, measures recall, and on the largest tier
 * (`probe`) memory.
 */
async function runTier(target: number, embedder: Embedder, work: string, langchainBudget: LangchainBudget, probe: boolean): Promise<TierResult> {
  const label = `${target / 1000}k`;
  const tierDir = path.join(work, label);
  const docsDir = path.join(tierDir, 'docs-folder');
  const files = generateCorpus(target);
  say(`${label}: writing ${files.length} generated Markdown files`);
  await writeCorpus(docsDir, files);

  const store = new TimedIndexStore(path.join(tierDir, 'threadwise-index'));
  const memoryBefore = sampleMemory();
  const { index, figures: ingestion } = await ingestThreadwise(label, docsDir, store, embedder);
  const memoryAfter = sampleMemory();
  const chunks = index.chunkCount;

  // The same chunk texts for LangChain, in label order (the order they were embedded in).
  const records = [...index.records.values()].sort((a, b) => a.label - b.label);
  const answers = answerKey(records);
  const langchainDir = path.join(tierDir, 'langchain-store');
  const langchainSkipped = langchainBudget.skipReason(chunks);
  let langchain: { store: HNSWLib; figures: LangchainIngestion } | null = null;
  if (langchainSkipped !== null) {
    say(`${label}: LangChain skipped: ${langchainSkipped}`);
  } else {
    say(`${label}: LangChain HNSWLib ingesting the same ${records.length} chunk texts`);
    langchain = await ingestLangchain(records, embedder, langchainDir);
    langchainBudget.record(langchain.figures.totalSeconds, records.length);
  }

  const queries = generateQueries(files, QUERIES);
  const searchers = searchersOf(index, embedder, docsDir, langchain?.store ?? null);
  say(`${label}: timing ${queries.length} queries through ${searchers.map((searcher) => searcher.name).join(', ')}`);
  const timed = await timeQueries(searchers, queries);
  const hybrid = timed.get('hybrid')!;
  const vectorOnly = timed.get('vector')!;

  say(`${label}: recall@${RECALL_K} against exact search`);
  const queryVectors = await embedder.embed(queries.map((query) => query.text));
  const ours: ThreadwiseFigures = {
    ingestion,
    latencyMs: { hybrid: hybrid.latency, vectorOnly: vectorOnly.latency },
    recall: { ...threadwiseRecall(index, records, queryVectors), target: RECALL_TARGET },
    answerInTop5: { hybrid: answerRate(queries, answers, hybrid.found), vectorOnly: answerRate(queries, answers, vectorOnly.found) },
  };
  let theirs: LangchainFigures | null = null;
  if (langchain) {
    const recall = await langchainRecall(langchain.store, langchainDir, queryVectors);
    const searched = timed.get('langchain')!;
    theirs = { ingestion: langchain.figures, latencyMs: { similaritySearch: searched.latency }, recall, answerInTop5: answerRate(queries, answers, searched.found) };
  }

  let memory: MemoryFigures | null = null;
  if (probe) {
    say(`${label}: memory probes (fresh processes loading the index from disk)`);
    const threadwiseProbe = await probeMemory('threadwise', store.dir);
    const langchainProbe = langchain ? await probeMemory('langchain', langchainDir) : null;
    memory = { chunks, inThisProcess: { beforeBuild: memoryBefore, afterBuild: memoryAfter }, freshProcess: { threadwise: threadwiseProbe, langchain: langchainProbe } };
  }
  await rm(tierDir, { recursive: true, force: true });

  return {
    tier: label,
    files: files.length,
    chunks,
    queries: queries.length,
    queriesWithKnownAnswer: queries.filter((query) => query.code !== null).length,
    built: {
      threadwise: `updateIndex over ${files.length} generated Markdown files on disk (scan, clean, chunk, embed in batches of ${EMBED_BATCH_SIZE}, HNSW + BM25, commit to disk)`,
      langchain: langchain
        ? `HNSWLib as fromDocuments builds it (embedDocuments in batches of ${EMBED_BATCH_SIZE} through the same embedder, addVectors), then save(), over the same ${records.length} chunk texts`
        : `skipped: ${langchainSkipped}`,
    },
    threadwise: ours,
    langchain: theirs ?? { skipped: langchainSkipped ?? 'not run' },
    ratiosThreadwiseOverLangchain: theirs ? ratiosOf(ours, theirs) : null,
    memory,
  };
}

const work = await mkdtemp(path.join(os.tmpdir(), 'threadwise-bench-retrieval-'));
try {
  const started = performance.now();
  const embedder = await loadEmbedder(path.join(work, 'model-cache'));
  say(`${QUICK ? 'quick run' : 'full run'}: tiers ${TIERS.join(', ')} chunks, ${QUERIES} queries each, model ${path.relative(ROOT, TINY_EMBED)} (${embedder.dimensions} dimensions), work folder ${work}`);
  const langchainBudget = new LangchainBudget(LANGCHAIN_BUDGET_S);
  const tiers: TierResult[] = [];
  for (const target of TIERS) tiers.push(await runTier(target, embedder, work, langchainBudget, target === TIERS[TIERS.length - 1]));
  await embedder.dispose();

  const result: BenchResult = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version, platform: `${process.platform}-${process.arch}` },
    model: { path: path.relative(ROOT, TINY_EMBED), dimensions: embedder.dimensions, note: 'random weights: speed and recall only, not answer quality' },
    corpus: { seed: CORPUS_SEED, topics: TOPIC_COUNT, generator: 'bench/retrieval/corpus.ts generateFile: Markdown pages with front matter, headings, prose, code fences, tables and lists; one error code per file' },
    search: { hybridTopK: TOP_K, minSimilarity: MIN_SIMILARITY, recallK: RECALL_K },
    tiers,
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
    totalSeconds: seconds(performance.now() - started),
  };
  printReport(result);

  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `retrieval-${result.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`figures written to ${path.relative(ROOT, file)}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
