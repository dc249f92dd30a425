import type { VectorHit } from './hnswVectorIndex';

/**
 * The exact `k` nearest vectors to `query` by cosine similarity, by brute force: the ground truth
 * HNSW recall is measured against (tests, `bench:retrieval`). Most similar first, ties by ascending
 * id. An all-zero query finds nothing, an all-zero vector has similarity 0 (as in the HNSW index).
 * Throws when a vector's length differs from the query's or the query is not finite.
 */
export function exactCosineTopK(query: Float32Array | readonly number[], vectors: Iterable<[id: number, vector: Float32Array]>, k: number): VectorHit[] {
  let queryNorm = 0;
  for (let i = 0; i < query.length; i++) queryNorm += (query[i] ?? 0) ** 2;
  if (!Number.isFinite(queryNorm)) throw new Error('the query vector has a non-finite value');
  const limit = Math.floor(k);
  if (!(limit >= 1) || queryNorm === 0) return [];
  queryNorm = Math.sqrt(queryNorm);

  const best: VectorHit[] = [];
  for (const [id, vector] of vectors) {
    if (vector.length !== query.length) throw new Error(`vector ${id} has ${vector.length} dimensions, the query has ${query.length}`);
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const value = vector[i] ?? 0;
      dot += value * (query[i] ?? 0);
      norm += value * value;
    }
    if (!Number.isFinite(dot) || !Number.isFinite(norm)) throw new Error(`vector ${id} has a non-finite value`);
    const hit = { id, similarity: norm === 0 ? 0 : dot / (queryNorm * Math.sqrt(norm)) };
    if (best.length < limit || ranksBefore(hit, best[best.length - 1] as VectorHit)) insertRanked(best, hit, limit);
  }
  return best;
}

/**
 * recall@k of approximate results against exact ones, query by query (`approx[i]` answers the same
 * query as `exact[i]`): the share of all exact neighbours that the approximate lists found, 0..1.
 * With the same k for every query this is the mean of the per-query recalls. 1 when `exact` expects
 * nothing.
 */
export function recallAtK(approx: ReadonlyArray<readonly VectorHit[]>, exact: ReadonlyArray<readonly VectorHit[]>): number {
  if (approx.length !== exact.length) throw new Error(`recallAtK: ${approx.length} approximate result lists for ${exact.length} exact ones`);
  let expected = 0;
  let found = 0;
  exact.forEach((truth, query) => {
    const ids = new Set((approx[query] ?? []).map((hit) => hit.id));
    expected += truth.length;
    for (const hit of truth) if (ids.has(hit.id)) found++;
  });
  return expected === 0 ? 1 : found / expected;
}

function ranksBefore(a: VectorHit, b: VectorHit): boolean {
  return a.similarity > b.similarity || (a.similarity === b.similarity && a.id < b.id);
}

/** Inserts `hit` into the ranked `best` (at most `limit` long) at its place, dropping the last one when full. */
function insertRanked(best: VectorHit[], hit: VectorHit, limit: number): void {
  let low = 0;
  let high = best.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranksBefore(best[middle] as VectorHit, hit)) low = middle + 1;
    else high = middle;
  }
  best.splice(low, 0, hit);
  if (best.length > limit) best.pop();
}
