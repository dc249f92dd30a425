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
    embeddingModel: config.get<string>('embeddingModel'),
    knowledgeEnabled: config.get<boolean>('knowledge.enabled'),
    knowledgeInclude: config.get<string[]>('knowledge.include'),
    knowledgeExclude: config.get<string[]>('knowledge.exclude'),
    knowledgeIssues: config.get<boolean>('knowledge.issues'),
    knowledgeTopK: config.get<number>('knowledge.topK'),
    knowledgeMinSimilarity: config.get<number>('knowledge.minSimilarity'),
    maxFixCycles: config.get<number>('maxFixCycles'),
    checksFailOn: config.get<DaemonSettings['checksFailOn']>('checks.failOn'),
    checksExternalTools: config.get<DaemonSettings['checksExternalTools']>('checks.externalTools'),
    checksSemgrepConfig: config.get<string>('checks.semgrepConfig'),
    historyEnabled: config.get<boolean>('history.enabled'),
    historyRetentionDays: config.get<number>('history.retentionDays'),
  };
}

/** Docs the client's file watcher reports to the daemon (the daemon applies the include/exclude settings). */
export const KNOWLEDGE_WATCH_GLOB = '**/*.{md,mdx,markdown,rst,adoc,asciidoc,asc,txt,html,htm}';

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

/** The GitHub settings the client reads (it owns sign-in and the sidebar; the daemon gets only the API root). */
export interface GitHubSettings {
  /** `threadwise.github.enterpriseUri`: a GitHub Enterprise Server address; empty for github.com. */
  enterpriseUri: string;
  /** `threadwise.github.apiUrl`: the API root; empty derives it from `enterpriseUri`. */
  apiUrl: string;
  /** `threadwise.github.authProvider`: the VS Code authentication provider id; empty picks `github` or `github-enterprise`. */
  authProvider: string;
  /** `threadwise.github.refreshMinutes`: minutes between syncs while the sidebar is visible; 0 turns them off. */
  refreshMinutes: number;
}

export const GITHUB_ENDPOINT_SETTINGS = ['threadwise.github.enterpriseUri', 'threadwise.github.apiUrl', 'threadwise.github.authProvider'] as const;
export const REPOSITORIES_SETTING = 'threadwise.repositories';

export function readGitHubSettings(): GitHubSettings {
  const config = vscode.workspace.getConfiguration(`${SETTINGS_SECTION}.github`);
  const minutes = config.get<number>('refreshMinutes', 10);
  return {
    enterpriseUri: config.get<string>('enterpriseUri', ''),
    apiUrl: config.get<string>('apiUrl', ''),
    authProvider: config.get<string>('authProvider', ''),
    refreshMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : 0,
  };
}

/**
 * `threadwise.repositories` (`owner/name` entries) for a workspace folder (its folder settings
 * count), or for the window when `scope` is undefined. Entries that are not strings are dropped.
 */
export function readConfiguredRepositories(scope?: vscode.Uri): string[] {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope ?? null).get<unknown>('repositories');
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.trim()) : [];
}
