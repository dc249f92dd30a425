import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ThreadwiseInitializeResult } from '../../../server/src/protocol';
import { DisposableStore } from '../util/disposableStore';

/**
 * One run of the daemon process: its language client and everything tied to it. Listeners on the
 * client are registered in `store` and dropped when the session ends; `ended` settles then, so
 * requests in flight can fail at once instead of hanging on a dead connection.
 */
export class DaemonSession implements vscode.Disposable {
  readonly store = new DisposableStore();
  private endReason: string | undefined;
  private resolveEnded!: (reason: string) => void;
  /** Resolves with why the session ended (crash, restart, shutdown). Never rejects. */
  readonly ended = new Promise<string>((resolve) => {
    this.resolveEnded = resolve;
  });

  constructor(
    readonly client: LanguageClient,
    /** Counts sessions since activation; a restarted daemon gets the next number. */
    readonly generation: number,
  ) {}

  /** Process id of the daemon, from its initialize result, once it is running. */
  get pid(): number | undefined {
    const result = this.client.initializeResult as Partial<ThreadwiseInitializeResult> | undefined;
    return result?.threadwise?.pid;
  }

  get hasEnded(): boolean {
    return this.endReason !== undefined;
  }

  /** Marks the session over: drops its listeners and settles `ended`. Idempotent. */
  end(reason: string): void {
    if (this.endReason !== undefined) return;
    this.endReason = reason;
    this.store.dispose();
    this.resolveEnded(reason);
  }

  dispose(): void {
    this.end('disposed');
  }
}
