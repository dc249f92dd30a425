/**
 * Building both stores over the same chunks with the same embedder: Threadwise's updateIndex with its
 * phases timed, LangChain's HNSWLib as fromDocuments builds it, and the budget that skips LangChain on
 * a tier it would take too long on.
 */
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { embedInBatches, loadedEmbedder } from '../../server/src/knowledge/embed/embedder';
import type { Embedder } from '../../server/src/knowledge/embed/embedder';
import { loadTransformersEmbedder } from '../../server/src/knowledge/embed/transformersEmbedder';
import { updateIndex } from '../../server/src/knowledge/indexer';
import type { ChunkRecord } from '../../server/src/knowledge/store/chunkRecord';
import { searchableText } from '../../server/src/knowledge/store/chunkRecord';
import { IndexStore } from '../../server/src/knowledge/store/indexStore';
import type { KnowledgeIndex } from '../../server/src/knowledge/store/knowledgeIndex';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { TINY_EMBED } from '../../test/support/paths';
import { round, say, seconds } from './report';

/** The tiny embedding model (random weights), from disk only; its cache goes in `cacheDir`. */
export function loadEmbedder(cacheDir: string): Promise<Embedder> {
  return loadTransformersEmbedder({ model: TINY_EMBED, cacheDir, allowDownloads: false });
}

/** LangChain's Embeddings over our embedder, in our batch size, so only the vector store differs. */
export class SameEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    await embedInBatches(this.embedder, texts, (_start, batch) => {
      for (const vector of batch) vectors.push(Array.from(vector));
    });
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([text]);
    return Array.from(vector!);
  }
}

/** The index store, with its commit (the write to disk) timed apart from the rest of "saving". */
export class TimedIndexStore extends IndexStore {
  commitMs = 0;

  override async commit(index: KnowledgeIndex): Promise<void> {
    const start = performance.now();
    await super.commit(index);
    this.commitMs += performance.now() - start;
  }
}

export interface ThreadwiseIngestion {
  totalSeconds: number;
  chunksPerSecond: number;
  /** Chunks per second from the first embedding to the commit: what LangChain's ingestion does. */
  embedIndexWriteChunksPerSecond: number;
  scanAndChunkSeconds: number;
  embedSeconds: number;
  /** Putting the chunks into the HNSW graph and the BM25 index (updateIndex's "saving" phase less the commit). */
  indexBuildSeconds: number;
  writeSeconds: number;
}

/**
 * updateIndex over the docs folder as the daemon runs it (default include/exclude), its phases timed
 * through onProgress and the store's commit; the indexer's log lines go to the progress output.
 */
export async function ingestThreadwise(label: string, docsDir: string, store: TimedIndexStore, embedder: Embedder): Promise<{ index: KnowledgeIndex; figures: ThreadwiseIngestion }> {
  const phaseStart = new Map<string, number>();
  const logs: string[] = [];
  let shown = -1;
  const start = performance.now();
  const report = await updateIndex(
    { key: `local:bench-${label}`, folder: docsDir, repo: null, store, issues: null },
    {
      embedder: loadedEmbedder(embedder),
      settings: { include: DEFAULT_SETTINGS.knowledgeInclude, exclude: DEFAULT_SETTINGS.knowledgeExclude },
      log: (message) => logs.push(message),
      onProgress: ({ phase, done, total }) => {
        if (!phaseStart.has(phase)) phaseStart.set(phase, performance.now());
        const tenth = phase === 'embedding' && total > 0 ? Math.floor((10 * done) / total) : shown;
        if (tenth !== shown) say(`${label}: Threadwise embedding ${done}/${total}`);
        shown = tenth;
      },
    },
  );
  const end = performance.now();
  for (const line of logs) say(`${label}: the indexer said: ${line}`);
  const chunks = report.index.chunkCount;
  const embedStart = phaseStart.get('embedding') ?? end;
  const saveStart = phaseStart.get('saving') ?? end;
  const totalSeconds = seconds(end - start);
  say(`${label}: Threadwise indexed ${chunks} chunks in ${totalSeconds} s`);
  return {
    index: report.index,
    figures: {
      totalSeconds,
      chunksPerSecond: round(chunks / ((end - start) / 1000), 1),
      embedIndexWriteChunksPerSecond: round(chunks / ((end - embedStart) / 1000), 1),
      scanAndChunkSeconds: seconds(embedStart - start),
      embedSeconds: seconds(saveStart - embedStart),
      indexBuildSeconds: seconds(end - saveStart - store.commitMs),
      writeSeconds: seconds(store.commitMs),
    },
  };
}

export interface LangchainIngestion {
  embedSeconds: number;
  addSeconds: number;
  saveSeconds: number;
  totalSeconds: number;
  chunksPerSecond: number;
}

/**
 * LangChain's store over the texts Threadwise embedded for `records`, in their order, through the same
 * embedder: what HNSWLib.fromDocuments does (embedDocuments, then addVectors), timed apart, then save() to `dir`.
 */
export async function ingestLangchain(records: readonly ChunkRecord[], embedder: Embedder, dir: string): Promise<{ store: HNSWLib; figures: LangchainIngestion }> {
  const documents = records.map((record) => new Document({ pageContent: searchableText(record), metadata: { chunkId: record.chunkId } }));
  const embeddings = new SameEmbeddings(embedder);
  const t0 = performance.now();
  const vectors = await embeddings.embedDocuments(documents.map((doc) => doc.pageContent));
  const t1 = performance.now();
  const store = new HNSWLib(embeddings, { space: 'cosine' });
  await store.addVectors(vectors, documents);
  const t2 = performance.now();
  await store.save(dir);
  const t3 = performance.now();
  const figures = {
    embedSeconds: seconds(t1 - t0),
    addSeconds: seconds(t2 - t1),
    saveSeconds: seconds(t3 - t2),
    totalSeconds: seconds(t3 - t0),
    chunksPerSecond: round(documents.length / ((t3 - t0) / 1000), 1),
  };
  return { store, figures };
}

/**
 * LangChain's ingestion time on a tier, projected from the previous tier's (linear in chunks, plus
 * 30%), so that a tier it would take too long on is skipped instead of stalling the run.
 */
export class LangchainBudget {
  #previous: { seconds: number; chunks: number } | null = null;

  constructor(readonly limitSeconds: number) {}

  /** Why LangChain skips a tier of `chunks`, or null when it fits (the first tier always does). */
  skipReason(chunks: number): string | null {
    const projected = this.#previous === null ? 0 : this.#previous.seconds * (chunks / this.#previous.chunks) * 1.3;
    if (projected > this.limitSeconds) {
      return `its ingestion would take about ${Math.round(projected)} s (projected from the previous tier), over the ${this.limitSeconds} s budget (BENCH_LANGCHAIN_BUDGET_S)`;
    }
    return null;
  }

  /** Records the ingestion of a tier LangChain ran, for the next projection. */
  record(seconds: number, chunks: number): void {
    this.#previous = { seconds, chunks };
  }
}
