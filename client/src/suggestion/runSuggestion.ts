import type * as vscode from 'vscode';
import { ErrorCodes, ProgressType, ResponseError } from 'vscode-languageclient/node';
import { SuggestReplyRequest, THREADWISE_ERROR_CODE } from '../../../server/src/protocol';
import type { Suggestion, SuggestPhase, SuggestReplyProgress, Thread, ThreadwiseErrorData } from '../../../server/src/protocol';
import { DaemonUnavailableError } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';

export interface RunHandlers {
  onPhase(phase: SuggestPhase, message: string): void;
  onChunk(text: string): void;
  /** A repair starts: the chunks that follow replace the draft streamed so far. */
  onRepair(repair: { cycle: number; maxCycles: number; failures: number; message: string }): void;
}

/** Why a run failed, in words for the panel: what happened and, when known, what to do. */
export class RunError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

const suggestProgress = new ProgressType<SuggestReplyProgress>();
const DAEMON_GONE = new Set<number>([ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive, ErrorCodes.MessageWriteError]);

/**
 * One suggest-reply request on a daemon session. Chunks arrive as LSP partial results and are
 * handed on in order as they come (pushed, never polled). Cancelling `token` stops generation: the
 * daemon then answers with the partial text marked cancelled. If the session ends first (the daemon
 * died), the promise rejects at once with a RunError that says so, rather than hanging.
 */
export async function runSuggestion(
  session: DaemonSession,
  params: { thread: Thread; regenerate: boolean },
  token: vscode.CancellationToken,
  handlers: RunHandlers,
): Promise<Suggestion> {
  const partialResultToken = `suggest-${crypto.randomUUID()}`;
  const progress = session.client.onProgress(suggestProgress, partialResultToken, (update) => {
    if (update.kind === 'chunk') handlers.onChunk(update.text);
    else if (update.kind === 'repair') handlers.onRepair(update);
    else handlers.onPhase(update.phase, update.message);
  });
  try {
    const request = session.client.sendRequest(SuggestReplyRequest.type, { ...params, partialResultToken }, token);
    return await new Promise<Suggestion>((resolve, reject) => {
      let settled = false;
      void session.ended.then((reason) => {
        if (settled) return;
        settled = true;
        reject(daemonStopped(reason));
      });
      request.then(
        (result) => {
          settled = true;
          resolve(result);
        },
        (error: unknown) => {
          settled = true;
          reject(session.hasEnded ? daemonStopped('the daemon process stopped') : toRunError(error));
        },
      );
    });
  } finally {
    progress.dispose();
  }
}

function daemonStopped(reason: string): RunError {
  return new RunError(`The daemon stopped while drafting (${reason}).`, 'It restarts by itself; press Regenerate to try again.');
}

/** Maps what a request can fail with to a RunError. */
export function toRunError(error: unknown): RunError {
  if (error instanceof RunError) return error;
  if (error instanceof DaemonUnavailableError) {
    return new RunError(error.message, 'Run "Threadwise: Restart Daemon", or "Threadwise: Show Log" to see why.');
  }
  if (error instanceof ResponseError) {
    const response = error as ResponseError<ThreadwiseErrorData | undefined>;
    if (response.code === THREADWISE_ERROR_CODE) return new RunError(response.message, response.data?.hint);
    if (DAEMON_GONE.has(response.code)) return daemonStopped(response.message);
    return new RunError(`The daemon answered with an error: ${response.message}`);
  }
  return new RunError(error instanceof Error ? error.message : String(error));
}
