/**
 * The daemon's LSP entry point: wires a JSON-RPC connection (stdio, node-ipc or socket, from the
 * command line as vscode-languageserver reads it) to a Daemon, and nothing else.
 */
import { fileURLToPath } from 'node:url';
import { createConnection, LSPErrorCodes, ProgressType, ResponseError } from 'vscode-languageserver/node';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { Daemon } from './daemon';
import type { DaemonPort } from './daemon';
import { createLocalEngines } from './engines';
import { toThreadwiseError } from './errors';
import {
  ChecksRunRequest,
  GetStatusRequest,
  GitHubEditCommentRequest,
  GitHubListRequest,
  GitHubPostCommentRequest,
  GitHubSetAuthRequest,
  GitHubThreadRequest,
  KnowledgeReindexRequest,
  KnowledgeSearchRequest,
  KnowledgeSetFoldersRequest,
  HistoryChangedNotification,
  HistoryClearRequest,
  HistoryDatasetRequest,
  HistoryExportRequest,
  HistoryListRequest,
  HistoryMetricsRequest,
  HistoryOutcomeRequest,
  HistoryRecordRequest,
  HistoryRepositoriesRequest,
  StatusNotification,
  SuggestReplyRequest,
  THREADWISE_ERROR_CODE,
} from './protocol';
import type { DaemonStatus, InitializationOptions, ThreadwiseInitializeResult, SuggestReplyProgress, ThreadwiseErrorData } from './protocol';
import { flattenSettingsSection } from './settings';
import { VERSION } from './version';

const connection: Connection = createConnection();
let daemon: Daemon | undefined;

const port: DaemonPort = {
  status: (status: DaemonStatus) => void connection.sendNotification(StatusNotification.type, status),
  log: (level, message) => {
    switch (level) {
      case 'error':
        return connection.console.error(message);
      case 'warn':
        return connection.console.warn(message);
      case 'info':
        return connection.console.info(message);
      case 'debug':
        return connection.console.debug(message);
    }
  },
  historyChanged: (change) => void connection.sendNotification(HistoryChangedNotification.type, change),
};

function requireDaemon(): Daemon {
  if (!daemon) throw new ResponseError<ThreadwiseErrorData>(THREADWISE_ERROR_CODE, 'the daemon is not initialized', { reason: 'internal' });
  return daemon;
}

connection.onInitialize((params) => {
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  if (typeof init.storageDir !== 'string' || init.storageDir === '') {
    throw new ResponseError(THREADWISE_ERROR_CODE, 'initializationOptions.storageDir is required', { reason: 'internal' });
  }
  const origin = typeof init.origin === 'string' && init.origin !== '' ? init.origin : (params.clientInfo?.name ?? 'lsp');
  daemon = new Daemon(port, { storageDir: init.storageDir, settings: init.settings, engines: createLocalEngines(), origin: origin.slice(0, 40) });
  const result: ThreadwiseInitializeResult = {
    capabilities: {},
    serverInfo: { name: 'threadwise', version: VERSION },
    threadwise: { pid: process.pid },
  };
  return result;
});

connection.onInitialized(() => requireDaemon().preload());

/** Partial results of suggestReply travel as `$/progress` on the request's `partialResultToken`. */
const suggestProgress = new ProgressType<SuggestReplyProgress>();

connection.onRequest(SuggestReplyRequest.type, async (params, token) => {
  const partialToken = params.partialResultToken;
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort());
  try {
    return await requireDaemon().suggestReply(params, {
      signal: abort.signal,
      onProgress: (progress) => {
        if (partialToken !== undefined) void connection.sendProgress(suggestProgress, partialToken, progress);
      },
    });
  } catch (error) {
    return toResponseError(error);
  } finally {
    cancellation.dispose();
  }
});

/** A failure as the client sees it: the message and hint, and the reason in `data`. */
function toResponseError(error: unknown): ResponseError<ThreadwiseErrorData> {
  const typed = toThreadwiseError(error);
  return new ResponseError<ThreadwiseErrorData>(THREADWISE_ERROR_CODE, typed.describe(), {
    reason: typed.reason,
    ...(typed.hint ? { hint: typed.hint } : {}),
  });
}

/** Answers with `action`'s result, or with its failure as a ResponseError. */
async function answer<T>(action: () => Promise<T>): Promise<T | ResponseError<ThreadwiseErrorData>> {
  try {
    return await action();
  } catch (error) {
    return toResponseError(error);
  }
}

/** Answers like `answer`, with an AbortSignal that follows the request's cancellation. */
async function cancellable<T>(token: CancellationToken, action: (signal: AbortSignal) => Promise<T>): Promise<T | ResponseError<ThreadwiseErrorData>> {
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
  try {
    return await action(abort.signal);
  } catch (error) {
    if (abort.signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled; nothing was written');
    return toResponseError(error);
  } finally {
    cancellation.dispose();
  }
}

connection.onRequest(GetStatusRequest.type, () => requireDaemon().status);

connection.onRequest(GitHubSetAuthRequest.type, (params) => answer(() => requireDaemon().github.setAuth(params)));
connection.onRequest(GitHubListRequest.type, (params) => answer(() => requireDaemon().github.list(params)));
connection.onRequest(GitHubThreadRequest.type, (params) => answer(() => requireDaemon().github.thread(params)));
connection.onRequest(GitHubPostCommentRequest.type, (params) => answer(() => requireDaemon().github.postComment(params)));
connection.onRequest(GitHubEditCommentRequest.type, (params) => answer(() => requireDaemon().github.editComment(params)));

connection.onRequest(ChecksRunRequest.type, async (params, token) => {
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort());
  try {
    return await requireDaemon().runChecks(params, abort.signal);
  } catch (error) {
    return toResponseError(error);
  } finally {
    cancellation.dispose();
  }
});

connection.onRequest(HistoryListRequest.type, (params) => answer(() => requireDaemon().history.list(params)));
connection.onRequest(HistoryRepositoriesRequest.type, () => answer(() => requireDaemon().history.repositories()));
connection.onRequest(HistoryRecordRequest.type, (params) => answer(() => requireDaemon().history.get(params)));
connection.onRequest(HistoryOutcomeRequest.type, (params) => answer(() => requireDaemon().history.outcome(params)));
connection.onRequest(HistoryMetricsRequest.type, (params) => answer(() => requireDaemon().history.metrics(params)));
connection.onRequest(HistoryClearRequest.type, (params) => answer(() => requireDaemon().history.clear(params)));
connection.onRequest(HistoryExportRequest.type, (params, token) => cancellable(token, (signal) => requireDaemon().history.exportRecords(params, signal)));
connection.onRequest(HistoryDatasetRequest.type, (params, token) => cancellable(token, (signal) => requireDaemon().history.exportDataset(params, signal)));

connection.onRequest(KnowledgeSetFoldersRequest.type, (params) => answer(() => Promise.resolve().then(() => requireDaemon().knowledge.setFolders(params))));
connection.onRequest(KnowledgeSearchRequest.type, (params) => answer(() => requireDaemon().knowledge.search(params)));
connection.onRequest(KnowledgeReindexRequest.type, async (params, token) => {
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
  try {
    return await requireDaemon().knowledge.reindex(params ?? {}, abort.signal);
  } catch (error) {
    if (abort.signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, 'indexing was cancelled; the last index stays in use');
    return toResponseError(error);
  } finally {
    cancellation.dispose();
  }
});

/** The client's file watcher (docs globs): the indexes holding the files update after a quiet moment. */
connection.onDidChangeWatchedFiles((params) => {
  const paths: string[] = [];
  for (const change of params.changes) {
    try {
      if (change.uri.startsWith('file:')) paths.push(fileURLToPath(change.uri));
    } catch {
      // Not a local file: nothing on this machine to index.
    }
  }
  if (paths.length > 0) daemon?.knowledge.filesChanged(paths);
});

connection.onDidChangeConfiguration((change) => {
  const settings = flattenSettingsSection((change.settings as { threadwise?: unknown } | undefined)?.threadwise);
  void requireDaemon()
    .updateSettings(settings)
    .catch((error: unknown) => port.log('error', `settings: ${toThreadwiseError(error).describe()}`));
});

connection.onShutdown(async () => {
  await daemon?.dispose();
  daemon = undefined;
});

process.on('unhandledRejection', (reason) => {
  port.log('error', `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
process.on('uncaughtException', (error) => {
  // State may be broken after an uncaught exception: report it and exit so the client restarts us.
  port.log('error', `uncaught exception: ${error.stack ?? error.message}`);
  port.status({ state: 'error', message: `The daemon crashed: ${error.message}`, error: { reason: 'internal', message: error.message } });
  setTimeout(() => process.exit(1), 100);
});

connection.listen();
