import { isBlank } from '../clean/markdownFence';
import type { MarkdownBlock } from './markdownBlocks';
import type { Section } from './sections';
import { estimateTokens, unitWeight } from './tokens';

/** The chunk sizes, all resolved (see ChunkOptions in ../types.ts). */
export interface PackLimits {
  targetTokens: number;
  maxTokens: number;
  minTokens: number;
  overlapTokens: number;
  /** An indivisible block (code, table) up to this size stays whole even above maxTokens; larger ones are cut. */
  hardLimitTokens: number;
}

/** A chunk of a section: its text and where it lies (0-based lines, inclusive). */
export interface PackedChunk {
  text: string;
  start: number;
  end: number;
  tokens: number;
}

/**
 * What the packer moves around: a whole block, some whole lines of a block that was too big, or a
 * part of one line that alone was too big (`from`/`to` are then character offsets in line `start`).
 */
interface Unit {
  start: number;
  /** Last line, inclusive. */
  end: number;
  from?: number;
  to?: number;
  tokens: number;
  /** Whether the overlap of the next chunk may be taken from this unit's end: prose, not code, tables or HTML. */
  prose: boolean;
  isHeading: boolean;
}

/** Estimated tokens of every line, with prefix sums so that any line range costs O(1). */
export class LineTokens {
  private readonly prefix: Float64Array;

  constructor(readonly lines: readonly string[]) {
    this.prefix = new Float64Array(lines.length + 1);
    for (let i = 0; i < lines.length; i++) this.prefix[i + 1] = this.prefix[i]! + estimateTokens(lines[i]!);
  }

  /** Lines first..last, inclusive. */
  range(first: number, last: number): number {
    return this.prefix[last + 1]! - this.prefix[first]!;
  }
}

/**
 * The third stage of the chunker: packs one section's blocks into chunks.
 *
 *   1. units: each block is one unit, except blocks too big to keep whole — prose over maxTokens, or
 *      code and tables over hardLimitTokens — which are cut between lines, and a single line too big
 *      at sentence, word or character boundaries;
 *   2. packing: units are added in order; a chunk is closed before a unit that would take it past
 *      maxTokens, and after one that brings it to targetTokens — unless what is left of the section
 *      is under minTokens and fits, in which case the tail joins this chunk instead of standing alone.
 *      The heading line is never left alone in a chunk: it goes with the first block under it;
 *   3. overlap: each chunk after the first starts with the last whole lines (or, for one long line,
 *      the last whole sentences) of the previous chunk, up to overlapTokens, when that chunk ends in
 *      prose. Room for it is kept while packing, so a chunk with its overlap stays within maxTokens.
 */
export function packSection(section: Section, measure: LineTokens, limits: PackLimits): PackedChunk[] {
  // Room is kept for the overlap, so that a chunk with its overlap stays within maxTokens.
  const packing = { ...limits, maxTokens: Math.max(1, limits.maxTokens - limits.overlapTokens) };
  const units = sectionUnits(section, measure, packing);
  const groups = packUnits(units, packing);
  return groups.map((group, k) => {
    const first = group[0]!;
    const last = group.at(-1)!;
    const overlap = k > 0 ? overlapStart(groups[k - 1]!.at(-1)!, first, measure, limits.overlapTokens) : null;
    const start = overlap ?? { line: first.start, from: first.from ?? 0 };
    const text = sliceLines(measure.lines, start.line, start.from, last.end, last.to);
    return { text, start: start.line, end: last.end, tokens: estimateTokens(text) };
  });
}

// --- 1. units ----------------------------------------------------------------------------------

function sectionUnits(section: Section, measure: LineTokens, limits: PackLimits): Unit[] {
  const units: Unit[] = [];
  if (section.heading !== null) {
    const heading = blockUnits(section.heading, measure, limits);
    if (heading.length === 1) heading[0]!.isHeading = true;
    for (const unit of heading) units.push(unit);
  }
  for (const block of section.blocks) for (const unit of blockUnits(block, measure, limits)) units.push(unit);
  return units;
}

function blockUnits(block: MarkdownBlock, measure: LineTokens, limits: PackLimits): Unit[] {
  let last = block.end - 1;
  while (last > block.start && isBlank(measure.lines[last]!)) last--; // e.g. an unclosed fence running to the end
  const tokens = measure.range(block.start, last);
  const prose = !block.indivisible && (block.kind === 'paragraph' || block.kind === 'list' || block.kind === 'quote');
  const keepWhole = block.indivisible ? limits.hardLimitTokens : limits.maxTokens;
  if (tokens <= keepWhole) return [{ start: block.start, end: last, tokens, prose, isHeading: false }];
  return splitLines(block.start, last, measure, limits.maxTokens, prose);
}

/** Cuts lines first..last into units of whole lines up to `budget`, and lines over `budget` into parts. */
function splitLines(first: number, last: number, measure: LineTokens, budget: number, prose: boolean): Unit[] {
  const units: Unit[] = [];
  let start = -1;
  let end = -1;
  let tokens = 0;
  const flush = (): void => {
    if (start >= 0) units.push({ start, end, tokens, prose, isHeading: false });
    start = -1;
    tokens = 0;
  };
  for (let line = first; line <= last; line++) {
    const text = measure.lines[line]!;
    if (isBlank(text)) continue; // a unit neither starts nor ends on a blank line
    const lineTokens = measure.range(line, line);
    if (lineTokens > budget) {
      flush();
      for (const [from, to] of splitLongLine(text, budget)) {
        units.push({ start: line, end: line, from, to, tokens: estimateTokens(text.slice(from, to)), prose, isHeading: false });
      }
      continue;
    }
    if (start >= 0 && tokens + lineTokens > budget) flush();
    if (start < 0) start = line;
    end = line;
    tokens += lineTokens;
  }
  flush();
  return units;
}

/**
 * Cuts one line into [from, to) parts of at most `budget` tokens: after the last sentence end in the
 * second half of a part, else after the last space in its second half, else at any character (never
 * between the two halves of a surrogate pair). Each part moves at least half a budget on, so the
 * line is read about twice at most.
 */
export function splitLongLine(line: string, budget: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = 0;
  while (start < line.length) {
    let weight = 0;
    let end = start;
    let lastSentence = -1;
    let lastSpace = -1;
    while (end < line.length) {
      const code = line.charCodeAt(end);
      const w = unitWeight(code);
      if (weight + w > budget && end > start) break;
      weight += w;
      end++;
      if (code === 32 || code === 9) {
        lastSpace = end;
        const before = line[end - 2];
        if (before === '.' || before === '!' || before === '?') lastSentence = end;
      }
    }
    if (end < line.length) {
      const half = start + (end - start) / 2;
      if (lastSentence >= half) end = lastSentence;
      else if (lastSpace >= half) end = lastSpace;
      else if (isHighSurrogate(line.charCodeAt(end - 1)) && end - 1 > start) end--;
    }
    parts.push([start, end]);
    start = end;
  }
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// --- 2. packing ----------------------------------------------------------------------------

function packUnits(units: readonly Unit[], limits: PackLimits): Unit[][] {
  const remaining: number[] = new Array<number>(units.length + 1).fill(0);
  for (let k = units.length - 1; k >= 0; k--) remaining[k] = remaining[k + 1]! + units[k]!.tokens;
  const groups: Unit[][] = [];
  let current: Unit[] = [];
  let tokens = 0;
  const close = (): void => {
    if (current.length > 0) groups.push(current);
    current = [];
    tokens = 0;
  };
  units.forEach((unit, k) => {
    const onlyHeading = current.length === 1 && current[0]!.isHeading;
    const overflows = tokens + unit.tokens > limits.maxTokens;
    if (current.length > 0 && overflows && !(onlyHeading && tokens + unit.tokens <= limits.hardLimitTokens)) close();
    current.push(unit);
    tokens += unit.tokens;
    if (tokens < limits.targetTokens) return;
    const rest = remaining[k + 1]!;
    if (rest > 0 && rest < limits.minTokens && tokens + rest <= limits.maxTokens) return; // the small tail joins this chunk
    close();
  });
  close();
  return groups;
}

// --- 3. overlap ----------------------------------------------------------------------------

/**
 * Where the overlap taken from `previous` (the last unit of the previous chunk) starts, or null. Only
 * prose gives an overlap (never code, tables or HTML): its last whole lines within `budget`, or when
 * even its last line is bigger, the last whole sentences of that line. When the two chunks are parts
 * of one long line, the overlap is the last sentences of the previous part.
 */
function overlapStart(previous: Unit, next: Unit, measure: LineTokens, budget: number): { line: number; from: number } | null {
  if (!previous.prose || budget <= 0) return null;
  const lines = measure.lines;
  if (previous.from !== undefined || (next.from ?? 0) > 0) {
    const sameLine = previous.from !== undefined && next.start === previous.start && next.from === previous.to;
    if (!sameLine) return null;
    const from = lastSentencesStart(lines[previous.start]!, previous.from!, previous.to!, budget);
    return from === null ? null : { line: previous.start, from };
  }
  let line = previous.end;
  let tokens = 0;
  while (line >= previous.start && tokens + measure.range(line, line) <= budget) {
    tokens += measure.range(line, line);
    line--;
  }
  if (line < previous.end) {
    let first = line + 1;
    while (first < previous.end && isBlank(lines[first]!)) first++;
    return { line: first, from: 0 };
  }
  const last = lines[previous.end]!;
  const from = lastSentencesStart(last, 0, last.length, budget);
  return from === null ? null : { line: previous.end, from };
}

/** Where the longest run of whole sentences that ends line[start..end) and fits in `budget` starts, or null. */
function lastSentencesStart(line: string, start: number, end: number, budget: number): number | null {
  let weight = 0;
  let best: number | null = null;
  for (let p = end - 1; p > start; p--) {
    weight += unitWeight(line.charCodeAt(p));
    if (weight > budget) break;
    if (isSentenceStart(line, p)) best = p;
  }
  return best;
}

/** Whether a sentence starts at p: a non-space after spaces after `.`, `!` or `?` (closing quotes or brackets allowed). */
function isSentenceStart(line: string, p: number): boolean {
  if (line[p] === ' ' || line[p - 1] !== ' ') return false;
  let k = p - 1;
  while (k > 0 && line[k] === ' ') k--;
  while (k > 0 && /["')\]’”]/.test(line[k]!)) k--;
  return line[k] === '.' || line[k] === '!' || line[k] === '?';
}

// --- text ----------------------------------------------------------------------------------

/** Lines first..last joined, the first from character `from` on, the last up to character `to`. */
function sliceLines(lines: readonly string[], first: number, from: number, last: number, to: number | undefined): string {
  if (first === last) return lines[first]!.slice(from, to);
  const middle = lines.slice(first + 1, last);
  return [lines[first]!.slice(from), ...middle, lines[last]!.slice(0, to)].join('\n');
}
