import * as vscode from 'vscode';
import type { ExportFormat, HistoryDatasetResult, HistoryExportResult } from '../../../server/src/protocol';
import type { HistoryClient } from './historyClient';
import { HistoryRequestError, toHistoryError } from './historyClient';
import { datasetMessage, defaultFileName, EXPORT_FORMATS, exportMessage, extensionOf } from './exportChoices';
import { pickDisposition, pickFile, pickRepository, pickSince } from './exportPrompts';
import { repositoryOf } from './historyTreeModel';

export interface ExportDeps {
  client: HistoryClient;
  log: vscode.LogOutputChannel;
  /** The workspace's GitHub repositories (for the dataset, which reads the GitHub cache). */
  workspaceRepositories(): readonly string[];
  now?: () => Date;
}

/**
 * "Export History": format, repository (preset when run on a repository row), since, file, and
 * what to do with a file that exists; then the daemon writes it, cancellable from the progress
 * notification. Resolves with the result, or undefined when cancelled or failed (the failure shown).
 */
export async function exportHistory(deps: ExportDeps, arg?: unknown): Promise<HistoryExportResult | undefined> {
  const now = (deps.now ?? (() => new Date()))();
  const format = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((entry) => ({ label: entry.label, detail: entry.detail, entry })),
    { title: 'Export History: Format' },
  );
  if (!format) return undefined;
  const preset = repositoryOf(arg);
  let repo: string | undefined = preset?.repo;
  if (!preset) {
    const repos = await historyRepositories(deps);
    if (!repos) return undefined;
    const picked = await pickRepository('Export History: Repository', repos, 'Every recorded suggestion');
    if (!picked) return undefined;
    repo = picked.repo;
  }
  const since = await pickSince('Export History: Since', now);
  if (!since) return undefined;
  const ext = extensionOf(format.entry.format);
  const uri = await pickFile('Export History', defaultFileName('history', ext, repo, now), ext, format.entry.filterName);
  if (!uri) return undefined;
  const disposition = await pickDisposition(uri, 'suggestion id');
  if (!disposition) return undefined;
  const params = { format: format.entry.format, out: uri.fsPath, disposition, ...(repo ? { repo } : {}), ...(since.since ? { since: since.since } : {}) };
  const result = await runWithProgress(deps, 'Threadwise: exporting history', 'Export', (token) => deps.client.export(params, token));
  if (result) void offerFile(exportMessage(result), uri, format.entry.format);
  return result;
}

/**
 * "Export Fine-Tuning Dataset": repository (the workspace's and those with records), since, file
 * and disposition; the daemon writes chat JSONL from the maintainers' replies in the GitHub cache.
 */
export async function exportDataset(deps: ExportDeps, arg?: unknown): Promise<HistoryDatasetResult | undefined> {
  const now = (deps.now ?? (() => new Date()))();
  const preset = repositoryOf(arg);
  let repo: string | undefined = preset?.repo;
  if (!preset) {
    const recorded = (await historyRepositories(deps, true)) ?? [];
    const repos = uniqueRepositories([...deps.workspaceRepositories(), ...recorded]);
    const picked = await pickRepository('Export Fine-Tuning Dataset: Repository', repos, 'Every repository in the GitHub cache');
    if (!picked) return undefined;
    repo = picked.repo;
  }
  const since = await pickSince('Export Fine-Tuning Dataset: Maintainer Replies Since', now);
  if (!since) return undefined;
  const uri = await pickFile('Export Fine-Tuning Dataset', defaultFileName('dataset', 'jsonl', repo, now), 'jsonl', 'JSON Lines');
  if (!uri) return undefined;
  const disposition = await pickDisposition(uri, 'example id');
  if (!disposition) return undefined;
  const params = { out: uri.fsPath, disposition, ...(repo ? { repo } : {}), ...(since.since ? { since: since.since } : {}) };
  const result = await runWithProgress(deps, 'Threadwise: writing the fine-tuning dataset', 'Dataset export', (token) => deps.client.dataset(params, token));
  if (result) void offerFile(datasetMessage(result), uri, 'jsonl');
  return result;
}

/** GitHub repositories once each (case-insensitive), first spelling kept; thread files (`local/…`) left out. */
function uniqueRepositories(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!name.startsWith('local/') && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/** The repositories with records; undefined (after saying why) when the daemon cannot answer, unless `quiet`. */
async function historyRepositories(deps: ExportDeps, quiet = false): Promise<string[] | undefined> {
  try {
    return (await deps.client.repositories()).map((repo) => repo.repo);
  } catch (error) {
    if (quiet) return undefined;
    showFailure(deps, 'Threadwise could not read the history', error);
    return undefined;
  }
}

async function runWithProgress<T>(deps: ExportDeps, title: string, what: string, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => run(token));
  } catch (error) {
    const failure = toHistoryError(error);
    if (failure.reason === 'cancelled') {
      void vscode.window.showInformationMessage(`${what} cancelled; no file was changed.`);
      return undefined;
    }
    showFailure(deps, `${what} failed`, failure);
    return undefined;
  }
}

function showFailure(deps: ExportDeps, what: string, error: unknown): void {
  const failure = error instanceof HistoryRequestError ? error : toHistoryError(error);
  deps.log.warn(`${what}: ${failure.text}`);
  void vscode.window.showErrorMessage(`${what}: ${failure.text}`, 'Show Log').then((choice) => {
    if (choice) deps.log.show();
  });
}

/** The done message with "Reveal in File Explorer", and "Open" for text formats. */
async function offerFile(message: string, uri: vscode.Uri, format: ExportFormat): Promise<void> {
  const actions = format === 'parquet' ? ['Reveal in File Explorer'] : ['Reveal in File Explorer', 'Open'];
  const choice = await vscode.window.showInformationMessage(message, ...actions);
  if (choice === 'Reveal in File Explorer') await vscode.commands.executeCommand('revealFileInOS', uri);
  if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', uri);
}
