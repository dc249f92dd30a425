import * as vscode from 'vscode';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import {
  HistoryChangedNotification,
  HistoryClearRequest,
  HistoryDatasetRequest,
  HistoryExportRequest,
  HistoryListRequest,
  HistoryMetricsRequest,
  HistoryRecordRequest,
  HistoryRepositoriesRequest,
  THREADWISE_ERROR_CODE,
} from '../../../server/src/protocol';
import type {
  HistoryDatasetParams,
  HistoryDatasetResult,
  HistoryExportParams,
  HistoryExportResult,
  HistoryListParams,
  HistoryListResult,
  HistoryMetrics,
  HistoryMetricsParams,
  HistoryRecord,
  HistoryRepository,
  ThreadwiseErrorData,
} from '../../../server/src/protocol';
import { DaemonUnavailableError } from '../daemon/daemonConnection';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';
import { DisposableStore } from '../util/disposableStore';

/** A failed history request, in words for a notification or a tree row, with what to do in `hint`. */
export class HistoryRequestError extends Error {
  constructor(
    message: string,
    /** The daemon's reason (`invalid-params`, `internal`, …), `daemon-unavailable` or `cancelled`. */
    readonly reason: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'HistoryRequestError';
  }

  /** The message and the hint, for a notification. */
  get text(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

const DAEMON_GONE = new Set<number>([ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive, ErrorCodes.MessageWriteError]);

/** What changed: the daemon's HistoryChangedNotification, or a new daemon session (`repo` undefined: anything). */
export interface HistoryChange {
  repo?: string;
  id?: string;
}

/**
 * The client's history requests to the daemon. Each waits for a running daemon (a start or restart
 * under way included) and rejects with a HistoryRequestError. `onDidChange` fires for every
 * HistoryChangedNotification of the running session (its listener dies with the session) and
 * when a new session starts, since records may have been made or deleted meanwhile (the CLI).
 */
export class HistoryClient implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changeEmitter = this.store.add(new vscode.EventEmitter<HistoryChange>());
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly connection: DaemonConnection) {
    this.store.add(connection.onDidStartSession((session) => this.listen(session, true)));
    try {
      this.listen(connection.session(), false);
    } catch {
      // Not running yet: the session start above will attach the listener.
    }
  }

  repositories(token?: vscode.CancellationToken): Promise<HistoryRepository[]> {
    return this.send((session) => session.client.sendRequest(HistoryRepositoriesRequest.type, {}, token));
  }

  list(params: HistoryListParams, token?: vscode.CancellationToken): Promise<HistoryListResult> {
    return this.send((session) => session.client.sendRequest(HistoryListRequest.type, params, token));
  }

  record(id: string, token?: vscode.CancellationToken): Promise<HistoryRecord> {
    return this.send((session) => session.client.sendRequest(HistoryRecordRequest.type, { id }, token));
  }

  metrics(params: HistoryMetricsParams, token?: vscode.CancellationToken): Promise<HistoryMetrics> {
    return this.send((session) => session.client.sendRequest(HistoryMetricsRequest.type, params, token));
  }

  /** Cancelling `token` cancels the request (the daemon leaves no partial file: it writes to a temporary one). */
  export(params: HistoryExportParams, token?: vscode.CancellationToken): Promise<HistoryExportResult> {
    return this.send((session) => session.client.sendRequest(HistoryExportRequest.type, params, token));
  }

  dataset(params: HistoryDatasetParams, token?: vscode.CancellationToken): Promise<HistoryDatasetResult> {
    return this.send((session) => session.client.sendRequest(HistoryDatasetRequest.type, params, token));
  }

  clear(repo?: string): Promise<{ deleted: number }> {
    return this.send((session) => session.client.sendRequest(HistoryClearRequest.type, repo === undefined ? {} : { repo }));
  }

  private listen(session: DaemonSession, fire: boolean): void {
    session.store.add(session.client.onNotification(HistoryChangedNotification.type, (change) => this.changeEmitter.fire(change ?? {})));
    if (fire) this.changeEmitter.fire({});
  }

  private async send<T>(request: (session: DaemonSession) => Promise<T>): Promise<T> {
    let session: DaemonSession;
    try {
      session = await this.connection.whenRunning();
    } catch (error) {
      throw toHistoryError(error);
    }
    try {
      return await request(session);
    } catch (error) {
      throw toHistoryError(error);
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Maps what a history request can fail with to a HistoryRequestError. */
export function toHistoryError(error: unknown): HistoryRequestError {
  if (error instanceof HistoryRequestError) return error;
  if (error instanceof vscode.CancellationError) return new HistoryRequestError('Cancelled.', 'cancelled');
  if (error instanceof DaemonUnavailableError) {
    return new HistoryRequestError(error.message, 'daemon-unavailable', 'Run "Threadwise: Restart Daemon", or "Threadwise: Show Log" to see why.');
  }
  if (error instanceof ResponseError) {
    const response = error as ResponseError<ThreadwiseErrorData | undefined>;
    if (response.code === LSPErrorCodes.RequestCancelled) return new HistoryRequestError('Cancelled.', 'cancelled');
    if (response.code === THREADWISE_ERROR_CODE) {
      // The daemon's message may already end with the hint; it is not repeated then.
      const hint = response.data?.hint && !response.message.includes(response.data.hint) ? response.data.hint : undefined;
      return new HistoryRequestError(response.message, response.data?.reason ?? 'internal', hint);
    }
    if (DAEMON_GONE.has(response.code)) return new HistoryRequestError(`The Threadwise daemon stopped (${response.message}).`, 'daemon-unavailable', 'It restarts by itself; try again in a moment.');
    if (response.code === ErrorCodes.MethodNotFound) {
      return new HistoryRequestError('This Threadwise daemon does not keep a history of suggestions.', 'internal', 'Run "Threadwise: Restart Daemon" after updating the extension.');
    }
    return new HistoryRequestError(`The daemon answered with an error: ${response.message}`, 'internal');
  }
  return new HistoryRequestError(error instanceof Error ? error.message : String(error), 'internal');
}
