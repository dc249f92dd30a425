/**
 * The one contract between the VS Code client (or any LSP client) and the Threadwise daemon.
 *
 * Both sides import this file; nothing here is mirrored by hand. It imports only
 * `vscode-languageserver-protocol`, so the extension host can load it without pulling in the daemon.
 * Every custom message is a namespace with a literal `method`, a typed `type` and its params/result,
 * and a line saying who sends it to whom.
 */
import { ProtocolNotificationType, ProtocolRequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { InitializeResult, PartialResultParams, WorkDoneProgressParams } from 'vscode-languageserver-protocol';

// ---------------------------------------------------------------------------------------------
// The Thread: an issue or pull request with its comments, close to GitHub's GraphQL shape.
// ---------------------------------------------------------------------------------------------

/** GitHub's `CommentAuthorAssociation`. OWNER, MEMBER and COLLABORATOR count as maintainers. */
export type CommentAuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

export interface ThreadAuthor {
  login: string;
  association: CommentAuthorAssociation;
}

export interface ThreadComment {
  author: ThreadAuthor;
  body: string;
  /** ISO-8601 timestamp. */
  createdAt: string;
  /** GitHub's node id, when the comment came from GitHub (needed to edit it). */
  id?: string;
  url?: string;
}

/** A file a pull request changes (from GitHub's `PullRequest.files`). */
export interface PullRequestFile {
  path: string;
  additions: number;
  deletions: number;
  /** GitHub's `PatchStatus`: ADDED, DELETED, RENAMED, COPIED, MODIFIED, CHANGED. */
  changeType: string;
}

/** A review conversation on a line of a pull request's diff. */
export interface ReviewThread {
  path: string;
  /** Line in the new version of the file; null when the thread is outdated. */
  line: number | null;
  /** The diff hunk the first comment was made on. */
  diffHunk: string;
  isResolved: boolean;
  isOutdated: boolean;
  /** Oldest first. */
  comments: ThreadComment[];
}

export interface Thread {
  /** `owner/name`. */
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  body: string;
  url?: string;
  state?: 'open' | 'closed' | 'merged';
  labels?: string[];
  author: ThreadAuthor;
  /** ISO-8601 timestamp. */
  createdAt: string;
  /** Oldest first. */
  comments: ThreadComment[];
  /** GitHub's node id of the issue or pull request (the `subjectId` of `addComment`). */
  id?: string;
  /** ISO-8601 timestamp of the last change on GitHub; the cache compares it to skip refetching. */
  updatedAt?: string;
  /** Pull requests fetched from GitHub: the changed files. */
  files?: PullRequestFile[];
  /** Pull requests fetched from GitHub: the review threads, with path, line and diff hunk. */
  reviewThreads?: ReviewThread[];
}

// ---------------------------------------------------------------------------------------------
// Settings the daemon needs; the client reads them from `threadwise.*` and sends them over.
// ---------------------------------------------------------------------------------------------

export interface DaemonSettings {
  /** Local GGUF path or `hf:owner/repo/file.gguf`; empty picks a Llama 3 default by the machine's memory. */
  model: string;
  /** `auto` uses a GPU when one is usable, `off` forces the CPU. */
  gpu: 'auto' | 'off';
  /** Generation threads; 0 means the number of physical cores. Always capped at the physical cores. */
  threads: number;
  /** Upper bound on the context window in tokens; the context is fitted to the prompt below it. */
  contextSize: number;
  /** Most tokens generated for one reply; also what the prompt budget keeps free. */
  maxReplyTokens: number;
  /** Sampling temperature; 0 is greedy. Regenerate draws a new seed. */
  temperature: number;
  /** Local folder with a transformers.js text-classification model, or a model id fetched on first use. */
  guardrailModel: string;
  /** A reply whose unsafe score is at least this is labelled unsafe. */
  guardrailThreshold: number;
  /** Whether models missing from disk may be downloaded. */
  allowDownloads: boolean;
  /** Local folder with a transformers.js feature-extraction model, or a model id fetched on first use. */
  embeddingModel: string;
  /** Whether replies are grounded in the repository's docs and past issues. */
  knowledgeEnabled: boolean;
  /** Globs (relative to a workspace folder) of the docs to index. */
  knowledgeInclude: string[];
  /** Globs of files and folders never indexed (vendored, generated, build output). */
  knowledgeExclude: string[];
  /** Whether closed issues and merged pull requests with a maintainer's answer are indexed. */
  knowledgeIssues: boolean;
  /** Most sources given to the model for one reply. */
  knowledgeTopK: number;
  /** Cosine similarity below which a chunk found only by the vectors counts as unrelated. */
  knowledgeMinSimilarity: number;
}

/** Sent by the client as `initializationOptions` of the LSP `initialize` request. */
export interface InitializationOptions {
  /** Folder for downloaded models and per-repository data (VS Code's globalStorageUri, or `--data-dir`). */
  storageDir: string;
  settings?: Partial<DaemonSettings>;
}

/** daemon → client, the answer to `initialize`: LSP's result plus who the daemon process is. */
export interface ThreadwiseInitializeResult extends InitializeResult {
  threadwise: {
    /** The daemon's process id (shown in the log; tests use it to kill the daemon). */
    pid: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Suggest reply: a thread in, chunks streamed as LSP partial results, a Suggestion out.
// ---------------------------------------------------------------------------------------------

/** Who speaks a turn in the chat given to the model. */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatTurn {
  role: ChatRole;
  text: string;
}

/** What the token budget did to the thread. */
export interface ElisionReport {
  /** Comments in the thread (on a pull request, review comments on the diff included). */
  totalComments: number;
  /** Comments left out of the middle of the thread. */
  elidedComments: number;
  /** Characters cut from the opening post because it alone did not fit. */
  truncatedBodyChars: number;
}

export interface SafetyVerdict {
  /** The classifier's top label, e.g. `SAFE`, `UNSAFE`, `toxic`. */
  label: string;
  /** Score of the top label, 0..1. */
  score: number;
  /** Highest score among the labels that mean unsafe. */
  unsafeScore: number;
  /** `unsafeScore >= threshold`. */
  unsafe: boolean;
  threshold: number;
  /** Model id or folder name. */
  model: string;
  /** Set when the guardrail could not run: the label is then `UNCHECKED` and the reply counts as unsafe. */
  error?: string;
}

export interface TokenCounts {
  /** Tokens in the prompt sent for this reply. */
  prompt: number;
  /** Prompt tokens the model had to evaluate. */
  evaluated: number;
  /** Prompt tokens served from the KV cache of an earlier request (prompt - evaluated). */
  reused: number;
  /** Tokens generated. */
  generated: number;
}

export interface Timings {
  /** Waiting for the model to load (0 when it was loaded already). */
  loadMs: number;
  /** From the start of generation to the first streamed chunk; null when nothing was generated. */
  timeToFirstTokenMs: number | null;
  /**
   * From the daemon receiving the request to handing the first chunk to the connection (model load,
   * prompt and first token included); null when nothing was generated. Clients subtract it from
   * what they measure to get their own overhead.
   */
  requestToFirstChunkMs: number | null;
  generationMs: number;
  tokensPerSecond: number;
  guardrailMs: number;
  /** Retrieving sources (query embedding and search). */
  retrievalMs: number;
  totalMs: number;
}

export interface Suggestion {
  /** Unique id of this suggestion. */
  id: string;
  /** `owner/name#number`. */
  threadRef: string;
  text: string;
  /** True when the request was cancelled; `text` holds what was generated until then. */
  cancelled: boolean;
  stopReason: 'end' | 'maxTokens' | 'cancelled';
  safety: SafetyVerdict;
  model: { name: string; file: string; sizeBytes: number; contextSize: number; gpu: string | false };
  tokens: TokenCounts;
  timings: Timings;
  elision: ElisionReport;
  /** The chat as given to the model (system prompt first); the reply is not included. */
  chat: ChatTurn[];
  /** ISO-8601 timestamp of completion. */
  createdAt: string;
  /** Exactly the sources the reply cites, by their prompt number, in number order. */
  sources: KnowledgeSource[];
  /** What retrieval gave the model (all numbered sources, cited or not). */
  retrieval: RetrievalReport;
  /** Citations of sources that were not given and URLs found in neither the sources nor the thread. */
  citationFindings: CitationFinding[];
}

// ---------------------------------------------------------------------------------------------
// Knowledge: the repository's docs and past issues, retrieved as numbered sources.
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

/** One streamed piece of a reply, sent as an LSP partial result (`$/progress`), in order. */
export type SuggestReplyProgress =
  | { kind: 'phase'; phase: SuggestPhase; message: string }
  | { kind: 'chunk'; text: string };

export type SuggestPhase = 'queued' | 'loading-model' | 'retrieving' | 'building-prompt' | 'generating' | 'checking';

export interface SuggestReplyParams extends WorkDoneProgressParams, PartialResultParams {
  thread: Thread;
  /** A fresh draft for the same thread: a new sampling seed, the prompt prefix reused from the KV cache. */
  regenerate?: boolean;
}

/**
 * client → daemon. Drafts a reply. Chunks arrive as partial results on `partialResultToken` in
 * generation order; the result is the final Suggestion, whose `text` equals the chunks joined.
 * Cancelling the request stops generation and resolves with the partial text and `cancelled: true`.
 */
export namespace SuggestReplyRequest {
  export const method = 'threadwise/suggestReply' as const;
  export const type = new ProtocolRequestType<SuggestReplyParams, Suggestion, SuggestReplyProgress, ThreadwiseErrorData, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------------

export type DaemonState = 'starting' | 'idle' | 'downloading' | 'loading' | 'indexing' | 'ready' | 'busy' | 'error';

export interface DaemonStatus {
  state: DaemonState;
  /** Which engine the state is about, when it is about one. */
  component?: 'chat-model' | 'guardrail' | 'embedder' | 'knowledge';
  /** Download progress, 0..100, while `state` is `downloading`. */
  progress?: number;
  /** One line for a status bar. */
  message: string;
  /** Set when `state` is `error`. */
  error?: { reason: ErrorReason; message: string };
  /** The health of each index the daemon knows (one per workspace repository). */
  knowledge?: KnowledgeHealth[];
}

/** daemon → client. Published on every change of health (loading, downloading n%, ready, error). */
export namespace StatusNotification {
  export const method = 'threadwise/status' as const;
  export const type = new ProtocolNotificationType<DaemonStatus, void>(method);
}

/** client → daemon. The current health, for a client that (re)connects. */
export namespace GetStatusRequest {
  export const method = 'threadwise/getStatus' as const;
  export const type = new RequestType0<DaemonStatus, void>(method);
}

// ---------------------------------------------------------------------------------------------
// GitHub: the daemon owns fetch, sync, cache and post; the client owns sign-in and the sidebar.
// The token travels only in GitHubSetAuthRequest and lives only in the daemon's memory.
// ---------------------------------------------------------------------------------------------

/** An issue or pull request on GitHub: `owner/name` and its number. */
export interface ThreadRefParams {
  repo: string;
  number: number;
}

/** The daemon's GitHub connection as the client and the status item see it. */
export interface GitHubAuthState {
  /** The GraphQL API root, e.g. `https://api.github.com` or `https://ghe.example.com/api`. */
  apiUrl: string;
  /** The signed-in account, or null without a token. */
  login: string | null;
}

export interface GitHubSetAuthParams {
  /** The user's token, or null after a sign-out (the daemon forgets the old one). */
  token: string | null;
  /** API root; default `https://api.github.com`. GitHub Enterprise Server: `https://HOST/api`. */
  apiUrl?: string;
}

/**
 * client → daemon. Hands the daemon the token (kept in memory only, never written or logged) and
 * checks it with a `viewer` query. Rejects with reason `github-auth` when GitHub refuses it.
 */
export namespace GitHubSetAuthRequest {
  export const method = 'threadwise/github/setAuth' as const;
  export const type = new ProtocolRequestType<GitHubSetAuthParams, GitHubAuthState, never, ThreadwiseErrorData, void>(method);
}

export type GitHubItemState = 'open' | 'closed' | 'merged';

/** One row of a list: enough to draw a tree item and to group it, not the whole thread. */
export interface GitHubListItem {
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  state: GitHubItemState;
  isDraft: boolean;
  url: string;
  labels: string[];
  /** Top-level comments (not review comments). */
  commentCount: number;
  /** ISO-8601. */
  updatedAt: string;
  author: ThreadAuthor;
  assignees: string[];
  /** Who wrote the newest comment; null when nobody has commented. */
  lastCommenter: ThreadAuthor | null;
}

export type GitHubGroupId = 'assigned' | 'mentioning' | 'created' | 'needsReply' | 'recent';

export interface GitHubGroup {
  id: GitHubGroupId;
  /** "Assigned to me", "Mentioning me", "Created by me", "Needs a reply", "Recently updated". */
  label: string;
  /** Newest update first. */
  items: GitHubListItem[];
}

export interface GitHubRepoListing {
  repo: string;
  /** In the order above; a group can be empty. */
  groups: GitHubGroup[];
  /** When the cache last synced with GitHub (ISO-8601); null when it never did. */
  syncedAt: string | null;
  /** True when this came from the cache because GitHub could not be reached or refused. */
  stale: boolean;
  /** Why it is stale, in words ("offline", "rate limited until 12:04", "signed out"). */
  staleReason?: string;
}

export interface GitHubListParams {
  repo: string;
  /** `cached`: no network; `incremental` (default): fetch what changed since the last sync; `full`: refetch all. */
  sync?: 'cached' | 'incremental' | 'full';
}

/** client → daemon. The grouped lists of one repository, synced first as asked. */
export namespace GitHubListRequest {
  export const method = 'threadwise/github/list' as const;
  export const type = new ProtocolRequestType<GitHubListParams, GitHubRepoListing, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubThreadParams extends ThreadRefParams {
  /** Refetch even when the cached copy matches the list's `updatedAt`. */
  refresh?: boolean;
}

export interface GitHubThreadResult {
  thread: Thread;
  /** True when GitHub could not be reached and this is the cached copy. */
  stale: boolean;
  staleReason?: string;
  /** When this copy was fetched (ISO-8601). */
  fetchedAt: string;
}

/** client → daemon. The full thread (all comments; PR files and review threads), from cache when current. */
export namespace GitHubThreadRequest {
  export const method = 'threadwise/github/thread' as const;
  export const type = new ProtocolRequestType<GitHubThreadParams, GitHubThreadResult, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubPostParams extends ThreadRefParams {
  /** The final text, exactly as the person confirmed it. */
  body: string;
}

export interface GitHubPostedComment {
  /** Node id: pass it to GitHubEditCommentRequest. */
  commentId: string;
  url: string;
  body: string;
  /** ISO-8601. */
  updatedAt: string;
}

/**
 * client → daemon. Posts a comment with `addComment`. Sent only after the person confirmed the
 * final text; the daemon never posts on its own.
 */
export namespace GitHubPostCommentRequest {
  export const method = 'threadwise/github/postComment' as const;
  export const type = new ProtocolRequestType<GitHubPostParams, GitHubPostedComment, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubEditCommentParams {
  commentId: string;
  body: string;
}

/** client → daemon. Replaces the text of a comment posted earlier (`updateIssueComment`). */
export namespace GitHubEditCommentRequest {
  export const method = 'threadwise/github/editComment' as const;
  export const type = new ProtocolRequestType<GitHubEditCommentParams, GitHubPostedComment, never, ThreadwiseErrorData, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Knowledge: the client names the workspace folders; the daemon indexes, watches and searches.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export type ErrorReason =
  | 'model-not-found'
  | 'model-invalid'
  | 'model-download-failed'
  | 'guardrail-unavailable'
  | 'invalid-thread'
  | 'prompt-too-large'
  | 'not-configured'
  /** No GitHub token, or GitHub refused it (401, or 403 without a rate limit). */
  | 'github-auth'
  /** GitHub could not be reached (offline, DNS, timeouts, 5xx after the retries). */
  | 'github-unreachable'
  /** The primary or secondary rate limit is exhausted; the message says until when. */
  | 'github-rate-limited'
  /** The repository, issue or comment does not exist or the token cannot see it. */
  | 'github-not-found'
  /** GitHub answered with something that is not the expected shape (malformed or partial). */
  | 'github-bad-response'
  /** The embedding model could not be loaded. */
  | 'embedder-unavailable'
  /** An index could not be built, read or searched (the message says which and why). */
  | 'knowledge-index'
  | 'internal';

/** `data` of every ResponseError the daemon sends: a machine-readable reason and what to do. */
export interface ThreadwiseErrorData {
  reason: ErrorReason;
  /** What the person can do about it, e.g. which setting to change. */
  hint?: string;
}

/** JSON-RPC error code used for all Threadwise failures (in the server-defined range). */
export const THREADWISE_ERROR_CODE = -32050;
