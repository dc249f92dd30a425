/**
 * The operations the client sends: each pairs a document from `queries.ts` with the validator of
 * its answer. A validator takes GraphQL's `data` (unknown JSON) and returns the typed answer of
 * `queries.ts`, or throws a ShapeError naming the first missing or mistyped field, so a bad answer
 * never reaches the cache.
 */
import {
  ADD_COMMENT_MUTATION,
  PULL_REQUEST_FILES_QUERY,
  PULL_REQUEST_REVIEW_THREADS_QUERY,
  REPO_ISSUES_QUERY,
  REPO_MENTIONS_QUERY,
  REPO_PULL_REQUESTS_QUERY,
  REVIEW_THREAD_COMMENTS_QUERY,
  SUBJECT_ID_QUERY,
  THREAD_COMMENTS_QUERY,
  THREAD_QUERY,
  UPDATE_ISSUE_COMMENT_MUTATION,
  VIEWER_QUERY,
} from './queries';
import type {
  ActorData,
  AddCommentResponse,
  CommentNode,
  CommentPage,
  FilePage,
  ListItemNode,
  ListPage,
  NextPageResponse,
  PageInfoData,
  PostedCommentNode,
  RateLimitData,
  RepoListResponse,
  RepoMentionsResponse,
  ReviewCommentNode,
  ReviewCommentPage,
  ReviewThreadPage,
  SubjectIdResponse,
  ThreadNode,
  ThreadResponse,
  UpdateIssueCommentResponse,
  ViewerResponse,
} from './queries';
import { bool, fields, int, isoTime, literal, nodes, nullable, raw, str } from './shape';
import type { Check, Fields } from './shape';

/** A document and the validator of its `data`. */
export interface Operation<T> {
  /** The operation name in the document (`query Viewer` → `Viewer`). */
  name: string;
  document: string;
  parse: Check<T>;
}

// ---------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------

const rateLimit: Check<RateLimitData | null> = nullable((value, path) => {
  const f = fields(value, path);
  return { cost: f('cost', int), remaining: f('remaining', int), resetAt: f('resetAt', isoTime), limit: f('limit', int) };
});

/** The `rateLimit` of a query's data when it has a well-formed one (mutations have none). */
export function readRateLimit(data: unknown): RateLimitData | null {
  try {
    return fields(data, 'data')('rateLimit', rateLimit);
  } catch {
    return null; // the operation's own validator reports a broken one
  }
}

const actor: Check<ActorData> = nullable((value, path) => ({ login: fields(value, path)('login', str) }));

const pageInfo: Check<PageInfoData> = (value, path) => {
  const f = fields(value, path);
  return { hasNextPage: f('hasNextPage', bool), endCursor: f('endCursor', nullable(str)) };
};

/** `labels(first: n) { nodes { name } }`; GitHub's LabelConnection itself is nullable. */
const labelNames: Check<string[]> = (value, path) => {
  if (value === null) return [];
  return fields(value, path)('nodes', nodes((label, at) => fields(label, at)('name', str)));
};

const logins: Check<string[]> = (value, path) => fields(value, path)('nodes', nodes((user, at) => fields(user, at)('login', str)));

const issueState = literal('OPEN', 'CLOSED');
const pullRequestState = literal('OPEN', 'CLOSED', 'MERGED');
const typename = literal('Issue', 'PullRequest');

function state(f: Fields, kind: 'Issue' | 'PullRequest'): 'OPEN' | 'CLOSED' | 'MERGED' {
  return kind === 'Issue' ? f('issueState', issueState) : f('pullRequestState', pullRequestState);
}

const listItem: Check<ListItemNode> = (value, path) => {
  const f = fields(value, path);
  const kind = f('__typename', typename);
  const comments = f.nested('comments');
  const last = comments('nodes', nodes((node, at) => {
    const c = fields(node, at);
    return { author: c('author', actor), authorAssociation: c('authorAssociation', str) };
  }));
  return {
    __typename: kind,
    number: f('number', int),
    title: f('title', str),
    state: state(f, kind),
    url: f('url', str),
    updatedAt: f('updatedAt', isoTime),
    author: f('author', actor),
    authorAssociation: f('authorAssociation', str),
    isDraft: kind === 'PullRequest' ? f('isDraft', bool) : false,
    assignees: f('assignees', logins),
    labels: f('labels', labelNames),
    commentCount: comments('totalCount', int),
    lastComment: last.at(-1) ?? null,
  };
};

const listPage: Check<ListPage> = (value, path) => {
  const f = fields(value, path);
  return { pageInfo: f('pageInfo', pageInfo), nodes: f('nodes', nodes(listItem)) };
};

const commentNode: Check<CommentNode> = (value, path) => {
  const f = fields(value, path);
  return {
    id: f('id', str),
    url: f('url', str),
    body: f('body', str),
    createdAt: f('createdAt', isoTime),
    author: f('author', actor),
    authorAssociation: f('authorAssociation', str),
  };
};

const postedComment: Check<PostedCommentNode> = (value, path) => ({ ...commentNode(value, path), updatedAt: fields(value, path)('updatedAt', isoTime) });

const commentPage: Check<CommentPage> = (value, path) => {
  const f = fields(value, path);
  return { totalCount: f('totalCount', int), pageInfo: f('pageInfo', pageInfo), nodes: f('nodes', nodes(commentNode)) };
};

const filePage: Check<FilePage> = (value, path) => {
  const f = fields(value, path);
  return {
    pageInfo: f('pageInfo', pageInfo),
    nodes: f('nodes', nodes((file, at) => {
      const g = fields(file, at);
      return { path: g('path', str), additions: g('additions', int), deletions: g('deletions', int), changeType: g('changeType', str) };
    })),
  };
};

const reviewComment: Check<ReviewCommentNode> = (value, path) => ({ ...commentNode(value, path), diffHunk: fields(value, path)('diffHunk', str) });

const reviewCommentPage: Check<ReviewCommentPage> = (value, path) => {
  const f = fields(value, path);
  return { pageInfo: f('pageInfo', pageInfo), nodes: f('nodes', nodes(reviewComment)) };
};

const reviewThreadPage: Check<ReviewThreadPage> = (value, path) => {
  const f = fields(value, path);
  return {
    pageInfo: f('pageInfo', pageInfo),
    nodes: f('nodes', nodes((thread, at) => {
      const g = fields(thread, at);
      return {
        id: g('id', str),
        path: g('path', str),
        line: g('line', nullable(int)),
        isResolved: g('isResolved', bool),
        isOutdated: g('isOutdated', bool),
        comments: g('comments', reviewCommentPage),
      };
    })),
  };
};

const threadNode: Check<ThreadNode> = (value, path) => {
  const f = fields(value, path);
  const kind = f('__typename', typename);
  return {
    __typename: kind,
    id: f('id', str),
    number: f('number', int),
    title: f('title', str),
    body: f('body', str),
    url: f('url', str),
    state: state(f, kind),
    createdAt: f('createdAt', isoTime),
    updatedAt: f('updatedAt', isoTime),
    author: f('author', actor),
    authorAssociation: f('authorAssociation', str),
    labels: f('labels', labelNames),
    comments: f('comments', commentPage),
    // PullRequest.files is nullable in the schema (GitHub gives null when the diff is too large).
    files: kind === 'PullRequest' ? f('files', nullable(filePage)) : null,
    reviewThreads: kind === 'PullRequest' ? f('reviewThreads', reviewThreadPage) : null,
  };
};

/** `repository { <key> }`: `found` false when the repository is null (missing or hidden), `value` null when the key is. */
function inRepository<T>(data: unknown, key: string, check: Check<T>): { found: boolean; value: T | null } {
  const repository = fields(data, 'data')('repository', nullable(raw));
  if (repository === null) return { found: false, value: null };
  return { found: true, value: fields(repository, 'data.repository')(key, nullable(check)) };
}

/** `issueOrPullRequest { __typename ... on Issue { <key> } ... on PullRequest { <key> } }`. */
function subjectField<T>(key: string, check: Check<T>): Check<T> {
  return (value, path) => {
    const f = fields(value, path);
    f('__typename', typename);
    return f(key, check);
  };
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export const viewerOperation: Operation<ViewerResponse> = {
  name: 'Viewer',
  document: VIEWER_QUERY,
  parse: (data) => {
    const f = fields(data, 'data');
    return { viewer: { login: f.nested('viewer')('login', str) }, rateLimit: f('rateLimit', rateLimit) };
  },
};

function repoListOperation(name: string, document: string, key: 'issues' | 'pullRequests'): Operation<RepoListResponse> {
  return {
    name,
    document,
    parse: (data) => {
      const f = fields(data, 'data');
      const repository = f('repository', nullable(raw));
      // The connection itself is non-null in the schema: under an existing repository it must be there.
      const page = repository === null ? null : fields(repository, 'data.repository')(key, listPage);
      return { page, rateLimit: f('rateLimit', rateLimit) };
    },
  };
}

export const repoIssuesOperation = repoListOperation('RepoIssues', REPO_ISSUES_QUERY, 'issues');
export const repoPullRequestsOperation = repoListOperation('RepoPullRequests', REPO_PULL_REQUESTS_QUERY, 'pullRequests');

export const repoMentionsOperation: Operation<RepoMentionsResponse> = {
  name: 'RepoMentions',
  document: REPO_MENTIONS_QUERY,
  parse: (data) => {
    const f = fields(data, 'data');
    const search = f.nested('search');
    // The search type is ISSUE, so every result is an Issue or a PullRequest.
    return { issueCount: search('issueCount', int), nodes: search('nodes', nodes(listItem)), rateLimit: f('rateLimit', rateLimit) };
  },
};

export const threadOperation: Operation<ThreadResponse> = {
  name: 'Thread',
  document: THREAD_QUERY,
  parse: (data) => {
    const { found, value } = inRepository(data, 'issueOrPullRequest', threadNode);
    return { repositoryFound: found, thread: value, rateLimit: fields(data, 'data')('rateLimit', rateLimit) };
  },
};

function nextPageOperation<P>(name: string, document: string, path: (data: unknown) => P | null): Operation<NextPageResponse<P>> {
  return { name, document, parse: (data) => ({ page: path(data), rateLimit: fields(data, 'data')('rateLimit', rateLimit) }) };
}

export const threadCommentsOperation = nextPageOperation<CommentPage>('ThreadComments', THREAD_COMMENTS_QUERY, (data) =>
  inRepository(data, 'issueOrPullRequest', subjectField('comments', commentPage)).value,
);

export const pullRequestFilesOperation = nextPageOperation<FilePage>('PullRequestFiles', PULL_REQUEST_FILES_QUERY, (data) =>
  inRepository(data, 'pullRequest', (value, path) => fields(value, path)('files', nullable(filePage))).value,
);

export const pullRequestReviewThreadsOperation = nextPageOperation<ReviewThreadPage>('PullRequestReviewThreads', PULL_REQUEST_REVIEW_THREADS_QUERY, (data) =>
  inRepository(data, 'pullRequest', (value, path) => fields(value, path)('reviewThreads', reviewThreadPage)).value,
);

export const reviewThreadCommentsOperation = nextPageOperation<ReviewCommentPage>('ReviewThreadComments', REVIEW_THREAD_COMMENTS_QUERY, (data) =>
  fields(data, 'data')('node', nullable((value, path) => fields(value, path)('comments', reviewCommentPage))),
);

export const subjectIdOperation: Operation<SubjectIdResponse> = {
  name: 'SubjectId',
  document: SUBJECT_ID_QUERY,
  parse: (data) => {
    const { found, value } = inRepository(data, 'issueOrPullRequest', subjectField('id', str));
    return { repositoryFound: found, id: value, rateLimit: fields(data, 'data')('rateLimit', rateLimit) };
  },
};

export const addCommentOperation: Operation<AddCommentResponse> = {
  name: 'AddComment',
  document: ADD_COMMENT_MUTATION,
  parse: (data) => {
    return { comment: fields(data, 'data').nested('addComment').nested('commentEdge')('node', postedComment) };
  },
};

export const updateIssueCommentOperation: Operation<UpdateIssueCommentResponse> = {
  name: 'UpdateIssueComment',
  document: UPDATE_ISSUE_COMMENT_MUTATION,
  parse: (data) => {
    const payload = fields(data, 'data').nested('updateIssueComment');
    const f = payload.nested('issueComment');
    return {
      comment: payload('issueComment', postedComment),
      number: f.nested('issue')('number', int),
      repo: f.nested('repository')('nameWithOwner', str),
    };
  },
};
