/**
 * Messages between the thread view (a read-only GitHub issue or pull request) and its host (the
 * extension's ThreadViewPanel), as discriminated unions keyed by `type`.
 *
 * Handshake: the page posts `ready` once its DOM is built (again after every reload, e.g. when a
 * hidden panel is shown again); the host answers every `ready` with `state`, the whole view, and
 * sends a new `state` whenever it changes (loading, loaded, failed). Nothing else goes to the page.
 *
 * Every string in a thread was written by strangers: the page renders comment bodies only through
 * the sanitizer (render/sanitize.ts) and everything else as text.
 */

export interface ThreadViewAuthor {
  login: string;
  /** GitHub's author association (OWNER, MEMBER, CONTRIBUTOR, NONE, …). */
  association: string;
}

export interface ThreadViewComment {
  author: ThreadViewAuthor;
  /** Markdown. */
  body: string;
  /** ISO-8601. */
  createdAt: string;
  url?: string;
}

export interface ThreadViewFile {
  path: string;
  additions: number;
  deletions: number;
  /** ADDED, DELETED, RENAMED, COPIED, MODIFIED, CHANGED. */
  changeType: string;
}

export interface ThreadViewReviewThread {
  path: string;
  /** Null when the thread is outdated. */
  line: number | null;
  diffHunk: string;
  isResolved: boolean;
  isOutdated: boolean;
  comments: ThreadViewComment[];
}

export interface ThreadViewThread {
  /** `owner/name#number`. */
  ref: string;
  kind: 'issue' | 'pull';
  title: string;
  url?: string;
  state?: 'open' | 'closed' | 'merged';
  labels: string[];
  author: ThreadViewAuthor;
  createdAt: string;
  /** The opening post (Markdown). */
  body: string;
  /** Oldest first. */
  comments: ThreadViewComment[];
  /** Pull requests: the changed files. */
  files?: ThreadViewFile[];
  /** Pull requests: review conversations on lines of the diff. */
  reviewThreads?: ThreadViewReviewThread[];
}

/** Everything the page shows. */
export interface ThreadViewState {
  /** `owner/name#number`, known before the thread is. */
  ref: string;
  /** The last thread fetched; kept while a refresh runs or after it failed. */
  thread?: ThreadViewThread;
  loading: boolean;
  /** Why the last fetch failed. */
  error?: { message: string; hint?: string };
  /** Set when the thread is the cached copy because GitHub could not be reached. */
  stale?: { reason: string };
  /** When the shown copy was fetched (ISO-8601). */
  fetchedAt?: string;
}

/** host → page */
export type ToThreadView = { type: 'state'; state: ThreadViewState };

/** page → host */
export type FromThreadView =
  | { type: 'ready' }
  /** Draft a reply to this thread in the suggestion panel. */
  | { type: 'suggestReply' }
  /** Fetch the thread again from GitHub. */
  | { type: 'refresh' };
