/**
 * Every GraphQL document Threadwise sends to GitHub, as named operations, with the types of their
 * answers. A unit test validates each exported document against GitHub's published schema
 * (@octokit/graphql-schema), so only fields GitHub has can appear here.
 *
 * Every query asks for `rateLimit` so the client can slow down before the budget runs out
 * (mutations cannot: the `Mutation` type has no `rateLimit`; the `x-ratelimit-*` headers serve then).
 * The answers are checked by the validators in `responses.ts` before anything uses them.
 */

const RATE_LIMIT = 'rateLimit { cost remaining resetAt limit }';

/** What a list row needs; `comments(last: 1)` tells who spoke last (for "Needs a reply"). */
const LIST_ITEM_FIELDS = `
  __typename number title url updatedAt
  author { login }
  authorAssociation
  assignees(first: 10) { nodes { login } }
  labels(first: 20) { nodes { name } }
  comments(last: 1) { totalCount nodes { author { login } authorAssociation } }`;

// `state` is aliased per type: IssueState and PullRequestState may not share a name in one selection.
const LIST_ISSUE_FRAGMENT = `
fragment ListIssueFields on Issue {${LIST_ITEM_FIELDS}
  issueState: state
}`;

const LIST_PULL_REQUEST_FRAGMENT = `
fragment ListPullRequestFields on PullRequest {${LIST_ITEM_FIELDS}
  pullRequestState: state
  isDraft
}`;

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

const COMMENT_FIELDS = 'id url body createdAt author { login } authorAssociation';

const COMMENT_PAGE_FRAGMENT = `
fragment CommentPageFields on IssueCommentConnection {
  totalCount
  ${PAGE_INFO}
  nodes { ${COMMENT_FIELDS} }
}`;

const FILE_PAGE_FRAGMENT = `
fragment FilePageFields on PullRequestChangedFileConnection {
  ${PAGE_INFO}
  nodes { path additions deletions changeType }
}`;

const REVIEW_COMMENT_PAGE_FRAGMENT = `
fragment ReviewCommentPageFields on PullRequestReviewCommentConnection {
  ${PAGE_INFO}
  nodes { ${COMMENT_FIELDS} diffHunk }
}`;

/** Uses ReviewCommentPageFields: send both. */
const REVIEW_THREAD_PAGE_FRAGMENT = `
fragment ReviewThreadPageFields on PullRequestReviewThreadConnection {
  ${PAGE_INFO}
  nodes {
    id path line isResolved isOutdated
    comments(first: 100) { ...ReviewCommentPageFields }
  }
}`;

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/** Who the token belongs to (checks the token). */
export const VIEWER_QUERY = `query Viewer {
  viewer { login }
  ${RATE_LIMIT}
}`;

/** One page of a repository's issues, newest update first, updated since `$since` (null: all). */
export const REPO_ISSUES_QUERY = `query RepoIssues($owner: String!, $name: String!, $first: Int!, $cursor: String, $since: DateTime) {
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $cursor, orderBy: {field: UPDATED_AT, direction: DESC}, filterBy: {since: $since}) {
      ${PAGE_INFO}
      nodes { ...ListIssueFields }
    }
  }
  ${RATE_LIMIT}
}
${LIST_ISSUE_FRAGMENT}`;

/** One page of a repository's pull requests, newest update first (GitHub has no `since` filter for them). */
export const REPO_PULL_REQUESTS_QUERY = `query RepoPullRequests($owner: String!, $name: String!, $first: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $cursor, orderBy: {field: UPDATED_AT, direction: DESC}) {
      ${PAGE_INFO}
      nodes { ...ListPullRequestFields }
    }
  }
  ${RATE_LIMIT}
}
${LIST_PULL_REQUEST_FRAGMENT}`;

/** Open issues and pull requests that mention the viewer: `repo:O/N is:open mentions:@me`. */
export const REPO_MENTIONS_QUERY = `query RepoMentions($searchQuery: String!) {
  search(query: $searchQuery, type: ISSUE, first: 100) {
    issueCount
    nodes {
      __typename
      ...ListIssueFields
      ...ListPullRequestFields
    }
  }
  ${RATE_LIMIT}
}
${LIST_ISSUE_FRAGMENT}${LIST_PULL_REQUEST_FRAGMENT}`;

/** A whole thread's first page of everything: comments, and for pull requests files and review threads. */
export const THREAD_QUERY = `query Thread($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue {
        id number title body url createdAt updatedAt
        issueState: state
        author { login }
        authorAssociation
        labels(first: 50) { nodes { name } }
        comments(first: 100) { ...CommentPageFields }
      }
      ... on PullRequest {
        id number title body url createdAt updatedAt
        pullRequestState: state
        author { login }
        authorAssociation
        labels(first: 50) { nodes { name } }
        comments(first: 100) { ...CommentPageFields }
        files(first: 100) { ...FilePageFields }
        reviewThreads(first: 50) { ...ReviewThreadPageFields }
      }
    }
  }
  ${RATE_LIMIT}
}
${COMMENT_PAGE_FRAGMENT}${FILE_PAGE_FRAGMENT}${REVIEW_THREAD_PAGE_FRAGMENT}${REVIEW_COMMENT_PAGE_FRAGMENT}`;

/** The next 100 top-level comments of an issue or pull request. */
export const THREAD_COMMENTS_QUERY = `query ThreadComments($owner: String!, $name: String!, $number: Int!, $cursor: String!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue { comments(first: 100, after: $cursor) { ...CommentPageFields } }
      ... on PullRequest { comments(first: 100, after: $cursor) { ...CommentPageFields } }
    }
  }
  ${RATE_LIMIT}
}
${COMMENT_PAGE_FRAGMENT}`;

/** The next 100 changed files of a pull request. */
export const PULL_REQUEST_FILES_QUERY = `query PullRequestFiles($owner: String!, $name: String!, $number: Int!, $cursor: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      files(first: 100, after: $cursor) { ...FilePageFields }
    }
  }
  ${RATE_LIMIT}
}
${FILE_PAGE_FRAGMENT}`;

/** The next 50 review threads of a pull request. */
export const PULL_REQUEST_REVIEW_THREADS_QUERY = `query PullRequestReviewThreads($owner: String!, $name: String!, $number: Int!, $cursor: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 50, after: $cursor) { ...ReviewThreadPageFields }
    }
  }
  ${RATE_LIMIT}
}
${REVIEW_THREAD_PAGE_FRAGMENT}${REVIEW_COMMENT_PAGE_FRAGMENT}`;

/** The next 100 comments of one review thread (a thread with more than 100 comments). */
export const REVIEW_THREAD_COMMENTS_QUERY = `query ReviewThreadComments($threadId: ID!, $cursor: String!) {
  node(id: $threadId) {
    __typename
    ... on PullRequestReviewThread {
      comments(first: 100, after: $cursor) { ...ReviewCommentPageFields }
    }
  }
  ${RATE_LIMIT}
}
${REVIEW_COMMENT_PAGE_FRAGMENT}`;

/** The node id of an issue or pull request (the `subjectId` of `addComment`). */
export const SUBJECT_ID_QUERY = `query SubjectId($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue { id }
      ... on PullRequest { id }
    }
  }
  ${RATE_LIMIT}
}`;

/** Posts a top-level comment on an issue or pull request. */
export const ADD_COMMENT_MUTATION = `mutation AddComment($subjectId: ID!, $body: String!) {
  addComment(input: {subjectId: $subjectId, body: $body}) {
    commentEdge {
      node { ${COMMENT_FIELDS} updatedAt }
    }
  }
}`;

/** Replaces the text of a top-level comment; answers with where the comment lives. */
export const UPDATE_ISSUE_COMMENT_MUTATION = `mutation UpdateIssueComment($commentId: ID!, $body: String!) {
  updateIssueComment(input: {id: $commentId, body: $body}) {
    issueComment {
      ${COMMENT_FIELDS} updatedAt
      issue { number }
      repository { nameWithOwner }
    }
  }
}`;

// ---------------------------------------------------------------------------------------------
// Answers (the `data` of each document), as `responses.ts` checks them
// ---------------------------------------------------------------------------------------------

export interface RateLimitData {
  cost: number;
  remaining: number;
  /** ISO-8601. */
  resetAt: string;
  limit: number;
}

/** An `Actor`; GitHub answers null for a deleted account ("ghost"). */
export type ActorData = { login: string } | null;

export interface PageInfoData {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ViewerResponse {
  viewer: { login: string };
  rateLimit: RateLimitData | null;
}

export interface ListItemNode {
  __typename: 'Issue' | 'PullRequest';
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  url: string;
  updatedAt: string;
  author: ActorData;
  authorAssociation: string;
  /** Pull requests only; false for issues. */
  isDraft: boolean;
  assignees: string[];
  labels: string[];
  commentCount: number;
  lastComment: { author: ActorData; authorAssociation: string } | null;
}

export interface ListPage {
  pageInfo: PageInfoData;
  nodes: ListItemNode[];
}

/** RepoIssues and RepoPullRequests; `page` is null when the repository does not exist or is hidden. */
export interface RepoListResponse {
  page: ListPage | null;
  rateLimit: RateLimitData | null;
}

export interface RepoMentionsResponse {
  issueCount: number;
  nodes: ListItemNode[];
  rateLimit: RateLimitData | null;
}

export interface CommentNode {
  id: string;
  url: string;
  body: string;
  createdAt: string;
  author: ActorData;
  authorAssociation: string;
}

export interface CommentPage {
  totalCount: number;
  pageInfo: PageInfoData;
  nodes: CommentNode[];
}

export interface FileNode {
  path: string;
  additions: number;
  deletions: number;
  changeType: string;
}

export interface FilePage {
  pageInfo: PageInfoData;
  nodes: FileNode[];
}

export interface ReviewCommentNode extends CommentNode {
  diffHunk: string;
}

export interface ReviewCommentPage {
  pageInfo: PageInfoData;
  nodes: ReviewCommentNode[];
}

export interface ReviewThreadNode {
  id: string;
  path: string;
  line: number | null;
  isResolved: boolean;
  isOutdated: boolean;
  comments: ReviewCommentPage;
}

export interface ReviewThreadPage {
  pageInfo: PageInfoData;
  nodes: ReviewThreadNode[];
}

export interface ThreadNode {
  __typename: 'Issue' | 'PullRequest';
  id: string;
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  createdAt: string;
  updatedAt: string;
  author: ActorData;
  authorAssociation: string;
  labels: string[];
  comments: CommentPage;
  /** Pull requests only. */
  files: FilePage | null;
  /** Pull requests only. */
  reviewThreads: ReviewThreadPage | null;
}

/** Thread; `repositoryFound` false when the repository does not exist, `thread` null when the number does not. */
export interface ThreadResponse {
  repositoryFound: boolean;
  thread: ThreadNode | null;
  rateLimit: RateLimitData | null;
}

/** ThreadComments, PullRequestFiles, PullRequestReviewThreads, ReviewThreadComments: one more page, or null when gone. */
export interface NextPageResponse<P> {
  page: P | null;
  rateLimit: RateLimitData | null;
}

export interface SubjectIdResponse {
  repositoryFound: boolean;
  id: string | null;
  rateLimit: RateLimitData | null;
}

export interface PostedCommentNode extends CommentNode {
  updatedAt: string;
}

export interface AddCommentResponse {
  comment: PostedCommentNode;
}

export interface UpdateIssueCommentResponse {
  comment: PostedCommentNode;
  /** `owner/name` of the repository the comment lives in. */
  repo: string;
  number: number;
}
