// The fake GitHub's data model: what the builders take (`…Init`) and what the store holds
// (`Fixture…`). Stored objects are plain and mutable, so a test can read them for assertions or
// change them directly (then call `store.touch()` to bump `updatedAt`, as an edit on GitHub would).
// Timestamps are GitHub DateTimes (`2024-01-15T09:00:00Z`).
import type { CommentAuthorAssociation } from '../../../server/src/protocol';

export type { CommentAuthorAssociation };

/** The roles that count as maintainers (OWNER, MEMBER, COLLABORATOR). */
export type MaintainerRole = 'OWNER' | 'MEMBER' | 'COLLABORATOR';

/** GitHub's `PatchStatus`. */
export type PatchStatus = 'ADDED' | 'CHANGED' | 'COPIED' | 'DELETED' | 'MODIFIED' | 'RENAMED';

export interface CommentInit {
  author: string;
  /** Default: the author's role in the repository's maintainers map, else NONE. */
  authorAssociation?: CommentAuthorAssociation;
  body: string;
  /** Default: one minute after the latest timestamp in the store (so fixtures stay in order). */
  createdAt?: string;
}

export interface IssueInit {
  /** Default: the repository's next number (issues and pull requests share one sequence). */
  number?: number;
  title: string;
  body?: string;
  author: string;
  authorAssociation?: CommentAuthorAssociation;
  state?: 'OPEN' | 'CLOSED';
  labels?: string[];
  assignees?: string[];
  createdAt?: string;
  /** Default: the newest of createdAt and the comments' createdAt. */
  updatedAt?: string;
  /** Default for a closed thread: its updatedAt. */
  closedAt?: string;
  /** Oldest first. */
  comments?: CommentInit[];
}

export interface FileInit {
  path: string;
  additions: number;
  deletions: number;
  changeType: PatchStatus;
}

export interface ReviewThreadInit {
  path: string;
  /** Line in the new version of the file (`originalLine`; `line` is null once outdated). */
  line: number;
  diffHunk: string;
  isResolved?: boolean;
  isOutdated?: boolean;
  /** Oldest first; the first one opens the thread. */
  comments: CommentInit[];
}

export interface PullInit extends IssueInit {
  files?: FileInit[];
  reviewThreads?: ReviewThreadInit[];
  /** A merged pull request has state MERGED (and is closed). */
  merged?: boolean;
  mergedAt?: string;
  isDraft?: boolean;
  /** Default `main`. */
  baseRefName?: string;
  /** Default `feature/<number>`. */
  headRefName?: string;
}

export interface FixtureRepo {
  readonly kind: 'repo';
  readonly id: string;
  readonly databaseId: number;
  readonly owner: string;
  readonly name: string;
  readonly nameWithOwner: string;
  readonly url: string;
  readonly createdAt: string;
  /** login → role; everyone else is NONE (or what a fixture says). */
  readonly maintainers: Map<string, MaintainerRole>;
}

/**
 * What issues, pull requests and both kinds of comment share (GitHub's `Comment` interface: an
 * authored, dated body), placed by the issue or pull request it is or belongs to.
 */
export interface FixtureAuthored {
  readonly id: string;
  readonly databaseId: number;
  /** `owner/name` and number of the issue or pull request (its own, for a thread). */
  readonly repo: string;
  readonly number: number;
  readonly url: string;
  author: string;
  authorAssociation: CommentAuthorAssociation;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FixtureComment extends FixtureAuthored {
  readonly kind: 'comment';
  /** Set by an edit (`updateIssueComment`). */
  lastEditedAt: string | null;
}

interface FixtureThreadBase extends FixtureAuthored {
  title: string;
  labels: string[];
  assignees: string[];
  closedAt: string | null;
  /** Top-level comments, oldest first. */
  comments: FixtureComment[];
}

export interface FixtureIssue extends FixtureThreadBase {
  readonly kind: 'issue';
  state: 'OPEN' | 'CLOSED';
}

export interface FixtureFile extends FileInit {
  readonly kind: 'file';
}

export interface FixtureReviewComment extends FixtureAuthored {
  readonly kind: 'reviewComment';
  readonly path: string;
  readonly diffHunk: string;
  /** Null when the thread is outdated. */
  line: number | null;
  readonly originalLine: number;
}

export interface FixtureReviewThread {
  readonly kind: 'reviewThread';
  readonly id: string;
  readonly repo: string;
  readonly number: number;
  readonly path: string;
  /** Null when outdated. */
  line: number | null;
  readonly originalLine: number;
  readonly diffSide: 'LEFT' | 'RIGHT';
  readonly diffHunk: string;
  isResolved: boolean;
  isOutdated: boolean;
  comments: FixtureReviewComment[];
}

export interface FixturePull extends FixtureThreadBase {
  readonly kind: 'pull';
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  merged: boolean;
  mergedAt: string | null;
  baseRefName: string;
  headRefName: string;
  files: FixtureFile[];
  reviewThreads: FixtureReviewThread[];
}

export type FixtureThread = FixtureIssue | FixturePull;

export interface FixtureUser {
  readonly kind: 'user';
  readonly id: string;
  readonly databaseId: number;
  readonly login: string;
}

/** Everything `node(id)` can find. */
export type FixtureNode = FixtureRepo | FixtureIssue | FixturePull | FixtureComment | FixtureReviewThread | FixtureReviewComment | FixtureUser;

/** One comment as `/_fake/state` and the state file show it. */
export interface FakeStateComment {
  id: string;
  author: string;
  authorAssociation: CommentAuthorAssociation;
  body: string;
  createdAt: string;
  updatedAt: string;
  url: string;
}

/**
 * JSON of `GET /_fake/state` and of serve.ts's `--state-file`: every thread's top-level comments,
 * keyed `owner/name#number`, oldest first.
 */
export interface FakeState {
  threads: Record<string, { repo: string; number: number; kind: 'issue' | 'pull'; updatedAt: string; comments: FakeStateComment[] }>;
}
