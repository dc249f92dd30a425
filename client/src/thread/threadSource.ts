import type * as vscode from 'vscode';
import type { Thread } from '../../../server/src/protocol';

/**
 * A thread to draft a reply for, wherever it came from: a `*.thread.json` file (`uri` set; a
 * ThreadFile is one) or GitHub (fetched by the daemon; no `uri`).
 */
export interface ThreadSource {
  /** `owner/name#number`: one suggestion panel per key. */
  key: string;
  title: string;
  /** Sent to the daemon as is. */
  thread: Thread;
  /** The file it was read from, when it was read from one. */
  uri?: vscode.Uri;
}

/** A thread fetched from GitHub, as a source for the suggestion panel. */
export function threadSourceFromGitHub(thread: Thread): ThreadSource {
  const key = `${thread.repo}#${thread.number}`;
  return { key, title: thread.title || key, thread };
}
