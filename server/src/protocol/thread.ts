/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): the
 * Thread, an issue or pull request with its comments, close to GitHub's GraphQL shape. No messages
 * live here: the client sends a Thread in SuggestReplyRequest, the daemon returns one from
 * GitHubThreadRequest.
 */

/** GitHub's `CommentAuthorAssociation`. OWNER, MEMBER and COLLABORATOR count as maintainers. */
export type CommentAuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

/**
 * A GitHub repository as `owner/name`, by GitHub's naming rules (an owner starts with a letter or
 * digit and does not end with `-`): what the history's filters, exports and CLI options accept.
 */
export const REPO_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\/[A-Za-z0-9._-]+$/;

export interface ThreadAuthor {
  login: string;
  association: CommentAuthorAssociation;
}

export interface ThreadComment {
  author: ThreadAuthor;
  body: string;
  /** ISO-8601 timestamp. */
  createdAt: string;
  /** GitHub's node id, when the comment came from GitHub (needed to edit it). */
  id?: string;
  url?: string;
}

/** A file a pull request changes (from GitHub's `PullRequest.files`). */
export interface PullRequestFile {
  path: string;
  additions: number;
  deletions: number;
  /** GitHub's `PatchStatus`: ADDED, DELETED, RENAMED, COPIED, MODIFIED, CHANGED. */
  changeType: string;
}

/** A review conversation on a line of a pull request's diff. */
export interface ReviewThread {
  path: string;
  /** Line in the new version of the file; null when the thread is outdated. */
  line: number | null;
  /** The diff hunk the first comment was made on. */
  diffHunk: string;
  isResolved: boolean;
  isOutdated: boolean;
  /** Oldest first. */
  comments: ThreadComment[];
}

export interface Thread {
  /** `owner/name`. */
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  body: string;
  url?: string;
  state?: 'open' | 'closed' | 'merged';
  labels?: string[];
  author: ThreadAuthor;
  /** ISO-8601 timestamp. */
  createdAt: string;
  /** Oldest first. */
  comments: ThreadComment[];
  /** GitHub's node id of the issue or pull request (the `subjectId` of `addComment`). */
  id?: string;
  /** ISO-8601 timestamp of the last change on GitHub; the cache compares it to skip refetching. */
  updatedAt?: string;
  /** Pull requests fetched from GitHub: the changed files. */
  files?: PullRequestFile[];
  /** Pull requests fetched from GitHub: the review threads, with path, line and diff hunk. */
  reviewThreads?: ReviewThread[];
}
