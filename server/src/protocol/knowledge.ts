/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there):
 * Knowledge, the repository's docs and past issues retrieved as numbered sources. The client names
 * the workspace folders (KnowledgeSetFoldersRequest) and may ask for a reindex or a search; the
 * daemon indexes, watches and searches, reports each index's KnowledgeHealth in DaemonStatus, and
 * puts the sources and the RetrievalReport in every Suggestion.
 */
import { ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ThreadwiseErrorData } from './errors';

// ---------------------------------------------------------------------------------------------
// What retrieval gives a reply: numbered sources, the report, the citations they do not back.
// ---------------------------------------------------------------------------------------------

/** A source as the model saw it, [number] in the prompt, with where it came from and how to open it. */
export interface KnowledgeSource {
  /** Its number in the prompt: the reply cites it as [number]. */
  number: number;
  /** Stable id of the chunk in the index (a content hash). */
  chunkId: string;
  kind: 'doc' | 'issue' | 'pull';
  /** One line: `docs/install.md › Setup › Linux`, or `#123 Parser crashes on tabs`. */
  title: string;
  /** Headings above the chunk, outermost first (docs); empty for issues. */
  headingPath: string[];
  /** Docs: the path relative to the repository root, with forward slashes. */
  path?: string;
  /** Docs: 1-based, inclusive line range in the file as indexed. */
  startLine?: number;
  endLine?: number;
  /** Docs: the commit the file was indexed at; null when the folder is not a git checkout. */
  commitSha?: string | null;
  /** Issues and pull requests: their number. */
  issueNumber?: number;
  /**
   * The link to show: the blob URL pinned to `commitSha` with `#Lstart-Lend`, or the issue URL.
   * Null when none can be made (no GitHub repository, or no commit).
   */
  url: string | null;
  /** Docs indexed from a folder on this machine: the absolute path of the file. */
  localPath?: string;
  /** The text given to the model. */
  text: string;
  /** Fused relevance (reciprocal rank fusion), higher is better. */
  score: number;
}

export interface RetrievalReport {
  /** Whether an index exists for the thread's repository. */
  indexed: boolean;
  /** Why retrieval did not run or failed, in words (no index, knowledge off, index error). */
  skippedReason?: string;
  /** True when an index was searched and nothing relevant was found: the prompt told the model so. */
  noRelevantSources: boolean;
  /** Every source given to the model, [1]..[k], in number order. */
  given: KnowledgeSource[];
  /** The index generation searched (a counter that grows with every committed update), null without an index. */
  indexVersion: string | null;
  /** The embedding model that built the index. */
  embeddingModel: string | null;
  /** Time spent retrieving, embedding the query included. */
  ms: number;
}

/** A citation in the reply that the sources do not back: a fabricated source. */
export interface CitationFinding {
  /** `unknown-source`: a [n] that was not given; `unknown-url`: a URL in neither the sources nor the thread. */
  kind: 'unknown-source' | 'unknown-url';
  /** The text as it appears in the reply: `[7]` or the URL. */
  text: string;
  /** UTF-16 offset of `text` in the reply. */
  offset: number;
  /** unknown-source: the number cited. */
  number?: number;
}

// ---------------------------------------------------------------------------------------------
// The indexes: their health, and the requests by which the client names folders, reindexes, searches.
// ---------------------------------------------------------------------------------------------

/** The index of one repository (or of one folder without a GitHub repository) as the status item shows it. */
export interface KnowledgeHealth {
  /** `owner/name`, or `local:<folder>` for a folder without a GitHub remote. */
  key: string;
  /** The workspace folder its docs come from, when there is one. */
  folder?: string;
  state: 'empty' | 'indexing' | 'ready' | 'error';
  /** Docs files in the index. */
  files: number;
  /** Closed issues and merged pull requests in the index. */
  issues: number;
  chunks: number;
  /** ISO-8601 time of the last committed update; null before the first. */
  lastUpdated: string | null;
  /** The last failure, in words; cleared by the next successful update. */
  lastError: string | null;
  /** While indexing: what is being done and how far it is. */
  progress?: { phase: 'scanning' | 'chunking' | 'embedding' | 'saving'; done: number; total: number };
}

/** One hit of a knowledge search (CLI `threadwise search`, the search request). */
export interface KnowledgeSearchHit extends KnowledgeSource {
  /** Rank in the vector list and in the lexical list (1-based), null when the chunk was not in that list. */
  vectorRank: number | null;
  lexicalRank: number | null;
  /** Cosine similarity to the query, when the vectors found it. */
  similarity: number | null;
}

export interface KnowledgeFolder {
  /** Absolute path of the workspace folder. */
  path: string;
  /** Its GitHub repository (`owner/name`), or null when it has none: the index is then kept under the folder. */
  repo: string | null;
}

export interface KnowledgeSetFoldersParams {
  folders: KnowledgeFolder[];
}

/**
 * client → daemon. The workspace folders whose docs are indexed. The daemon brings each index up to
 * date in the background (only what changed) and then follows `workspace/didChangeWatchedFiles`.
 */
export namespace KnowledgeSetFoldersRequest {
  export const method = 'threadwise/knowledge/setFolders' as const;
  export const type = new ProtocolRequestType<KnowledgeSetFoldersParams, KnowledgeHealth[], never, ThreadwiseErrorData, void>(method);
}

export interface KnowledgeReindexParams extends WorkDoneProgressParams {
  /** The index to rebuild (`KnowledgeHealth.key`); all when absent. */
  key?: string;
  /** Re-chunk and re-embed everything instead of only what changed. */
  full?: boolean;
}

/** client → daemon. Updates (or rebuilds) indexes now; resolves when done. Cancellable. */
export namespace KnowledgeReindexRequest {
  export const method = 'threadwise/knowledge/reindex' as const;
  export const type = new ProtocolRequestType<KnowledgeReindexParams, KnowledgeHealth[], never, ThreadwiseErrorData, void>(method);
}

export interface KnowledgeSearchParams {
  /** `KnowledgeHealth.key`: `owner/name` or `local:<folder>`. */
  key: string;
  query: string;
  /** Most hits (default: threadwise.knowledgeTopK). */
  k?: number;
}

/** client → daemon. Searches one index the way Suggest Reply does (hybrid, relevance floor applied). */
export namespace KnowledgeSearchRequest {
  export const method = 'threadwise/knowledge/search' as const;
  export const type = new ProtocolRequestType<KnowledgeSearchParams, KnowledgeSearchHit[], never, ThreadwiseErrorData, void>(method);
}
