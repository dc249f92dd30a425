import * as vscode from 'vscode';
import { ChecksRunRequest } from '../../../server/src/protocol';
import type { BlockReport, CheckReport, Suggestion, Thread } from '../../../server/src/protocol';
import type { FromWebview, RunMetrics, RunSnapshot, ToWebview } from '../../../webview/src/protocol';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { ThreadSource } from '../thread/threadSource';
import { DisposableStore } from '../util/disposableStore';
import { PanelPage } from '../util/panelPage';
import { checksInfo, editedChecksInfo, givenSources } from './checksInfo';
import { ChunkBatcher } from './chunkBatcher';
import { DraftRechecker } from './draftRechecker';
import { OutcomeReporter } from './outcomeReporter';
import { ReplyPoster } from './postReply';
import { RunError, runSuggestion, toRunError } from './runSuggestion';
import { openSourceTarget } from './sourceOpener';
import { sourcesInfo } from './sourcesInfo';
import { sourceTarget } from './sourceTarget';
import type { OpenMode, SuggestionKnowledge } from './sourceTarget';

export const SUGGESTION_VIEW_TYPE = 'threadwise.suggestion';

/** A code block of a reply to preview in the editor, with its checks (block, findings) from a fresh check of `replyText`. */
export interface CodePreviewRequest {
  report: BlockReport;
  /** The thread the reply answers (its pull request's files can be the block's target). */
  thread: Thread;
  /** The whole reply the block is in, as it is now (edited or not). */
  replyText: string;
}

export interface SuggestionPanelDeps {
  extensionUri: vscode.Uri;
  connection: DaemonConnection;
  log: vscode.LogOutputChannel;
  /** Opens a code block of the reply in the editor (a diff against its target file, or an untitled document) with its findings. */
  previewCode(request: CodePreviewRequest): Promise<void>;
}

/**
 * One webview panel drafting a reply to one thread. The host keeps the authoritative snapshot of
 * the current run; the webview gets it in `init` after every `ready` (first load and every reload
 * after being hidden), and live `started/phase/chunk/repairing/done/error` messages only while it is
 * ready. So nothing streamed while the panel was hidden is lost, and nothing is posted into the void.
 * The person's edits of a finished draft are checked again (`draftChecked`); the snapshot keeps the
 * latest edit's checks too.
 */
export class SuggestionPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly page: PanelPage<ToWebview>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  private snapshot: RunSnapshot = { runId: 0, status: 'idle', text: '' };
  private runCancel: vscode.CancellationTokenSource | undefined;
  private batcher: ChunkBatcher | undefined;
  /** The current (or last) run's outcome; a failed run resolves with its error. */
  private lastRun: Promise<Suggestion | RunError> | undefined;
  /**
   * The sources of the run the panel shows, once it finished: `openSource` looks numbers up here,
   * never in anything the webview sends.
   */
  private finished: { runId: number; knowledge: SuggestionKnowledge } | undefined;
  /** The person's edits, Post and Update comment (each confirmed in a modal first). */
  private readonly poster: ReplyPoster;
  /** Checks the person's edits of a finished draft again, the latest one only. */
  private readonly rechecker: DraftRechecker;
  /** Tells the history what became of the suggestion on screen: posted, copied or discarded. */
  private readonly outcomes: OutcomeReporter;

  constructor(
    private thread: ThreadSource,
    private readonly deps: SuggestionPanelDeps,
  ) {
    this.page = this.store.add(
      new PanelPage<ToWebview>({
        viewType: SUGGESTION_VIEW_TYPE,
        title: `Reply: ${thread.key}`,
        viewColumn: vscode.ViewColumn.Beside,
        extensionUri: deps.extensionUri,
        onMessage: (message) => this.onMessage(message),
        onClosed: () => this.dispose(),
      }),
    );
    this.poster = this.store.add(
      new ReplyPoster({
        connection: deps.connection,
        log: deps.log,
        thread: () => this.thread.thread,
        run: () => this.snapshot,
        sources: () => givenSources(this.shownKnowledge()),
        send: (message) => this.post(message),
        onPosted: (text, url) => this.outcomes.postedText(text, url),
      }),
    );
    this.outcomes = new OutcomeReporter({ connection: deps.connection, log: deps.log });
    this.rechecker = this.store.add(
      new DraftRechecker({
        connection: deps.connection,
        log: deps.log,
        thread: () => this.thread.thread,
        sources: () => givenSources(this.shownKnowledge()),
        onChecked: (runId, text, report) => this.showEditChecks(runId, text, report),
      }),
    );
  }

  get key(): string {
    return this.thread.key;
  }

  /** The thread this panel drafts for; `source.thread.repo` and `.number` name it on GitHub. */
  get source(): ThreadSource {
    return this.thread;
  }

  get runStatus(): RunSnapshot['status'] {
    return this.snapshot.status;
  }

  reveal(): void {
    this.page.panel.reveal(undefined, false);
  }

  /** The thread changed (on disk or on GitHub; the command ran again): later runs use the new text. */
  updateThread(thread: ThreadSource): void {
    this.thread = thread;
  }

  /** The last run's outcome (Suggestion or RunError); undefined before the first run. */
  lastOutcome(): Promise<Suggestion | RunError> | undefined {
    return this.lastRun;
  }

  /**
   * Starts a run (stopping one in progress first). Resolves with the Suggestion, or with the
   * RunError it failed with (also shown in the panel): callers decide whether a failure throws.
   */
  start(regenerate: boolean, requestedAt = Date.now()): Promise<Suggestion | RunError> {
    this.stop();
    // A new draft replaces the one on screen: unless it was posted, it is discarded.
    this.outcomes.leave();
    this.batcher?.discard();
    // A re-check of the old draft's edits would describe a draft that is gone.
    this.rechecker.cancel();
    const runId = this.snapshot.runId + 1;
    this.finished = undefined;
    this.snapshot = { runId, status: 'waiting', text: '', requestedAt, phase: 'Waiting for the daemon' };
    this.post({ type: 'started', runId, requestedAt });
    const cancel = new vscode.CancellationTokenSource();
    this.runCancel = cancel;
    this.lastRun = this.execute(runId, regenerate, cancel).finally(() => {
      if (this.runCancel === cancel) this.runCancel = undefined;
      cancel.dispose();
    });
    return this.lastRun;
  }

  /** Stops the running generation; the daemon answers with the partial text. */
  stop(): void {
    this.runCancel?.cancel();
  }

  private async execute(runId: number, regenerate: boolean, cancel: vscode.CancellationTokenSource): Promise<Suggestion | RunError> {
    const current = (): boolean => this.snapshot.runId === runId && !this.store.isDisposed;
    const batcher = new ChunkBatcher((text) => {
      if (current()) this.post({ type: 'chunk', runId, text });
    });
    this.batcher = batcher;
    try {
      const session = await this.deps.connection.whenRunning();
      if (cancel.token.isCancellationRequested) throw new RunError('Stopped before the daemon was ready.');
      const suggestion = await runSuggestion(session, { thread: this.thread.thread, regenerate }, cancel.token, {
        onPhase: (phase, message) => {
          // A repair's own line ("Repairing (1/2): …", from `onRepair`) says more than its phase does.
          if (!current() || (phase === 'repairing' && this.snapshot.repair)) return;
          this.snapshot.phase = message;
          if (this.snapshot.status === 'waiting' && phase === 'generating') this.snapshot.status = 'generating';
          this.post({ type: 'phase', runId, message });
        },
        onChunk: (text) => {
          if (!current()) return;
          this.snapshot.text += text;
          this.snapshot.status = 'generating';
          batcher.push(text);
        },
        // The draft so far failed its checks: the chunks that follow are a new draft. What the
        // batcher still holds of the old one is dropped, so none of it lands after the clear.
        onRepair: (repair) => {
          if (!current()) return;
          batcher.discard();
          const { cycle, maxCycles, failures } = repair;
          this.snapshot.text = '';
          this.snapshot.status = 'generating';
          this.snapshot.repair = { cycle, maxCycles, failures };
          delete this.snapshot.phase;
          this.deps.log.info(`Suggest reply for ${this.thread.key}: repair ${cycle}/${maxCycles}, ${failures} failing findings fed back to the model.`);
          this.post({ type: 'repairing', runId, cycle, maxCycles, failures });
        },
      });
      batcher.flush();
      if (current()) this.finish(runId, suggestion);
      return suggestion;
    } catch (error) {
      batcher.discard();
      const failure = toRunError(error);
      this.deps.log.warn(`Suggest reply for ${this.thread.key} failed: ${failure.message}`);
      if (current()) {
        this.snapshot.status = 'error';
        this.snapshot.error = { message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
        this.post({ type: 'error', runId, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) });
      }
      return failure;
    }
  }

  private finish(runId: number, suggestion: Suggestion): void {
    const safety = {
      label: suggestion.safety.label,
      score: suggestion.safety.score,
      unsafe: suggestion.safety.unsafe,
      ...(suggestion.safety.error ? { error: suggestion.safety.error } : {}),
    };
    const metrics: RunMetrics = {
      timeToFirstTokenMs: suggestion.timings.timeToFirstTokenMs,
      requestToFirstChunkMs: suggestion.timings.requestToFirstChunkMs,
      tokensPerSecond: suggestion.timings.tokensPerSecond,
      generatedTokens: suggestion.tokens.generated,
      reusedTokens: suggestion.tokens.reused,
      totalMs: suggestion.timings.totalMs,
    };
    // A Suggestion from an older daemon has no knowledge or check fields: no sources or checks then.
    const sources = sourcesInfo(suggestion);
    const checks = checksInfo(suggestion);
    // The repair under way is over: the checks carry the repair history now.
    const running = { ...this.snapshot };
    delete running.repair;
    this.snapshot = {
      ...running,
      status: suggestion.cancelled ? 'cancelled' : 'done',
      text: suggestion.text,
      safety,
      metrics,
      ...(sources ? { sources } : {}),
      ...(checks ? { checks } : {}),
    };
    this.finished = { runId, knowledge: suggestion };
    this.outcomes.shown(suggestion.id);
    this.deps.log.info(
      `Suggestion ${suggestion.id} for ${suggestion.threadRef}: ${suggestion.tokens.generated} tokens, ${suggestion.stopReason}, ` +
        `guardrail ${suggestion.safety.label} ${suggestion.safety.score.toFixed(2)}, reused ${suggestion.tokens.reused}/${suggestion.tokens.prompt} prompt tokens` +
        (sources ? `, cites ${sources.cited.length}/${sources.given.length} sources${sources.flags.length > 0 ? `, ${sources.flags.length} possibly fabricated citations` : ''}` : '') +
        (checks ? `, checks ${checks.passed ? 'passed' : `failed (${checks.failures} failing findings)`} after ${Math.max(0, checks.repairs.length - 1)} repair cycles${checks.injection.flagged ? ', thread flagged for prompt injection' : ''}.` : '.'),
    );
    this.post({ type: 'done', runId, text: suggestion.text, cancelled: suggestion.cancelled, safety, metrics, ...(sources ? { sources } : {}), ...(checks ? { checks } : {}) });
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
      this.deps.log.warn('Ignored a malformed message from the suggestion webview.');
      return;
    }
    const message = raw as FromWebview;
    switch (message.type) {
      case 'ready':
        this.page.markReady();
        this.post({ type: 'init', thread: { ref: this.thread.key, title: this.thread.title, ...(this.thread.thread.url ? { url: this.thread.thread.url } : {}) }, run: this.snapshot, ...this.poster.snapshot() });
        return;
      case 'stop':
        this.stop();
        return;
      case 'regenerate':
        // An edited draft is thrown away only when the person agrees (postReply.ts).
        void this.poster.confirmRegenerate().then((regenerate) => {
          if (regenerate && !this.store.isDisposed) void this.start(true);
        });
        return;
      case 'copy':
        void this.copy(typeof message.text === 'string' ? message.text : this.snapshot.text);
        return;
      case 'edited':
        if (typeof message.runId === 'number' && typeof message.text === 'string') {
          this.poster.noteEdit(message.runId, message.text);
          this.recheckEdit(message.runId, message.text);
        }
        return;
      // Posting happens only here, for the person's click in the webview, and only after the modal.
      case 'post':
        if (typeof message.text === 'string') void this.poster.post(message.text);
        return;
      case 'updatePosted':
        if (typeof message.commentId === 'string' && typeof message.text === 'string') void this.poster.update(message.commentId, message.text);
        return;
      case 'openExternal':
        if (typeof message.url === 'string') void this.poster.openExternal(message.url);
        return;
      // Only the number comes from the webview: what opens is the host's own copy of the source.
      case 'openSource':
      case 'openSourceUrl':
        if (typeof message.number === 'number') void this.openSource(message.number, message.type === 'openSource' ? 'open' : 'web');
        return;
      // The page names a block by its index in a text; the host checks that text itself.
      case 'previewCode':
        if (typeof message.index === 'number' && Number.isInteger(message.index) && message.index >= 0 && typeof message.text === 'string') {
          void this.previewCode(message.index, message.text);
        }
        return;
      default: {
        const unknown: never = message;
        this.deps.log.warn(`Ignored an unknown message from the suggestion webview: ${JSON.stringify(unknown).slice(0, 200)}`);
      }
    }
  }

  /**
   * The person's edit `text` of run `runId`: when that is the finished run on screen and it has
   * checks (an older daemon reports none, and has no re-check either), its text is checked again.
   * A text whose checks the page has (the generated text, or the edit checked last) needs none, and
   * a check of another text still running would only replace them: it is cancelled.
   */
  private recheckEdit(runId: number, text: string): void {
    const run = this.snapshot;
    if (runId !== run.runId || (run.status !== 'done' && run.status !== 'cancelled') || !run.checks) return;
    if (text === run.text || run.editChecks?.text === text) this.rechecker.cancel();
    else this.rechecker.recheck(runId, text);
  }

  /** The re-check of the edit `text` of run `runId` ended: its checks, with the run's repair history and screening, replace the edit's earlier ones. */
  private showEditChecks(runId: number, text: string, report: CheckReport): void {
    const run = this.snapshot;
    if (this.store.isDisposed || runId !== run.runId || !run.checks) return;
    const checks = editedChecksInfo(report, text, run.checks);
    if (!checks) return;
    run.editChecks = { text, checks };
    this.deps.log.info(
      `Checked the edited draft of ${this.thread.key} again: ${checks.passed ? 'passed' : `failed (${checks.failures} failing findings)`}, ${checks.blocks.length} code blocks.`,
    );
    this.post({ type: 'draftChecked', runId, text, checks });
  }

  /** The knowledge of the finished run on screen; undefined while none is. */
  private shownKnowledge(): SuggestionKnowledge | undefined {
    return this.finished?.runId === this.snapshot.runId ? this.finished.knowledge : undefined;
  }

  /** Opens source `number` of the reply on screen: its local file at its lines, else (or for `web`) its link. */
  private async openSource(number: number, mode: OpenMode): Promise<void> {
    await openSourceTarget(sourceTarget(this.shownKnowledge(), number, mode), { log: this.deps.log, panelColumn: () => this.page.panel.viewColumn });
  }

  /**
   * Previews code block `index` of `text` (the draft as the page has it, edited or not): the daemon
   * checks the text again, so the block, its target and its findings are those of this text.
   */
  private async previewCode(index: number, text: string): Promise<void> {
    const name = `code block ${index + 1}`;
    try {
      const session = await this.deps.connection.whenRunning();
      const thread = this.thread.thread;
      const { report } = await session.client.sendRequest(ChecksRunRequest.type, { text, thread });
      const blocks = Array.isArray(report?.blocks) ? report.blocks : [];
      const block = blocks.find((candidate) => candidate.block?.index === index) ?? blocks[index];
      if (!block) {
        const has = blocks.length === 0 ? 'no code blocks' : blocks.length === 1 ? '1 code block' : `${blocks.length} code blocks`;
        void vscode.window.showWarningMessage(`The draft no longer has a ${name}: it has ${has} now.`);
        return;
      }
      await this.deps.previewCode({ report: block, thread, replyText: text });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Could not preview ${name} of the reply to ${this.thread.key}: ${message}`);
      void vscode.window.showErrorMessage(`Could not preview ${name}: ${message}`);
    }
  }

  private async copy(text: string): Promise<void> {
    try {
      await vscode.env.clipboard.writeText(text);
      this.post({ type: 'copied', ok: true });
      this.outcomes.copied();
    } catch (error) {
      this.deps.log.warn(`Copy failed: ${(error as Error).message}`);
      this.post({ type: 'copied', ok: false });
    }
  }

  private post(message: ToWebview): void {
    // Before `ready` (or while hidden) nothing is sent: the snapshot holds everything, and the
    // `init` that answers the next `ready` delivers it.
    this.page.send(message);
  }

  dispose(): void {
    if (this.store.isDisposed) return;
    this.stop();
    this.outcomes.leave();
    this.batcher?.discard();
    this.store.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
