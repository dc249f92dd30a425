import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, validateSnapshotFields } from './bm25Snapshot';
import type { Bm25Snapshot } from './bm25Snapshot';
import { LEXICAL_TERMS_VERSION, lexicalTerms } from './lexicalTerms';
import { VarintReader, VarintWriter } from './varint';

export type { Bm25Snapshot } from './bm25Snapshot';

/** One document found by {@link Bm25Index.search}. */
export interface LexicalHit {
  id: number;
  /** BM25 score, > 0. Comparable only between hits of the same query. */
  score: number;
  /**
   * How much of the query the document covers, 0..1: the IDF of the distinct query terms it contains
   * over the IDF of all distinct query terms the index knows. A relevance floor: a document that
   * matches only the commonest word of a long query scores > 0 but covers little of it.
   */
  coverage: number;
}


/** Term-frequency saturation and length normalization, the usual values. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/**
 * A query (a whole issue, thousands of words) is cut to its most telling distinct terms: those
 * with the highest IDF × (1 + ln of their count in the query). Dropping the commonest terms first
 * also drops the longest posting lists, which bounds the cost of a search.
 */
export const MAX_QUERY_TERMS = 64;
/** Frequencies are stored in 16 bits; BM25 has long saturated by then. */
const MAX_TF = 0xffff;
/** Documents added since the posting lists were built are scanned one by one, up to this many (or live/8). */
const MAX_UNINDEXED = 256;
/** Removed documents kept in the arrays until a rebuild, up to this many (or live/4). */
const MAX_DEAD = 256;

/** The inverted index over slots `0..slots` in compressed-row form: term t's postings are `[offsets[t], offsets[t+1])`. */
interface Postings {
  vocabularySize: number;
  offsets: Uint32Array;
  slots: Uint32Array;
  frequencies: Uint16Array;
}

interface QueryTerm {
  termId: number;
  idf: number;
}

/**
 * A BM25 index over numbered documents, in memory: add, replace, remove, search, snapshot.
 *
 * Documents live in slots: a document's distinct terms and their frequencies are one range of a
 * shared arena (`[termId, tf]` pairs, sorted by term). The posting lists are built from the slots
 * lazily, when a search finds too many documents added since the last build (those are scanned
 * directly) or too many removed ones (those are skipped until the rebuild compacts them away).
 * Document frequencies, the document count and the total length are kept exact on every change.
 *
 * Results do not depend on that internal layout: every document's score is summed over the query
 * terms in one fixed order, and ties are broken by id, so an index built incrementally and one built
 * from scratch (or loaded from a snapshot) answer identically.
 */
export class Bm25Index {
  readonly #termIdByText = new Map<string, number>();
  #termText: string[] = [];
  #documentFrequency: number[] = [];
  #usedTerms = 0;

  readonly #slotById = new Map<number, number>();
  #slotIds: number[] = [];
  #slotStart: number[] = [];
  #slotDistinct: number[] = [];
  /** Terms in the document; -1 once removed. */
  #slotLength: number[] = [];
  #arena = new Uint32Array(1024);
  #arenaUsed = 0;
  #deadSlots = 0;
  #totalLength = 0;

  #postings: Postings | null = null;
  /** Per-term counts while a document is added; all zero between calls. */
  #termCounts: number[] = [];
  /** Per-slot accumulators of a search; all zero between searches. */
  #scores = new Float64Array(0);
  #covered = new Float64Array(0);
  /** Slots below this are in `#postings`; the ones above are scanned by each search. */
  #indexedSlots = 0;

  /** Indexes `text` as document `id`, replacing what `id` had. */
  add(id: number, text: string): void {
    assertId(id);
    this.remove(id);
    const distinct: number[] = [];
    for (const term of lexicalTerms(text)) {
      const termId = this.#intern(term);
      const count = this.#termCounts[termId] ?? 0;
      if (count === 0) distinct.push(termId);
      this.#termCounts[termId] = count + 1;
    }
    const termIds = Uint32Array.from(distinct).sort();
    const frequencies = Array.from(termIds, (termId) => {
      const tf = Math.min(this.#termCounts[termId] ?? 0, MAX_TF);
      this.#termCounts[termId] = 0;
      return tf;
    });
    this.#appendDocument(id, termIds, frequencies);
  }

  /** Removes document `id`; false when it was not there. */
  remove(id: number): boolean {
    const slot = this.#slotById.get(id);
    if (slot === undefined) return false;
    const start = this.#slotStart[slot] ?? 0;
    const end = start + 2 * (this.#slotDistinct[slot] ?? 0);
    for (let at = start; at < end; at += 2) {
      const termId = this.#arena[at] ?? 0;
      const df = (this.#documentFrequency[termId] ?? 0) - 1;
      this.#documentFrequency[termId] = df;
      if (df === 0) this.#usedTerms--;
    }
    this.#totalLength -= this.#slotLength[slot] ?? 0;
    this.#slotLength[slot] = -1;
    this.#slotById.delete(id);
    this.#deadSlots++;
    return true;
  }

  has(id: number): boolean {
    return this.#slotById.has(id);
  }

  /** Documents in the index. */
  get size(): number {
    return this.#slotById.size;
  }

  /** Mean number of terms per document (0 when empty); BM25's `avgdl`. */
  get averageDocumentLength(): number {
    return this.size === 0 ? 0 : this.#totalLength / this.size;
  }

  /** In how many documents `term` (a term as {@link lexicalTerms} emits it) occurs. */
  documentFrequency(term: string): number {
    const termId = this.#termIdByText.get(term);
    return termId === undefined ? 0 : (this.#documentFrequency[termId] ?? 0);
  }

  /**
   * The `k` best documents for `query` that pass `filter`, best first; ties by ascending id. Only
   * documents with at least one query term (score > 0) are returned.
   */
  search(query: string, k: number, filter?: (id: number) => boolean): LexicalHit[] {
    const limit = Math.min(Math.floor(k), this.size);
    if (!(limit >= 1)) return [];
    this.#refreshPostings(); // before the query terms: a rebuild may renumber them
    const queryTerms = this.#queryTerms(lexicalTerms(query));
    if (queryTerms.length === 0) return [];

    if (this.#scores.length < this.#slotIds.length) {
      this.#scores = new Float64Array(2 * this.#slotIds.length);
      this.#covered = new Float64Array(2 * this.#slotIds.length);
    }
    const scores = this.#scores;
    const covered = this.#covered;
    const touched: number[] = [];
    const averageLength = this.#totalLength / this.size;
    const unindexed = this.#unindexedMatches(queryTerms);
    const postings = this.#postings;
    let idfTotal = 0;
    try {
      queryTerms.forEach(({ termId, idf }, q) => {
        idfTotal += idf;
        const score = (slot: number, tf: number): void => {
          const length = this.#slotLength[slot] ?? -1;
          if (length < 0) return;
          const norm = BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength);
          if (scores[slot] === 0) touched.push(slot);
          scores[slot] = (scores[slot] ?? 0) + (idf * tf * (BM25_K1 + 1)) / (tf + norm);
          covered[slot] = (covered[slot] ?? 0) + idf;
        };
        if (postings !== null && termId < postings.vocabularySize) {
          const end = postings.offsets[termId + 1] ?? 0;
          for (let p = postings.offsets[termId] ?? 0; p < end; p++) score(postings.slots[p] ?? 0, postings.frequencies[p] ?? 0);
        }
        const extra = unindexed[q] ?? [];
        for (let i = 0; i < extra.length; i += 2) score(extra[i] ?? 0, extra[i + 1] ?? 0);
      });

      const best: LexicalHit[] = [];
      for (const slot of touched) {
        const hit = { id: this.#slotIds[slot] ?? 0, score: scores[slot] ?? 0, coverage: 0 };
        if (best.length === limit && !ranksBefore(hit, best[limit - 1] as LexicalHit)) continue;
        if (filter !== undefined && !filter(hit.id)) continue;
        hit.coverage = Math.min(1, (covered[slot] ?? 0) / idfTotal);
        insertRanked(best, hit, limit);
      }
      return best;
    } finally {
      for (const slot of touched) {
        scores[slot] = 0;
        covered[slot] = 0;
      }
    }
  }

  /** A snapshot for disk; {@link Bm25Index.fromJSON} restores an index that answers identically. */
  toJSON(): Bm25Snapshot {
    const used: number[] = [];
    this.#documentFrequency.forEach((df, termId) => {
      if (df > 0) used.push(termId);
    });
    const df = this.#documentFrequency;
    const text = this.#termText;
    used.sort((a, b) => (df[b] ?? 0) - (df[a] ?? 0) || compareText(text[a] ?? '', text[b] ?? ''));
    const newIndex = new Uint32Array(text.length);
    used.forEach((termId, index) => (newIndex[termId] = index));

    const slotsById = [...this.#slotById].sort((a, b) => a[0] - b[0]);
    const writer = new VarintWriter(this.#arenaUsed * 2 + slotsById.length);
    for (const [, slot] of slotsById) {
      const start = this.#slotStart[slot] ?? 0;
      const distinct = this.#slotDistinct[slot] ?? 0;
      // index × 2^16 + tf is exact in a double and sorts by index.
      const pairs = new Float64Array(distinct);
      for (let i = 0; i < distinct; i++) pairs[i] = (newIndex[this.#arena[start + 2 * i] ?? 0] ?? 0) * 0x10000 + (this.#arena[start + 2 * i + 1] ?? 0);
      pairs.sort();
      writer.write(distinct);
      let previous = -1;
      for (const pair of pairs) {
        const index = Math.floor(pair / 0x10000);
        writer.write(index - previous - 1);
        writer.write(pair % 0x10000);
        previous = index;
      }
    }
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      tokenizerVersion: LEXICAL_TERMS_VERSION,
      terms: used.map((termId) => text[termId] ?? ''),
      ids: slotsById.map(([id]) => id),
      documents: writer.toBase64(),
    };
  }

  /** Restores an index from {@link Bm25Index.toJSON}'s output; throws an Error that says what is wrong with a bad one. */
  static fromJSON(snapshot: unknown): Bm25Index {
    const { terms, ids, documents } = validateSnapshotFields(snapshot);
    const corrupt = (why: string): Error => new Error(`BM25 snapshot is corrupt: ${why}`);
    const index = new Bm25Index();
    terms.forEach((term) => index.#intern(term));
    const reader = new VarintReader(Buffer.from(documents, 'base64'), corrupt);
    for (const id of ids) {
      const distinct = reader.read();
      if (distinct > terms.length) throw corrupt(`document ${id} has ${distinct} distinct terms, more than the ${terms.length} there are`);
      const termIds = new Uint32Array(distinct);
      const frequencies = new Uint32Array(distinct);
      let previous = -1;
      for (let i = 0; i < distinct; i++) {
        const termId = previous + 1 + reader.read();
        const tf = reader.read();
        if (termId >= terms.length) throw corrupt(`document ${id} refers to term ${termId} of ${terms.length}`);
        if (tf < 1 || tf > MAX_TF) throw corrupt(`document ${id} has a term frequency of ${tf}`);
        termIds[i] = termId;
        frequencies[i] = tf;
        previous = termId;
      }
      index.#appendDocument(id, termIds, frequencies);
    }
    if (!reader.atEnd) throw corrupt('documents has bytes left over after the last document');
    return index;
  }

  #intern(term: string): number {
    let termId = this.#termIdByText.get(term);
    if (termId === undefined) {
      termId = this.#termText.length;
      this.#termIdByText.set(term, termId);
      this.#termText.push(term);
      this.#documentFrequency.push(0);
      this.#termCounts.push(0);
    }
    return termId;
  }

  /** Adds a document whose term ids are ascending and distinct, frequencies in 1..MAX_TF. */
  #appendDocument(id: number, termIds: ArrayLike<number>, frequencies: ArrayLike<number>): void {
    this.#reserveArena(2 * termIds.length);
    const slot = this.#slotIds.length;
    let length = 0;
    this.#slotStart.push(this.#arenaUsed);
    for (let i = 0; i < termIds.length; i++) {
      const termId = termIds[i] ?? 0;
      const tf = frequencies[i] ?? 0;
      this.#arena[this.#arenaUsed++] = termId;
      this.#arena[this.#arenaUsed++] = tf;
      const df = (this.#documentFrequency[termId] ?? 0) + 1;
      this.#documentFrequency[termId] = df;
      if (df === 1) this.#usedTerms++;
      length += tf;
    }
    this.#slotIds.push(id);
    this.#slotDistinct.push(termIds.length);
    this.#slotLength.push(length);
    this.#slotById.set(id, slot);
    this.#totalLength += length;
  }

  #reserveArena(extra: number): void {
    if (this.#arenaUsed + extra <= this.#arena.length) return;
    const grown = new Uint32Array(Math.max(2 * this.#arena.length, this.#arenaUsed + extra));
    grown.set(this.#arena.subarray(0, this.#arenaUsed));
    this.#arena = grown;
  }

  /** The distinct known query terms in their fixed scoring order, at most {@link MAX_QUERY_TERMS}. */
  #queryTerms(terms: readonly string[]): QueryTerm[] {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const termId = this.#termIdByText.get(term);
      if (termId !== undefined && (this.#documentFrequency[termId] ?? 0) > 0) counts.set(termId, (counts.get(termId) ?? 0) + 1);
    }
    const documents = this.size;
    const ranked = [...counts].map(([termId, count]) => {
      const df = this.#documentFrequency[termId] ?? 0;
      const idf = Math.log(1 + (documents - df + 0.5) / (df + 0.5));
      return { termId, idf, weight: idf * (1 + Math.log(count)), text: this.#termText[termId] ?? '' };
    });
    ranked.sort((a, b) => b.weight - a.weight || compareText(a.text, b.text));
    return ranked.slice(0, MAX_QUERY_TERMS).map(({ termId, idf }) => ({ termId, idf }));
  }

  /** For each query term, `[slot, tf, ...]` of the live documents added since the postings were built. */
  #unindexedMatches(queryTerms: readonly QueryTerm[]): number[][] {
    const matches = queryTerms.map((): number[] => []);
    if (this.#indexedSlots >= this.#slotIds.length) return matches;
    const queryIndex = new Map(queryTerms.map(({ termId }, q) => [termId, q]));
    for (let slot = this.#indexedSlots; slot < this.#slotIds.length; slot++) {
      if ((this.#slotLength[slot] ?? -1) < 0) continue;
      const start = this.#slotStart[slot] ?? 0;
      const end = start + 2 * (this.#slotDistinct[slot] ?? 0);
      for (let at = start; at < end; at += 2) {
        const q = queryIndex.get(this.#arena[at] ?? 0);
        if (q !== undefined) matches[q]?.push(slot, this.#arena[at + 1] ?? 0);
      }
    }
    return matches;
  }

  /** Rebuilds the posting lists when too many documents were added or removed since the last build. */
  #refreshPostings(): void {
    const unindexed = this.#slotIds.length - this.#indexedSlots;
    const tooManyNew = unindexed > Math.max(MAX_UNINDEXED, this.size / 8);
    const tooManyDead = this.#deadSlots > Math.max(MAX_DEAD, this.size / 4);
    if (!tooManyNew && !tooManyDead) return;
    this.#compact();
    const vocabularySize = this.#termText.length;
    const offsets = new Uint32Array(vocabularySize + 1);
    for (let at = 0; at < this.#arenaUsed; at += 2) {
      const next = (this.#arena[at] ?? 0) + 1;
      offsets[next] = (offsets[next] ?? 0) + 1;
    }
    for (let termId = 0; termId < vocabularySize; termId++) offsets[termId + 1] = (offsets[termId + 1] ?? 0) + (offsets[termId] ?? 0);
    const cursor = offsets.slice(0, vocabularySize);
    const slots = new Uint32Array(this.#arenaUsed / 2);
    const frequencies = new Uint16Array(this.#arenaUsed / 2);
    for (let slot = 0; slot < this.#slotIds.length; slot++) {
      const start = this.#slotStart[slot] ?? 0;
      const end = start + 2 * (this.#slotDistinct[slot] ?? 0);
      for (let at = start; at < end; at += 2) {
        const termId = this.#arena[at] ?? 0;
        const p = cursor[termId] ?? 0;
        cursor[termId] = p + 1;
        slots[p] = slot;
        frequencies[p] = this.#arena[at + 1] ?? 0;
      }
    }
    this.#postings = { vocabularySize, offsets, slots, frequencies };
    this.#indexedSlots = this.#slotIds.length;
  }

  /** Drops removed documents (renumbering the slots in order) and, when most of them are gone, unused terms. */
  #compact(): void {
    const dropTerms = this.#termText.length > 2 * this.#usedTerms + 4096;
    const newTermId = new Int32Array(dropTerms ? this.#termText.length : 0);
    if (dropTerms) {
      const termText: string[] = [];
      const documentFrequency: number[] = [];
      this.#termIdByText.clear();
      this.#termText.forEach((text, termId) => {
        const df = this.#documentFrequency[termId] ?? 0;
        if (df === 0) return;
        newTermId[termId] = termText.length;
        this.#termIdByText.set(text, termText.length);
        termText.push(text);
        documentFrequency.push(df);
      });
      this.#termText = termText;
      this.#documentFrequency = documentFrequency;
      this.#termCounts = documentFrequency.map(() => 0);
    }
    const arena = new Uint32Array(Math.max(1024, this.#arenaUsed));
    let used = 0;
    const slotIds: number[] = [];
    const slotStart: number[] = [];
    const slotDistinct: number[] = [];
    const slotLength: number[] = [];
    this.#slotIds.forEach((id, slot) => {
      const length = this.#slotLength[slot] ?? -1;
      if (length < 0) return;
      const start = this.#slotStart[slot] ?? 0;
      const distinct = this.#slotDistinct[slot] ?? 0;
      this.#slotById.set(id, slotIds.length);
      slotIds.push(id);
      slotStart.push(used);
      slotDistinct.push(distinct);
      slotLength.push(length);
      // Renumbering keeps the relative order of term ids, so each document's pairs stay sorted.
      for (let at = start; at < start + 2 * distinct; at += 2) {
        const termId = this.#arena[at] ?? 0;
        arena[used++] = dropTerms ? (newTermId[termId] ?? 0) : termId;
        arena[used++] = this.#arena[at + 1] ?? 0;
      }
    });
    this.#arena = arena;
    this.#arenaUsed = used;
    this.#slotIds = slotIds;
    this.#slotStart = slotStart;
    this.#slotDistinct = slotDistinct;
    this.#slotLength = slotLength;
    this.#deadSlots = 0;
  }
}

function assertId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`BM25 document ids are non-negative integers, got ${String(id)}`);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Higher score first, then the lower id. */
function ranksBefore(a: LexicalHit, b: LexicalHit): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/** Inserts `hit` into `best` (ranked, at most `limit` long) at its place, dropping the last one when full. */
function insertRanked(best: LexicalHit[], hit: LexicalHit, limit: number): void {
  let low = 0;
  let high = best.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranksBefore(best[middle] as LexicalHit, hit)) low = middle + 1;
    else high = middle;
  }
  best.splice(low, 0, hit);
  if (best.length > limit) best.pop();
}
