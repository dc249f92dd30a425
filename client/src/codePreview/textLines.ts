/**
 * A file's text as lines that keep their own line endings (pure, no VS Code), so that placing a code
 * block changes only the lines it replaces: untouched lines stay byte for byte, new lines take the
 * file's dominant ending (CRLF files stay CRLF), and the file keeps or lacks its final newline.
 */

export type Eol = '\n' | '\r\n';

export interface TextLines {
  /** The lines without their endings. An empty text has none. */
  lines: string[];
  /** The ending after each line as written ('' for the last line when the text has no final newline). */
  eols: string[];
  /** The text ends with a line ending. */
  finalNewline: boolean;
  /** The ending used most (CRLF only when it is the majority); new lines get it. */
  eol: Eol;
}

export function splitText(text: string): TextLines {
  const lines: string[] = [];
  const eols: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push(text.slice(start));
      eols.push('');
      break;
    }
    const cr = nl > start && text[nl - 1] === '\r';
    lines.push(text.slice(start, cr ? nl - 1 : nl));
    eols.push(cr ? '\r\n' : '\n');
    if (cr) crlf++;
    else lf++;
    start = nl + 1;
  }
  const finalNewline = eols.length > 0 && eols[eols.length - 1] !== '';
  return { lines, eols, finalNewline, eol: crlf > lf ? '\r\n' : '\n' };
}

/**
 * Joins lines back into text: each line keeps its ending when it has one (`eols[i]` non-empty),
 * a new line gets `eol`; the last line ends with a newline exactly when `finalNewline`.
 */
export function joinText(lines: readonly string[], eols: readonly string[], eol: Eol, finalNewline: boolean): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const ending = eols[i] || eol;
    out += (lines[i] ?? '') + (last ? (finalNewline ? ending : '') : ending);
  }
  return out;
}

/** A code block's lines: CRLF or LF, one trailing newline (the line before the closing fence) dropped. */
export function codeLines(code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The leading spaces and tabs of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Indentation width in columns, a tab counting as 4 (used only to compare indentation, never to write it). */
export function indentWidth(indent: string): number {
  let width = 0;
  for (const char of indent) width += char === '\t' ? 4 : 1;
  return width;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** "line 10" or "lines 10–24" (1-based, inclusive). */
export function lineSpan(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/**
 * The smallest single replacement that turns `before` into `after` (UTF-16 offsets into `before`),
 * so that applying a placement moves no cursor, fold or marker outside what changed. The common
 * prefix never ends inside a CRLF pair or a surrogate pair.
 */
export function changedRange(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  while (start > 0 && (isHighSurrogate(before.charCodeAt(start - 1)) || (before[start - 1] === '\r' && before[start] === '\n'))) start--;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  while (suffix > 0 && (isLowSurrogate(before.charCodeAt(before.length - suffix)) || (before[before.length - suffix] === '\n' && before[before.length - suffix - 1] === '\r'))) suffix--;
  return { start, end: before.length - suffix, text: after.slice(start, after.length - suffix) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
