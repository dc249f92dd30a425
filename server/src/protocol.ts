/**
 * The one contract between the VS Code client (or any LSP client) and the Threadwise daemon.
 *
 * Both sides import this file, and only this file; nothing here is mirrored by hand. The parts live
 * in `protocol/`, one per topic, and are all re-exported here, so every import names `protocol`.
 * Together they import only `vscode-languageserver-protocol` (and each other), so the extension host
 * can load them without pulling in the daemon. Every custom message is a namespace with a literal
 * `method`, a typed `type` and its params/result, and a line saying who sends it to whom.
 *
 *   protocol/thread      the Thread: an issue or pull request, its comments, PR files, review threads
 *   protocol/settings    DaemonSettings and what `initialize` carries each way
 *   protocol/suggestion  Suggest Reply: the request, its streamed progress, the Suggestion
 *   protocol/knowledge   retrieved sources and the index requests (set folders, reindex, search)
 *   protocol/checks      code, secret, source and injection checks: the report and the check request
 *   protocol/status      the daemon's health: the status notification and request
 *   protocol/github      lists, threads, sign-in and posting on GitHub
 *   protocol/history     recorded suggestions: list, record, outcome, metrics, export, dataset, clear
 *   protocol/errors      error reasons, the `data` of every ResponseError, the error code
 */
export * from './protocol/thread';
export * from './protocol/settings';
export * from './protocol/suggestion';
export * from './protocol/knowledge';
export * from './protocol/checks';
export * from './protocol/status';
export * from './protocol/github';
export * from './protocol/history';
export * from './protocol/errors';
