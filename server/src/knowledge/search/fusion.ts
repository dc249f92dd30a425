/** One item of a fused ranking. */
export interface FusedHit {
  id: number;
  /** Σ 1 / (k + rank) over the lists the item is in. */
  score: number;
  /** The item's 1-based rank in each input list (same order as the lists), null where it is absent. */
  ranks: Array<number | null>;
}

export interface FusionOptions {
  /** The RRF constant: larger values flatten the advantage of the top ranks. Default 60 (Cormack et al., 2009). */
  k?: number;
  /** Most items returned. Default: all. */
  limit?: number;
}

/** The usual RRF constant. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each list (best first) votes 1 / (k + rank) for each item in it, and items
 * are ranked by their summed votes. Only ranks count, not the lists' own scores, so lists of
 * incomparable scores (BM25, cosine similarity) fuse without calibration, and an item that is fairly
 * high in both lists beats one that tops only one of them.
 *
 * An id repeated in one list counts once, at its best rank. Ties are broken by the best rank the item
 * has in any list, then by ascending id, so equal inputs always give the same order.
 */
export function reciprocalRankFusion(lists: ReadonlyArray<ReadonlyArray<{ id: number }>>, options: FusionOptions = {}): FusedHit[] {
  const k = options.k ?? RRF_K;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a finite number ≥ 0, got ${k}`);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0)) throw new RangeError(`RRF limit must be ≥ 0, got ${limit}`);

  const fused = new Map<number, FusedHit>();
  lists.forEach((list, listIndex) => {
    list.forEach(({ id }, position) => {
      let hit = fused.get(id);
      if (hit === undefined) {
        hit = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, hit);
      }
      if (hit.ranks[listIndex] === null) hit.ranks[listIndex] = position + 1;
    });
  });
  const bestRank = new Map<number, number>();
  for (const hit of fused.values()) {
    let best = Number.POSITIVE_INFINITY;
    // Summed in list order, so the score of an item does not depend on anything but its ranks.
    for (const rank of hit.ranks) {
      if (rank === null) continue;
      hit.score += 1 / (k + rank);
      best = Math.min(best, rank);
    }
    bestRank.set(hit.id, best);
  }
  const ranked = [...fused.values()].sort((a, b) => b.score - a.score || (bestRank.get(a.id) ?? 0) - (bestRank.get(b.id) ?? 0) || a.id - b.id);
  return ranked.slice(0, Math.floor(Math.min(limit, ranked.length)));
}
