// Schema view of a `Repository`: its issue and pull request lists (with GitHub's filters and
// orders) and the single-item lookups, which answer null plus a NOT_FOUND error like GitHub.
import { OrganizationView } from './actorViews';
import { paginate, type Connection, type ConnectionArgs } from './connection';
import type { FakeContext } from './fakeContext';
import type { CursorKey } from './fixtureFormat';
import type { FixtureIssue, FixturePull, FixtureRepo, FixtureThread } from './fixtureTypes';
import { githubError } from './graphqlErrors';
import { isAssigned, isAuthor, mentions } from './threadFacts';
import { IssueView, PullView, threadView } from './threadViews';

interface ThreadOfKind {
  issue: FixtureIssue;
  pull: FixturePull;
}

type IssueStateArg = 'OPEN' | 'CLOSED';
type PullStateArg = 'OPEN' | 'CLOSED' | 'MERGED';

/** GitHub's `IssueOrder`; the default order is CREATED_AT ASC. */
interface IssueOrder {
  field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS';
  direction: 'ASC' | 'DESC';
}

interface IssueFilters {
  assignee?: string | null;
  createdBy?: string | null;
  labels?: string[] | null;
  mentioned?: string | null;
  milestone?: string | null;
  since?: string | null;
  states?: IssueStateArg[] | null;
}

/** The arguments `issues` and `pullRequests` both take. */
interface ThreadListArgs<State> extends ConnectionArgs {
  orderBy?: IssueOrder | null;
  states?: readonly State[] | null;
  labels?: string[] | null;
}

interface IssuesArgs extends ThreadListArgs<IssueStateArg> {
  filterBy?: IssueFilters | null;
}

interface PullsArgs extends ThreadListArgs<PullStateArg> {
  baseRefName?: string | null;
  headRefName?: string | null;
}

/** A sort key for `orderBy`, unique thanks to the database id, ascending in the asked direction. */
function orderKey(order: IssueOrder | null | undefined): (thread: FixtureThread) => CursorKey {
  const field = order?.field ?? 'CREATED_AT';
  const sign = order?.direction === 'DESC' ? -1 : 1;
  return (thread) => {
    const value =
      field === 'COMMENTS' ? thread.comments.length : Date.parse(field === 'UPDATED_AT' ? thread.updatedAt : thread.createdAt);
    return [sign * value, sign * thread.databaseId];
  };
}

function sortBy<T extends FixtureThread>(threads: T[], keyOf: (thread: T) => CursorKey): T[] {
  return threads.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number);
  });
}

function hasAnyLabel(thread: FixtureThread, labels: readonly string[] | null | undefined): boolean {
  if (!labels || labels.length === 0) return true;
  return thread.labels.some((l) => labels.some((wanted) => wanted.toLowerCase() === l.toLowerCase()));
}

/** `filterBy`: since is inclusive (updatedAt >= since); assignee `*` means anyone. */
function matchesFilters(issue: FixtureIssue, filters: IssueFilters, context: FakeContext): boolean {
  if (typeof filters.since === 'string') {
    const since = Date.parse(filters.since);
    if (Number.isNaN(since)) throw githubError('UNPROCESSABLE', `\`since\` is not a valid DateTime: "${filters.since}"`);
    if (Date.parse(issue.updatedAt) < since) return false;
  }
  const who = (login: string) => (login === '@me' ? context.viewer : login);
  if (typeof filters.assignee === 'string') {
    if (filters.assignee === '*' ? issue.assignees.length === 0 : !isAssigned(issue, who(filters.assignee))) return false;
  }
  if (typeof filters.createdBy === 'string' && !isAuthor(issue, who(filters.createdBy))) return false;
  if (typeof filters.mentioned === 'string' && !mentions(issue, who(filters.mentioned))) return false;
  if (filters.states && !filters.states.includes(issue.state)) return false;
  return hasAnyLabel(issue, filters.labels);
}

export class RepoView {
  readonly __typename = 'Repository';
  readonly #repo: FixtureRepo;

  constructor(repo: FixtureRepo) {
    this.#repo = repo;
  }

  get id(): string {
    return this.#repo.id;
  }
  get databaseId(): number {
    return this.#repo.databaseId;
  }
  get name(): string {
    return this.#repo.name;
  }
  get nameWithOwner(): string {
    return this.#repo.nameWithOwner;
  }
  get owner(): OrganizationView {
    return new OrganizationView(this.#repo.owner);
  }
  get url(): string {
    return this.#repo.url;
  }
  get resourcePath(): string {
    return `/${this.#repo.nameWithOwner}`;
  }
  get createdAt(): string {
    return this.#repo.createdAt;
  }
  get description(): null {
    return null;
  }
  get isPrivate(): boolean {
    return false;
  }
  get isArchived(): boolean {
    return false;
  }
  get isFork(): boolean {
    return false;
  }
  get hasIssuesEnabled(): boolean {
    return true;
  }
  /** OWNER → ADMIN, MEMBER/COLLABORATOR → WRITE, anyone else → READ. */
  viewerPermission(_args: unknown, context: FakeContext): 'ADMIN' | 'WRITE' | 'READ' {
    const role = context.store.associationOf(this.#repo.nameWithOwner, context.viewer);
    return role === 'OWNER' ? 'ADMIN' : role === 'MEMBER' || role === 'COLLABORATOR' ? 'WRITE' : 'READ';
  }

  issues(args: IssuesArgs, context: FakeContext): Connection<IssueView> {
    const matches = (i: FixtureIssue) => !args.filterBy || matchesFilters(i, args.filterBy, context);
    return this.#page(context, 'issue', args, matches, (i) => new IssueView(i));
  }

  pullRequests(args: PullsArgs, context: FakeContext): Connection<PullView> {
    const matches = (p: FixturePull) =>
      (typeof args.baseRefName !== 'string' || p.baseRefName === args.baseRefName) &&
      (typeof args.headRefName !== 'string' || p.headRefName === args.headRefName);
    return this.#page(context, 'pull', args, matches, (p) => new PullView(p));
  }

  /** One page of the repository's issues or pull requests: `states` and `labels`, then `matches`, in `orderBy`. */
  #page<K extends keyof ThreadOfKind, V>(
    context: FakeContext,
    kind: K,
    args: ThreadListArgs<ThreadOfKind[K]['state']>,
    matches: (thread: ThreadOfKind[K]) => boolean,
    wrap: (thread: ThreadOfKind[K]) => V,
  ): Connection<V> {
    const keyOf = orderKey(args.orderBy);
    const threads = context.store
      .threadsOf(this.#repo)
      .filter((t): t is ThreadOfKind[K] => t.kind === kind)
      .filter((t) => !args.states || args.states.includes(t.state))
      .filter((t) => hasAnyLabel(t, args.labels))
      .filter((t) => matches(t));
    return paginate(sortBy(threads, keyOf), args, keyOf, wrap);
  }

  issue(args: { number: number }, context: FakeContext): IssueView {
    const thread = context.store.findThread(this.#repo.nameWithOwner, args.number);
    if (thread?.kind !== 'issue') throw githubError('NOT_FOUND', `Could not resolve to an Issue with the number of ${args.number}.`);
    return new IssueView(thread);
  }

  pullRequest(args: { number: number }, context: FakeContext): PullView {
    const thread = context.store.findThread(this.#repo.nameWithOwner, args.number);
    if (thread?.kind !== 'pull') throw githubError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${args.number}.`);
    return new PullView(thread);
  }

  issueOrPullRequest(args: { number: number }, context: FakeContext): IssueView | PullView {
    const thread = context.store.findThread(this.#repo.nameWithOwner, args.number);
    if (!thread) throw githubError('NOT_FOUND', `Could not resolve to an issue or pull request with the number of ${args.number}.`);
    return threadView(thread);
  }
}

/** The view of a stored repository (it must exist: callers hold one of its objects). */
export function repoView(context: FakeContext, nameWithOwner: string): RepoView {
  const repo = context.store.findRepo(nameWithOwner);
  if (!repo) throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${nameWithOwner}'.`);
  return new RepoView(repo);
}
