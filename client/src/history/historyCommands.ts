import * as vscode from 'vscode';
import type { HistoryClient } from './historyClient';
import { toHistoryError } from './historyClient';
import { clearQuestion } from './exportChoices';
import { entryDescription, recordIdOf, repositoryOf } from './historyTreeModel';

/** Records offered by "Explain this suggestion" from the palette. */
export const EXPLAIN_PICK_LIMIT = 50;

/**
 * The record id a command argument names, or one picked from the latest EXPLAIN_PICK_LIMIT
 * records; undefined when cancelled, when there is none (said), or when the history cannot be read (said).
 */
export async function recordIdFromArgument(client: HistoryClient, arg: unknown, now: Date = new Date()): Promise<string | undefined> {
  const id = recordIdOf(arg);
  if (id !== undefined) return id;
  let entries;
  try {
    entries = (await client.list({ limit: EXPLAIN_PICK_LIMIT })).entries;
  } catch (error) {
    void vscode.window.showErrorMessage(`Threadwise could not read the history: ${toHistoryError(error).text}`);
    return undefined;
  }
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No suggestions recorded yet: suggest a reply to a thread first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({ label: `#${entry.number} ${entry.title.replace(/\s+/g, ' ').slice(0, 200)}`, description: entry.repo, detail: entryDescription(entry, now), id: entry.id })),
    { title: 'Explain Which Suggestion?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

/**
 * "Clear History": a modal asking to delete every record (with the option of only one repository's
 * when run on a repository row), then the daemon deletes them. Resolves with how many were deleted
 * (0 when cancelled or nothing was there).
 */
export async function clearHistory(client: HistoryClient, arg?: unknown): Promise<number> {
  let repos;
  try {
    repos = await client.repositories();
  } catch (error) {
    void vscode.window.showErrorMessage(`Threadwise could not read the history: ${toHistoryError(error).text}`);
    return 0;
  }
  const total = repos.reduce((sum, repo) => sum + repo.count, 0);
  if (total === 0) {
    void vscode.window.showInformationMessage('There are no recorded suggestions to delete.');
    return 0;
  }
  const asked = repositoryOf(arg);
  const current = asked ? repos.find((repo) => repo.repo === asked.repo) : undefined;
  const question = clearQuestion(total, current ? { repo: current.repo, count: current.count } : undefined);
  const buttons = question.one ? [question.one, question.all] : [question.all];
  const choice = await vscode.window.showWarningMessage(question.message, { modal: true }, ...buttons);
  if (choice === undefined) return 0;
  const repo = choice === question.one ? current?.repo : undefined;
  try {
    const { deleted } = await client.clear(repo);
    void vscode.window.showInformationMessage(`Deleted ${deleted} recorded ${deleted === 1 ? 'suggestion' : 'suggestions'}${repo ? ` of ${repo}` : ''}.`);
    return deleted;
  } catch (error) {
    void vscode.window.showErrorMessage(`Threadwise could not clear the history: ${toHistoryError(error).text}`);
    return 0;
  }
}
