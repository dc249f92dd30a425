import type * as vscode from 'vscode';
import { redactSecrets } from './redact';

/**
 * The log as the language client's trace sees it: the same channel, with every line passed through
 * `redactSecrets` first (the trace writes request params, and the GitHub token is one).
 */
export function redactingLog(log: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return {
    get name() {
      return log.name;
    },
    get logLevel() {
      return log.logLevel;
    },
    onDidChangeLogLevel: log.onDidChangeLogLevel,
    trace: (message: string, ...args: unknown[]) => log.trace(redactSecrets(message), ...args.map(redactArgument)),
    debug: (message: string, ...args: unknown[]) => log.debug(redactSecrets(message), ...args.map(redactArgument)),
    info: (message: string, ...args: unknown[]) => log.info(redactSecrets(message), ...args.map(redactArgument)),
    warn: (message: string, ...args: unknown[]) => log.warn(redactSecrets(message), ...args.map(redactArgument)),
    error: (error: string | Error, ...args: unknown[]) => log.error(typeof error === 'string' ? redactSecrets(error) : error, ...args.map(redactArgument)),
    append: (value) => log.append(redactSecrets(value)),
    appendLine: (value) => log.appendLine(redactSecrets(value)),
    replace: (value) => log.replace(redactSecrets(value)),
    clear: () => log.clear(),
    show: (preserveFocus?: boolean | vscode.ViewColumn) => log.show(typeof preserveFocus === 'boolean' ? preserveFocus : undefined),
    hide: () => log.hide(),
    // The channel belongs to the extension: the client must not dispose it when it stops.
    dispose: () => undefined,
  };
}

function redactArgument(value: unknown): unknown {
  return typeof value === 'string' ? redactSecrets(value) : value;
}
