/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): Suggest
 * Reply. The client sends a Thread in SuggestReplyRequest; the daemon streams phases and chunks as
 * LSP partial results and resolves with a Suggestion: the text, its safety verdict, token counts,
 * timings, the chat the model saw, and the sources it was given and cited.
 */
import { ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { PartialResultParams, WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ThreadwiseErrorData } from './errors';
import type { CheckCycle, CheckReport, InjectionScreening } from './checks';
import type { CitationFinding, KnowledgeSource, RetrievalReport } from './knowledge';
import type { SamplingSettings } from './history';
import type { Thread } from './thread';

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
  /** Generating every draft, summed over the repair cycles. */
  generationMs: number;
  /** Decode speed of the first draft. */
  tokensPerSecond: number;
  guardrailMs: number;
  /** Retrieving sources (query embedding and search). */
  retrievalMs: number;
  /** Checking every draft (code blocks, secrets, sources), summed over the repair cycles. */
  checksMs: number;
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
  /** How the first draft was sampled (repairs use the same settings). */
  sampling: SamplingSettings;
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
  /** The checks of `text`: every code block's syntax and security, secrets, fabricated sources (= `citationFindings`). */
  checks: CheckReport;
  /** Every draft and its checks: cycle 0 is the first draft, then one per repair (`threadwise.maxFixCycles`). `text` is the last one's. */
  checkCycles: CheckCycle[];
  /** The thread screened for prompt injection before it was given to the model. */
  screening: InjectionScreening;
}

/** One streamed piece of a reply, sent as an LSP partial result (`$/progress`), in order. */
export type SuggestReplyProgress =
  | { kind: 'phase'; phase: SuggestPhase; message: string }
  | { kind: 'chunk'; text: string }
  /**
   * The draft so far failed its checks and a repair starts: the chunks that follow are a new draft
   * that replaces everything streamed before (`cycle` of `maxCycles`, 1-based; `failures` fed back).
   */
  | { kind: 'repair'; cycle: number; maxCycles: number; failures: number; message: string };

export type SuggestPhase = 'queued' | 'loading-model' | 'retrieving' | 'building-prompt' | 'generating' | 'checking' | 'repairing';

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
