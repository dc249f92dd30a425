import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// Registered once; the language files also register their aliases (ts, js, sh, zsh, yml, html, …).
const LANGUAGES = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.configure({ ignoreUnescapedHTML: true });

/** Above this, a block is shown plain: highlighting is linear but slow, and a huge block must not freeze the panel. */
const MAX_HIGHLIGHT_CHARS = 100_000;
/** Auto-detection runs every registered grammar, so only short unlabelled blocks get it. */
const MAX_AUTODETECT_CHARS = 2_000;

export interface HighlightResult {
  /** Escaped HTML: highlight.js escapes the code and adds only `<span class="hljs-…">`. */
  html: string;
  /** The language used, when one was. */
  language?: string;
}

/** Highlights `code` (raw text) as `lang` (a fence info word), or returns it escaped. */
export function highlightCode(code: string, lang: string | undefined): HighlightResult {
  if (code.length <= MAX_HIGHLIGHT_CHARS) {
    const name = lang?.toLowerCase();
    if (name && hljs.getLanguage(name)) {
      return { html: hljs.highlight(code, { language: name, ignoreIllegals: true }).value, language: name };
    }
    if (!name && code.length <= MAX_AUTODETECT_CHARS) {
      const result = hljs.highlightAuto(code);
      if (result.language && result.relevance >= 5) return { html: result.value, language: result.language };
    }
  }
  return { html: escapeHtml(code) };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
