// How the real GitHub schema is mapped onto the fake's view objects:
// - fieldResolver: `source[fieldName]`; a function is called as `(args, context, info)`; a field
//   the view lacks is an error naming it ("… is not implemented in the fake GitHub"), never a
//   silent null, so a test that needs a new field fails clearly;
// - typeResolver: interfaces and unions (Node, Actor, IssueOrPullRequest, SearchResultItem, …)
//   resolve to the view's `__typename`.
import type { GraphQLFieldResolver, GraphQLTypeResolver } from 'graphql';
import { UserView } from './actorViews';
import type { FakeContext } from './fakeContext';
import type { FixtureNode, FixturePull } from './fixtureTypes';
import { githubError } from './graphqlErrors';
import { RepoView } from './repoView';
import { CommentView, IssueView, PullView, ReviewCommentView, ReviewThreadView } from './threadViews';

export const fieldResolver: GraphQLFieldResolver<unknown, FakeContext> = (source, args, context, info) => {
  const where = `${info.parentType.name}.${info.fieldName}`;
  if (source === null || typeof source !== 'object' || !(info.fieldName in source)) {
    throw githubError('NOT_IMPLEMENTED_IN_FAKE', `${where} is not implemented in the fake GitHub (test/support/github); add it to the view there.`);
  }
  const value: unknown = (source as Record<string, unknown>)[info.fieldName];
  if (typeof value === 'function') {
    return (value as (this: object, a: unknown, c: FakeContext, i: unknown) => unknown).call(source, args, context, info);
  }
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, FakeContext> = (value) => {
  const typename = value !== null && typeof value === 'object' ? (value as { __typename?: unknown }).__typename : undefined;
  return typeof typename === 'string' ? typename : undefined;
};

export type NodeView = RepoView | IssueView | PullView | CommentView | ReviewThreadView | ReviewCommentView | UserView;

/** The schema view of anything `node(id)` can return. */
export function nodeView(node: FixtureNode, context: FakeContext): NodeView {
  switch (node.kind) {
    case 'repo':
      return new RepoView(node);
    case 'issue':
      return new IssueView(node);
    case 'pull':
      return new PullView(node);
    case 'comment':
      return new CommentView(node);
    case 'reviewThread':
      return new ReviewThreadView(node);
    case 'reviewComment': {
      const pull = context.store.thread(node.repo, node.number) as FixturePull;
      const thread = pull.reviewThreads.find((t) => t.comments.includes(node))!;
      return new ReviewCommentView(node, thread);
    }
    case 'user':
      return new UserView(node);
  }
}
