/**
 * The contracts between the stages of the knowledge pipeline (see docs/architecture.md):
 *
 *   files / cached threads → clean/ (decode, per-format cleaners) → chunk/ (Markdown-aware chunks)
 *   → embed/ (transformers.js) → search/ (HNSW vectors + BM25 + reciprocal rank fusion)
 *   → store/ (generations on disk, manifest of content hashes) → retrieve/ (numbered sources).
 */

/** Formats the chunker understands; every format is first turned into Markdown-shaped lines. */
export type DocFormat = 'markdown' | 'rst' | 'asciidoc' | 'html' | 'text';

/**
 * One piece of a document as the chunker cuts it. Line numbers are 1-based and inclusive and refer
 * to the lines of the original file (the cleaners keep one output line per input line).
 */
export interface TextChunk {
  /** The chunk's own text (Markdown), front matter and page furniture removed. */
  text: string;
  /** Headings above the chunk, outermost first, as plain text. */
  headingPath: string[];
  /** GitHub's anchor (slug) of the innermost heading; null before the first heading. */
  anchor: string | null;
  startLine: number;
  endLine: number;
  /** Estimated tokens (see estimateTokens in chunk/tokens.ts). */
  tokens: number;
}

export interface ChunkOptions {
  /** A chunk is closed once it reaches this many tokens at a block boundary. Default 300. */
  targetTokens?: number;
  /** No chunk is larger, unless one indivisible block (a code fence, a table) alone is. Default 400. */
  maxTokens?: number;
  /** Chunks of a section smaller than this are merged with the next one in the same section. Default 200. */
  minTokens?: number;
  /** Tokens of the previous chunk's end repeated at the start of the next one in the same section. Default 40. */
  overlapTokens?: number;
}

/**
 * A closed issue or merged pull request with its maintainers' answers, cleaned and ready to chunk
 * (docs files go from the scanner to the chunker directly, see indexer.ts).
 */
export interface SourceDocument {
  /** Key in the manifest: `issue:<number>`. */
  id: string;
  kind: 'issue' | 'pull';
  /** Always Markdown: the cleaner writes the question and answers as Markdown. */
  format: DocFormat;
  text: string;
  /** Issues: number, title and URL. */
  issueNumber?: number;
  title?: string;
  url?: string;
}
