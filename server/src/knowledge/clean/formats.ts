import type { DocFormat } from '../types';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, DocFormat> = new Map([
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['mdx', 'markdown'],
  ['rst', 'rst'],
  ['adoc', 'asciidoc'],
  ['asciidoc', 'asciidoc'],
  ['asc', 'asciidoc'],
  ['html', 'html'],
  ['htm', 'html'],
  ['txt', 'text'],
]);

/** The format of a docs file from its extension (case-insensitive), or null for files that are not docs. */
export function formatOfPath(path: string): DocFormat | null {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  return FORMAT_BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) ?? null;
}
