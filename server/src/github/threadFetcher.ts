/**
 * Fetches one whole thread: the issue or pull request, every top-level comment (100 per round
 * trip: the first page comes with the thread), and for pull requests every changed file and review
 * thread with its comments, each connection paged until its end. The result is checked with
 * parseThread like any other Thread before anyone stores or uses it.
 */
import { ThreadwiseError } from '../errors';
import type { PullRequestFile, ReviewThread, Thread, ThreadComment } from '../protocol';
import { parseThread } from '../thread/parseThread';
import type { GitHubClient } from './gitHubClient';
import { toAuthor, toState } from './listItem';
import type { CommentNode, PageInfoData, ReviewCommentNode, ReviewThreadNode } from './queries';
import { pullRequestFilesOperation, pullRequestReviewThreadsOperation, reviewThreadCommentsOperation, threadCommentsOperation, threadOperation } from './responses';

export interface ThreadFetchRequest {
  repo: string;
  number: number;
}

export async function fetchThread(client: GitHubClient, request: ThreadFetchRequest): Promise<Thread> {
  const [owner = '', name = ''] = request.repo.split('/');
  const where = { owner, name, number: request.number };
  const first = await client.request(threadOperation, where);
  if (!first.repositoryFound) {
    throw new ThreadwiseError('github-not-found', `GitHub has no repository ${request.repo}, or the token cannot see it`, 'check the name, and that the token can read the repository');
  }
  const node = first.thread;
  if (node === null) throw new ThreadwiseError('github-not-found', `${request.repo} has no issue or pull request #${request.number}`, 'check the number');

  const ref = `${request.repo}#${request.number}`;
  const comments = await drain(ref, 'comments', node.comments, async (cursor) => (await client.request(threadCommentsOperation, { ...where, cursor })).page);
  const thread: Thread = {
    repo: request.repo,
    number: node.number,
    kind: node.__typename === 'PullRequest' ? 'pull' : 'issue',
    title: node.title,
    body: node.body,
    url: node.url,
    state: toState(node.state),
    labels: node.labels,
    author: toAuthor(node.author, node.authorAssociation),
    createdAt: node.createdAt,
    comments: comments.map(toComment),
    id: node.id,
    updatedAt: node.updatedAt,
  };
  if (node.__typename === 'PullRequest') {
    const files = node.files === null ? [] : await drain(ref, 'files', node.files, async (cursor) => (await client.request(pullRequestFilesOperation, { ...where, cursor })).page);
    thread.files = files.map((file): PullRequestFile => ({ ...file }));
    const reviewThreads = node.reviewThreads === null ? [] : await drain(ref, 'review threads', node.reviewThreads, async (cursor) => (await client.request(pullRequestReviewThreadsOperation, { ...where, cursor })).page);
    thread.reviewThreads = [];
    for (const review of reviewThreads) thread.reviewThreads.push(await toReviewThread(client, ref, review));
  }
  try {
    return parseThread(thread, ref);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ThreadwiseError('github-bad-response', `GitHub's answer for ${ref} is not a usable thread: ${why}`, 'nothing was stored from it; report it if it keeps happening');
  }
}

/** Every node of a connection: the page in hand, then the next pages until `hasNextPage` is false. */
async function drain<N>(
  ref: string,
  what: string,
  page: { pageInfo: PageInfoData; nodes: N[] },
  next: (cursor: string) => Promise<{ pageInfo: PageInfoData; nodes: N[] } | null>,
): Promise<N[]> {
  const out = [...page.nodes];
  let info = page.pageInfo;
  const seen = new Set<string>();
  while (info.hasNextPage) {
    const cursor = info.endCursor;
    // A cursor that does not move would loop for ever: a broken answer.
    if (cursor === null || seen.has(cursor)) throw new ThreadwiseError('github-bad-response', `GitHub's pages of ${what} of ${ref} do not advance`, 'try again later');
    seen.add(cursor);
    const more = await next(cursor);
    if (more === null) throw new ThreadwiseError('github-not-found', `${ref} disappeared while its ${what} were being fetched`, 'check that it still exists');
    out.push(...more.nodes);
    info = more.pageInfo;
  }
  return out;
}

async function toReviewThread(client: GitHubClient, ref: string, review: ReviewThreadNode): Promise<ReviewThread> {
  const comments = await drain(ref, 'review comments', review.comments, async (cursor) => (await client.request(reviewThreadCommentsOperation, { threadId: review.id, cursor })).page);
  return {
    path: review.path,
    line: review.line,
    diffHunk: comments[0]?.diffHunk ?? '',
    isResolved: review.isResolved,
    isOutdated: review.isOutdated,
    comments: comments.map(toComment),
  };
}

function toComment(node: CommentNode | ReviewCommentNode): ThreadComment {
  return { author: toAuthor(node.author, node.authorAssociation), body: node.body, createdAt: node.createdAt, id: node.id, url: node.url };
}
