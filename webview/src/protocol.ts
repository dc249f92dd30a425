/**
 * Messages between the suggestion webview and its host (the extension's SuggestionPanel), as
 * discriminated unions keyed by `type`, handled with exhaustive switches on both sides.
 *
 * Handshake: the webview script posts `ready` once it has built its DOM (again after every reload,
 * e.g. when a hidden panel is shown again). The host answers every `ready` with `init`, which carries
 * the full snapshot of the panel (thread + current run), and sends nothing else before it. The
 * snapshot is authoritative: chunks that arrived while the webview was hidden are in it.
 *
 * Runs: each generation has a `runId`, increasing per panel. Messages of an older run are dropped by
 * the webview, so a late chunk of a stopped run never lands in a regenerated draft.
 *
 * Every string here may hold text written by strangers (thread text) or by the model: the webview
 * renders it only through its sanitizer, never as HTML.
 */

/** The thread a panel drafts a reply for. */
export interface ThreadInfo {
  /** `owner/name#number`. */
  ref: string;
  title: string;
  url?: string;
}

export type RunStatus = 'idle' | 'waiting' | 'generating' | 'done' | 'cancelled' | 'error';

/** The guardrail's verdict on a finished reply, as shown on the badge. */
export interface SafetyBadge {
  label: string;
  /** Score of the label, 0..1. */
  score: number;
  unsafe: boolean;
  /** Set when the guardrail could not run (the reply then counts as unsafe). */
  error?: string;
}

/** Figures of a finished run. */
export interface RunMetrics {
  /** Daemon: from the start of generation to the first chunk; null when nothing was generated. */
  timeToFirstTokenMs: number | null;
  /** Daemon: from receiving the request to sending the first chunk (includes model load and prompt). */
  requestToFirstChunkMs: number | null;
  tokensPerSecond: number;
  generatedTokens: number;
  /** Prompt tokens served from the KV cache (regenerate reuses the prefix). */
  reusedTokens: number;
  totalMs: number;
}

export interface RunSnapshot {
  runId: number;
  status: RunStatus;
  /** The draft so far (all chunks of this run joined). */
  text: string;
  /** The daemon's latest phase line ("Loading model…", "Generating…"). */
  phase?: string;
  /** Epoch ms at which the person asked for this run (command or Regenerate); used by bench:ui. */
  requestedAt?: number;
  safety?: SafetyBadge;
  metrics?: RunMetrics;
  /** Set when status is `error`. */
  error?: { message: string; hint?: string };
}

/** host → webview */
export type ToWebview =
  | { type: 'init'; thread: ThreadInfo; run: RunSnapshot }
  /** A new run starts (first run or Regenerate): the webview clears the draft. */
  | { type: 'started'; runId: number; requestedAt: number }
  | { type: 'phase'; runId: number; message: string }
  | { type: 'chunk'; runId: number; text: string }
  | { type: 'done'; runId: number; text: string; cancelled: boolean; safety: SafetyBadge; metrics: RunMetrics }
  | { type: 'error'; runId: number; message: string; hint?: string }
  /** Answer to `copy`. */
  | { type: 'copied'; ok: boolean };

/** webview → host */
export type FromWebview =
  | { type: 'ready' }
  /** Stop the current run; the partial draft stays. */
  | { type: 'stop' }
  /** Draft again for the same thread (new seed, cached prompt prefix). */
  | { type: 'regenerate' }
  /** Copy the draft to the clipboard (the host does it: the webview's clipboard access is not reliable). */
  | { type: 'copy'; text: string };

/** What the webview persists with `setState` so a reloaded panel shows its draft before `init` arrives. */
export interface PersistedState {
  thread?: ThreadInfo;
  run?: RunSnapshot;
}
