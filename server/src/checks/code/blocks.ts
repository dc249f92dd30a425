import type { CodeBlock } from '../../protocol';
import { fileFromFirstLine, parseInfoString } from './blockFile';
import { detectLanguage, languageOfPath, normalizeLanguage } from './languages';

/**
 * The fenced code blocks of a reply, found the way `citations.ts` masks them (GitHub's lenient
 * reading, so that both agree on what is code):
 * - a fence is a run of three or more backticks or tildes on a line, after any indentation,
 *   blockquote markers (`>`) and list markers (`-`, `*`, `+`, `1.`, `1)`); a backtick fence's info
 *   string may not hold a backtick;
 * - the block runs to the first line (after the same kind of prefix) holding only a fence of the same
 *   character at least as long, or to the end of the reply (`unclosed`).
 *
 * The code of a fence that sits in a container (a blockquote, a list item, or indented) is given
 * without the container's prefix on each line, as a reader sees it: from every code line, as many
 * `>` markers as the opening line had (each with the spaces around it and one space after it), then
 * up to as many spaces or tabs as the opening line had after its last `>` (list markers count as their
 * width, a tab as one), are left out. A line without the markers (a lazy continuation) loses only the
 * spaces. Line breaks stay as written (CRLF stays CRLF); the break that ends the last code line is not
 * part of the code, nor is the empty end of a reply that ends with a line break inside an unclosed
 * block. Without a prefix, `markdown.slice(offset, offset + code.length) === code`; with
 * one, `offset` is where the first code character is in the reply. `info` is the info string without
 * the whitespace around it.
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = linesOf(markdown);
  const blocks: CodeBlock[] = [];
  let open: OpenFence | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const content = markdown.slice(line.start, line.end);
    const rest = content.slice(BLOCK_PREFIX.exec(content)![0].length);
    if (open !== null) {
      const closing = /^(`{3,}|~{3,})[ \t]*$/.exec(rest);
      if (closing !== null && closing[1]![0] === open.char && closing[1]!.length >= open.length) {
        blocks.push(finishBlock(markdown, lines, open, index, false, blocks.length));
        open = null;
      }
      continue;
    }
    const opening = /^(`{3,}|~{3,})(.*)$/.exec(rest);
    if (opening === null || (opening[1]![0] === '`' && opening[2]!.includes('`'))) continue;
    const prefix = content.slice(0, content.length - rest.length);
    open = { char: opening[1]![0]!, length: opening[1]!.length, info: opening[2]!.trim(), line: index, container: containerOf(prefix) };
  }
  if (open !== null) {
    // The empty "line" after a final line break is not a code line.
    const last = lines[lines.length - 1]!;
    const end = last.start === last.end && lines.length - 1 > open.line + 1 ? lines.length - 1 : lines.length;
    blocks.push(finishBlock(markdown, lines, open, end, true, blocks.length));
  }
  return blocks;
}

interface Line {
  start: number;
  /** End of the line's text, before its break. */
  end: number;
}

interface Container {
  /** Blockquote markers on the opening line. */
  quotes: number;
  /** Indentation after the last marker, list markers counted by width. */
  width: number;
}

interface OpenFence {
  char: string;
  length: number;
  info: string;
  /** Index of the opening line. */
  line: number;
  container: Container;
}

/** Indentation, blockquote markers and list markers before a fence (the same as `citations.ts`). */
const BLOCK_PREFIX = /^[ \t]*(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)*/;

/** Lines with their offsets (a line ends at \n, \r\n or \r, which are not part of it). */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const match of text.matchAll(/\r\n|\r|\n/g)) {
    lines.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

function containerOf(prefix: string): Container {
  const quotes = prefix.split('>').length - 1;
  if (quotes === 0) return { quotes, width: prefix.length };
  const afterQuote = prefix.slice(prefix.lastIndexOf('>') + 1);
  return { quotes, width: afterQuote.replace(/^[ \t]/, '').length };
}

/** How many characters of a code line belong to the container (see `extractCodeBlocks`). */
function containerLength(line: string, container: Container): number {
  let at = 0;
  for (let quote = 0; quote < container.quotes; quote++) {
    const marker = /^[ \t]*>[ \t]?/.exec(line.slice(at));
    if (marker === null) break;
    at += marker[0].length;
  }
  let indent = 0;
  while (indent < container.width && (line[at] === ' ' || line[at] === '\t')) {
    at++;
    indent++;
  }
  return at;
}

/** The block from the line after `open.line` up to (not including) line `end`. */
function finishBlock(markdown: string, lines: readonly Line[], open: OpenFence, end: number, unclosed: boolean, index: number): CodeBlock {
  const first = open.line + 1;
  let code = '';
  let offset = first < lines.length ? lines[first]!.start : markdown.length;
  for (let at = first; at < end; at++) {
    const line = lines[at]!;
    const text = markdown.slice(line.start, line.end);
    const skip = containerLength(text, open.container);
    if (at === first) offset = line.start + skip;
    else code += markdown.slice(lines[at - 1]!.end, line.start);
    code += text.slice(skip);
  }
  const parsed = parseInfoString(open.info);
  const file = parsed.file ?? fileFromFirstLine(code);
  const { language, languageFrom } = languageOf(parsed.word, parsed.file, code);
  const block: CodeBlock = { index, language, languageFrom, info: open.info, code, startLine: first + 1, offset, unclosed };
  if (file !== undefined) block.file = file;
  return block;
}

/**
 * The fence's word (normalised), else the extension of the file the info string names (also when
 * the file is the info string's first word, ```` ```src/a.ts ````), else a guess from the code.
 */
function languageOf(word: string | null, infoFile: string | undefined, code: string): Pick<CodeBlock, 'language' | 'languageFrom'> {
  if (word !== null) return { language: normalizeLanguage(word).language, languageFrom: 'fence' };
  const byFile = infoFile === undefined ? null : languageOfPath(infoFile);
  if (byFile !== null) return { language: byFile, languageFrom: 'fence' };
  const detected = detectLanguage(code);
  return detected === null ? { language: null, languageFrom: 'none' } : { language: detected, languageFrom: 'detected' };
}
