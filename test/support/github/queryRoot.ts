// The `Query` fields the fake answers: viewer, rateLimit, repository, user, node, nodes, search.
import type { GraphQLError } from 'graphql';
import { UserView } from './actorViews';
import { paginate, type Connection, type ConnectionArgs } from './connection';
import type { FakeContext, RateLimitView } from './fakeContext';
import { githubError } from './graphqlErrors';
import { RepoView } from './repoView';
import { nodeView, type NodeView } from './resolvers';
import { searchThreads } from './searchQuery';
import { threadView, type IssueView, type PullView } from './threadViews';

/** GitHub's search only ever reaches the first 1,000 results (issueCount still counts them all). */
export const SEARCH_RESULT_CAP = 1000;

function notFoundNode(id: string): GraphQLError {
  return githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

interface SearchConnection extends Connection<IssueView | PullView> {
  issueCount: number;
  codeCount: number;
  discussionCount: number;
  repositoryCount: number;
  userCount: number;
  wikiCount: number;
}

export const queryRoot = {
  viewer(_args: unknown, context: FakeContext): UserView {
    return new UserView(context.store.user(context.viewer));
  },

  rateLimit(_args: unknown, context: FakeContext): RateLimitView {
    return context.rateLimit;
  },

  /** Null plus a NOT_FOUND error when missing, like GitHub. */
  repository(args: { owner: string; name: string }, context: FakeContext): RepoView {
    const repo = context.store.findRepo(`${args.owner}/${args.name}`);
    if (!repo) throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
    return new RepoView(repo);
  },

  /** Any login is a user in the fake. */
  user(args: { login: string }, context: FakeContext): UserView {
    return new UserView(context.store.user(args.login));
  },

  node(args: { id: string }, context: FakeContext): NodeView {
    const node = context.store.node(args.id);
    if (!node) throw notFoundNode(args.id);
    return nodeView(node, context);
  },

  /** A missing id is a null item plus an error at its index, like GitHub. */
  nodes(args: { ids: string[] }, context: FakeContext): (NodeView | GraphQLError)[] {
    return args.ids.map((id) => {
      const node = context.store.node(id);
      return node ? nodeView(node, context) : notFoundNode(id);
    });
  },

  /** Issue search only; cursors are offsets into the result list, as GitHub's are. */
  search(args: ConnectionArgs & { query: string; type: string }, context: FakeContext): SearchConnection {
    if (args.type !== 'ISSUE') {
      throw githubError('NOT_IMPLEMENTED_IN_FAKE', `search(type: ${args.type}) is not implemented in the fake GitHub; only ISSUE is.`);
    }
    const found = searchThreads(context.store, args.query, context.viewer);
    const reachable = found.slice(0, SEARCH_RESULT_CAP).map((thread, index) => ({ thread, index }));
    const page = paginate(reachable, args, (r) => [r.index], (r) => threadView(r.thread));
    return { ...page, issueCount: found.length, codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0 };
  },
};
