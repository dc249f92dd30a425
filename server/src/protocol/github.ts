/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): GitHub.
 * The daemon owns fetch, sync, cache and post; the client owns sign-in and the sidebar, and sends
 * every request here (client → daemon). The token travels only in GitHubSetAuthRequest and lives
 * only in the daemon's memory.
 */
import { ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { ThreadwiseErrorData } from './errors';
import type { Thread, ThreadAuthor } from './thread';

/** An issue or pull request on GitHub: `owner/name` and its number. */
export interface ThreadRefParams {
  repo: string;
  number: number;
}

/** The daemon's GitHub connection as the client and the status item see it. */
export interface GitHubAuthState {
  /** The GraphQL API root, e.g. `https://api.github.com` or `https://ghe.example.com/api`. */
  apiUrl: string;
  /** The signed-in account, or null without a token. */
  login: string | null;
}

export interface GitHubSetAuthParams {
  /** The user's token, or null after a sign-out (the daemon forgets the old one). */
  token: string | null;
  /** API root; default `https://api.github.com`. GitHub Enterprise Server: `https://HOST/api`. */
  apiUrl?: string;
}

/**
 * client → daemon. Hands the daemon the token (kept in memory only, never written or logged) and
 * checks it with a `viewer` query. Rejects with reason `github-auth` when GitHub refuses it.
 */
export namespace GitHubSetAuthRequest {
  export const method = 'threadwise/github/setAuth' as const;
  export const type = new ProtocolRequestType<GitHubSetAuthParams, GitHubAuthState, never, ThreadwiseErrorData, void>(method);
}

export type GitHubItemState = 'open' | 'closed' | 'merged';

/** One row of a list: enough to draw a tree item and to group it, not the whole thread. */
export interface GitHubListItem {
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  title: string;
  state: GitHubItemState;
  isDraft: boolean;
  url: string;
  labels: string[];
  /** Top-level comments (not review comments). */
  commentCount: number;
  /** ISO-8601. */
  updatedAt: string;
  author: ThreadAuthor;
  assignees: string[];
  /** Who wrote the newest comment; null when nobody has commented. */
  lastCommenter: ThreadAuthor | null;
}

export type GitHubGroupId = 'assigned' | 'mentioning' | 'created' | 'needsReply' | 'recent';

export interface GitHubGroup {
  id: GitHubGroupId;
  /** "Assigned to me", "Mentioning me", "Created by me", "Needs a reply", "Recently updated". */
  label: string;
  /** Newest update first. */
  items: GitHubListItem[];
}

export interface GitHubRepoListing {
  repo: string;
  /** In the order above; a group can be empty. */
  groups: GitHubGroup[];
  /** When the cache last synced with GitHub (ISO-8601); null when it never did. */
  syncedAt: string | null;
  /** True when this came from the cache because GitHub could not be reached or refused. */
  stale: boolean;
  /** Why it is stale, in words ("offline", "rate limited until 12:04", "signed out"). */
  staleReason?: string;
}

export interface GitHubListParams {
  repo: string;
  /** `cached`: no network; `incremental` (default): fetch what changed since the last sync; `full`: refetch all. */
  sync?: 'cached' | 'incremental' | 'full';
}

/** client → daemon. The grouped lists of one repository, synced first as asked. */
export namespace GitHubListRequest {
  export const method = 'threadwise/github/list' as const;
  export const type = new ProtocolRequestType<GitHubListParams, GitHubRepoListing, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubThreadParams extends ThreadRefParams {
  /** Refetch even when the cached copy matches the list's `updatedAt`. */
  refresh?: boolean;
}

export interface GitHubThreadResult {
  thread: Thread;
  /** True when GitHub could not be reached and this is the cached copy. */
  stale: boolean;
  staleReason?: string;
  /** When this copy was fetched (ISO-8601). */
  fetchedAt: string;
}

/** client → daemon. The full thread (all comments; PR files and review threads), from cache when current. */
export namespace GitHubThreadRequest {
  export const method = 'threadwise/github/thread' as const;
  export const type = new ProtocolRequestType<GitHubThreadParams, GitHubThreadResult, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubPostParams extends ThreadRefParams {
  /** The final text, exactly as the person confirmed it. */
  body: string;
}

export interface GitHubPostedComment {
  /** Node id: pass it to GitHubEditCommentRequest. */
  commentId: string;
  url: string;
  body: string;
  /** ISO-8601. */
  updatedAt: string;
}

/**
 * client → daemon. Posts a comment with `addComment`. Sent only after the person confirmed the
 * final text; the daemon never posts on its own.
 */
export namespace GitHubPostCommentRequest {
  export const method = 'threadwise/github/postComment' as const;
  export const type = new ProtocolRequestType<GitHubPostParams, GitHubPostedComment, never, ThreadwiseErrorData, void>(method);
}

export interface GitHubEditCommentParams {
  commentId: string;
  body: string;
}

/** client → daemon. Replaces the text of a comment posted earlier (`updateIssueComment`). */
export namespace GitHubEditCommentRequest {
  export const method = 'threadwise/github/editComment' as const;
  export const type = new ProtocolRequestType<GitHubEditCommentParams, GitHubPostedComment, never, ThreadwiseErrorData, void>(method);
}
