import { Lexer, Marked } from 'marked';
import type { Links, Token, TokensList } from 'marked';
import { escapeHtml, highlightCode } from './highlight';

/**
 * Markdown → HTML string (GFM). The output is NOT safe by itself: raw HTML in the source passes
 * through, so every caller sends it through `sanitize.ts` before it reaches the DOM.
 */
/** The class of a fenced code block's `<pre>` (not of an indented one). */
export const FENCE_CLASS = 'hljs-fence';

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Code goes through highlight.js, which escapes it: raw HTML in a fence stays text. A fenced
    // block's <pre> is `hljs-fence` (a class the sanitizer keeps): the checks number fenced blocks
    // only, and the marks of failing blocks (checkMarks.ts) find them by it.
    code({ text, lang, codeBlockStyle }) {
      const info = (lang ?? '').match(/^\S*/)?.[0] ?? '';
      const { html, language } = highlightCode(text.replace(/\n$/, ''), info || undefined);
      const label = language ?? info;
      const classes = label ? ` class="hljs language-${escapeHtml(label)}"` : ' class="hljs"';
      const fence = codeBlockStyle === 'indented' ? '' : ` class="${FENCE_CLASS}"`;
      return `<pre${fence}><code${classes}>${html}\n</code></pre>\n`;
    },
    // Task lists: a glyph instead of `<input>` (no form controls in the draft).
    checkbox({ checked }) {
      return `<span class="task">${checked ? '☑' : '☐'}</span> `;
    },
  },
});

/** Reference definitions (`[x]: url`) anywhere in the text decide what `[text][x]` links to. */
const REFERENCE_DEFINITION_LINE = /^ {0,3}\[[^\]\n]+\]:.*$/gm;

/** Lexes `markdown`; `links` are reference definitions from elsewhere in the text (see `referenceLinks`). */
export function lex(markdown: string, links?: Links): TokensList {
  if (!links) return marked.lexer(markdown);
  const lexer = new Lexer(marked.defaults);
  Object.assign(lexer.tokens.links, links);
  return lexer.lex(markdown);
}

/** The reference definitions of a whole text, or undefined when it has none (the common case). */
export function referenceLinks(markdown: string): Links | undefined {
  const lines = markdown.match(REFERENCE_DEFINITION_LINE);
  if (!lines) return undefined;
  const { links } = marked.lexer(lines.join('\n\n'));
  return Object.keys(links).length > 0 ? links : undefined;
}

export function renderTokens(tokens: Token[]): string {
  return marked.parser(tokens);
}

export function renderMarkdown(markdown: string): string {
  return renderTokens(lex(markdown));
}
