import { LEXICAL_TERMS_VERSION } from './lexicalTerms';

/**
 * The index as written to disk (JSON), compact and quick to read back for 100k chunks: terms are
 * interned in one table, ordered by document frequency (most frequent first, ties in code-unit
 * order) so the common ones get the small numbers, and each document's term → frequency map is
 * packed into one base64 string of varints (about 2–3 bytes a posting, where JSON number arrays take
 * 6–8 and parse an order of magnitude slower). Canonical: two indexes with the same documents give
 * the same snapshot, however they were built.
 */
export interface Bm25Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** {@link LEXICAL_TERMS_VERSION} of the tokenizer that made the terms; another one cannot query them. */
  tokenizerVersion: number;
  terms: string[];
  /** Document ids, ascending. */
  ids: number[];
  /**
   * Base64 of unsigned LEB128 varints: for each document in `ids` order, the number of its distinct
   * terms, then for each of them, by ascending index into `terms`, the gap to the previous index
   * minus one (the first counted from −1) and the term's frequency in the document.
   */
  documents: string;
}

export const SNAPSHOT_FORMAT = 'threadwise-bm25';
export const SNAPSHOT_VERSION = 1;

/** Checks the snapshot's fields (the packed documents are checked while they are decoded). */
export function validateSnapshotFields(value: unknown): Bm25Snapshot {
  const fail = (why: string): never => {
    throw new Error(`BM25 snapshot is corrupt: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const s = value as Partial<Record<keyof Bm25Snapshot, unknown>>;
  if (s.format !== SNAPSHOT_FORMAT) return fail(`format is ${JSON.stringify(s.format)}, expected "${SNAPSHOT_FORMAT}"`);
  if (s.version !== SNAPSHOT_VERSION) return fail(`version ${JSON.stringify(s.version)} is not supported (expected ${SNAPSHOT_VERSION})`);
  if (s.tokenizerVersion !== LEXICAL_TERMS_VERSION) {
    throw new Error(`BM25 snapshot was made by tokenizer version ${JSON.stringify(s.tokenizerVersion)}, this build uses ${LEXICAL_TERMS_VERSION}: rebuild the index`);
  }
  if (!Array.isArray(s.terms) || !Array.isArray(s.ids)) return fail('terms and ids must be arrays');
  const seenTerms = new Set<string>();
  for (const term of s.terms as unknown[]) {
    if (typeof term !== 'string' || term.length === 0) return fail('a term is not a non-empty string');
    if (seenTerms.has(term)) return fail(`term ${JSON.stringify(term)} appears twice`);
    seenTerms.add(term);
  }
  let previous = -1;
  for (const id of s.ids as unknown[]) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return fail(`document id ${JSON.stringify(id)} is not a non-negative integer`);
    if (id <= previous) return fail(`document ids are not ascending at ${id}`);
    previous = id;
  }
  if (typeof s.documents !== 'string' || s.documents.length % 4 !== 0 || !BASE64.test(s.documents)) return fail('documents is not a base64 string');
  return value as Bm25Snapshot;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
