import * as vscode from 'vscode';
import type { Thread } from '../../../server/src/protocol';

/** Files the command offers and recognises as threads. */
export const THREAD_FILE_GLOB = '**/*.thread.json';
const THREAD_FILE_SUFFIX = '.thread.json';

/** A thread read from a file. The daemon validates it fully; here only what names the panel is checked. */
export interface ThreadFile {
  uri: vscode.Uri;
  /** Parsed JSON, sent to the daemon as is (it reports bad fields with their path). */
  thread: Thread;
  /** `owner/name#number`: one suggestion panel per key. */
  key: string;
  title: string;
}

/** A thread file that cannot be used; the message names the file and what is wrong. */
export class ThreadFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadFileError';
  }
}

export function isThreadFileName(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(THREAD_FILE_SUFFIX);
}

/**
 * Reads and parses a thread file. Unsaved edits in an open editor count (the document's text is
 * used when it is open). Throws ThreadFileError for unreadable files, invalid JSON and JSON that is
 * not an object with `repo` and `number`.
 */
export async function readThreadFile(uri: vscode.Uri): Promise<ThreadFile> {
  const name = vscode.workspace.asRelativePath(uri);
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
  let text: string;
  if (open) {
    text = open.getText();
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      throw new ThreadFileError(`Cannot read ${name}: ${(error as Error).message}`);
    }
  }
  return parseThreadText(text, uri, name);
}

export function parseThreadText(text: string, uri: vscode.Uri, name: string): ThreadFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ThreadFileError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ThreadFileError(`${name} does not hold a thread: expected a JSON object with repo, number, title, body and comments.`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record['repo'] !== 'string' || !Number.isInteger(record['number'])) {
    throw new ThreadFileError(`${name} does not hold a thread: "repo" (owner/name) and "number" are required.`);
  }
  const key = `${record['repo']}#${String(record['number'])}`;
  const title = typeof record['title'] === 'string' ? record['title'] : key;
  return { uri, thread: value as Thread, key, title };
}

/**
 * The thread file to use: the given one, else the active editor's when it is a thread file, else
 * one picked from the workspace's `*.thread.json` files. Undefined when the person cancels the pick.
 */
export async function resolveThreadFile(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isThreadFileName(active.uri)) return active.uri;
  const files = await vscode.workspace.findFiles(THREAD_FILE_GLOB, '**/node_modules/**', 500);
  if (files.length === 0) {
    throw new ThreadFileError('No thread to reply to: open a *.thread.json file, or add one to the workspace.');
  }
  files.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Threadwise: Suggest Reply', placeHolder: 'Pick the thread to draft a reply for', matchOnDescription: true },
  );
  return picked?.uri;
}
