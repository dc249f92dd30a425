import { backtickFenceFor, indentOf, isBlank } from './markdownFence';

/**
 * reStructuredText → Markdown-shaped lines, one output line per input line:
 *   - section titles (underlined, or over- and underlined, with any adornment character) become
 *     `#` headings; levels follow the order in which adornment styles first appear, as in docutils;
 *     the adornment lines become empty;
 *   - `.. code-block:: lang` (and `code`, `sourcecode`) and `::` literal blocks become fenced code:
 *     the opening fence takes the directive line (or the blank line after `text::`), the closing fence
 *     the blank line after the block;
 *   - comments, hyperlink targets, substitution definitions and navigation directives (toctree,
 *     include, image, …) become empty; admonitions become `**Note:** …` and keep their text;
 *   - roles and links in running text become their text.
 */
export function cleanRstLines(lines: readonly string[]): string[] {
  return new RstCleaner(lines).run();
}

/** Directives whose whole body is navigation or markup, not prose: blanked. */
const DROPPED_DIRECTIVES = new Set([
  'toctree', 'contents', 'index', 'meta', 'raw', 'include', 'literalinclude', 'highlight', 'image',
  'sectnum', 'tabularcolumns', 'currentmodule', 'module', 'moduleauthor', 'sectionauthor', 'autosummary',
  'default-role', 'role', 'title',
]);
const CODE_DIRECTIVES = new Set(['code-block', 'code', 'sourcecode']);
const LABELLED_DIRECTIVES: ReadonlyMap<string, string> = new Map([
  ['note', 'Note'], ['warning', 'Warning'], ['tip', 'Tip'], ['hint', 'Hint'], ['important', 'Important'],
  ['caution', 'Caution'], ['danger', 'Danger'], ['error', 'Error'], ['attention', 'Attention'],
  ['seealso', 'See also'], ['todo', 'To do'], ['versionadded', 'New in version'],
  ['versionchanged', 'Changed in version'], ['deprecated', 'Deprecated since version'],
]);
/** Lines longer than this keep their inline markup (keeps the regular expressions linear on hostile input). */
const MAX_INLINE_LINE = 10_000;
/** Roles whose text is prose become plain text; the others (`:func:`, `:class:`, …) keep backticks. */
const PLAIN_ROLES = new Set(['ref', 'doc', 'term', 'abbr', 'numref', 'download', 'pep', 'rfc', 'sub', 'sup', 'emphasis', 'strong']);

class RstCleaner {
  private readonly out: string[];
  /** Adornment styles (`=`, `-`, or `=/over` for over- and underlined) in order of first appearance. */
  private readonly styles: string[] = [];

  constructor(private readonly lines: readonly string[]) {
    this.out = lines.slice();
  }

  run(): string[] {
    let i = 0;
    while (i < this.lines.length) i = this.step(i);
    return this.out;
  }

  /** Handles the construct starting at line i; returns the next line to look at. */
  private step(i: number): number {
    const line = this.lines[i]!;
    if (isBlank(line)) return i + 1;
    const markup = /^(\s*)\.\.(?:\s+(.*))?$/.exec(line);
    if (markup) return this.explicitMarkup(i, markup[1]!.length, markup[2] ?? '');
    const title = this.title(i);
    if (title !== null) return title;
    if (adornmentChar(line) !== null && line.trim().length >= 4 && this.isBlankAt(i - 1) && this.isBlankAt(i + 1)) {
      this.out[i] = ''; // a transition
      return i + 1;
    }
    if (adornmentChar(line) !== null && line.trim() !== '::') {
      this.out[i] = ''; // a stray adornment (under a paragraph, a table border): never a Markdown setext underline
      return i + 1;
    }
    if (/::\s*$/.test(line)) return this.literalBlock(i);
    this.out[i] = cleanRstInline(line);
    return i + 1;
  }

  private isBlankAt(i: number): boolean {
    return i < 0 || i >= this.lines.length || isBlank(this.lines[i]!);
  }

  // --- section titles ------------------------------------------------------------------------

  /** A section title at line i (underline or overline form): writes the heading, returns the next line; null if none. */
  private title(i: number): number | null {
    const lines = this.lines;
    const line = lines[i]!;
    const over = adornmentChar(line);
    if (over !== null && i + 2 < lines.length) {
      const text = lines[i + 1]!.trim();
      const under = lines[i + 2]!;
      if (text !== '' && adornmentChar(lines[i + 1]!) === null && adornmentChar(under) === over && fitsTitle(line, text) && fitsTitle(under, text)) {
        this.writeTitle(i + 1, text, `${over}/over`);
        this.out[i] = '';
        this.out[i + 2] = '';
        return i + 3;
      }
    }
    if (over === null && indentOf(line) === 0 && i + 1 < lines.length && this.isBlankAt(i - 1)) {
      const under = adornmentChar(lines[i + 1]!);
      const text = line.trim();
      if (under !== null && fitsTitle(lines[i + 1]!, text)) {
        this.writeTitle(i, text, under);
        this.out[i + 1] = '';
        return i + 2;
      }
    }
    return null;
  }

  private writeTitle(at: number, text: string, style: string): void {
    let level = this.styles.indexOf(style) + 1;
    if (level === 0) level = this.styles.push(style);
    this.out[at] = `${'#'.repeat(Math.min(level, 6))} ${cleanRstInline(text)}`;
  }

  // --- explicit markup: directives, comments, targets ------------------------------------------

  private explicitMarkup(i: number, indent: number, rest: string): number {
    const directive = /^([A-Za-z0-9][\w.:+-]*?)::(?:\s+(.*))?$/.exec(rest);
    if (directive) {
      const name = directive[1]!.toLowerCase();
      const args = (directive[2] ?? '').trim();
      if (CODE_DIRECTIVES.has(name)) return this.codeDirective(i, this.blockEnd(i, indent), args.split(/\s+/)[0] ?? '');
      if (DROPPED_DIRECTIVES.has(name) || name.startsWith('auto')) return this.blank(i, this.blockEnd(i, indent));
      const label = LABELLED_DIRECTIVES.get(name);
      this.out[i] = label !== undefined ? `**${label}:** ${cleanRstInline(args)}`.trimEnd() : cleanRstInline(args);
      return this.blankOptions(i + 1, this.lines.length); // the body is prose: processed like the rest
    }
    const footnote = /^(\[[^\]]+\])\s*(.*)$/.exec(rest);
    if (footnote) {
      this.out[i] = `${footnote[1]} ${cleanRstInline(footnote[2]!)}`.trimEnd();
      return i + 1;
    }
    // Hyperlink targets (`.. _name:`), substitution definitions (`.. |x| …`) and comments.
    if (rest === '' && this.isBlankAt(i + 1)) return this.blank(i, i + 1); // an empty comment ends at the blank line
    return this.blank(i, this.blockEnd(i, indent));
  }

  /** `.. code-block:: lang` with its options and indented content → a fenced block. */
  private codeDirective(i: number, end: number, lang: string): number {
    const contentStart = this.blankOptions(i + 1, end);
    this.out[i] = '';
    let first = contentStart;
    while (first < end && isBlank(this.lines[first]!)) first++;
    if (first >= end) return end; // no content
    return this.fence(i, first, end, lang);
  }

  /**
   * Fences the indented code lines first..end-1 with the opening fence on line `openAt` and the
   * closing fence on the blank line after the code. When the code is followed directly by text (no
   * blank line to hold the fence), the code stays unfenced, indented 4+ spaces (Markdown's indented
   * code, so nothing in it reads as a heading).
   */
  private fence(openAt: number, first: number, end: number, lang: string): number {
    const dedented = dedentLines(this.lines.slice(first, end));
    const closeAt = end < this.lines.length && isBlank(this.lines[end]!) ? end : end === this.lines.length ? -1 : null;
    if (closeAt === null) {
      dedented.forEach((line, k) => (this.out[first + k] = line === '' ? '' : `    ${line}`));
      return end;
    }
    const fence = backtickFenceFor(dedented);
    this.out[openAt] = fence + lang;
    dedented.forEach((line, k) => (this.out[first + k] = line));
    if (closeAt < 0) return end;
    this.out[closeAt] = fence;
    return closeAt + 1;
  }

  /** A paragraph ending in `::` followed by a blank line and an indented block: a literal block. */
  private literalBlock(i: number): number {
    const line = this.lines[i]!;
    const baseIndent = indentOf(line);
    const expanded = line.trim() === '::';
    this.out[i] = expanded ? '' : cleanRstInline(line.replace(/(\s?)::\s*$/, (_m, space: string) => (space === '' ? ':' : '')));
    if (!this.isBlankAt(i + 1) || i + 1 >= this.lines.length) return i + 1;
    let first = i + 1;
    while (first < this.lines.length && isBlank(this.lines[first]!)) first++;
    if (first >= this.lines.length || indentOf(this.lines[first]!) <= baseIndent) return i + 1;
    const end = this.blockEnd(first - 1, baseIndent);
    return this.fence(expanded ? i : i + 1, first, end, '');
  }

  // --- helpers -------------------------------------------------------------------------------

  /** One past the last non-blank line after `start` indented more than `indent` (blank lines inside included). */
  private blockEnd(start: number, indent: number): number {
    let end = start + 1;
    for (let k = start + 1; k < this.lines.length; k++) {
      const line = this.lines[k]!;
      if (isBlank(line)) continue;
      if (indentOf(line) <= indent) break;
      end = k + 1;
    }
    return end;
  }

  /** Blanks a directive's `:option: value` lines from `from`; returns the first line after them. */
  private blankOptions(from: number, end: number): number {
    let k = from;
    while (k < end && /^\s+:[\w-]+:/.test(this.lines[k]!)) this.out[k++] = '';
    return k;
  }

  private blank(from: number, end: number): number {
    for (let k = from; k < end; k++) this.out[k] = '';
    return Math.max(end, from + 1);
  }
}

/** The character of an adornment line (2+ of one punctuation character, nothing else), or null. */
function adornmentChar(line: string): string | null {
  const text = line.trimEnd();
  if (text.length < 2) return null;
  const ch = text[0]!;
  if (!/[!-/:-@[-`{-~]/.test(ch)) return null;
  for (let k = 1; k < text.length; k++) if (text[k] !== ch) return null;
  return ch;
}

/** docutils takes an adornment as a title's when it is at least as long as the title, or 4+ characters. */
function fitsTitle(adornment: string, title: string): boolean {
  const length = adornment.trimEnd().length;
  return length >= title.length || length >= 4;
}

/** Removes the common indentation of the non-blank lines; blank lines become empty. */
function dedentLines(lines: readonly string[]): string[] {
  let common = Infinity;
  for (const line of lines) if (!isBlank(line)) common = Math.min(common, indentOf(line));
  return lines.map((line) => (isBlank(line) ? '' : stripColumns(line, common)));
}

function stripColumns(line: string, columns: number): string {
  let k = 0;
  let seen = 0;
  while (k < line.length && seen < columns && (line[k] === ' ' || line[k] === '\t')) {
    seen += line[k] === '\t' ? 4 - (seen % 4) : 1;
    k++;
  }
  return line.slice(k);
}

/**
 * Inline reStructuredText → Markdown: ``literal`` → `literal`, :role:`text <target>` → `text` (plain
 * text for :ref:, :doc: and the like), `text <url>`_ → [text](url), `name`_ → name.
 */
export function cleanRstInline(line: string): string {
  if (!line.includes('`') || line.length > MAX_INLINE_LINE) return line;
  return line.replace(
    /``(.+?)``|:([\w.+-]+(?::[\w.+-]+)*):`([^`]*)`|`([^`]+)`(__?)/g,
    (whole, literal?: string, role?: string, roleText?: string, refText?: string) => {
      if (literal !== undefined) return `\`${literal}\``;
      if (role !== undefined && roleText !== undefined) {
        const text = roleText.replace(/\s*<[^<>]*>$/, '').replace(/^[~!]/, '');
        const shown = text === '' ? roleText : text;
        return PLAIN_ROLES.has(role.split(':').pop()!) ? shown : `\`${shown}\``;
      }
      if (refText !== undefined) {
        const link = /^(.*?)\s*<([^<>]+)>$/.exec(refText);
        if (!link) return refText;
        return /^[a-z][\w+.-]*:/i.test(link[2]!) ? `[${link[1] || link[2]}](${link[2]})` : link[1] || link[2]!;
      }
      return whole;
    },
  );
}
