/**
 * Offsets in a block's code as the contract's 1-based lines and columns. A line ends at `\n`, `\r\n`
 * or `\r`, as `blocks.ts` counts the reply's lines (and as editors and GitHub do); columns are UTF-16
 * code units. JavaScript's own line terminators U+2028 and U+2029, which TypeScript and ESLint count
 * as line breaks, do not end a line here.
 */

/** Offsets at which the lines of `text` start (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** The 1-based line and column of `offset` (clamped to the text). */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: Math.max(0, offset - starts[low]!) + 1 };
}

/** JavaScript's line terminators: where a line and column from ESLint must be mapped back. */
export const JS_ONLY_LINE_BREAKS = /[\u2028\u2029]/;

/** The offset of a 1-based line and column counted with JavaScript's line terminators (as ESLint reports them). */
export function offsetOfJsPosition(text: string, line: number, column: number): number {
  let start = 0;
  const breaks = /\r\n|[\r\n\u2028\u2029]/g;
  for (let current = 1; current < line; current++) {
    const match = breaks.exec(text);
    if (match === null) break;
    start = match.index + match[0].length;
  }
  return Math.min(text.length, start + column - 1);
}
