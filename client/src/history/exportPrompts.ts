import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ExportDisposition } from '../../../server/src/protocol';
import { DISPOSITIONS, dispositionQuestion, parseSinceDate, SINCE_CHOICES, sinceOf, withExtension } from './exportChoices';

/**
 * The questions the export commands ask, one function each; every one resolves with undefined
 * when the person backs out (Escape, Cancel), so a command stops without a message.
 */

/** `{ repo }` picked (undefined repo: all of them), or undefined when cancelled. */
export async function pickRepository(title: string, repos: readonly string[], allDetail: string): Promise<{ repo: string | undefined } | undefined> {
  if (repos.length === 0) return { repo: undefined };
  const items: Array<vscode.QuickPickItem & { repo: string | undefined }> = [
    { label: 'All repositories', detail: allDetail, repo: undefined },
    ...repos.map((repo) => ({ label: repo, repo })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which repository?' });
  return picked ? { repo: picked.repo } : undefined;
}

/** `{ since }` picked (undefined since: all time), or undefined when cancelled. A custom date is validated as typed. */
export async function pickSince(title: string, now: Date): Promise<{ since: string | undefined } | undefined> {
  const picked = await vscode.window.showQuickPick(
    SINCE_CHOICES.map((entry) => ({ label: entry.label, choice: entry.choice })),
    { title, placeHolder: 'Which records? (by the day they were made)' },
  );
  if (!picked) return undefined;
  if (picked.choice.kind !== 'custom') return { since: sinceOf(picked.choice, now) };
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'Only records made on or after this day (UTC), as YYYY-MM-DD.',
    placeHolder: now.toISOString().slice(0, 10),
    validateInput: (input) => {
      const parsed = parseSinceDate(input, now);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (typed === undefined) return undefined;
  const parsed = parseSinceDate(typed, now);
  return parsed.ok ? { since: parsed.since } : undefined;
}

/**
 * A save dialog for `fileName` in the first workspace folder (else the home folder), filtered to
 * `ext`; the path gets `.ext` when the person left it off. Only files on this machine: the daemon
 * writes them.
 */
export async function pickFile(title: string, fileName: string, ext: string, filterName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri ?? vscode.Uri.file(homedir());
  const uri = await vscode.window.showSaveDialog({
    title,
    defaultUri: vscode.Uri.joinPath(folder, fileName),
    filters: { [filterName]: [ext] },
    saveLabel: 'Export',
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`Threadwise writes exports on this machine only; ${uri.toString(true)} is not a local file.`);
    return undefined;
  }
  return vscode.Uri.file(withExtension(uri.fsPath, ext));
}

/**
 * What to do with `uri` when it exists: a modal with Replace, Append and Merge (Cancel: undefined).
 * A file that does not exist is written anew (`replace`).
 */
export async function pickDisposition(uri: vscode.Uri, mergeKey: 'suggestion id' | 'example id'): Promise<ExportDisposition | undefined> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return 'replace';
  }
  const name = uri.path.split('/').at(-1) ?? uri.fsPath;
  const question = dispositionQuestion(name, mergeKey);
  const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...DISPOSITIONS.map((entry) => entry.button));
  return DISPOSITIONS.find((entry) => entry.button === choice)?.disposition;
}
