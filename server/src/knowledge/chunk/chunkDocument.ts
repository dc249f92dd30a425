import { isBlank } from '../clean/markdownFence';
import { toMarkdownLines } from '../clean/toMarkdownLines';
import type { ChunkOptions, DocFormat, TextChunk } from '../types';
import { scanMarkdownBlocks } from './markdownBlocks';
import { LineTokens, packSection, type PackLimits } from './packSection';
import { splitIntoSections } from './sections';

/**
 * Markdown-aware chunking, in four stages, each linear in the size of the document:
 *
 *   1. clean   toMarkdownLines: any format → Markdown with one line per original line, front matter
 *              and page furniture blanked (so line numbers stay those of the original file);
 *   2. scan    scanMarkdownBlocks: lines → blocks (headings, code fences, tables, lists, …) with their
 *              line ranges; nothing inside code is a heading;
 *   3. group   splitIntoSections: blocks → sections, one per heading, with heading path and anchor;
 *   4. pack    packSection: each section's blocks → chunks of about targetTokens, code and tables
 *              whole, a small overlap between neighbours in the same section.
 *
 * A heading with nothing under it before the next heading gives no chunk of its own: its text is in
 * the heading path of the sections below it. Empty and whitespace-only documents give [].
 */
export function chunkDocument(text: string, format: DocFormat, options: ChunkOptions = {}): TextChunk[] {
  const limits = resolveLimits(options);
  const lines = toMarkdownLines(text, format).split('\n');
  if (lines.every(isBlank)) return [];
  const measure = new LineTokens(lines);
  const chunks: TextChunk[] = [];
  for (const section of splitIntoSections(scanMarkdownBlocks(lines))) {
    if (section.blocks.length === 0) continue;
    for (const chunk of packSection(section, measure, limits)) {
      chunks.push({
        text: chunk.text,
        headingPath: [...section.headingPath],
        anchor: section.anchor,
        startLine: chunk.start + 1,
        endLine: chunk.end + 1,
        tokens: chunk.tokens,
      });
    }
  }
  return chunks;
}

export const DEFAULT_CHUNK_OPTIONS: Readonly<Required<ChunkOptions>> = {
  targetTokens: 300,
  maxTokens: 400,
  minTokens: 200,
  overlapTokens: 40,
};

/** Indivisible blocks (code, tables) stay whole up to this many times maxTokens; bigger ones are cut between lines. */
export const HARD_LIMIT_FACTOR = 4;

/**
 * The most estimated tokens any chunk can have with these options: an indivisible block kept whole
 * (at most HARD_LIMIT_FACTOR × maxTokens, its heading included) plus the overlap in front of it.
 */
export function chunkTokenBound(options: ChunkOptions = {}): number {
  const limits = resolveLimits(options);
  return limits.hardLimitTokens + limits.overlapTokens;
}

/** Defaults filled in and nonsense repaired: max ≥ 1, target ≤ max, min ≤ target, overlap < target. */
function resolveLimits(options: ChunkOptions): PackLimits {
  const pick = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
  const maxTokens = Math.max(1, pick(options.maxTokens, DEFAULT_CHUNK_OPTIONS.maxTokens));
  const targetTokens = Math.max(1, Math.min(maxTokens, pick(options.targetTokens, Math.min(DEFAULT_CHUNK_OPTIONS.targetTokens, maxTokens))));
  const minTokens = Math.min(targetTokens, pick(options.minTokens, Math.min(DEFAULT_CHUNK_OPTIONS.minTokens, targetTokens)));
  const overlapTokens = Math.min(Math.floor(targetTokens / 2), pick(options.overlapTokens, DEFAULT_CHUNK_OPTIONS.overlapTokens));
  return { targetTokens, maxTokens, minTokens, overlapTokens, hardLimitTokens: HARD_LIMIT_FACTOR * maxTokens };
}
