import type { CitationFinding, KnowledgeSource } from '../../../server/src/protocol';
import type { CitationFlag, CitedSource, SourcesInfo } from '../../../webview/src/protocol';
import { localFile, sourceUrl } from './sourceTarget';
import type { SuggestionKnowledge } from './sourceTarget';

/**
 * What the webview shows of a reply's sources (pure, no VS Code): the cited sources' numbers,
 * titles and lines, whether each can be opened, the possibly fabricated citations, and what
 * retrieval did. No local path goes to the page, and opening goes back to the host by number.
 */

/** Bounds on what the page gets: titles and flagged texts come from docs and from the model. */
const MAX_TITLE_CHARS = 300;
const MAX_REASON_CHARS = 300;
/** A flagged URL longer than this is clipped in the warning (and then not found in the draft to mark). */
const MAX_FLAG_CHARS = 2000;
const MAX_FLAGS = 50;
const MAX_SOURCES = 100;

/** The webview's view of `suggestion`'s sources; undefined when the daemon reported no retrieval (an older one). */
export function sourcesInfo(suggestion: SuggestionKnowledge): SourcesInfo | undefined {
  const retrieval = suggestion.retrieval;
  if (typeof retrieval !== 'object' || retrieval === null) return undefined;
  const sources = listOf(suggestion.sources).filter(hasNumber).slice(0, MAX_SOURCES);
  const given = listOf(retrieval.given).filter(hasNumber).slice(0, MAX_SOURCES);
  const info: SourcesInfo = {
    cited: sources.map(citedSource),
    given: [...new Set(given.map((source) => source.number))],
    flags: listOf(suggestion.citationFindings).flatMap(citationFlag).slice(0, MAX_FLAGS),
    noRelevantSources: retrieval.noRelevantSources === true,
    indexed: retrieval.indexed === true,
  };
  if (typeof retrieval.skippedReason === 'string' && retrieval.skippedReason !== '') info.skippedReason = clip(oneLine(retrieval.skippedReason), MAX_REASON_CHARS);
  return info;
}

function citedSource(source: KnowledgeSource): CitedSource {
  const url = sourceUrl(source);
  const cited: CitedSource = {
    number: source.number,
    kind: source.kind === 'issue' || source.kind === 'pull' ? source.kind : 'doc',
    title: clip(typeof source.title === 'string' ? oneLine(source.title) : '', MAX_TITLE_CHARS),
    openable: localFile(source) !== undefined || url !== undefined,
  };
  if (isLine(source.startLine)) {
    cited.startLine = source.startLine;
    if (isLine(source.endLine)) cited.endLine = source.endLine;
  }
  if (url !== undefined) cited.url = url;
  return cited;
}

function citationFlag(finding: CitationFinding): CitationFlag[] {
  if (typeof finding !== 'object' || typeof finding.text !== 'string') return [];
  if (finding.kind !== 'unknown-source' && finding.kind !== 'unknown-url') return [];
  const flag: CitationFlag = { kind: finding.kind, text: clip(oneLine(finding.text), MAX_FLAG_CHARS) };
  if (typeof finding.number === 'number' && Number.isFinite(finding.number)) flag.number = finding.number;
  return [flag];
}

function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function hasNumber(source: KnowledgeSource): boolean {
  return typeof source === 'object' && Number.isInteger(source.number) && source.number >= 1;
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
