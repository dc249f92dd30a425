/**
 * Searching both stores: the search settings, the searchers and their interleaved timing, whether a
 * query's known answer was found, and HNSW recall against exact search.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embedder } from '../../server/src/knowledge/embed/embedder';
import { hybridSearch } from '../../server/src/knowledge/retrieve/hybridSearch';
import { exactCosineTopK, recallAtK } from '../../server/src/knowledge/search/exactSearch';
import type { VectorHit } from '../../server/src/knowledge/search/hnswVectorIndex';
import type { ChunkRecord } from '../../server/src/knowledge/store/chunkRecord';
import type { KnowledgeIndex } from '../../server/src/knowledge/store/knowledgeIndex';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import type { Query } from './corpus';
import { round } from './report';

/** The hybrid search as the daemon runs it for a reply: top k and relevance floor of the vector hits. */
export const TOP_K = DEFAULT_SETTINGS.knowledgeTopK;
export const MIN_SIMILARITY = DEFAULT_SETTINGS.knowledgeMinSimilarity;

/** Neighbours compared for recall and returned by the vector-only searches. */
export const RECALL_K = 10;

/** HNSW recall@10 against exact search that issue 5 asks of the index. */
export const RECALL_TARGET = 0.95;

/** Queries run through every searcher before timing starts (model and caches warm). */
const WARMUP_QUERIES = 10;

/** Query latency in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles and the mean of `samples` (ms); NaN percentiles when there are none. */
export function latencyOf(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { p50: round(at(50), 3), p99: round(at(99), 3), mean: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length, 3) };
}

export type SearcherName = 'hybrid' | 'vector' | 'langchain';

/** One way of searching a store, timed as a whole (the query's embedding included). */
export interface Searcher {
  name: SearcherName;
  /** The chunk ids found for `query`, best first. */
  run(query: string): Promise<string[]>;
}

/** A searcher's latency over the queries, and what it found for each (`found[i]` for `queries[i]`). */
export interface TimedSearcher {
  latency: Latency;
  found: string[][];
}

/**
 * Threadwise's hybrid search as the daemon runs it, its vector-only path (embed + HNSW search), and
 * LangChain's similaritySearch when it ran (`langchain` not null); each returns chunk ids.
 */
export function searchersOf(index: KnowledgeIndex, embedder: Embedder, docsDir: string, langchain: HNSWLib | null): Searcher[] {
  const context = { folder: docsDir, repo: null, webUrl: null };
  const searchers: Searcher[] = [
    { name: 'hybrid', run: async (query) => (await hybridSearch(index, embedder, query, context, { k: TOP_K, minSimilarity: MIN_SIMILARITY })).map((hit) => hit.chunkId) },
    {
      name: 'vector',
      run: async (query) => {
        const [vector] = await embedder.embed([query]);
        return index.vectors.search(vector!, RECALL_K).map((hit) => index.records.get(hit.id)?.chunkId ?? '');
      },
    },
  ];
  if (langchain) searchers.push({ name: 'langchain', run: async (query) => (await langchain.similaritySearch(query, RECALL_K)).map((doc) => String(doc.metadata.chunkId)) });
  return searchers;
}

/**
 * Every query through every searcher, interleaved (the first searcher rotates from query to query so
 * that none always runs on a cache the previous one warmed), after a few warm-up queries.
 */
export async function timeQueries(searchers: readonly Searcher[], queries: readonly Query[]): Promise<Map<SearcherName, TimedSearcher>> {
  for (const query of queries.slice(0, WARMUP_QUERIES)) for (const searcher of searchers) await searcher.run(query.text);
  const times = new Map(searchers.map((searcher) => [searcher.name, [] as number[]]));
  const found = new Map(searchers.map((searcher) => [searcher.name, [] as string[][]]));
  for (const [i, query] of queries.entries()) {
    for (let j = 0; j < searchers.length; j++) {
      const searcher = searchers[(i + j) % searchers.length]!;
      const start = performance.now();
      const ids = await searcher.run(query.text);
      times.get(searcher.name)!.push(performance.now() - start);
      found.get(searcher.name)![i] = ids;
    }
  }
  return new Map(searchers.map((searcher) => [searcher.name, { latency: latencyOf(times.get(searcher.name)!), found: found.get(searcher.name)! }]));
}

/** Each error code of the corpus → the ids of the chunks that hold it: any of them answers a query naming it. */
export function answerKey(records: Iterable<Pick<ChunkRecord, 'chunkId' | 'text'>>): Map<string, Set<string>> {
  const answers = new Map<string, Set<string>>();
  for (const record of records) {
    for (const [code] of record.text.matchAll(/ERR_[A-Z]+_\d{5}/g)) {
      if (!answers.has(code)) answers.set(code, new Set());
      answers.get(code)!.add(record.chunkId);
    }
  }
  return answers;
}

/**
 * The share of the queries with a known answer whose answer a searcher found in its top TOP_K
 * (`found[i]` being what it found for `queries[i]`); 0 when no query has one.
 */
export function answerRate(queries: readonly Query[], answers: ReadonlyMap<string, ReadonlySet<string>>, found: ReadonlyArray<readonly string[]>): number {
  let asked = 0;
  let hit = 0;
  queries.forEach((query, i) => {
    if (query.code === null) return;
    asked++;
    const expected = answers.get(query.code);
    if (expected && (found[i] ?? []).slice(0, TOP_K).some((chunkId) => expected.has(chunkId))) hit++;
  });
  return asked === 0 ? 0 : round(hit / asked, 3);
}

/** The efSearch values of the sweep. */
const EF_SWEEP = [16, 32, 64, 128, 256];

export interface EfPoint {
  ef: number;
  recallAt10: number;
  /** Mean time of one HNSW search of k = 10, without the query's embedding. */
  searchMicros: number;
}

export interface RecallFigures {
  /** The efSearch searches ran at (the store's own setting). */
  ef: number;
  recallAt10: number;
  sweep: EfPoint[];
  /** Graph links per node. */
  m: number;
  efConstruction: number;
}

/**
 * recall@10 of an HNSW search against exact search over the same stored vectors, at the store's own
 * ef and then at each ef of EF_SWEEP (`setEf` must leave the store at its own ef when given it back).
 */
function measureRecall(
  queryVectors: readonly Float32Array[],
  stored: ReadonlyArray<[number, Float32Array]>,
  search: (vector: Float32Array) => VectorHit[],
  ef: { current: number; set(value: number): void },
): Omit<RecallFigures, 'm' | 'efConstruction'> {
  const exact = queryVectors.map((vector) => exactCosineTopK(vector, stored, RECALL_K));
  const recallAt10 = round(recallAtK(queryVectors.map(search), exact), 4);
  const sweep = EF_SWEEP.map((value): EfPoint => {
    ef.set(value);
    const start = performance.now();
    const approx = queryVectors.map(search);
    const searchMicros = round(((performance.now() - start) * 1000) / queryVectors.length, 1);
    return { ef: value, recallAt10: round(recallAtK(approx, exact), 4), searchMicros };
  });
  ef.set(ef.current);
  return { ef: ef.current, recallAt10, sweep };
}

/** Recall of Threadwise's HNSW index over the vectors of `records`, at the parameters it reports. */
export function threadwiseRecall(index: KnowledgeIndex, records: readonly ChunkRecord[], queryVectors: readonly Float32Array[]): RecallFigures {
  const { m, efConstruction, efSearch } = index.vectors.parameters;
  const measured = measureRecall(
    queryVectors,
    records.map((record) => [record.label, index.vectors.vector(record.label)]),
    (vector) => index.vectors.search(vector, RECALL_K),
    { current: efSearch, set: (value) => index.vectors.setEfSearch(value) },
  );
  return { ...measured, m, efConstruction };
}

/** Recall of LangChain's HNSWLib store, whose hnswlib index was saved in `savedDir`. */
export async function langchainRecall(store: HNSWLib, savedDir: string, queryVectors: readonly Float32Array[]): Promise<RecallFigures> {
  const native = store.index;
  const measured = measureRecall(
    queryVectors,
    Array.from({ length: native.getCurrentCount() }, (_, id): [number, Float32Array] => [id, Float32Array.from(native.getPoint(id))]),
    (vector) => {
      const result = native.searchKnn(Array.from(vector), RECALL_K);
      return result.neighbors.map((id, i) => ({ id, similarity: 1 - (result.distances[i] ?? 1) }));
    },
    { current: native.getEf(), set: (value) => native.setEf(value) },
  );
  return { ...measured, ...(await hnswlibFileParameters(path.join(savedDir, 'hnswlib.index'))) };
}

/**
 * M and efConstruction of a saved hnswlib index, from its header (M at byte 72, efConstruction at
 * byte 88, both size_t): hnswlib-node has no getter for them, and LangChain builds with its defaults.
 */
async function hnswlibFileParameters(file: string): Promise<{ m: number; efConstruction: number }> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(96);
    await handle.read(header, 0, 96, 0);
    return { m: Number(header.readBigUInt64LE(72)), efConstruction: Number(header.readBigUInt64LE(88)) };
  } finally {
    await handle.close();
  }
}
