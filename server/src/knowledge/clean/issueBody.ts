import { scanMarkdownBlocks } from '../chunk/markdownBlocks';
import { normalizeNewlines } from './decode';
import { blankHtmlComments } from './markdownCleaner';
import { closesFence, isBlank, openingFence, type Fence } from './markdownFence';

/** Bodies longer than this (after cleaning) are cut, with a note saying so. */
export const MAX_BODY_CHARS = 8000;
/** Raw bodies are cut to this before cleaning, which keeps the work bounded on megabyte-long pastes. */
const MAX_RAW_CHARS = 200_000;
/** `<details>` blocks with more content lines than this keep only their first and last lines. */
const DETAILS_MAX_LINES = 30;
const DETAILS_KEPT_HEAD = 12;
const DETAILS_KEPT_TAIL = 12;

/**
 * What earlier posts of a thread said, to recognise quoted replies: their lines, whitespace-collapsed
 * and lowercased, in a set (and all of it as one string, for quotes of part of a line).
 */
export class EarlierPosts {
  private readonly lines = new Set<string>();
  private joined = '';
  /** Substring searches left: each costs up to the length of `joined`, so a thread gets a bounded number. */
  private searchesLeft = 500;

  add(body: string): void {
    for (const line of normalizeNewlines(body).split('\n')) {
      const key = quoteKey(line.replace(/^(?:\s*>)+/, '')); // a quote of a quote matches too
      if (key !== '') this.lines.add(key);
    }
    // Bounded, so that looking a quote up stays cheap on huge threads.
    if (this.joined.length < 200_000) this.joined += `\n${quoteKey(body)}`;
  }

  contains(quotedLine: string): boolean {
    const key = quoteKey(quotedLine);
    if (this.lines.has(key)) return true;
    if (key.length < 12 || this.searchesLeft <= 0) return false;
    this.searchesLeft--;
    return this.joined.includes(key);
  }
}

function quoteKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Cleans one post of an issue thread for the index:
 *   - HTML comments (issue templates) removed;
 *   - quoted replies (a run of `>` lines most of whose lines are in an earlier post), with an
 *     "On … wrote:" line before them, removed; other quotes (of docs, of an error) stay;
 *   - `<details>` blocks unwrapped (the summary in bold), long ones (logs) cut to their first and last
 *     lines with a note;
 *   - trailing signatures (`-- ` and what follows, "Sent from my …", e-mail reply footers) removed;
 *   - headings demoted by two levels (`#` → `###`), so that the post stays inside its `## Answer`;
 *   - runs of blank lines collapsed, and the body cut at MAX_BODY_CHARS with a note.
 * Code fences are respected throughout: nothing inside code is removed, and a cut never leaves one open.
 */
export function cleanIssueBody(body: string, earlier: EarlierPosts): string {
  let lines = blankHtmlComments(normalizeNewlines(body.slice(0, MAX_RAW_CHARS)).split('\n'));
  lines = removeQuotedReplies(lines, earlier);
  lines = unwrapDetails(lines);
  lines = removeSignature(lines);
  lines = demoteHeadings(lines);
  return capLength(collapseBlankLines(lines).join('\n').trim());
}

/** For each line, whether it is inside a fenced code block (fence lines included). */
function fencedLines(lines: readonly string[]): boolean[] {
  const inside: boolean[] = [];
  let fence: Fence | null = null;
  for (const line of lines) {
    if (fence !== null) {
      inside.push(true);
      if (closesFence(line, fence)) fence = null;
    } else {
      fence = openingFence(line);
      inside.push(fence !== null);
    }
  }
  return inside;
}

function removeQuotedReplies(lines: readonly string[], earlier: EarlierPosts): string[] {
  const fenced = fencedLines(lines);
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (fenced[i] || !/^ {0,3}>/.test(lines[i]!)) {
      out.push(lines[i++]!);
      continue;
    }
    let end = i;
    while (end < lines.length && !fenced[end] && /^ {0,3}>/.test(lines[end]!)) end++;
    const quoted = lines.slice(i, end).map((l) => l.replace(/^(?:\s*>)+\s?/, '')).filter((l) => !isBlank(l));
    const found = quoted.filter((l) => earlier.contains(l)).length;
    if (quoted.length > 0 && found * 2 >= quoted.length) {
      // Drop the quote, and an "On <date>, <someone> wrote:" line just above it.
      while (out.length > 0 && isBlank(out.at(-1)!)) out.pop();
      if (out.length > 0 && /\bwrote:\s*$/.test(out.at(-1)!)) out.pop();
    } else {
      for (let k = i; k < end; k++) out.push(lines[k]!);
    }
    i = end;
  }
  return out;
}

/** `<details><summary>S</summary> … </details>` → `**S**` and the content, long content cut in the middle. */
function unwrapDetails(lines: readonly string[]): string[] {
  const fenced = fencedLines(lines);
  const out: string[] = [];
  let closable = true; // false once a search for </details> reached the end: later ones would too
  for (let i = 0; i < lines.length; i++) {
    if (!closable || fenced[i] || !/^\s*<details\b/i.test(lines[i]!)) {
      out.push(lines[i]!);
      continue;
    }
    let close = i + 1;
    while (close < lines.length && (fenced[close] || !/<\/details>/i.test(lines[close]!))) close++;
    if (close >= lines.length) {
      closable = false;
      out.push(lines[i]!); // never closed: left as it is
      continue;
    }
    const inner = [lines[i]!.replace(/^\s*<details[^>]*>/i, ''), ...lines.slice(i + 1, close), lines[close]!.replace(/<\/details>.*$/i, '')];
    let summary = 'Details';
    const content: string[] = [];
    for (const line of inner) {
      const s = /<summary[^>]*>(.*?)<\/summary>/i.exec(line);
      if (s) {
        summary = s[1]!.replace(/<[^<>]*>/g, '').trim() || summary;
        const rest = line.replace(s[0], '');
        if (!isBlank(rest)) content.push(rest);
      } else {
        content.push(line);
      }
    }
    while (content.length > 0 && isBlank(content[0]!)) content.shift();
    while (content.length > 0 && isBlank(content.at(-1)!)) content.pop();
    if (out.length > 0 && !isBlank(out.at(-1)!)) out.push('');
    out.push(`**${summary}**`, '', ...shortenMiddle(content), '');
    i = close;
  }
  return out;
}

/**
 * The first and last lines of a long block with a note between them. A code fence open at the cut
 * is closed before the note and reopened after it, so the result stays well-formed.
 */
function shortenMiddle(content: readonly string[]): string[] {
  if (content.length <= DETAILS_MAX_LINES) return [...content];
  const headEnd = DETAILS_KEPT_HEAD;
  const tailStart = content.length - DETAILS_KEPT_TAIL;
  const openAtCut = openFenceBefore(content, headEnd);
  const openAtTail = openFenceBefore(content, tailStart);
  return [
    ...content.slice(0, headEnd),
    ...(openAtCut !== null ? [openAtCut.char.repeat(openAtCut.length)] : []),
    `[… ${tailStart - headEnd} lines left out …]`,
    ...(openAtTail !== null ? [`${openAtTail.char.repeat(openAtTail.length)}${openAtTail.info}`] : []),
    ...content.slice(tailStart),
  ];
}

/** The code fence still open just before line `index`, or null. */
function openFenceBefore(lines: readonly string[], index: number): Fence | null {
  let fence: Fence | null = null;
  for (let k = 0; k < index && k < lines.length; k++) {
    if (fence === null) fence = openingFence(lines[k]!);
    else if (closesFence(lines[k]!, fence)) fence = null;
  }
  return fence;
}

/** Cuts a trailing signature: `-- ` and what follows (10 lines at most), "Sent from my …", e-mail reply footers. */
function removeSignature(lines: readonly string[]): string[] {
  const fenced = fencedLines(lines);
  let end = lines.length;
  for (let k = lines.length - 1; k >= 0 && k >= lines.length - 12; k--) {
    if (fenced[k]) break;
    const line = lines[k]!.trimEnd();
    if (line === '--' && lines.length - k <= 11) end = k;
    else if (/^(?:Sent from my \S|Get Outlook for )/i.test(line)) end = k;
    else if (/^(?:You are receiving this because|Reply to this email directly)/i.test(line)) {
      end = k;
      if (k > 0 && /^[—–-]{1,3}$/.test(lines[k - 1]!.trim())) end = k - 1;
    }
  }
  return lines.slice(0, end);
}

/** Every heading two levels down (at most `######`); setext headings become ATX headings. */
function demoteHeadings(lines: readonly string[]): string[] {
  const out: Array<string | null> = [...lines];
  for (const block of scanMarkdownBlocks(lines)) {
    if (block.kind !== 'heading') continue;
    out[block.start] = `${'#'.repeat(Math.min(6, (block.level ?? 1) + 2))} ${block.heading ?? ''}`.trimEnd();
    for (let k = block.start + 1; k < block.end; k++) out[k] = null;
  }
  return out.filter((line): line is string => line !== null);
}

function collapseBlankLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const blank = isBlank(line);
    if (blank && (out.length === 0 || isBlank(out.at(-1)!))) continue;
    out.push(blank ? '' : line.trimEnd());
  }
  return out;
}

/** Cuts a body over MAX_BODY_CHARS at a line break, closes a fence left open, and says how much was left out. */
function capLength(text: string): string {
  if (text.length <= MAX_BODY_CHARS) return text;
  const lineBreak = text.lastIndexOf('\n', MAX_BODY_CHARS);
  let cut = lineBreak > MAX_BODY_CHARS / 2 ? lineBreak : MAX_BODY_CHARS;
  const lastKept = text.charCodeAt(cut - 1);
  if (lastKept >= 0xd800 && lastKept <= 0xdbff) cut--; // not between the halves of a surrogate pair
  const kept = text.slice(0, cut).split('\n');
  const open = openFenceBefore(kept, kept.length);
  const closing = open !== null ? `\n${open.char.repeat(open.length)}` : '';
  return `${kept.join('\n').trimEnd()}${closing}\n\n[… ${text.length - cut} more characters left out …]`;
}
