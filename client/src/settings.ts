import * as vscode from 'vscode';
import type { DaemonSettings } from '../../server/src/protocol';

/**
 * The `threadwise.*` settings, read in one place. Defaults and scopes live in package.json's
 * contributed configuration; the daemon validates what it receives again (settings files are
 * hand-edited).
 */
export const SETTINGS_SECTION = 'threadwise';

/** The settings the daemon reads; they reach it at start and on every change (LSP didChangeConfiguration). */
export function readDaemonSettings(): Partial<DaemonSettings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    model: config.get<string>('model'),
    gpu: config.get<DaemonSettings['gpu']>('gpu'),
    threads: config.get<number>('threads'),
    contextSize: config.get<number>('contextSize'),
    maxReplyTokens: config.get<number>('maxReplyTokens'),
    temperature: config.get<number>('temperature'),
    guardrailModel: config.get<string>('guardrailModel'),
    guardrailThreshold: config.get<number>('guardrailThreshold'),
    allowDownloads: config.get<boolean>('allowDownloads'),
  };
}

/** Where the daemon keeps models and per-repository data: `threadwise.storageFolder`, else VS Code's global storage. */
export function readStorageDir(globalStorage: vscode.Uri): string {
  const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('storageFolder')?.trim();
  return configured ? configured : globalStorage.fsPath;
}

/**
 * Settings the running daemon cannot take over without a restart (it receives them only at start).
 * The others apply live: model settings reload the model on the next request.
 */
export const RESTART_REQUIRED_SETTINGS = ['threadwise.storageFolder'] as const;

export function needsRestart(change: vscode.ConfigurationChangeEvent): string | undefined {
  return RESTART_REQUIRED_SETTINGS.find((key) => change.affectsConfiguration(key));
}
