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
 * Posting (per panel, not per run): after a run ends the person may edit the draft (`edited` keeps
 * the host's snapshot current) and post it. `post`/`updatePosted` carry the final text; the host asks
 * for a modal confirmation, answers `postCancelled` when the person declines, `posting` when the
 * request goes out, then `posted`/`updated` or `postFailed`. A panel posts at most one comment: once
 * posted, later changes go through `updatePosted`. Links reach the browser only through
 * `openExternal`, which the host allows for https URLs on GitHub only.
 *
 * Sources: a finished run carries `sources` (absent from an older daemon: none shown). The webview
 * asks to open one only by its number (`openSource`, `openSourceUrl`); the host looks the number up
 * in its own copy of the Suggestion, so no path or URL from the page is ever opened.
 *
 * Checks: a finished run carries `checks` (absent from an older daemon: no Checks section). While a
 * run streams, `repairing` says its draft failed the checks and a repair starts: the webview drops
 * the draft streamed so far, and the chunks that follow are the new draft. The page asks to preview
 * a code block only by its index in a text (`previewCode`); the host checks that text again itself.
 * When the person edits a finished draft (`edited`), the host checks the edited text again and
 * sends `draftChecked`: the checks of that exact text, for that run. The run's repair history and
 * the thread's screening stay those of the run. Only the latest edit's checks count: the host
 * cancels an earlier re-check, and the webview shows checks as current only while the draft on
 * screen is the text they were run on.
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

/** A source the reply cites, as the Sources section lists it; opened through the host by `number`. */
export interface CitedSource {
  /** Its number in the prompt: the reply cites it as [number]. */
  number: number;
  kind: 'doc' | 'issue' | 'pull';
  /** One line: `docs/install.md › Setup › Linux`, or `#123 Parser crashes on tabs` (untrusted text). */
  title: string;
  /** Docs: 1-based, inclusive line range in the file as indexed. */
  startLine?: number;
  endLine?: number;
  /** Its https web link, for the tooltip and "Open on GitHub"; absent when it has none. */
  url?: string;
  /** The host has something to open for it: the local file, or else the web link. */
  openable: boolean;
}

/** A citation the sources do not back (a possibly fabricated source), as found by the daemon. */
export interface CitationFlag {
  /** `unknown-source`: a [n] that was not given; `unknown-url`: a URL in neither the sources nor the thread. */
  kind: 'unknown-source' | 'unknown-url';
  /** As it appears in the reply: `[7]` or the URL. */
  text: string;
  /** unknown-source: the number cited. */
  number?: number;
}

/** What retrieval gave a finished run and what its reply cites: the Sources section and the marks in the draft. */
export interface SourcesInfo {
  /** The sources the reply cites, in number order. */
  cited: CitedSource[];
  /** The number of every source given to the model, cited or not: a mark [n] of one of them opens it. */
  given: number[];
  flags: CitationFlag[];
  /** An index was searched and nothing relevant was found: the model was told to say it does not know. */
  noRelevantSources: boolean;
  /** Whether an index exists for the thread's repository. */
  indexed: boolean;
  /** Why retrieval did not run or failed, in words. */
  skippedReason?: string;
}

/** One finding on a code block; `line` is 1-based within the block. Text from the checkers (may quote the reply). */
export interface CheckFindingInfo {
  /** `syntax`, `no-eval`, `python.exec`, `shell.curl-pipe-shell`, … */
  ruleId: string;
  kind: 'syntax' | 'security';
  severity: 'error' | 'warning' | 'info';
  line: number;
  message: string;
}

/** The checks of one fenced code block of the reply (the `index`-th, 0-based, in reply order). */
export interface BlockCheck {
  index: number;
  /** Normalised language (`python`, `typescript`, …), the fence's word when unknown, null when none. */
  language: string | null;
  /** The workspace file the block names (untrusted text: shown, never opened from the page). */
  file?: string;
  /** `not-checked`: no checker knows the language; never shown as passing. */
  syntax: 'ok' | 'error' | 'not-checked';
  security: 'checked' | 'not-checked';
  /** Why it was not checked ("unknown language `rust`"). */
  notCheckedReason?: string;
  /** The block fails its checks (a failing finding, or not checked under strict checks). */
  failed: boolean;
  findings: CheckFindingInfo[];
}

/** A possible secret in the reply: only its masked form ever reaches the page. */
export interface SecretInfo {
  /** `secret.github-token`, `secret.aws-access-key`, … */
  ruleId: string;
  /** 1-based line in the reply. */
  line: number;
  /** The secret with all but a few characters replaced by `*`. */
  masked: string;
}

/** One draft's checks in the repair loop: cycle 0 is the first draft, then one per repair. */
export interface RepairCycleInfo {
  cycle: number;
  /** Failing findings of that draft. */
  failures: number;
  passed: boolean;
}

/** Something in the thread that tries to steer the model (found before the model saw the thread). */
export interface InjectionFindingInfo {
  ruleId: string;
  /** `title`, `body`, `comment 3`, … */
  where: string;
  message: string;
  /** A short excerpt of the thread around it (untrusted text). */
  excerpt: string;
}

/** What the checks said of a finished run's reply: the Checks section, the injection banner and the marks on code blocks. */
export interface ChecksInfo {
  /** Every fenced code block of the reply, in reply order. */
  blocks: BlockCheck[];
  secrets: SecretInfo[];
  /** Citations the sources do not back (listed in the Sources section). */
  unknownSources: number;
  /** No failing block, secret or unknown source. */
  passed: boolean;
  /** Failing findings in all. */
  failures: number;
  /** Stricter checks, because the thread was flagged for prompt injection. */
  strict: boolean;
  /** The drafts of the repair loop, first to last; fewer than two: no repair ran. */
  repairs: RepairCycleInfo[];
  injection: { flagged: boolean; findings: InjectionFindingInfo[] };
}

/** The checks of the person's edited draft of a finished run: `checks` were run on exactly `text`. */
export interface DraftChecks {
  text: string;
  checks: ChecksInfo;
}

/** A repair of the running draft: its cycle (1-based) of at most `maxCycles`, and the failing findings fed back. */
export interface RepairState {
  cycle: number;
  maxCycles: number;
  failures: number;
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
  /** A finished run's sources; absent while running and when the daemon reported none (an older daemon). */
  sources?: SourcesInfo;
  /** A finished run's checks (of the generated text); absent while running and from an older daemon. */
  checks?: ChecksInfo;
  /** The checks of the latest edit of the finished draft the host checked again (`draftChecked`); absent before one. */
  editChecks?: DraftChecks;
  /** While a run is in progress: the repair under way (its draft replaced the one before). */
  repair?: RepairState;
  /** Set when status is `error`. */
  error?: { message: string; hint?: string };
}

/** The person's edits of a finished run's draft; only the run with this id shows them. */
export interface DraftEdit {
  runId: number;
  text: string;
}

/** A comment this panel posted (the daemon's `GitHubPostedComment`). */
export interface PostedComment {
  /** GitHub's node id: what `updatePosted` names. */
  commentId: string;
  url: string;
  /** The text as GitHub has it. */
  body: string;
}

/**
 * `confirming`: `post`/`updatePosted` was sent and the host's modal asks the person; `posting` and
 * `updating`: they confirmed and the request is on its way. Post is disabled in all three.
 */
export type PostPhase = 'idle' | 'confirming' | 'posting' | 'updating';

/** Posting state of a panel; it outlives runs (a regenerated draft updates the posted comment). */
export interface PostState {
  phase: PostPhase;
  /** The comment this panel posted, once it did. */
  comment?: PostedComment;
  /** True once the comment was updated after posting. */
  updated?: boolean;
  /** The last attempt's failure; cleared by the next attempt and by a new run. */
  error?: { message: string; hint?: string };
}

/** host → webview */
export type ToWebview =
  /** `edit` and `post` are the host's copies (absent: none); see `reduce` for how `edit` merges. */
  | { type: 'init'; thread: ThreadInfo; run: RunSnapshot; edit?: DraftEdit; post?: PostState }
  /** A new run starts (first run or Regenerate): the webview clears the draft. */
  | { type: 'started'; runId: number; requestedAt: number }
  | { type: 'phase'; runId: number; message: string }
  | { type: 'chunk'; runId: number; text: string }
  /** The draft failed its checks and a repair starts: the webview drops the draft so far; later chunks are the new one. */
  | ({ type: 'repairing'; runId: number } & RepairState)
  | { type: 'done'; runId: number; text: string; cancelled: boolean; safety: SafetyBadge; metrics: RunMetrics; sources?: SourcesInfo; checks?: ChecksInfo }
  | { type: 'error'; runId: number; message: string; hint?: string }
  /** The host checked the person's edit `text` of finished run `runId` again: `checks` are that text's (see DraftChecks). */
  | ({ type: 'draftChecked'; runId: number } & DraftChecks)
  /** Answer to `copy`. */
  | { type: 'copied'; ok: boolean }
  /** The person confirmed `post` (`action: 'post'`) or `updatePosted` (`'update'`); the request is sent. */
  | { type: 'posting'; action: 'post' | 'update' }
  /** The person declined the confirmation: nothing was sent. */
  | { type: 'postCancelled' }
  /** Answer to `post`: the new comment. */
  | ({ type: 'posted' } & PostedComment)
  /** Answer to `updatePosted`: the comment with its new text. */
  | ({ type: 'updated' } & PostedComment)
  /** `post` or `updatePosted` failed; `message` says what happened, `hint` what to do. */
  | { type: 'postFailed'; message: string; hint?: string };

/** webview → host */
export type FromWebview =
  | { type: 'ready' }
  /** Stop the current run; the partial draft stays. */
  | { type: 'stop' }
  /** Draft again for the same thread (new seed, cached prompt prefix). */
  | { type: 'regenerate' }
  /** Copy the draft to the clipboard (the host does it: the webview's clipboard access is not reliable). */
  | { type: 'copy'; text: string }
  /** The person edited the draft of run `runId` (sent debounced, and before `regenerate` and `post`); the host checks it again (`draftChecked`). */
  | { type: 'edited'; runId: number; text: string }
  /** Post `text`, the final (possibly edited) draft, as a new comment; the host confirms first. */
  | { type: 'post'; text: string }
  /** Replace the text of the posted comment `commentId` with `text`; the host confirms first. */
  | { type: 'updatePosted'; commentId: string; text: string }
  /** Open a link (the posted comment) in the browser; the host opens only https URLs on GitHub. */
  | { type: 'openExternal'; url: string }
  /** Open source [number] of the current run: its local file at its lines, else its web link. */
  | { type: 'openSource'; number: number }
  /** Open source [number]'s web link (GitHub) in the browser. */
  | { type: 'openSourceUrl'; number: number }
  /** Preview code block `index` (0-based, in order of fenced blocks) of `text`, the draft as it is now (edited or not), in the editor. */
  | { type: 'previewCode'; index: number; text: string };

/** What the webview persists with `setState` so a reloaded panel shows its draft before `init` arrives. */
export interface PersistedState {
  thread?: ThreadInfo;
  run?: RunSnapshot;
  /** The person's edits of the current run's draft (absent, or of another run: the run's text is final). */
  edit?: DraftEdit;
  /** The editor is open instead of the rendered draft (this page's own; the host does not keep it). */
  editing?: boolean;
  post?: PostState;
}
