import type * as vscode from 'vscode';
import { HistoryOutcomeRequest } from '../../../server/src/protocol';
import type { HistoryOutcomeParams } from '../../../server/src/protocol';
import type { DaemonConnection } from '../daemon/daemonConnection';

/**
 * Tells the daemon's history what the person did with the suggestion a panel shows: posted (the
 * daemon makes it `edited` when the text posted differs, and stores the edit distance), copied, or
 * discarded (a new draft replaced it, or the panel closed before a post). The daemon keeps the
 * strongest outcome, so a `discarded` after a post or a copy changes nothing. Reports are fire and
 * forget: a history that cannot record them never gets in the person's way (logged only).
 */
export class OutcomeReporter {
  /** The finished suggestion on screen, if any. */
  private suggestionId: string | undefined;
  private posted = false;

  constructor(private readonly deps: { connection: DaemonConnection; log: vscode.LogOutputChannel }) {}

  /** A run finished: its suggestion is the one on screen now. */
  shown(id: string): void {
    this.suggestionId = id;
    this.posted = false;
  }

  /** A new run starts, or the panel closes: the suggestion on screen is discarded unless it was posted. */
  leave(): void {
    const id = this.suggestionId;
    this.suggestionId = undefined;
    if (id !== undefined && !this.posted) this.report({ id, outcome: 'discarded' });
  }

  copied(): void {
    if (this.suggestionId !== undefined) this.report({ id: this.suggestionId, outcome: 'copied' });
  }

  /** Posted (or its comment updated) with `text`, the draft as the person left it. */
  postedText(text: string, commentUrl: string): void {
    if (this.suggestionId === undefined) return;
    this.posted = true;
    this.report({ id: this.suggestionId, outcome: 'posted', finalText: text, ...(commentUrl.startsWith('https://') ? { commentUrl } : {}) });
  }

  private report(params: HistoryOutcomeParams): void {
    void (async () => {
      try {
        const session = await this.deps.connection.whenRunning();
        await session.client.sendRequest(HistoryOutcomeRequest.type, params);
      } catch (error) {
        this.deps.log.warn(`History: could not record that suggestion ${params.id} was ${params.outcome}: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  }
}
