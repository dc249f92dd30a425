import type { DocFormat } from '../types';
import { cleanAsciidocLines } from './asciidocCleaner';
import { normalizeNewlines } from './decode';
import { cleanHtmlLines } from './htmlCleaner';
import { cleanMarkdownLines } from './markdownCleaner';
import { cleanRstLines } from './rstCleaner';

/**
 * Turns a document into Markdown-shaped text with exactly as many lines as the input: line i of the
 * output is what is left of line i of the input (removed lines become empty lines). That is what lets
 * the chunker, which only reads Markdown, report line numbers of the original file.
 *
 * Line breaks are normalised first (CRLF and lone CR → LF, as `decodeText` does), which does not
 * change the line count. Plain text is returned as it is.
 */
export function toMarkdownLines(text: string, format: DocFormat): string {
  const lines = normalizeNewlines(text).split('\n');
  const cleaned = cleanerFor(format)(lines);
  // Each cleaner keeps the line count by construction; should one ever not, line numbers would be
  // wrong for every chunk after that point, so the document is indexed uncleaned instead.
  return (cleaned.length === lines.length ? cleaned : lines).join('\n');
}

function cleanerFor(format: DocFormat): (lines: readonly string[]) => readonly string[] {
  switch (format) {
    case 'markdown':
      return cleanMarkdownLines;
    case 'rst':
      return cleanRstLines;
    case 'asciidoc':
      return cleanAsciidocLines;
    case 'html':
      return cleanHtmlLines;
    case 'text':
      return (lines) => lines;
  }
}
