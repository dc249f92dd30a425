import type * as vscode from 'vscode';
import { ErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { GitHubListRequest, GitHubThreadRequest, THREADWISE_ERROR_CODE } from '../../../server/src/protocol';
import type { ErrorReason, GitHubListParams, GitHubRepoListing, GitHubThreadResult, ThreadwiseErrorData } from '../../../server/src/protocol';
import { DaemonUnavailableError } from '../daemon/daemonConnection';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';
import type { ThreadRef } from './threadRef';

/** Why a GitHub request failed: the daemon's reason, or that the daemon is not there. */
export type GitHubFailureReason = ErrorReason | 'daemon-unavailable';

/** A failed GitHub request, in words for a notification or a tree item, with what to do in `hint`. */
export class GitHubRequestError extends Error {
  constructor(
    message: string,
    readonly reason: GitHubFailureReason,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'GitHubRequestError';
  }
}

const DAEMON_GONE = new Set<number>([ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive, ErrorCodes.MessageWriteError]);

/** What a request needs before it is sent: the daemon holding the current token. */
export interface AuthGate {
  /** Resolves once the current token (or its absence) reached `session`; never rejects. */
  whenDelivered(session: DaemonSession): Promise<void>;
}

/**
 * The client's GitHub requests to the daemon. Each waits for a running daemon (a restart under way
 * included) and for the token to have reached it, so a list asked for right after a restart is not
 * refused for want of a token the daemon was about to get. Failures reject with GitHubRequestError.
 */
export class GitHubClient {
  constructor(
    private readonly connection: DaemonConnection,
    private readonly auth: AuthGate,
  ) {}

  async list(params: GitHubListParams, token?: vscode.CancellationToken): Promise<GitHubRepoListing> {
    const session = await this.session();
    return await request(() => session.client.sendRequest(GitHubListRequest.type, params, token));
  }

  async thread(ref: ThreadRef, options: { refresh?: boolean } = {}, token?: vscode.CancellationToken): Promise<GitHubThreadResult> {
    const session = await this.session();
    return await request(() => session.client.sendRequest(GitHubThreadRequest.type, { ...ref, ...(options.refresh ? { refresh: true } : {}) }, token));
  }

  private async session(): Promise<DaemonSession> {
    let session: DaemonSession;
    try {
      session = await this.connection.whenRunning();
    } catch (error) {
      throw toGitHubError(error);
    }
    await this.auth.whenDelivered(session);
    return session;
  }
}

async function request<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toGitHubError(error);
  }
}

/** Maps what a GitHub request can fail with to a GitHubRequestError. */
export function toGitHubError(error: unknown): GitHubRequestError {
  if (error instanceof GitHubRequestError) return error;
  if (error instanceof DaemonUnavailableError) {
    return new GitHubRequestError(error.message, 'daemon-unavailable', 'Run "Threadwise: Restart Daemon", or "Threadwise: Show Log" to see why.');
  }
  if (error instanceof ResponseError) {
    const response = error as ResponseError<ThreadwiseErrorData | undefined>;
    if (response.code === THREADWISE_ERROR_CODE && response.data) {
      // The daemon's message may already end with the hint; it is not repeated then.
      const hint = response.data.hint && !response.message.includes(response.data.hint) ? response.data.hint : undefined;
      return new GitHubRequestError(response.message, response.data.reason, hint);
    }
    if (DAEMON_GONE.has(response.code)) {
      return new GitHubRequestError(`The Threadwise daemon stopped while talking to GitHub (${response.message}).`, 'daemon-unavailable', 'It restarts by itself; try again in a moment.');
    }
    return new GitHubRequestError(`The daemon answered with an error: ${response.message}`, 'internal');
  }
  return new GitHubRequestError(error instanceof Error ? error.message : String(error), 'internal');
}
