import * as vscode from 'vscode';
import type { DaemonStatus, Suggestion } from '../../server/src/protocol';
import { registerCodePreviews } from './codePreview/codePreviews';
import type { CodePreviews } from './codePreview/codePreviews';
import { suggestReply } from './commands/suggestReply';
import { DaemonConnection } from './daemon/daemonConnection';
import { registerGitHub } from './githubFeature';
import type { GitHubApi } from './githubFeature';
import { registerHistoryFeature } from './history/historyFeature';
import type { HistoryApi } from './history/historyFeature';
import { registerKnowledge } from './knowledge/knowledgeFeature';
import type { KnowledgeApi } from './knowledge/knowledgeFeature';
import { KNOWLEDGE_WATCH_GLOB, needsRestart, readDaemonSettings, readStorageDir } from './settings';
import { DaemonStatusItem } from './statusItem';
import { PanelRegistry } from './suggestion/panelRegistry';

/** What `activate` returns: for other extensions and for the extension-host test suite. */
export interface ThreadwiseApi {
  /** The daemon's latest health. */
  daemonStatus(): DaemonStatus;
  /** The running daemon's process id, if one is running. */
  daemonPid(): number | undefined;
  /** Waits until a daemon session runs (start or restart under way); rejects when none comes. */
  whenDaemonRunning(timeoutMs?: number): Promise<number | undefined>;
  readonly onDidChangeDaemonStatus: vscode.Event<DaemonStatus>;
  /** Suggest Reply on a thread file; rejects with the reason when the run fails. */
  suggestReply(uri: vscode.Uri): Promise<Suggestion | undefined>;
  /** Regenerates in the open panel of `owner/name#number`. */
  regenerate(threadKey: string): Promise<Suggestion>;
  /** Stops the run in the open panel of `owner/name#number`. */
  stop(threadKey: string): void;
  /** GitHub: sign-in, the workspace's repositories, the sidebar's lists and thread views. */
  github: GitHubApi;
  /** The knowledge indexes of the workspace's docs and past issues. */
  knowledge: KnowledgeApi;
  /** Code answers in the editor: diff previews, Apply and Copy. */
  codePreviews: CodePreviews;
  /** The history of suggestions: its requests, the History view, the explain and metrics panels. */
  history: HistoryApi;
}

let connection: DaemonConnection | undefined;

/**
 * Activated by a Threadwise command (not on start-up). Starts the daemon in its own process with
 * the Node that VS Code ships; the extension host loads no model, index or native module itself.
 */
export function activate(context: vscode.ExtensionContext): ThreadwiseApi {
  const log = vscode.window.createOutputChannel('Threadwise', { log: true });
  const status = new DaemonStatusItem();
  context.subscriptions.push(log, status);

  const daemon = new DaemonConnection({
    serverModule: vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.mjs').fsPath,
    log,
    storageDir: () => readStorageDir(context.globalStorageUri),
    settings: readDaemonSettings,
    // Changes to docs reach the daemon as workspace/didChangeWatchedFiles; it updates only what changed.
    fileWatchers: () => [vscode.workspace.createFileSystemWatcher(KNOWLEDGE_WATCH_GLOB)],
  });
  connection = daemon;
  // The folders come from the GitHub feature made below; they are read only when a block opens.
  const codePreviews = registerCodePreviews({ log, repositoryFolders: () => github.repos.folders });
  context.subscriptions.push(codePreviews);
  const panels = new PanelRegistry({ extensionUri: context.extensionUri, connection: daemon, log, previewCode: (request) => codePreviews.open(request) });
  context.subscriptions.push(daemon, panels, daemon.onDidChangeStatus((next) => status.show(next)));

  const github = registerGitHub({
    extensionUri: context.extensionUri,
    connection: daemon,
    panels,
    log,
    suggestReply: (deps, arg) => suggestReply(deps, arg),
  });
  context.subscriptions.push(github.disposable);
  const knowledge = registerKnowledge({ connection: daemon, repos: github.repos, log });
  context.subscriptions.push(knowledge.disposable);
  const history = registerHistoryFeature(context, daemon, { log, workspaceRepositories: () => github.repos.repositories });

  const panelFor = (key: string) => {
    const panel = panels.get(key);
    if (!panel) throw new Error(`No suggestion panel is open for ${key}.`);
    return panel;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('threadwise.suggestReply', (arg: unknown) => suggestReply(github.suggestDeps, arg)),
    vscode.commands.registerCommand('threadwise.showLog', () => log.show()),
    vscode.commands.registerCommand('threadwise.restartDaemon', () => daemon.restart()),
    vscode.workspace.onDidChangeConfiguration(async (change) => {
      const key = needsRestart(change);
      if (!key) return;
      const choice = await vscode.window.showInformationMessage(`Changing ${key} takes effect after the Threadwise daemon restarts.`, 'Restart Daemon');
      if (choice === 'Restart Daemon') await daemon.restart();
    }),
  );

  void daemon.start();

  return {
    daemonStatus: () => daemon.status,
    daemonPid: () => {
      try {
        return daemon.session().pid;
      } catch {
        return undefined;
      }
    },
    whenDaemonRunning: async (timeoutMs) => (await daemon.whenRunning(timeoutMs)).pid,
    onDidChangeDaemonStatus: daemon.onDidChangeStatus,
    suggestReply: (uri) => suggestReply(github.suggestDeps, uri, { throwOnFailure: true }),
    regenerate: async (key) => {
      const outcome = await panelFor(key).start(true);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    stop: (key) => panelFor(key).stop(),
    github: github.api,
    knowledge: knowledge.api,
    codePreviews,
    history,
  };
}

export async function deactivate(): Promise<void> {
  await connection?.shutdown();
  connection = undefined;
}
