import { backtickFenceFor, closesFence, isBlank, openingFence } from './markdownFence';

/**
 * AsciiDoc → Markdown-shaped lines, one output line per input line:
 *   - `= Title`, `== Section`, … become `#`, `##`, …;
 *   - listing (`----`) and literal (`....`) blocks become fenced code, with the language of a
 *     `[source,lang]` line just above (which becomes empty); a `[source]` paragraph (no delimiters)
 *     is fenced on its attribute line and the blank line after it; Markdown-style ``` fences stay;
 *   - `////` comment blocks, `//` comment lines, attribute entries (`:name: value`), block attribute
 *     and anchor lines (`[NOTE]`, `[[id]]`), block macros (`image::…[]`, `include::…[]`) and the
 *     delimiters of example, sidebar, quote, open, passthrough and table blocks become empty;
 *   - block titles (`.Title`) become bold, admonition paragraphs `**Note:** …`, and links and
 *     cross references their text.
 */
export function cleanAsciidocLines(lines: readonly string[]): string[] {
  const out = lines.slice();
  let pendingLang: string | null = null;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const text = line.trimEnd();
    const langForBlock = pendingLang;
    pendingLang = null;

    if (/^(?:-{4,}|\.{4,}|\/{4,}|\+{4,})$/.test(text)) {
      i = delimitedBlock(lines, out, i, langForBlock ?? '');
      continue;
    }
    const fence = openingFence(line, 0);
    if (fence !== null) {
      let close = i + 1;
      while (close < lines.length && !closesFence(lines[close]!, fence)) close++;
      i = close + 1; // Markdown-style fenced code is kept as it is
      continue;
    }
    const source = /^\[(?:source|listing|literal)?(?:,\s*([^,\]]*))?[^\]]*\]$/.exec(text);
    if (source && (text.startsWith('[source') || text.startsWith('[listing') || text.startsWith('[literal') || text.startsWith('[,'))) {
      const lang = (source[1] ?? '').trim();
      const next = lines[i + 1]?.trimEnd() ?? '';
      out[i] = '';
      if (/^(?:-{4,}|\.{4,})$/.test(next)) pendingLang = lang;
      else if (!isBlank(next)) {
        i = sourceParagraph(lines, out, i, lang);
        continue;
      }
      i++;
      continue;
    }
    out[i] = cleanAsciidocLine(line);
    if (/^:!?\w[\w-]*!?:(?:\s|$)/.test(text)) {
      // An attribute entry; a value ending in ` \` continues on the next line.
      while (i + 1 < lines.length && / \\$/.test(lines[i]!.trimEnd())) out[++i] = '';
    }
    i++;
  }
  return out;
}

/** One line outside delimited blocks. */
function cleanAsciidocLine(line: string): string {
  const text = line.trimEnd();
  if (/^(?:={4,}|\*{4,}|_{4,}|--|[|,:!]={3,})$/.test(text)) return ''; // example, sidebar, quote, open, table delimiters
  if (/^\/\/(?!\/\/)/.test(text)) return ''; // a comment line
  if (/^:!?\w[\w-]*!?:(?:\s|$)/.test(text)) return ''; // an attribute entry
  if (/^\[.*\]$/.test(text)) return ''; // block attributes, anchors, roles
  if (/^[a-z][\w-]*::\S*\[.*\]$/.test(text)) return ''; // block macros: image::, include::, toc::
  const heading = /^(={1,6})\s+(\S.*)$/.exec(text);
  if (heading) return `${'#'.repeat(heading[1]!.length)} ${cleanAsciidocInline(stripClosingEquals(heading[2]!))}`;
  const blockTitle = /^\.([^\s.].*)$/.exec(text);
  if (blockTitle) return `**${cleanAsciidocInline(blockTitle[1]!)}**`;
  const admonition = /^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s+(.*)$/.exec(text);
  if (admonition) return `**${admonition[1]![0]}${admonition[1]!.slice(1).toLowerCase()}:** ${cleanAsciidocInline(admonition[2]!)}`;
  return cleanAsciidocInline(line);
}

/**
 * A delimited block opening at line `open`: listing/literal → fenced code, comment → blank,
 * passthrough → content kept, delimiters blank. The closing delimiter is the same line; without one
 * the block runs to the end. Returns the line after the block.
 */
function delimitedBlock(lines: readonly string[], out: string[], open: number, lang: string): number {
  const delimiter = lines[open]!.trimEnd();
  let close = open + 1;
  while (close < lines.length && lines[close]!.trimEnd() !== delimiter) close++;
  const kind = delimiter[0];
  if (kind === '/') {
    for (let k = open; k <= close && k < lines.length; k++) out[k] = '';
  } else if (kind === '+') {
    out[open] = '';
    if (close < lines.length) out[close] = '';
  } else {
    const fence = backtickFenceFor(lines.slice(open + 1, close));
    out[open] = fence + lang;
    if (close < lines.length) out[close] = fence;
  }
  return close + 1;
}

/** `[source,lang]` directly above a paragraph: the paragraph is code, fenced on the attribute line and the blank line after. */
function sourceParagraph(lines: readonly string[], out: string[], at: number, lang: string): number {
  let end = at + 1;
  while (end < lines.length && !isBlank(lines[end]!)) end++;
  const fence = backtickFenceFor(lines.slice(at + 1, end));
  out[at] = fence + lang;
  if (end < lines.length) out[end] = fence;
  return end + 1;
}

/** `== Title ==` → `Title` (the symmetric form's closing equals signs). */
function stripClosingEquals(title: string): string {
  let k = title.length;
  while (k > 0 && title[k - 1] === '=') k--;
  if (k === title.length || k === 0 || !/\s/.test(title[k - 1]!)) return title;
  return title.slice(0, k).trimEnd();
}

/** Lines longer than this keep their inline markup (keeps the regular expressions linear on hostile input). */
const MAX_INLINE_LINE = 10_000;

/** link:url[text] and https://url[text] → [text](url); <<id,text>> and xref:file[text] → text. */
function cleanAsciidocInline(line: string): string {
  if (line.length > MAX_INLINE_LINE || !/[[<]/.test(line)) return line;
  return line
    .replace(/\b(?:link:)?((?:https?|ftp|mailto):[^\s[\]]+)\[([^\]]*)\]/g, (_m, url: string, text: string) => `[${text.replace(/\^$/, '') || url}](${url})`)
    .replace(/\blink:([^\s[\]]+)\[([^\]]*)\]/g, (_m, target: string, text: string) => text || target)
    .replace(/\bxref:([^\s[\]]+)\[([^\]]*)\]/g, (_m, target: string, text: string) => text || target)
    .replace(/<<([^,<>]+)(?:,\s*([^<>]+))?>>/g, (_m, id: string, text?: string) => text ?? id);
}
