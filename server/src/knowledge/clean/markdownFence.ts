/**
 * Fenced code blocks as CommonMark defines them, shared by the Markdown cleaner (which must not touch
 * what is inside code) and the chunker's block scanner (which must never take code for a heading).
 *
 * An opening fence is 3+ backticks or 3+ tildes, indented at most `maxIndent` columns; a backtick
 * fence's info string cannot contain a backtick. The closing fence uses the same character, is at
 * least as long as the opening one and has nothing but spaces after it. An unclosed fence runs to the
 * end of its container (the end of the document at the top level).
 */
export interface Fence {
  char: '`' | '~';
  /** How many fence characters opened the block. */
  length: number;
  /** Columns of indentation before the opening fence. */
  indent: number;
  /** The info string (first word: the language), trimmed. */
  info: string;
}

/** Columns of leading whitespace (a tab advances to the next multiple of 4). */
export function indentOf(line: string): number {
  let columns = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === ' ') columns++;
    else if (ch === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The fence a line opens, or null. `maxIndent` is 3 at the top level (4+ columns is indented code). */
export function openingFence(line: string, maxIndent = 3): Fence | null {
  const start = firstNonWhitespace(line);
  const indent = indentOf(line);
  if (indent > maxIndent) return null;
  const ch = line[start];
  if (ch !== '`' && ch !== '~') return null;
  let end = start;
  while (line[end] === ch) end++;
  if (end - start < 3) return null;
  const info = line.slice(end).trim();
  if (ch === '`' && info.includes('`')) return null;
  return { char: ch, length: end - start, indent, info };
}

/** Whether a line closes `fence`. */
export function closesFence(line: string, fence: Fence): boolean {
  const allowedIndent = fence.indent <= 3 ? 3 : fence.indent + 3;
  if (indentOf(line) > allowedIndent) return false;
  const start = firstNonWhitespace(line);
  let end = start;
  while (line[end] === fence.char) end++;
  return end - start >= fence.length && line.slice(end).trim() === '';
}

/** A backtick fence long enough to wrap `codeLines` safely (longer than any backtick run opening a line). */
export function backtickFenceFor(codeLines: readonly string[]): string {
  let longest = 0;
  for (const line of codeLines) {
    const start = firstNonWhitespace(line);
    let end = start;
    while (line[end] === '`') end++;
    longest = Math.max(longest, end - start);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

function firstNonWhitespace(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}
