import type { CitationFinding, KnowledgeSource, Thread } from '../protocol';

/**
 * Reading a reply's citations and links, and flagging the ones the given sources and the thread do
 * not back (fabricated sources).
 *
 * What counts as a citation mark, outside fenced code blocks and inline code spans:
 * - `[3]`, `[1, 2]`, `[1; 2]`, `[1][2]` and ranges `[1-3]` / `[1–3]` (at most MAX_RANGE numbers);
 *   numbers are 1..999 written without leading zeros, so `[0]`, `[2024]`, `[x]` and `[ ]` (task
 *   boxes) are not marks. A bracket with a reversed or oversized range is not a citation at all.
 * - `[1](https://…)`: the `1` is a citation and the URL is a URL to check.
 * - Not marks: a reference-style definition `[1]: https://…` at the start of a line (its URL is still
 *   checked), and the label of a reference link `[text][1]`.
 * - A `[n]` inside a URL (`https://x.test/?a[1]=2`) is part of the URL, not a mark.
 *
 * Code is found the way GitHub renders it, leniently: a fence (``` or ~~~, three or more) opens on a
 * line after any indentation, blockquote or list markers and runs to a closing fence of the same
 * character at least as long, or to the end of the reply; a code span is a backtick run closed by the
 * next run of the same length in the same paragraph. Indented code blocks and backslash escapes are
 * not interpreted (in model replies they are rare and easily confused with list continuations).
 *
 * Offsets are UTF-16 offsets into the reply (JavaScript string indices).
 */

/** A citation of one source number as it appears in the reply. */
export interface CitationMark {
  number: number;
  /** The whole bracket as written (`[1-3]` for each of 1, 2 and 3); `reply.slice(offset, offset + text.length) === text`. */
  text: string;
  offset: number;
}

/** A link in the reply: its URL, trailing punctuation trimmed. */
export interface UrlMention {
  url: string;
  offset: number;
}

/** A range `[a-b]` stands for at most this many numbers; longer ones are read as prose, not citations. */
const MAX_RANGE = 20;

const NUMBER = '[1-9]\\d{0,2}';
const ITEM = `${NUMBER}(?:[ \\t]*[-–][ \\t]*${NUMBER})?`;
/** `[n]`, `[n-m]`, `[n, m; o-p]` on one line. Each repetition starts with a separator, so it cannot backtrack badly. */
const CITATION_GROUP = new RegExp(`\\[[ \\t]*(${ITEM}(?:[ \\t]*[,;][ \\t]*${ITEM})*)[ \\t]*\\]`, 'g');
/** http(s) URLs: up to whitespace, angle brackets, quotes or a backtick. */
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;
/** Characters that end a sentence or a Markdown emphasis rather than a URL. */
const TRAILING_PUNCTUATION = /^[.,:;!?*_~]$/;

/** Citation marks in the reply, in order of offset (within a bracket, in the order written). */
export function findCitationMarks(reply: string): CitationMark[] {
  const prose = maskCode(reply);
  const urls = scanUrls(prose);
  const marks: CitationMark[] = [];
  let previousGroupEnd = -1;
  let urlIndex = 0;
  for (const match of prose.matchAll(CITATION_GROUP)) {
    const offset = match.index;
    const end = offset + match[0].length;
    while (urlIndex < urls.length && urls[urlIndex]!.offset + urls[urlIndex]!.url.length <= offset) urlIndex++;
    const url = urls[urlIndex];
    if (url !== undefined && url.offset < end) continue;
    const chained = offset === previousGroupEnd;
    if (!chained && isReferenceLabelOrDefinition(prose, offset, end)) continue;
    const numbers = numbersOf(match[1]!);
    if (numbers === null) continue;
    const text = reply.slice(offset, end);
    for (const number of numbers) marks.push({ number, text, offset });
    previousGroupEnd = end;
  }
  return marks;
}

/** http(s) URLs in the reply outside code: bare, autolinks `<…>` and Markdown link targets, in order. */
export function findUrls(text: string): UrlMention[] {
  // Masking changes only code, so a URL found in the masked text reads the same in the reply.
  return scanUrls(maskCode(text));
}

/** Exactly the given sources the reply cites, in number order, each once. */
export function citedSources(reply: string, given: readonly KnowledgeSource[]): KnowledgeSource[] {
  const cited = new Set(findCitationMarks(reply).map((mark) => mark.number));
  const seen = new Set<number>();
  return [...given]
    .sort((a, b) => a.number - b.number)
    .filter((source) => {
      if (!cited.has(source.number) || seen.has(source.number)) return false;
      seen.add(source.number);
      return true;
    });
}

/**
 * What in the reply the sources and the thread do not back, ordered by offset:
 * - `unknown-source` for every citation of a number that was not given;
 * - `unknown-url` for every URL that is neither a given source's URL nor a URL in the thread (title,
 *   body, comments and their links, the thread's link, review comments and their diff hunks, code
 *   included: a URL the thread shows anywhere is not invented).
 *
 * URLs are compared normalized (scheme and host lowercase, no trailing slash) and without their
 * `#fragment`: a link to a given page with another anchor (`a.md#L40` for a source at `a.md#L10-L20`,
 * or a heading anchor) points into a page the model was given, so it is not a fabricated source.
 */
export function citationFindings(reply: string, given: readonly Pick<KnowledgeSource, 'number' | 'url'>[], thread: Thread | undefined): CitationFinding[] {
  const numbers = new Set(given.map((source) => source.number));
  const findings: CitationFinding[] = [];
  for (const mark of findCitationMarks(reply)) {
    if (!numbers.has(mark.number)) findings.push({ kind: 'unknown-source', text: mark.text, offset: mark.offset, number: mark.number });
  }
  const known = new Set<string>();
  for (const source of given) {
    if (source.url !== null) known.add(urlKey(source.url));
  }
  for (const text of thread === undefined ? [] : threadTexts(thread)) {
    for (const { url } of scanUrls(text)) known.add(urlKey(url));
  }
  for (const { url, offset } of findUrls(reply)) {
    if (!known.has(urlKey(url))) findings.push({ kind: 'unknown-url', text: url, offset });
  }
  // Stable: at one offset, the marks of a bracket stay in the order written.
  return findings.sort((a, b) => a.offset - b.offset);
}

/** Every text of the thread a URL could come from. */
function threadTexts(thread: Thread): string[] {
  const texts = [thread.title, thread.body, thread.url ?? ''];
  for (const comment of thread.comments) texts.push(comment.body, comment.url ?? '');
  for (const review of thread.reviewThreads ?? []) {
    texts.push(review.diffHunk);
    for (const comment of review.comments) texts.push(comment.body, comment.url ?? '');
  }
  return texts.filter((text) => typeof text === 'string' && text !== '');
}

/** The numbers a bracket's content cites, each once, or null when the bracket is not a citation. */
function numbersOf(content: string): number[] | null {
  const numbers: number[] = [];
  for (const item of content.split(/[,;]/)) {
    const [first, last = first] = item.split(/[-–]/).map((part) => Number(part.trim()));
    if (first === undefined || last === undefined || last < first || last - first >= MAX_RANGE) return null;
    for (let n = first; n <= last; n++) {
      if (!numbers.includes(n)) numbers.push(n);
    }
  }
  return numbers;
}

/**
 * `[1]: https://…` (a reference definition: the bracket opens its line, up to three spaces in, and a
 * colon and a URL follow) or `[text][1]` (a reference link's label: the bracket follows a `]`).
 * A line like `[4]: Installation guide` is a list of references, and its `[4]` a citation.
 */
function isReferenceLabelOrDefinition(prose: string, start: number, end: number): boolean {
  if (start > 0 && prose[start - 1] === ']') return true;
  if (!/^:[ \t]*<?https?:\/\//i.test(prose.slice(end, end + 16))) return false;
  let at = start;
  while (at > 0 && start - at < 3 && prose[at - 1] === ' ') at--;
  return at === 0 || prose[at - 1] === '\n' || prose[at - 1] === '\r';
}

/** URLs in `text` (code included: the caller masks code first when it must be skipped), trailing punctuation trimmed. */
function scanUrls(text: string): UrlMention[] {
  const urls: UrlMention[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    if (/^https?:\/\/[^/?#]/i.test(url)) urls.push({ url, offset: match.index });
  }
  return urls;
}

/**
 * GitHub's autolink rule: sentence punctuation at the end is not part of the URL, nor is a closing
 * parenthesis or bracket without its opening one in the URL (`(see https://x.test/a)`,
 * `[docs](https://x.test/a)`).
 */
function trimUrl(raw: string): string {
  // Unmatched closers, kept up to date as the end is trimmed, so trimming stays linear.
  let parens = count(raw, ')') - count(raw, '(');
  let brackets = count(raw, ']') - count(raw, '[');
  let end = raw.length;
  for (; end > 0; end--) {
    const last = raw[end - 1]!;
    if (TRAILING_PUNCTUATION.test(last)) continue;
    if (last === ')' && parens > 0) {
      parens--;
      continue;
    }
    if (last === ']' && brackets > 0) {
      brackets--;
      continue;
    }
    break;
  }
  return raw.slice(0, end);
}

function count(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) n++;
  return n;
}

/**
 * The key two URLs are compared by: scheme and host lowercase (as the WHATWG parser writes them), no
 * trailing slash on the path, no fragment. A URL the parser refuses is compared by its own text,
 * lowercased up to the path.
 */
export function urlKey(raw: string): string {
  const withoutFragment = raw.split('#', 1)[0]!;
  try {
    const url = new URL(withoutFragment);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    const parts = /^([^:/?]*:\/\/[^/?]*)(.*)$/s.exec(withoutFragment);
    if (parts === null) return withoutFragment;
    return `${parts[1]!.toLowerCase()}${parts[2]!.replace(/\/+$/, '')}`;
  }
}

/**
 * The text with every code character replaced by a space (line breaks kept), so offsets stay the
 * reply's own: fenced code blocks first, then inline code spans in what is left.
 */
function maskCode(text: string): string {
  const chars = text.split('');
  const blank = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
    }
  };
  const paragraphs = maskFences(text, blank);
  maskCodeSpans(text, paragraphs, blank);
  return chars.join('');
}

/** Lines of `text` with their offsets (a line ends at \n, \r\n or \r, which are not part of it). */
function linesOf(text: string): Array<{ start: number; end: number }> {
  const lines: Array<{ start: number; end: number }> = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (const match of text.matchAll(breaks)) {
    lines.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

/** Indentation, blockquote markers and list markers before a fence. */
const BLOCK_PREFIX = /^[ \t]*(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)*/;

/**
 * Blanks fenced code blocks and returns the prose between them as paragraphs (ranges without blank
 * lines), where code spans may be.
 */
function maskFences(text: string, blank: (from: number, to: number) => void): Array<{ start: number; end: number }> {
  const paragraphs: Array<{ start: number; end: number }> = [];
  let paragraphStart = -1;
  let paragraphEnd = -1;
  const closeParagraph = (): void => {
    if (paragraphStart !== -1) paragraphs.push({ start: paragraphStart, end: paragraphEnd });
    paragraphStart = -1;
  };
  let fence: { char: string; length: number } | null = null;
  for (const line of linesOf(text)) {
    const content = text.slice(line.start, line.end);
    const rest = content.slice(BLOCK_PREFIX.exec(content)![0].length);
    if (fence !== null) {
      blank(line.start, line.end);
      const closing = /^(`{3,}|~{3,})[ \t]*$/.exec(rest);
      if (closing !== null && closing[1]![0] === fence.char && closing[1]!.length >= fence.length) fence = null;
      continue;
    }
    const opening = /^(`{3,}|~{3,})(.*)$/.exec(rest);
    if (opening !== null && !(opening[1]![0] === '`' && opening[2]!.includes('`'))) {
      closeParagraph();
      blank(line.start, line.end);
      fence = { char: opening[1]![0]!, length: opening[1]!.length };
      continue;
    }
    if (content.trim() === '') {
      closeParagraph();
      continue;
    }
    if (paragraphStart === -1) paragraphStart = line.start;
    paragraphEnd = line.end;
  }
  closeParagraph();
  return paragraphs;
}

/**
 * Blanks inline code spans: a backtick run opens one when a run of the same length follows in the
 * same paragraph, and the span ends there. Runs are visited once and each length's cursor only moves
 * forward, so the work is linear in the number of runs.
 */
function maskCodeSpans(text: string, paragraphs: ReadonlyArray<{ start: number; end: number }>, blank: (from: number, to: number) => void): void {
  for (const paragraph of paragraphs) {
    const runs: Array<{ start: number; length: number }> = [];
    const slice = text.slice(paragraph.start, paragraph.end);
    for (const match of slice.matchAll(/`+/g)) runs.push({ start: paragraph.start + match.index, length: match[0].length });
    const byLength = new Map<number, number[]>();
    runs.forEach((run, index) => {
      const list = byLength.get(run.length);
      if (list === undefined) byLength.set(run.length, [index]);
      else list.push(index);
    });
    const cursors = new Map<number, number>();
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const list = byLength.get(run.length)!;
      let cursor = cursors.get(run.length) ?? 0;
      while (cursor < list.length && list[cursor]! <= i) cursor++;
      cursors.set(run.length, cursor);
      const closer = list[cursor];
      if (closer === undefined) continue;
      const close = runs[closer]!;
      blank(run.start, close.start + close.length);
      i = closer;
    }
  }
}
