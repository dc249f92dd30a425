import { createHash } from 'node:crypto';

/**
 * A chunk as the index keeps it: its text, where it came from, and its label in the vector and
 * lexical indexes. Records are the `chunks.jsonl` of a generation.
 */
export interface ChunkRecord {
  /** Label in the HNSW and BM25 indexes; never reused within one index. */
  label: number;
  /** Content hash of what was embedded: equal ids share one vector, even across files (renames). */
  chunkId: string;
  /** The manifest key of its source: `doc:<path>` or `issue:<n>`. */
  sourceId: string;
  kind: 'doc' | 'issue' | 'pull';
  /** Docs: the path relative to the indexed folder (to open the local file). */
  file?: string;
  /** Docs: the path relative to the git repository's root (for links); null outside git. */
  repoPath?: string | null;
  headingPath: string[];
  anchor: string | null;
  startLine?: number;
  endLine?: number;
  /** Docs: the commit whose lines these are; null when outside git or the file differed from it. */
  commitSha?: string | null;
  issueNumber?: number;
  /** Issues: their URL; docs: none (made from repo, commit and lines when shown). */
  url?: string;
  /** Issues: their title. */
  title?: string;
  text: string;
}

/** The text that is embedded and searched: the headings (or the issue title) give the chunk its context. */
export function searchableText(record: Pick<ChunkRecord, 'headingPath' | 'title' | 'text' | 'kind' | 'issueNumber'>): string {
  const context = record.kind === 'doc' ? record.headingPath.join(' › ') : `#${record.issueNumber ?? ''} ${record.title ?? ''}`.trim();
  return context === '' ? record.text : `${context}\n\n${record.text}`;
}

export function chunkIdOf(embeddedText: string): string {
  return createHash('sha256').update(embeddedText).digest('hex').slice(0, 32);
}

/** Validates one line of `chunks.jsonl` (a file on disk can be damaged or from another version). */
export function parseChunkRecord(value: unknown): ChunkRecord {
  const record = value as Partial<ChunkRecord> | null;
  if (
    !record ||
    typeof record !== 'object' ||
    !Number.isInteger(record.label) ||
    typeof record.chunkId !== 'string' ||
    typeof record.sourceId !== 'string' ||
    (record.kind !== 'doc' && record.kind !== 'issue' && record.kind !== 'pull') ||
    !Array.isArray(record.headingPath) ||
    typeof record.text !== 'string'
  ) {
    throw new Error('a chunk record is damaged');
  }
  return record as ChunkRecord;
}
