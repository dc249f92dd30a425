import { decodeHtmlEntities } from './htmlEntities';
import { backtickFenceFor } from './markdownFence';

/**
 * HTML → Markdown-shaped lines, one output line per input line. Three passes over the text:
 *
 *   1. page furniture: comments and the contents of <script>, <style>, <noscript>, <template>,
 *      <svg>, <nav> and <head> are removed, keeping their line breaks;
 *   2. tags: every tag is replaced by nothing (inline tags) or a space (block tags), keeping line
 *      breaks inside multi-line tags; <h1>–<h6>, <pre>, <code> and <li> leave private-use marker
 *      characters behind for pass 3;
 *   3. lines: a line that is one <hN>…</hN> becomes an `#` heading; a <pre> (or multi-line <code>)
 *      becomes fenced code when a fence line can be put on its own line (the <pre> line or an empty
 *      line just above it, the </pre> line or an empty line just below), and otherwise 4-space
 *      indented code; other text is decoded, whitespace-collapsed, and escaped where it would start
 *      a Markdown block (`#`, fences, `<`, setext underlines).
 */
export function cleanHtmlLines(lines: readonly string[]): string[] {
  const text = lines.join('\n').replace(/[\ue000-\ue00f]/g, '');
  const { marked, langs } = markTags(removeFurniture(text));
  return renderLines(marked.split('\n'), langs);
}

// --- markers left by pass 2 ------------------------------------------------------------------
const H_OPEN_BASE = 0xe000; // \ue001..\ue006: <h1>..<h6>
const H_CLOSE = '\ue007';
const PRE_OPEN = '\ue008';
const PRE_CLOSE = '\ue009';
const CODE_OPEN = '\ue00a';
const CODE_CLOSE = '\ue00b';
const LIST_ITEM = '\ue00c';
const ANY_MARKER = /[\ue000-\ue00f]/g;
const HAS_MARKER = /[\ue000-\ue00f]/;

/** Text that would open a Markdown block it is not: a heading, a fence, an HTML block, a setext underline. */
const BLOCK_START = /^(?:#|`{3}|~{3}|<|[=-]+$)/;

// --- pass 1 ----------------------------------------------------------------------------------
const FURNITURE_OPENER = /<!--|<![A-Za-z][^<>]*>|<\?[^<>]*>|<(script|style|noscript|template|svg|nav|head)(?=[\s/>])[^<>]*>/gi;

/**
 * Removes comments, declarations (`<!DOCTYPE html>`, `<?xml …?>`) and furniture elements; an unclosed
 * comment or element loses only its opening tag.
 */
function removeFurniture(text: string): string {
  const parts: string[] = [];
  const unclosed = new Set<string>(); // closing tags already searched for in vain: later searches would fail too
  let last = 0;
  FURNITURE_OPENER.lastIndex = 0;
  for (let m = FURNITURE_OPENER.exec(text); m !== null; m = FURNITURE_OPENER.exec(text)) {
    let end = FURNITURE_OPENER.lastIndex;
    const name = m[0] === '<!--' ? '--' : m[1]?.toLowerCase();
    if (name !== undefined && !unclosed.has(name)) {
      const close = name === '--' ? /-->/g : new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = end;
      const found = close.exec(text);
      if (found) end = found.index + found[0].length;
      else unclosed.add(name);
    }
    parts.push(text.slice(last, m.index), lineBreaksIn(text, m.index, end));
    last = end;
    FURNITURE_OPENER.lastIndex = end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function lineBreaksIn(text: string, from: number, to: number): string {
  let count = 0;
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) count++;
  return '\n'.repeat(count);
}

// --- pass 2 ----------------------------------------------------------------------------------
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'data', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
]);
const LANG_CLASS = /(?:language|lang|highlight|brush)-([\w+#.-]+)/;

/**
 * Replaces tags by markers, spaces or nothing. `langs` holds the language of each <pre> and <code>
 * opening, in order: from its class (`language-js`), from the <code> inside a <pre>, or from a
 * wrapper's class seen just before (`<div class="highlight-python">`).
 */
function markTags(text: string): { marked: string; langs: string[] } {
  const langs: string[] = [];
  let pendingLang = '';
  let openPre = -1; // index in langs of the <pre> we are inside, or -1
  const marked = text.replace(/<(\/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>/g, (tag, slash: string, rawName: string, attrs: string) => {
    const name = rawName.toLowerCase();
    const breaks = tag.includes('\n') ? lineBreaksIn(tag, 0, tag.length) : '';
    const closing = slash === '/';
    const lang = LANG_CLASS.exec(attrs)?.[1] ?? '';
    if (!closing && lang !== '' && name !== 'pre' && name !== 'code') pendingLang = lang;
    const heading = /^h([1-6])$/.exec(name);
    if (heading) return (closing ? H_CLOSE : String.fromCharCode(H_OPEN_BASE + Number(heading[1]))) + breaks;
    if (name === 'pre') {
      if (closing) {
        openPre = -1;
        return PRE_CLOSE + breaks;
      }
      openPre = langs.push(lang || pendingLang) - 1;
      pendingLang = '';
      return PRE_OPEN + breaks;
    }
    if (name === 'code') {
      if (closing) return CODE_CLOSE + breaks;
      if (openPre >= 0 && langs[openPre] === '') langs[openPre] = lang;
      langs.push(lang);
      return CODE_OPEN + breaks;
    }
    if (name === 'li' && !closing) return LIST_ITEM + breaks;
    return (INLINE_TAGS.has(name) ? '' : ' ') + breaks;
  });
  return { marked, langs };
}

// --- pass 3 ----------------------------------------------------------------------------------

/** A line's pieces: prose and code, in order. */
interface Piece {
  code: boolean;
  text: string;
}

/** A <pre> (or multi-line <code>) spanning lines `open`..`close` (close -1: never closed). */
interface CodeRegion {
  open: number;
  close: number;
  lang: string;
}

function renderLines(lines: readonly string[], langs: readonly string[]): string[] {
  const { pieces, regions } = splitPieces(lines, langs);
  const out = pieces.map((linePieces) => (linePieces.some((p) => p.code) ? '' : cleanProse(linePieces.map((p) => p.text).join(''))));
  const fenceLines = new Set<number>();
  const inRegion = new Set<number>();
  for (const region of regions) {
    const last = region.close < 0 ? lines.length - 1 : region.close;
    for (let k = region.open; k <= last; k++) inRegion.add(k);
  }
  const isFreeLine = (k: number): boolean =>
    k >= 0 && k < lines.length && !inRegion.has(k) && !fenceLines.has(k) && out[k] === '';
  for (const region of regions) renderRegion(region, pieces, out, fenceLines, isFreeLine);
  return out;
}

/** Cuts every line into prose and code pieces and finds the code regions. */
function splitPieces(lines: readonly string[], langs: readonly string[]): { pieces: Piece[][]; regions: CodeRegion[] } {
  const pieces: Piece[][] = [];
  const regions: CodeRegion[] = [];
  let region: (CodeRegion & { closer: string }) | null = null;
  let langIndex = 0;
  const markerPattern = /[\ue000-\ue00f]/g;
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!;
    if (!HAS_MARKER.test(line)) {
      pieces.push(line === '' ? [] : [{ code: region !== null, text: line }]);
      continue;
    }
    const linePieces: Piece[] = [];
    let current = '';
    const flush = (code: boolean): void => {
      if (current !== '' || code) linePieces.push({ code, text: current });
      current = '';
    };
    let pos = 0;
    markerPattern.lastIndex = 0;
    for (let m = markerPattern.exec(line); m !== null; m = markerPattern.exec(line)) {
      const marker = m[0];
      current += line.slice(pos, m.index);
      pos = m.index + 1;
      if (marker === PRE_OPEN || marker === CODE_OPEN) {
        const lang = langs[langIndex++] ?? '';
        if (region !== null) continue; // <code> inside <pre>
        if (marker === CODE_OPEN) {
          const close = line.indexOf(CODE_CLOSE, pos);
          if (close >= 0) {
            // Inline code: stays in the prose, in backticks; markers inside are dropped.
            const inner = line.slice(pos, close);
            langIndex += countMatches(inner, /[\ue008\ue00a]/g);
            current += `\`${inner.replace(ANY_MARKER, '')}\``;
            pos = close + 1;
            markerPattern.lastIndex = pos;
            continue;
          }
        }
        flush(false);
        region = { open: lineNo, close: -1, lang, closer: marker === PRE_OPEN ? PRE_CLOSE : CODE_CLOSE };
        continue;
      }
      if (region !== null && marker === region.closer) {
        if (region.open === lineNo) {
          // Opened and closed on this line: inline code, merged into the prose before it.
          const proseBefore = linePieces.length > 0 && !linePieces.at(-1)!.code ? linePieces.pop()!.text : '';
          current = `${proseBefore}\`${current}\``;
        } else {
          flush(true);
          regions.push({ open: region.open, close: lineNo, lang: region.lang });
        }
        region = null;
        continue;
      }
      if (region === null) current += marker; // heading and list markers stay for cleanProse
    }
    current += line.slice(pos);
    flush(region !== null);
    pieces.push(linePieces);
  }
  if (region !== null) regions.push({ open: region.open, close: -1, lang: region.lang });
  return { pieces, regions };
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Writes one code region: fenced when both fence lines have a place, indented code otherwise. */
function renderRegion(
  region: CodeRegion,
  pieces: readonly Piece[][],
  out: string[],
  fenceLines: Set<number>,
  isFreeLine: (k: number) => boolean,
): void {
  const last = region.close < 0 ? pieces.length - 1 : region.close;
  // The region's code is the last code piece of its opening line and the first of its closing line.
  const openPieces = pieces[region.open]!;
  const openCodeAt = findLastIndex(openPieces, (p) => p.code);
  const openCode = codeText(openPieces[openCodeAt]?.text ?? '');
  const openLineHasOnlyThis = openPieces.every((p, i) => i === openCodeAt || (!p.code && cleanProse(p.text) === ''));

  const closePieces = region.close < 0 ? [] : pieces[region.close]!;
  const closeCodeAt = closePieces.findIndex((p) => p.code);
  const closeCode = closeCodeAt < 0 ? '' : codeText(closePieces[closeCodeAt]!.text);
  const closeLineHasOnlyThis = closePieces.every((p, i) => i === closeCodeAt || (!p.code && cleanProse(p.text) === ''));

  // Where the fences can go: on the <pre> line when nothing else is on it, else on a free line above.
  let openAt: number | null = null;
  if (openLineHasOnlyThis) {
    if (openCode.trim() === '') openAt = region.open;
    else if (isFreeLine(region.open - 1)) openAt = region.open - 1;
  }
  let closeAt: number | null = region.close < 0 ? -1 : null;
  if (region.close >= 0 && closeLineHasOnlyThis) {
    if (closeCode.trim() === '') closeAt = region.close;
    else if (isFreeLine(region.close + 1)) closeAt = region.close + 1;
  }

  const code: string[] = [];
  for (let k = region.open; k <= last; k++) {
    if (k === region.open) code.push(openCode);
    else if (k === region.close) code.push(closeCode);
    else code.push(codeText(pieces[k]!.map((p) => p.text).join('')));
  }

  if (openAt === null || closeAt === null) {
    // No room for a fence: indented code (4 spaces), so nothing in it reads as a heading or a fence;
    // the first and last lines, shared with prose, are written flat.
    code.forEach((line, i) => (out[region.open + i] = line.trim() === '' ? '' : `    ${line}`));
    if (!openLineHasOnlyThis) out[region.open] = flatLine(openPieces);
    if (region.close >= 0 && !closeLineHasOnlyThis) out[region.close] = flatLine(closePieces);
    return;
  }
  const fence = backtickFenceFor(code);
  code.forEach((line, i) => (out[region.open + i] = line));
  out[openAt] = fence + region.lang;
  fenceLines.add(openAt);
  if (closeAt >= 0) {
    out[closeAt] = fence;
    fenceLines.add(closeAt);
  }
}

/** A line mixing prose and code, written as plain text. */
function flatLine(linePieces: readonly Piece[]): string {
  const text = linePieces
    .map((p) => (p.code ? codeText(p.text).trim() : cleanProse(p.text)))
    .filter((t) => t !== '')
    .join(' ');
  return BLOCK_START.test(text) ? `\\${text}` : text;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

function codeText(raw: string): string {
  return decodeHtmlEntities(raw.replace(ANY_MARKER, '')).trimEnd();
}

/**
 * One line of prose: a whole-line <hN> becomes a heading; list items get `- `; text is decoded,
 * whitespace collapsed, and a line that would start a Markdown block by accident is escaped.
 */
function cleanProse(raw: string): string {
  const trimmed = raw.trim();
  const level = trimmed.charCodeAt(0) - H_OPEN_BASE;
  if (level >= 1 && level <= 6 && trimmed.endsWith(H_CLOSE)) {
    const inner = trimmed.slice(1, -1);
    if (!/[\ue001-\ue007]/.test(inner)) {
      const title = collapse(inner).replaceAll(LIST_ITEM, ' ').trim().replace(/\s*[¶§🔗]$/u, '');
      return title === '' ? '' : `${'#'.repeat(level)} ${title}`;
    }
  }
  const text = collapse(trimmed);
  if (text === '') return '';
  if (text.startsWith(LIST_ITEM)) return `- ${text.replaceAll(LIST_ITEM, ' ').trim()}`;
  const plain = text.replaceAll(LIST_ITEM, ' ');
  return BLOCK_START.test(plain) ? `\\${plain}` : plain;
}

/** Decodes, drops markers other than list items, collapses whitespace. */
function collapse(raw: string): string {
  return decodeHtmlEntities(raw.replace(ANY_MARKER, (m) => (m === LIST_ITEM ? m : ''))).replace(/\s+/g, ' ').trim();
}
