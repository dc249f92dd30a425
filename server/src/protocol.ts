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
  /** Comments in the thread. */
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
  | 'internal';

/** `data` of every ResponseError the daemon sends: a machine-readable reason and what to do. */
export interface ThreadwiseErrorData {
  reason: ErrorReason;
  /** What the person can do about it, e.g. which setting to change. */
  hint?: string;
}

/** JSON-RPC error code used for all Threadwise failures (in the server-defined range). */
export const THREADWISE_ERROR_CODE = -32050;
