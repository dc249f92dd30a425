import path from 'node:path';
import type { KnowledgeSource, Suggestion } from '../../../server/src/protocol';
import { httpsHost, openableUrl } from './externalUrl';

/**
 * What opening a source of a reply means (pure, no VS Code). The webview names a source only by its
 * number; everything opened comes from the host's own copy of the Suggestion: the local file when
 * the daemon indexed it from this machine (an absolute path, with its lines), else the web link.
 */

/** The knowledge fields of a Suggestion; all are missing in one from an older daemon. */
export type SuggestionKnowledge = Partial<Pick<Suggestion, 'sources' | 'retrieval' | 'citationFindings'>>;

export type SourceTarget =
  /** Open `path` in the editor with lines `startLine..endLine` (1-based, inclusive) selected. */
  | { kind: 'file'; number: number; path: string; startLine: number; endLine: number; title: string }
  /** Open `url` (https) in the browser. */
  | { kind: 'url'; number: number; url: string; title: string }
  /** Nothing to open; `reason` says why, in words for a message. */
  | { kind: 'none'; number: number; reason: string };

/** `open`: the file when there is one, else the link (a click on the source); `web`: the link only ("Open on GitHub"). */
export type OpenMode = 'open' | 'web';

/**
 * The source numbered `number` among those the reply cites, else among all given to the model
 * (an edited draft may cite one the reply did not). Undefined for anything else.
 */
export function findSource(knowledge: SuggestionKnowledge, number: number): KnowledgeSource | undefined {
  if (!Number.isInteger(number) || number < 1) return undefined;
  const lists = [knowledge.sources, knowledge.retrieval?.given];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    const found = list.find((source) => source.number === number);
    if (found) return found;
  }
  return undefined;
}

/** What to open for source `number` of a reply with `knowledge` (undefined: no finished reply). */
export function sourceTarget(knowledge: SuggestionKnowledge | undefined, number: number, mode: OpenMode): SourceTarget {
  const source = knowledge ? findSource(knowledge, number) : undefined;
  if (!source) return { kind: 'none', number, reason: `Source [${number}] is not among the sources of this reply.` };
  if (mode === 'open') {
    const file = localFile(source);
    if (file) return { kind: 'file', number, title: source.title, ...file };
  }
  const url = sourceUrl(source);
  if (url !== undefined) return { kind: 'url', number, url, title: source.title };
  return {
    kind: 'none',
    number,
    reason: mode === 'web' ? `Source [${number}] has no link on GitHub.` : `Source [${number}] has neither a local file nor a link to open.`,
  };
}

/** The source's local file and lines, when it has an absolute path and a valid start line. */
export function localFile(source: KnowledgeSource): { path: string; startLine: number; endLine: number } | undefined {
  const { localPath, startLine, endLine } = source;
  if (typeof localPath !== 'string' || localPath === '' || localPath.includes('\0') || !path.isAbsolute(localPath)) return undefined;
  if (!isLine(startLine)) return undefined;
  return { path: localPath, startLine, endLine: isLine(endLine) && endLine >= startLine ? endLine : startLine };
}

/**
 * The source's web link when it may open in the browser: an https URL without credentials, as
 * `externalUrl` checks links. Any host: the daemon made it from the repository's own GitHub (or
 * GitHub Enterprise Server) remote, and the webview cannot choose it.
 */
export function sourceUrl(source: Pick<KnowledgeSource, 'url'>): string | undefined {
  const { url } = source;
  if (typeof url !== 'string') return undefined;
  const host = httpsHost(url);
  return host === undefined ? undefined : openableUrl(url, new Set([host]));
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
