import * as vscode from 'vscode';
import { ChecksRunRequest } from '../../../server/src/protocol';
import type { CheckReport, ChecksRunParams, ChecksRunResult, Thread } from '../../../server/src/protocol';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';

export interface DraftRecheckerDeps {
  connection: DaemonConnection;
  log: vscode.LogOutputChannel;
  /** The panel's thread now: its URLs count as known, and a flagged thread makes the checks strict. */
  thread: () => Thread;
  /** The numbers and URLs of the sources given to the model for the run on screen (undefined: sources are not checked), as posting checks them. */
  sources: () => { number: number; url?: string }[] | undefined;
  /** The daemon's report of `text`, the edit of run `runId`; called only for the latest `recheck` that was not cancelled. */
  onChecked: (runId: number, text: string, report: CheckReport) => void;
}

interface Recheck {
  runId: number;
  text: string;
  cancel: vscode.CancellationTokenSource;
}

/**
 * Checks the person's edits of a finished draft again (`threadwise/checks/run` with the thread and
 * the run's given sources, as posting does), one at a time: a new edit cancels the check of the
 * one before, through the request's cancellation token, and a cancelled check never reports. A
 * check that fails (the daemon down or stopping) is logged and reports nothing: the panel keeps
 * the checks it has, marked as being of an earlier text.
 */
export class DraftRechecker implements vscode.Disposable {
  private current: Recheck | undefined;
  private disposed = false;

  constructor(private readonly deps: DraftRecheckerDeps) {}

  /** Checks `text` of run `runId`, cancelling any check still running; the text being checked already is not asked for again. */
  recheck(runId: number, text: string): void {
    if (this.disposed || (this.current?.runId === runId && this.current.text === text)) return;
    this.cancel();
    const job: Recheck = { runId, text, cancel: new vscode.CancellationTokenSource() };
    this.current = job;
    void this.run(job).finally(() => {
      if (this.current === job) this.current = undefined;
      job.cancel.dispose();
    });
  }

  /** Cancels the check under way (a new run starts, the panel closes); it reports nothing. */
  cancel(): void {
    const job = this.current;
    this.current = undefined;
    job?.cancel.cancel();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private async run(job: Recheck): Promise<void> {
    const { token } = job.cancel;
    try {
      const session = await this.deps.connection.whenRunning();
      if (token.isCancellationRequested) return;
      const sources = this.deps.sources();
      const params: ChecksRunParams = { text: job.text, thread: this.deps.thread(), ...(sources ? { sources } : {}) };
      const result = await untilEnded(session, session.client.sendRequest(ChecksRunRequest.type, params, token));
      if (token.isCancellationRequested) return;
      if (typeof result?.report !== 'object' || result.report === null) throw new Error('the daemon answered without a report');
      this.deps.onChecked(job.runId, job.text, result.report);
    } catch (error) {
      if (token.isCancellationRequested) return;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Could not check the edited draft again (the panel keeps the checks of an earlier text): ${message}`);
    }
  }
}

/** `request`, or a rejection as soon as the daemon session ends first (a pending request may otherwise never settle). */
function untilEnded(session: DaemonSession, request: Promise<ChecksRunResult>): Promise<ChecksRunResult> {
  return new Promise<ChecksRunResult>((resolve, reject) => {
    void session.ended.then((reason) => reject(new Error(`the daemon stopped before the checks ended (${reason})`)));
    request.then(resolve, reject);
  });
}
