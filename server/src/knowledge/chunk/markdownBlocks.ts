import { closesFence, indentOf, isBlank, openingFence, type Fence } from '../clean/markdownFence';

/**
 * A line-based block scanner for Markdown (CommonMark + GitHub tables), the first stage of the
 * chunker: it says where each block starts and ends so that chunks are cut only between blocks.
 * It does not parse inline content and does not build a tree; lists are cut into one block per
 * top-level item (nested lists and code stay inside their item), block quotes are one block.
 *
 * What matters most is what is NOT a heading: a `#` line inside fenced code (``` or ~~~, closed only
 * by the same character at least as long, so longer fences can wrap shorter ones; an unclosed fence
 * runs to the end), inside indented code, an HTML block, a list item or a quote.
 *
 * Every step looks at each line a bounded number of times, so scanning is linear in the input.
 */
export type BlockKind = 'heading' | 'code' | 'table' | 'html' | 'list' | 'quote' | 'rule' | 'paragraph' | 'blank';

export interface MarkdownBlock {
  kind: BlockKind;
  /** First line, a 0-based index into the scanned lines. */
  start: number;
  /** One past the last line (exclusive). */
  end: number;
  /** Headings: 1–6. */
  level?: number;
  /** Headings: the heading's inline Markdown (ATX closing #s and setext underline removed). */
  heading?: string;
  /** Whether the block must not be cut between lines: code, tables, HTML, and lists or quotes holding a code fence. */
  indivisible: boolean;
}

export function scanMarkdownBlocks(lines: readonly string[]): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const block = scanBlockAt(lines, i);
    blocks.push(block);
    i = block.end;
  }
  return blocks;
}

/** The block starting at line i (not inside a paragraph). */
function scanBlockAt(lines: readonly string[], i: number): MarkdownBlock {
  const line = lines[i]!;
  if (isBlank(line)) {
    let end = i + 1;
    while (end < lines.length && isBlank(lines[end]!)) end++;
    return block('blank', i, end);
  }
  if (indentOf(line) >= 4) return indentedCode(lines, i);
  const fence = openingFence(line);
  if (fence !== null) return block('code', i, fenceEnd(lines, i + 1, fence), true);
  const atx = atxHeading(line);
  if (atx !== null) return { kind: 'heading', start: i, end: i + 1, level: atx.level, heading: atx.heading, indivisible: false };
  if (isThematicBreak(line)) return block('rule', i, i + 1);
  if (isQuoteLine(line)) return quote(lines, i);
  const html = htmlBlockStart(line, false);
  if (html !== null) return block('html', i, htmlBlockEnd(lines, i, html), true);
  const item = listMarker(line);
  if (item !== null) return listItem(lines, i, item.contentIndent);
  if (tableStartsAt(lines, i)) return table(lines, i);
  return paragraph(lines, i);
}

function block(kind: BlockKind, start: number, end: number, indivisible = false): MarkdownBlock {
  return { kind, start, end, indivisible };
}

// --- headings ------------------------------------------------------------------------------

/** An ATX heading (`#` … `######`, then a space or the end, optional closing #s), or null. */
export function atxHeading(line: string): { level: number; heading: string } | null {
  if (indentOf(line) > 3) return null;
  const start = line.length - line.trimStart().length;
  let end = start;
  while (line[end] === '#') end++;
  const level = end - start;
  if (level < 1 || level > 6 || (end < line.length && line[end] !== ' ' && line[end] !== '\t')) return null;
  let text = line.slice(end).trim();
  let k = text.length;
  while (k > 0 && text[k - 1] === '#') k--;
  if (k === 0) text = '';
  else if (k < text.length && (text[k - 1] === ' ' || text[k - 1] === '\t')) text = text.slice(0, k).trimEnd();
  return { level, heading: text };
}

/** A setext underline (`===` → 1, `---` → 2), or 0. */
function setextLevel(line: string): number {
  if (indentOf(line) > 3) return 0;
  const text = line.trim();
  if (text === '') return 0;
  const ch = text[0];
  if (ch !== '=' && ch !== '-') return 0;
  for (let k = 1; k < text.length; k++) if (text[k] !== ch) return 0;
  return ch === '=' ? 1 : 2;
}

function isThematicBreak(line: string): boolean {
  if (indentOf(line) > 3) return false;
  const text = line.trim();
  const ch = text[0];
  if (ch !== '-' && ch !== '*' && ch !== '_') return false;
  let count = 0;
  for (const c of text) {
    if (c === ch) count++;
    else if (c !== ' ' && c !== '\t') return false;
  }
  return count >= 3;
}

// --- code ----------------------------------------------------------------------------------

/** One past the closing fence line, or the end of the document when the fence is never closed. */
function fenceEnd(lines: readonly string[], from: number, fence: Fence): number {
  for (let k = from; k < lines.length; k++) if (closesFence(lines[k]!, fence)) return k + 1;
  return lines.length;
}

function indentedCode(lines: readonly string[], i: number): MarkdownBlock {
  let last = i;
  for (let k = i + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (isBlank(line)) continue;
    if (indentOf(line) < 4) break;
    last = k;
  }
  return block('code', i, last + 1, true);
}

// --- HTML blocks (CommonMark's seven kinds, simplified to how they end) ---------------------

type HtmlBlockEnd = { until: RegExp } | 'blank-line';

const RAW_HTML_START = /^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i;
const BLOCK_TAG_START =
  /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|\/?>|$)/i;
const LONE_TAG = /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;

/**
 * How the HTML block starting on this line ends, or null when the line starts none. A line that is
 * only some tag (kind 7) cannot interrupt a paragraph.
 */
function htmlBlockStart(line: string, inParagraph: boolean): HtmlBlockEnd | null {
  if (RAW_HTML_START.test(line)) return { until: /<\/(?:script|pre|style|textarea)>/i };
  if (/^ {0,3}<!--/.test(line)) return { until: /-->/ };
  if (/^ {0,3}<\?/.test(line)) return { until: /\?>/ };
  if (/^ {0,3}<![A-Za-z]/.test(line)) return { until: />/ };
  if (/^ {0,3}<!\[CDATA\[/.test(line)) return { until: /\]\]>/ };
  if (BLOCK_TAG_START.test(line)) return 'blank-line';
  if (!inParagraph && LONE_TAG.test(line)) return 'blank-line';
  return null;
}

function htmlBlockEnd(lines: readonly string[], i: number, end: HtmlBlockEnd): number {
  for (let k = i; k < lines.length; k++) {
    const line = lines[k]!;
    if (end === 'blank-line') {
      if (isBlank(line)) return k;
    } else if (end.until.test(k === i ? line.replace(/^\s*<!--/, '') : line)) {
      return k + 1;
    }
  }
  return lines.length;
}

// --- lists and quotes ----------------------------------------------------------------------

/** A list item marker (`-`, `+`, `*`, `1.`, `1)`), with the column where the item's content starts. */
function listMarker(line: string): { contentIndent: number; ordered: boolean; empty: boolean } | null {
  const m = /^( {0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)/.exec(line);
  if (!m) return null;
  const markerEnd = m[1]!.length + m[2]!.length;
  const empty = line.slice(markerEnd).trim() === '';
  const spaces = m[3]!.length;
  const contentIndent = empty || spaces > 4 ? markerEnd + 1 : markerEnd + spaces;
  return { contentIndent, ordered: /\d/.test(m[2]!), empty };
}

/**
 * One list item: its first line, every following line indented to its content (nested lists and
 * code included, across blank lines), and lazy continuation lines of its paragraph.
 */
function listItem(lines: readonly string[], i: number, contentIndent: number): MarkdownBlock {
  let last = i;
  let fence: Fence | null = openingFence(lines[i]!.slice(Math.min(contentIndent, lines[i]!.length)));
  let holdsFence = fence !== null;
  let previousBlank = false;
  for (let k = i + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (isBlank(line)) {
      previousBlank = true;
      continue;
    }
    const indent = indentOf(line);
    if (fence !== null) {
      if (indent < contentIndent && !closesFence(line, fence)) break; // the item, and its code, end here
      if (closesFence(line, fence)) fence = null;
      last = k;
      previousBlank = false;
      continue;
    }
    if (indent >= contentIndent) {
      fence = openingFence(line, Number.POSITIVE_INFINITY);
      if (fence !== null) holdsFence = true;
      last = k;
      previousBlank = false;
      continue;
    }
    if (previousBlank || listMarker(line) !== null || startsBlock(line)) break; // a sibling item or another block
    last = k; // lazy continuation of the item's paragraph
  }
  return block('list', i, last + 1, holdsFence);
}

function isQuoteLine(line: string): boolean {
  return /^ {0,3}>/.test(line);
}

function quote(lines: readonly string[], i: number): MarkdownBlock {
  let last = i;
  let holdsFence = false;
  for (let k = i; k < lines.length; k++) {
    const line = lines[k]!;
    if (isBlank(line)) break;
    if (isQuoteLine(line)) {
      if (openingFence(line.replace(/^ {0,3}>\s?/, '').replace(/^(?:\s*>\s?)*/, '')) !== null) holdsFence = true;
    } else if (startsBlock(line)) {
      break;
    }
    last = k;
  }
  return block('quote', i, last + 1, holdsFence);
}

// --- tables (GitHub) -------------------------------------------------------------------------

function tableCells(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/);
}

function isDelimiterRow(line: string): boolean {
  if (indentOf(line) > 3 || !line.includes('-')) return false;
  return tableCells(line).every((cell) => /^:?-+:?$/.test(cell.trim()));
}

/** A header row with a pipe, then a delimiter row with as many cells. */
function tableStartsAt(lines: readonly string[], i: number): boolean {
  const header = lines[i]!;
  const delimiter = lines[i + 1];
  if (delimiter === undefined || !header.includes('|') || indentOf(header) > 3 || !isDelimiterRow(delimiter)) return false;
  return tableCells(header).length === tableCells(delimiter).length;
}

/** Header, delimiter and rows up to a blank line or the start of another block. */
function table(lines: readonly string[], i: number): MarkdownBlock {
  let end = i + 2;
  while (end < lines.length && !isBlank(lines[end]!) && !startsBlock(lines[end]!)) end++;
  return block('table', i, end, true);
}

// --- paragraphs --------------------------------------------------------------------------------

/** Whether a line starts a block that interrupts a paragraph (or a lazy continuation). */
function startsBlock(line: string): boolean {
  if (indentOf(line) > 3) return false;
  if (openingFence(line) !== null || atxHeading(line) !== null || isThematicBreak(line) || isQuoteLine(line)) return true;
  if (htmlBlockStart(line, true) !== null) return true;
  const item = listMarker(line);
  // Only bullets and ordered items numbered 1, with content, may interrupt a paragraph.
  return item !== null && !item.empty && (!item.ordered || /^ {0,3}1[.)]/.test(line));
}

/** A paragraph, or a setext heading when its lines are followed by a `===` / `---` underline. */
function paragraph(lines: readonly string[], i: number): MarkdownBlock {
  let k = i + 1;
  for (; k < lines.length; k++) {
    const line = lines[k]!;
    if (isBlank(line)) break;
    const level = setextLevel(line);
    if (level > 0) {
      const heading = lines.slice(i, k).map((l) => l.trim()).join(' ');
      return { kind: 'heading', start: i, end: k + 1, level, heading, indivisible: false };
    }
    if (startsBlock(line) || tableStartsAt(lines, k)) break;
  }
  return block('paragraph', i, k);
}
