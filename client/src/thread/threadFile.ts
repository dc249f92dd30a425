import * as vscode from 'vscode';
import type { Thread } from '../../../server/src/protocol';
import type { ThreadSource } from './threadSource';

/** Files the command offers and recognises as threads. */
export const THREAD_FILE_GLOB = '**/*.thread.json';
const THREAD_FILE_SUFFIX = '.thread.json';

/** A thread read from a file. The daemon validates it fully; here only what names the panel is checked. */
export interface ThreadFile extends ThreadSource {
  uri: vscode.Uri;
  /** Parsed JSON, sent to the daemon as is (it reports bad fields with their path). */
  thread: Thread;
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

/** The workspace's thread files (THREAD_FILE_GLOB, node_modules left out), sorted by relative path. */
export async function findThreadFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(THREAD_FILE_GLOB, '**/node_modules/**', 500);
  return files.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
}
