// The fake GitHub's in-memory data: repositories, issues, pull requests and their comments, with
// builders for tests and the two writes the GraphQL mutations make (post, edit).
//
// Contracts:
// - repository names are looked up case-insensitively, like GitHub; numbers are one sequence per
//   repository shared by issues and pull requests;
// - timestamps left out by a fixture are one minute after the latest timestamp in the store, so
//   fixtures built in order are dated in order (deterministic: nothing reads the clock here except
//   the mutations, which are given their time);
// - a comment bumps its thread's `updatedAt` to its `createdAt` (never backwards).
import { createHash } from 'node:crypto';
import { BASE_TIME_MS } from '../builders';
import { isoSeconds, nodeId, parseTime } from './fixtureFormat';
import type {
  CommentAuthorAssociation,
  CommentInit,
  FakeState,
  FixtureAuthored,
  FixtureComment,
  FixtureIssue,
  FixtureNode,
  FixturePull,
  FixtureRepo,
  FixtureReviewComment,
  FixtureReviewThread,
  FixtureThread,
  FixtureUser,
  IssueInit,
  MaintainerRole,
  PullInit,
  ReviewThreadInit,
} from './fixtureTypes';

export type * from './fixtureTypes';

/** What changed, for listeners (serve.ts writes its state file on each). */
export interface StoreChange {
  kind: 'fixture' | 'mutation';
  repo: string;
  number?: number;
}

export class FixtureStore {
  private readonly repos = new Map<string, FixtureRepo>();
  private readonly threadsByKey = new Map<string, FixtureThread>();
  private readonly nodesById = new Map<string, FixtureNode>();
  private readonly users = new Map<string, FixtureUser>();
  private readonly nextNumbers = new Map<string, number>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private nextDatabaseId = 1_000_001;
  private latestMs = BASE_TIME_MS - 60_000;

  addRepo(nameWithOwner: string, options: { maintainers?: Record<string, MaintainerRole> } = {}): FixtureRepo {
    const [owner, name, ...rest] = nameWithOwner.split('/');
    if (!owner || !name || rest.length > 0) throw new Error(`addRepo: "${nameWithOwner}" is not owner/name`);
    if (this.repos.has(nameWithOwner.toLowerCase())) throw new Error(`addRepo: ${nameWithOwner} already exists`);
    const databaseId = this.nextDatabaseId++;
    const repo: FixtureRepo = {
      kind: 'repo',
      id: nodeId('R', `${databaseId}`),
      databaseId,
      owner,
      name,
      nameWithOwner,
      url: `https://github.com/${nameWithOwner}`,
      createdAt: isoSeconds(BASE_TIME_MS - 365 * 86_400_000),
      maintainers: new Map(Object.entries(options.maintainers ?? {})),
    };
    this.repos.set(nameWithOwner.toLowerCase(), repo);
    this.nodesById.set(repo.id, repo);
    this.nextNumbers.set(repo.nameWithOwner, 1);
    return repo;
  }

  /** The repository, or undefined (case-insensitive, like GitHub). */
  findRepo(nameWithOwner: string): FixtureRepo | undefined {
    return this.repos.get(nameWithOwner.toLowerCase());
  }

  allRepos(): FixtureRepo[] {
    return [...this.repos.values()];
  }

  addIssue(repo: string, init: IssueInit): FixtureIssue {
    const base = this.threadBase(repo, init, 'issues');
    const issue: FixtureIssue = { kind: 'issue', ...base, state: init.state ?? 'OPEN' };
    return this.register(issue, init);
  }

  addPull(repo: string, init: PullInit): FixturePull {
    const base = this.threadBase(repo, init, 'pull');
    const merged = init.merged ?? false;
    const pull: FixturePull = {
      kind: 'pull',
      ...base,
      state: merged ? 'MERGED' : (init.state ?? 'OPEN'),
      isDraft: init.isDraft ?? false,
      merged,
      mergedAt: null,
      baseRefName: init.baseRefName ?? 'main',
      headRefName: init.headRefName ?? `feature/${base.number}`,
      files: (init.files ?? []).map((file) => ({ kind: 'file', ...file })),
      reviewThreads: [],
    };
    this.register(pull, init);
    for (const thread of init.reviewThreads ?? []) this.addReviewThread(pull, thread);
    if (merged) pull.mergedAt = init.mergedAt ? this.stamp(init.mergedAt, 'mergedAt') : pull.updatedAt;
    if (pull.state !== 'OPEN') pull.closedAt ??= pull.mergedAt ?? pull.updatedAt;
    return pull;
  }

  addComment(repo: string, number: number, init: CommentInit): FixtureComment {
    const comment = this.appendComment(this.thread(repo, number), init);
    this.emit({ kind: 'fixture', repo, number });
    return comment;
  }

  /** Appends `count` comments (authors `user<i>`, bodies `comment <i>` unless `make` says otherwise). */
  addComments(repo: string, number: number, count: number, make?: (i: number) => Partial<CommentInit>): void {
    const thread = this.thread(repo, number);
    for (let i = 0; i < count; i++) this.appendComment(thread, { author: `user${i}`, body: `comment ${i}`, ...make?.(i) });
    this.emit({ kind: 'fixture', repo, number });
  }

  /** Bumps the thread's `updatedAt` (default: one minute after the latest timestamp in the store). */
  touch(repo: string, number: number, at?: Date): void {
    const thread = this.thread(repo, number);
    thread.updatedAt = at ? this.stamp(at.toISOString(), 'touch') : this.stamp(undefined, 'touch');
    this.emit({ kind: 'fixture', repo, number });
  }

  /** The issue or pull request; throws when there is none. */
  thread(repo: string, number: number): FixtureIssue | FixturePull {
    const thread = this.findThread(repo, number);
    if (!thread) throw new Error(`the fake GitHub has no issue or pull request ${repo}#${number}`);
    return thread;
  }

  findThread(repo: string, number: number): FixtureThread | undefined {
    return this.threadsByKey.get(`${repo.toLowerCase()}#${number}`);
  }

  /** Every issue and pull request of a repository, by number. */
  threadsOf(repo: FixtureRepo): FixtureThread[] {
    return [...this.threadsByKey.values()].filter((t) => t.repo === repo.nameWithOwner).sort((a, b) => a.number - b.number);
  }

  comments(repo: string, number: number): FixtureComment[] {
    return this.thread(repo, number).comments;
  }

  node(id: string): FixtureNode | undefined {
    return this.nodesById.get(id);
  }

  /** The user with this login (created on first use, so any login is a valid actor). */
  user(login: string): FixtureUser {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      // Derived from the login, not from a sequence: users appear lazily (when a query names them),
      // and must not shift the ids of fixtures created after.
      const databaseId = 1 + (createHash('sha1').update(login.toLowerCase()).digest().readUInt32BE(0) % 99_000_000);
      user = { kind: 'user', id: nodeId('U', `${databaseId}`), databaseId, login };
      this.users.set(login.toLowerCase(), user);
      this.nodesById.set(user.id, user);
    }
    return user;
  }

  /** The role of `login` in the repository: its maintainers-map entry, else NONE. */
  associationOf(repo: string, login: string): CommentAuthorAssociation {
    const map = this.findRepo(repo)?.maintainers;
    for (const [name, role] of map ?? []) if (name.toLowerCase() === login.toLowerCase()) return role;
    return 'NONE';
  }

  /** `addComment`: appends the viewer's comment at `at` (the mutation's clock). */
  postComment(thread: FixtureThread, author: string, body: string, at: Date): FixtureComment {
    const comment = this.appendComment(thread, { author, body, createdAt: at.toISOString() });
    this.emit({ kind: 'mutation', repo: thread.repo, number: thread.number });
    return comment;
  }

  /** `updateIssueComment`: replaces the body and bumps the comment's and its thread's `updatedAt`. */
  editComment(comment: FixtureComment, body: string, at: Date): void {
    const when = this.stamp(at.toISOString(), 'edit');
    comment.body = body;
    comment.updatedAt = when;
    comment.lastEditedAt = when;
    this.bumpUpdatedAt(this.thread(comment.repo, comment.number), when);
    this.emit({ kind: 'mutation', repo: comment.repo, number: comment.number });
  }

  /** Every thread's comments, as `/_fake/state` serves them. */
  snapshot(): FakeState {
    const threads: FakeState['threads'] = {};
    for (const t of [...this.threadsByKey.values()].sort((a, b) => (a.repo === b.repo ? a.number - b.number : a.repo < b.repo ? -1 : 1))) {
      threads[`${t.repo}#${t.number}`] = {
        repo: t.repo,
        number: t.number,
        kind: t.kind,
        updatedAt: t.updatedAt,
        comments: t.comments.map(({ id, author, authorAssociation, body, createdAt, updatedAt, url }) => ({
          id, author, authorAssociation, body, createdAt, updatedAt, url,
        })),
      };
    }
    return { threads };
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onDidChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------

  private threadBase(repoName: string, init: IssueInit, path: 'issues' | 'pull') {
    const repo = this.findRepo(repoName);
    if (!repo) throw new Error(`the fake GitHub has no repository ${repoName}; call addRepo first`);
    const next = this.nextNumbers.get(repo.nameWithOwner) ?? 1;
    const number = init.number ?? next;
    if (this.findThread(repo.nameWithOwner, number)) throw new Error(`${repo.nameWithOwner}#${number} already exists`);
    this.nextNumbers.set(repo.nameWithOwner, Math.max(next, number + 1));
    const createdAt = this.stamp(init.createdAt, 'createdAt');
    const databaseId = this.nextDatabaseId++;
    return {
      repo: repo.nameWithOwner,
      number,
      id: nodeId(path === 'pull' ? 'PR' : 'I', `${repo.databaseId}:${number}`),
      databaseId,
      url: `${repo.url}/${path}/${number}`,
      title: init.title,
      body: init.body ?? '',
      author: init.author,
      authorAssociation: init.authorAssociation ?? this.associationOf(repo.nameWithOwner, init.author),
      labels: [...(init.labels ?? [])],
      assignees: [...(init.assignees ?? [])],
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      comments: [],
    };
  }

  private register<T extends FixtureThread>(thread: T, init: IssueInit): T {
    this.threadsByKey.set(`${thread.repo.toLowerCase()}#${thread.number}`, thread);
    this.nodesById.set(thread.id, thread);
    for (const comment of init.comments ?? []) this.appendComment(thread, comment);
    if (init.updatedAt) {
      this.bumpUpdatedAt(thread, this.stamp(init.updatedAt, 'updatedAt'));
    }
    if (thread.state !== 'OPEN') thread.closedAt = init.closedAt ? this.stamp(init.closedAt, 'closedAt') : thread.updatedAt;
    this.emit({ kind: 'fixture', repo: thread.repo, number: thread.number });
    return thread;
  }

  private appendComment(thread: FixtureThread, init: CommentInit): FixtureComment {
    const comment: FixtureComment = {
      kind: 'comment',
      ...this.authored(thread, init, { idPrefix: 'IC', anchor: 'issuecomment-', what: 'comment createdAt' }),
      lastEditedAt: null,
    };
    thread.comments.push(comment);
    this.nodesById.set(comment.id, comment);
    this.bumpUpdatedAt(thread, comment.createdAt);
    return comment;
  }

  /**
   * What a new comment on `thread` shares with every kind of comment: the next database id, a node
   * id and URL anchor made from it, its timestamp, and the author's role in the repository unless
   * `init` names one.
   */
  private authored(thread: FixtureThread, init: CommentInit, kind: { idPrefix: string; anchor: string; what: string }): FixtureAuthored {
    const createdAt = this.stamp(init.createdAt, kind.what);
    const databaseId = this.nextDatabaseId++;
    return {
      id: nodeId(kind.idPrefix, `${databaseId}`),
      databaseId,
      repo: thread.repo,
      number: thread.number,
      author: init.author,
      authorAssociation: init.authorAssociation ?? this.associationOf(thread.repo, init.author),
      body: init.body,
      createdAt,
      updatedAt: createdAt,
      url: `${thread.url}#${kind.anchor}${databaseId}`,
    };
  }

  /** Moves the thread's `updatedAt` forward to `at` (never backwards). */
  private bumpUpdatedAt(thread: FixtureThread, at: string): void {
    if (at > thread.updatedAt) thread.updatedAt = at;
  }

  private addReviewThread(pull: FixturePull, init: ReviewThreadInit): FixtureReviewThread {
    const outdated = init.isOutdated ?? false;
    const thread: FixtureReviewThread = {
      kind: 'reviewThread',
      id: nodeId('PRRT', `${pull.databaseId}:${pull.reviewThreads.length}`),
      repo: pull.repo,
      number: pull.number,
      path: init.path,
      line: outdated ? null : init.line,
      originalLine: init.line,
      diffSide: 'RIGHT',
      diffHunk: init.diffHunk,
      isResolved: init.isResolved ?? false,
      isOutdated: outdated,
      comments: [],
    };
    for (const c of init.comments) {
      const comment: FixtureReviewComment = {
        kind: 'reviewComment',
        ...this.authored(pull, c, { idPrefix: 'PRRC', anchor: 'discussion_r', what: 'review comment createdAt' }),
        path: init.path,
        diffHunk: init.diffHunk,
        line: thread.line,
        originalLine: init.line,
      };
      thread.comments.push(comment);
      this.nodesById.set(comment.id, comment);
      this.bumpUpdatedAt(pull, comment.createdAt);
    }
    pull.reviewThreads.push(thread);
    this.nodesById.set(thread.id, thread);
    return thread;
  }

  /** A given timestamp normalised to GitHub's form, or the next fixture minute. */
  private stamp(given: string | undefined, what: string): string {
    const ms = given === undefined ? this.latestMs + 60_000 : parseTime(given, what);
    this.latestMs = Math.max(this.latestMs, ms);
    return isoSeconds(ms);
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
