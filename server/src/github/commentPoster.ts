/**
 * Writes to GitHub: a new top-level comment (`addComment`) and an edit of one (`updateIssueComment`).
 * Called only for text a person confirmed; the daemon never posts on its own.
 */
import { ThreadwiseError } from '../errors';
import type { GitHubPostedComment, ThreadComment } from '../protocol';
import type { GitHubClient } from './gitHubClient';
import { toAuthor } from './listItem';
import type { PostedCommentNode } from './queries';
import { addCommentOperation, subjectIdOperation, updateIssueCommentOperation } from './responses';

/** GitHub's limit on a comment body. */
const MAX_BODY_CHARS = 65_536;

/** The body as it will be posted; rejects an empty or over-long one before anything is sent. */
export function checkBody(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') {
    throw new ThreadwiseError('invalid-thread', 'the comment is empty: nothing was posted', 'write the reply text, then post it');
  }
  if (body.length > MAX_BODY_CHARS) {
    throw new ThreadwiseError('invalid-thread', `the comment has ${body.length} characters; GitHub takes at most ${MAX_BODY_CHARS}: nothing was posted`, 'shorten the reply, then post it');
  }
  return body;
}

/** The node id of `repo#number` (the `subjectId` addComment needs) when no cached thread has it. */
export async function fetchSubjectId(client: GitHubClient, repo: string, number: number): Promise<string> {
  const [owner = '', name = ''] = repo.split('/');
  const answer = await client.request(subjectIdOperation, { owner, name, number });
  if (!answer.repositoryFound) throw new ThreadwiseError('github-not-found', `GitHub has no repository ${repo}, or the token cannot see it`, 'check the name');
  if (answer.id === null) throw new ThreadwiseError('github-not-found', `${repo} has no issue or pull request #${number}`, 'check the number');
  return answer.id;
}

export interface PostedComment {
  posted: GitHubPostedComment;
  /** The same comment as a Thread's comment, to put into the cached thread. */
  comment: ThreadComment;
}

export async function addComment(client: GitHubClient, subjectId: string, body: string): Promise<PostedComment> {
  const answer = await client.request(addCommentOperation, { subjectId, body: checkBody(body) });
  return describe(answer.comment);
}

export interface EditedComment extends PostedComment {
  repo: string;
  number: number;
}

export async function updateIssueComment(client: GitHubClient, commentId: string, body: string): Promise<EditedComment> {
  if (commentId.trim() === '') throw new ThreadwiseError('github-not-found', 'no comment id was given: nothing was edited', 'edit a comment Threadwise posted, or pick one from the thread');
  const answer = await client.request(updateIssueCommentOperation, { commentId, body: checkBody(body) });
  return { ...describe(answer.comment), repo: answer.repo, number: answer.number };
}

function describe(node: PostedCommentNode): PostedComment {
  return {
    posted: { commentId: node.id, url: node.url, body: node.body, updatedAt: node.updatedAt },
    comment: { author: toAuthor(node.author, node.authorAssociation), body: node.body, createdAt: node.createdAt, id: node.id, url: node.url },
  };
}
