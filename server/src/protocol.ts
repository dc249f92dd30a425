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
}

/** One streamed piece of a reply, sent as an LSP partial result (`$/progress`), in order. */
export type SuggestReplyProgress =
  | { kind: 'phase'; phase: SuggestPhase; message: string }
  | { kind: 'chunk'; text: string };

export type SuggestPhase = 'queued' | 'loading-model' | 'building-prompt' | 'generating' | 'checking';

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

export type DaemonState = 'starting' | 'idle' | 'downloading' | 'loading' | 'ready' | 'busy' | 'error';

export interface DaemonStatus {
  state: DaemonState;
  /** Which engine the state is about, when it is about one. */
  component?: 'chat-model' | 'guardrail';
  /** Download progress, 0..100, while `state` is `downloading`. */
  progress?: number;
  /** One line for a status bar. */
  message: string;
  /** Set when `state` is `error`. */
  error?: { reason: ErrorReason; message: string };
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
  | 'internal';

/** `data` of every ResponseError the daemon sends: a machine-readable reason and what to do. */
export interface ThreadwiseErrorData {
  reason: ErrorReason;
  /** What the person can do about it, e.g. which setting to change. */
  hint?: string;
}

/** JSON-RPC error code used for all Threadwise failures (in the server-defined range). */
export const THREADWISE_ERROR_CODE = -32050;
