// The `Mutation` fields the fake answers: addComment and updateIssueComment, with GitHub's checks
// (blank or too long body → UNPROCESSABLE, unknown id → NOT_FOUND, someone else's comment →
// FORBIDDEN). Both bump the thread's updatedAt; the author is always the viewer.
import { encodeCursor } from './fixtureFormat';
import type { FakeContext } from './fakeContext';
import type { FixtureComment, FixtureThread } from './fixtureTypes';
import { githubError } from './graphqlErrors';
import { CommentView, threadView, type IssueView, type PullView } from './threadViews';

/** GitHub's limit on a comment body, in characters. */
export const MAX_BODY_LENGTH = 65_536;

function checkBody(body: string): void {
  if (body.trim() === '') throw githubError('UNPROCESSABLE', "Body can't be blank");
  if (body.length > MAX_BODY_LENGTH) throw githubError('UNPROCESSABLE', `Body is too long (maximum is ${MAX_BODY_LENGTH} characters)`);
}

function notFound(id: string): Error {
  return githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

interface CommentEdge {
  cursor: string;
  node: CommentView;
}

function edge(comment: FixtureComment): CommentEdge {
  return { cursor: encodeCursor([comment.databaseId]), node: new CommentView(comment) };
}

export const mutationRoot = {
  addComment(
    args: { input: { subjectId: string; body: string; clientMutationId?: string | null } },
    context: FakeContext,
  ): { clientMutationId: string | null; commentEdge: CommentEdge; subject: IssueView | PullView; timelineEdge: CommentEdge } {
    const { subjectId, body, clientMutationId } = args.input;
    const subject = context.store.node(subjectId);
    if (!subject) throw notFound(subjectId);
    if (subject.kind !== 'issue' && subject.kind !== 'pull') {
      throw githubError('UNPROCESSABLE', `The subject '${subjectId}' is not an issue or pull request.`);
    }
    checkBody(body);
    const thread: FixtureThread = subject;
    const comment = context.store.postComment(thread, context.viewer, body, context.now());
    return { clientMutationId: clientMutationId ?? null, commentEdge: edge(comment), subject: threadView(thread), timelineEdge: edge(comment) };
  },

  updateIssueComment(
    args: { input: { id: string; body: string; clientMutationId?: string | null } },
    context: FakeContext,
  ): { clientMutationId: string | null; issueComment: CommentView } {
    const { id, body, clientMutationId } = args.input;
    const comment = context.store.node(id);
    if (comment?.kind !== 'comment') throw notFound(id);
    if (comment.author.toLowerCase() !== context.viewer.toLowerCase()) {
      throw githubError('FORBIDDEN', `${context.viewer} does not have the correct permissions to execute \`UpdateIssueComment\``);
    }
    checkBody(body);
    context.store.editComment(comment, body, context.now());
    return { clientMutationId: clientMutationId ?? null, issueComment: new CommentView(comment) };
  },
};
