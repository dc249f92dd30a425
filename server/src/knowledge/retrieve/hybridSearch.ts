import type { KnowledgeSearchHit } from '../../protocol';
import type { Embedder } from '../embed/embedder';
import { reciprocalRankFusion } from '../search/fusion';
import type { KnowledgeIndex } from '../store/knowledgeIndex';
import { sourceOf } from './sourceOf';
import type { SourceContext } from './sourceOf';

export interface HybridSearchOptions {
  /** Most hits returned. */
  k: number;
  /** A hit found only by meaning needs at least this cosine similarity to count as relevant. */
  minSimilarity: number;
  /** A hit found only by words needs at least this share (IDF-weighted) of the query's terms. */
  minCoverage?: number;
  /** How deep each engine's list goes before fusion. */
  candidates?: number;
  /** Most hits from one file or issue, so one long page cannot crowd out the rest. */
  maxPerSource?: number;
}

export const DEFAULT_MIN_COVERAGE = 0.3;
const DEFAULT_CANDIDATES = 50;
const DEFAULT_MAX_PER_SOURCE = 2;

/**
 * Hybrid retrieval: the HNSW vectors (meaning) and BM25 (exact words: error messages, option
 * names) each rank candidates; reciprocal rank fusion merges the two lists without calibrating
 * their scores. Each list first loses the hits its own engine finds unconvincing (the relevance
 * floor: a cosine similarity, a share of the query's terms), so an unrelated thread gets no sources
 * (and the prompt says so) instead of the least bad ones, and a chunk does not win only by
 * appearing weakly in both lists of a small corpus.
 */
export async function hybridSearch(index: KnowledgeIndex, embedder: Embedder, query: string, context: SourceContext, options: HybridSearchOptions): Promise<Array<Omit<KnowledgeSearchHit, 'number'>>> {
  if (index.chunkCount === 0 || query.trim() === '' || options.k <= 0) return [];
  const depth = Math.max(options.k, options.candidates ?? DEFAULT_CANDIDATES);
  const [queryVector] = await embedder.embed([query]);
  const minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const vectorHits = index.vectors.search(queryVector!, depth).filter((hit) => hit.similarity >= options.minSimilarity);
  const lexicalHits = index.lexical.search(query, depth).filter((hit) => hit.coverage >= minCoverage);
  const similarity = new Map(vectorHits.map((hit) => [hit.id, hit.similarity]));
  const maxPerSource = options.maxPerSource ?? DEFAULT_MAX_PER_SOURCE;

  const hits: Array<Omit<KnowledgeSearchHit, 'number'>> = [];
  const perSource = new Map<string, number>();
  for (const fused of reciprocalRankFusion([vectorHits, lexicalHits])) {
    if (hits.length >= options.k) break;
    const record = index.records.get(fused.id);
    if (!record) continue;
    const cosine = similarity.get(fused.id) ?? null;
    const taken = perSource.get(record.sourceId) ?? 0;
    if (taken >= maxPerSource) continue;
    perSource.set(record.sourceId, taken + 1);
    hits.push({ ...sourceOf(record, context, fused.score), vectorRank: fused.ranks[0] ?? null, lexicalRank: fused.ranks[1] ?? null, similarity: cosine });
  }
  return hits;
}
