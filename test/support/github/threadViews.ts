// Schema views of issues, pull requests and their comments, review threads and files.
//
// A view exposes schema fields as getters, or as `(args, context)` methods when the field takes
// arguments or depends on the viewer; a field a view lacks is answered with a clear "not implemented
// in the fake" error by resolvers.ts. Stored data sits in `#private` fields so it never shadows a
// schema field of the same name.
import { LabelView, UserView } from './actorViews';
import { paginate, paginateByIndex, type Connection, type ConnectionArgs } from './connection';
// Import cycle with repoView.ts, on purpose: both only use the other inside methods, at query time.
import { repoView, type RepoView } from './repoView';
import type { FakeContext } from './fakeContext';
import type {
  CommentAuthorAssociation,
  FixtureAuthored,
  FixtureComment,
  FixtureFile,
  FixtureIssue,
  FixturePull,
  FixtureReviewComment,
  FixtureReviewThread,
  FixtureThread,
} from './fixtureTypes';
import { participants, plainText } from './threadFacts';

function actor(context: FakeContext, login: string): UserView {
  return new UserView(context.store.user(login));
}

function resourcePath(url: string): string {
  return url.replace(/^https:\/\/github\.com/, '');
}

/**
 * The fields of GitHub's `Comment` interface that issues, pull requests and both kinds of comment
 * answer alike. Each subclass adds the rest of its type (and only that: a field a type lacks in the
 * fake must stay absent, see resolvers.ts).
 */
abstract class AuthoredView<T extends FixtureAuthored> {
  readonly #item: T;

  constructor(item: T) {
    this.#item = item;
  }

  get id(): string {
    return this.#item.id;
  }
  get databaseId(): number {
    return this.#item.databaseId;
  }
  get url(): string {
    return this.#item.url;
  }
  get body(): string {
    return this.#item.body;
  }
  get bodyText(): string {
    return plainText(this.#item.body);
  }
  get createdAt(): string {
    return this.#item.createdAt;
  }
  get publishedAt(): string {
    return this.#item.createdAt;
  }
  get updatedAt(): string {
    return this.#item.updatedAt;
  }
  get authorAssociation(): CommentAuthorAssociation {
    return this.#item.authorAssociation;
  }
  author(_args: unknown, context: FakeContext): UserView {
    return actor(context, this.#item.author);
  }
  viewerDidAuthor(_args: unknown, context: FakeContext): boolean {
    return this.#item.author.toLowerCase() === context.viewer.toLowerCase();
  }
}

abstract class ThreadView<T extends FixtureThread> extends AuthoredView<T> {
  protected readonly thread: T;

  constructor(thread: T) {
    super(thread);
    this.thread = thread;
  }

  get number(): number {
    return this.thread.number;
  }
  get title(): string {
    return this.thread.title;
  }
  get resourcePath(): string {
    return resourcePath(this.thread.url);
  }
  get lastEditedAt(): null {
    return null;
  }
  get closed(): boolean {
    return this.thread.state !== 'OPEN';
  }
  get closedAt(): string | null {
    return this.thread.closedAt;
  }
  get locked(): boolean {
    return false;
  }
  repository(_args: unknown, context: FakeContext): RepoView {
    return repoView(context, this.thread.repo);
  }
  labels(args: ConnectionArgs): Connection<LabelView> {
    return paginateByIndex(this.thread.labels, args, (name) => new LabelView(this.thread.repo, name));
  }
  assignees(args: ConnectionArgs, context: FakeContext): Connection<UserView> {
    return paginateByIndex(this.thread.assignees, args, (login) => actor(context, login));
  }
  participants(args: ConnectionArgs, context: FakeContext): Connection<UserView> {
    return paginateByIndex(participants(this.thread), args, (login) => actor(context, login));
  }
  /** Oldest first (GitHub's order); `orderBy: {field: UPDATED_AT}` sorts by last edit. */
  comments(args: ConnectionArgs & { orderBy?: { field: 'UPDATED_AT'; direction: 'ASC' | 'DESC' } | null }): Connection<CommentView> {
    let items = this.thread.comments;
    let keyOf = (c: FixtureComment) => [c.databaseId];
    if (args.orderBy) {
      const sign = args.orderBy.direction === 'DESC' ? -1 : 1;
      keyOf = (c) => [sign * Date.parse(c.updatedAt), sign * c.databaseId];
      items = [...items].sort((a, b) => keyOf(a)[0]! - keyOf(b)[0]! || keyOf(a)[1]! - keyOf(b)[1]!);
    }
    return paginate(items, args, keyOf, (c) => new CommentView(c));
  }
}

/** An issue; also a pull request seen as its issue (GitHub's `IssueComment.issue` on a PR comment). */
export class IssueView extends ThreadView<FixtureIssue | FixturePull> {
  readonly __typename = 'Issue';

  get state(): 'OPEN' | 'CLOSED' {
    return this.thread.state === 'OPEN' ? 'OPEN' : 'CLOSED';
  }
  get stateReason(): 'COMPLETED' | null {
    return this.thread.state === 'CLOSED' ? 'COMPLETED' : null;
  }
}

export class PullView extends ThreadView<FixturePull> {
  readonly __typename = 'PullRequest';

  get state(): 'OPEN' | 'CLOSED' | 'MERGED' {
    return this.thread.state;
  }
  get isDraft(): boolean {
    return this.thread.isDraft;
  }
  get merged(): boolean {
    return this.thread.merged;
  }
  get mergedAt(): string | null {
    return this.thread.mergedAt;
  }
  get baseRefName(): string {
    return this.thread.baseRefName;
  }
  get headRefName(): string {
    return this.thread.headRefName;
  }
  get permalink(): string {
    return this.thread.url;
  }
  get additions(): number {
    return this.thread.files.reduce((sum, f) => sum + f.additions, 0);
  }
  get deletions(): number {
    return this.thread.files.reduce((sum, f) => sum + f.deletions, 0);
  }
  get changedFiles(): number {
    return this.thread.files.length;
  }
  get isCrossRepository(): boolean {
    return false;
  }
  files(args: ConnectionArgs): Connection<FileView> {
    return paginateByIndex(this.thread.files, args, (f) => new FileView(f));
  }
  reviewThreads(args: ConnectionArgs): Connection<ReviewThreadView> {
    return paginateByIndex(this.thread.reviewThreads, args, (t) => new ReviewThreadView(t));
  }
}

export class CommentView extends AuthoredView<FixtureComment> {
  readonly __typename = 'IssueComment';
  readonly #comment: FixtureComment;

  constructor(comment: FixtureComment) {
    super(comment);
    this.#comment = comment;
  }

  get resourcePath(): string {
    return resourcePath(this.#comment.url);
  }
  get lastEditedAt(): string | null {
    return this.#comment.lastEditedAt;
  }
  get includesCreatedEdit(): boolean {
    return this.#comment.lastEditedAt !== null;
  }
  get isMinimized(): boolean {
    return false;
  }
  get minimizedReason(): null {
    return null;
  }
  /** Only the author may edit (the fake has no admin override). */
  viewerCanUpdate(args: unknown, context: FakeContext): boolean {
    return this.viewerDidAuthor(args, context);
  }
  viewerCanDelete(args: unknown, context: FakeContext): boolean {
    return this.viewerDidAuthor(args, context);
  }
  /** Non-null on GitHub even for a pull request's comment (the pull request as an issue). */
  issue(_args: unknown, context: FakeContext): IssueView {
    return new IssueView(context.store.thread(this.#comment.repo, this.#comment.number));
  }
  pullRequest(_args: unknown, context: FakeContext): PullView | null {
    const thread = context.store.thread(this.#comment.repo, this.#comment.number);
    return thread.kind === 'pull' ? new PullView(thread) : null;
  }
  repository(_args: unknown, context: FakeContext): RepoView {
    return repoView(context, this.#comment.repo);
  }
}

export class FileView {
  readonly __typename = 'PullRequestChangedFile';
  readonly path: string;
  readonly additions: number;
  readonly deletions: number;
  readonly changeType: string;
  readonly viewerViewedState = 'UNVIEWED';

  constructor(file: FixtureFile) {
    this.path = file.path;
    this.additions = file.additions;
    this.deletions = file.deletions;
    this.changeType = file.changeType;
  }
}

export class ReviewThreadView {
  readonly __typename = 'PullRequestReviewThread';
  readonly #thread: FixtureReviewThread;

  constructor(thread: FixtureReviewThread) {
    this.#thread = thread;
  }

  get id(): string {
    return this.#thread.id;
  }
  get path(): string {
    return this.#thread.path;
  }
  get line(): number | null {
    return this.#thread.line;
  }
  get originalLine(): number {
    return this.#thread.originalLine;
  }
  get startLine(): null {
    return null;
  }
  get originalStartLine(): null {
    return null;
  }
  get diffSide(): 'LEFT' | 'RIGHT' {
    return this.#thread.diffSide;
  }
  get startDiffSide(): null {
    return null;
  }
  get isResolved(): boolean {
    return this.#thread.isResolved;
  }
  get isOutdated(): boolean {
    return this.#thread.isOutdated;
  }
  get isCollapsed(): boolean {
    return this.#thread.isResolved;
  }
  get subjectType(): 'LINE' {
    return 'LINE';
  }
  get resolvedBy(): null {
    return null;
  }
  comments(args: ConnectionArgs & { skip?: number | null }): Connection<ReviewCommentView> {
    const items = this.#thread.comments.slice(args.skip ?? 0);
    return paginate(items, args, (c) => [c.databaseId], (c) => new ReviewCommentView(c, this.#thread));
  }
  pullRequest(_args: unknown, context: FakeContext): PullView {
    return new PullView(context.store.thread(this.#thread.repo, this.#thread.number) as FixturePull);
  }
}

export class ReviewCommentView extends AuthoredView<FixtureReviewComment> {
  readonly __typename = 'PullRequestReviewComment';
  readonly #comment: FixtureReviewComment;
  readonly #thread: FixtureReviewThread;

  constructor(comment: FixtureReviewComment, thread: FixtureReviewThread) {
    super(comment);
    this.#comment = comment;
    this.#thread = thread;
  }

  get diffHunk(): string {
    return this.#comment.diffHunk;
  }
  get path(): string {
    return this.#comment.path;
  }
  get line(): number | null {
    return this.#comment.line;
  }
  get originalLine(): number {
    return this.#comment.originalLine;
  }
  get startLine(): null {
    return null;
  }
  get outdated(): boolean {
    return this.#thread.isOutdated;
  }
  get state(): 'SUBMITTED' {
    return 'SUBMITTED';
  }
  get subjectType(): 'LINE' {
    return 'LINE';
  }
  get replyTo(): ReviewCommentView | null {
    const first = this.#thread.comments[0];
    return first && first !== this.#comment ? new ReviewCommentView(first, this.#thread) : null;
  }
}

/** The view of an issue or pull request. */
export function threadView(thread: FixtureThread): IssueView | PullView {
  return thread.kind === 'issue' ? new IssueView(thread) : new PullView(thread);
}

