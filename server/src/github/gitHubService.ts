/**
 * The daemon's GitHub facade: sign-in, grouped lists, whole threads, posting and editing. The
 * LSP server, the CLI and (later) the knowledge index all go through it.
 *
 * Offline first: when GitHub cannot be reached, refuses the token or is rate limited, lists and
 * threads come from the cache with `stale: true` and a reason; only with no cached copy does the
 * typed error reach the caller. Without a token the cache still serves (stale, "signed out");
 * anything that needs GitHub says to sign in. The token lives in this object's memory only.
 */
import { ThreadwiseError, toThreadwiseError } from '../errors';
import type {
  GitHubAuthState,
  GitHubEditCommentParams,
  GitHubListParams,
  GitHubPostedComment,
  GitHubPostParams,
  GitHubRepoListing,
  GitHubSetAuthParams,
  GitHubThreadParams,
  GitHubThreadResult,
  Thread,
} from '../protocol';
import { clockTime, systemClock } from './clock';
import type { Clock } from './clock';
import { addComment, checkBody, fetchSubjectId, updateIssueComment } from './commentPoster';
import { GitHubClient, GitHubRateLimitedError } from './gitHubClient';
import type { FetchLike, GitHubClientOptions, GitHubClientStats } from './gitHubClient';
import { groupItems } from './groups';
import { redact } from './redact';
import { checkApiUrl, checkNumber, checkParams, checkRepo } from './params';
import { RepoCache } from './repoCache';
import type { CachedThread } from './repoCache';
import { DEFAULT_SYNC_OPTIONS, syncRepo } from './repoSync';
import type { SyncOptions, SyncResult } from './repoSync';
import { viewerOperation } from './responses';
import { fetchThread } from './threadFetcher';

export const DEFAULT_API_URL = 'https://api.github.com';

export type GitHubLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface GitHubServiceOptions {
  /** Root of the per-repository caches (`<storageDir>/repos/...`). */
  storageDir: string;
  /** Default: the global fetch. Tests and the benchmark pass their own. */
  fetch?: FetchLike;
  clock?: Clock;
  /** Log lines, already redacted (the token never appears in them). */
  log?: (level: GitHubLogLevel, message: string) => void;
  /** Transport tuning: timeouts, retries, backoff, rate-limit policy, jitter source. */
  client?: Pick<GitHubClientOptions, 'timeoutMs' | 'maxRetries' | 'retryBaseMs' | 'maxSecondaryWaits' | 'budget' | 'random'>;
  sync?: Partial<SyncOptions>;
  /** Most items in "Recently updated". Default 50. */
  recentLimit?: number;
  /** Called after every successful sync of a repository (the knowledge index follows closed issues). */
  onSynced?: (repo: string) => void;
}

export interface ClosedThreadsOptions {
  /** Most threads fetched from GitHub in this call; the rest come in later calls (default 50). */
  fetchLimit?: number;
  signal?: AbortSignal;
}

/** Failures after which the cached copy is still worth showing. */
const STALE_REASONS = new Set(['github-unreachable', 'github-rate-limited', 'github-auth']);

export class GitHubService {
  /** Requests and bytes over every token this service has used (for benchmarks and the log). */
  readonly stats: GitHubClientStats = { requests: 0, bytesIn: 0, bytesOut: 0 };
  private client: GitHubClient | null = null;
  private token: string | null = null;

  /** Values that must never be written anywhere (the history masks them): the token in use, if any. */
  secretValues(): string[] {
    return this.token ? [this.token] : [];
  }
  private apiUrl = DEFAULT_API_URL;
  private login: string | null = null;
  private readonly clock: Clock;
  private readonly syncOptions: SyncOptions;
  private readonly lifetime = new AbortController();
  private readonly syncs = new Map<string, Promise<SyncResult>>();
  private readonly fetches = new Map<string, Promise<CachedThread>>();

  constructor(private readonly options: GitHubServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.syncOptions = { ...DEFAULT_SYNC_OPTIONS, ...options.sync };
  }

  get auth(): GitHubAuthState {
    return { apiUrl: this.apiUrl, login: this.login };
  }

  /** The GraphQL rate limit as last seen, or null. */
  get rateLimit(): GitHubClient['rateLimit'] {
    return this.client?.rateLimit ?? null;
  }

  /**
   * Takes a token (checked with a `viewer` query) or forgets it (`token: null`). A token GitHub
   * refuses is forgotten (github-auth); one that cannot be checked now (offline, rate limited) is
   * kept and used when GitHub answers again, and the error says why it is unchecked.
   */
  async setAuth(params: GitHubSetAuthParams): Promise<GitHubAuthState> {
    return this.guard(async () => {
      checkParams(params);
      const apiUrl = checkApiUrl(params.apiUrl ?? DEFAULT_API_URL);
      const token = params.token;
      if (token === null) {
        this.replaceClient(null, null, apiUrl);
        this.log('info', `github: signed out of ${hostOf(apiUrl)}`);
        return this.auth;
      }
      if (typeof token !== 'string' || token.trim() === '' || /\s/.test(token.trim())) {
        throw new ThreadwiseError('github-auth', 'the GitHub token is empty or has spaces in it', 'sign in to GitHub again, or paste the whole token');
      }
      const client = this.newClient(token.trim(), apiUrl);
      this.replaceClient(client, token.trim(), apiUrl);
      try {
        this.login = (await client.request(viewerOperation)).viewer.login;
      } catch (error) {
        const typed = toThreadwiseError(error);
        if (typed.reason === 'github-auth' && this.client === client) this.replaceClient(null, null, apiUrl);
        throw typed;
      }
      this.log('info', `github: signed in to ${hostOf(apiUrl)} as ${this.login}`);
      return this.auth;
    });
  }

  /** The grouped lists of a repository, synced first as `params.sync` asks (default incremental). */
  async list(params: GitHubListParams): Promise<GitHubRepoListing> {
    return this.guard(async () => {
      checkParams(params);
      const repo = checkRepo(params.repo);
      const mode = params.sync ?? 'incremental';
      if (mode !== 'cached' && mode !== 'incremental' && mode !== 'full') {
        throw new ThreadwiseError('invalid-thread', `sync must be cached, incremental or full, got ${JSON.stringify(String(mode)).slice(0, 40)}`);
      }
      const cache = this.cacheFor(repo);
      if (mode === 'cached') return this.cachedListing(cache, repo, null);
      const client = this.client;
      if (client === null) return this.cachedListing(cache, repo, 'signed out', signInError());
      try {
        const result = await this.sharedSync(client, cache, repo, mode);
        return { repo, groups: groupItems(result.items, result.state.viewer, result.state.mentioned, this.groupOptions()), syncedAt: result.state.syncedAt, stale: false };
      } catch (error) {
        const typed = toThreadwiseError(error);
        if (!STALE_REASONS.has(typed.reason)) throw typed;
        this.log('warn', `github: ${repo}: ${typed.describe()}; showing the cached lists`);
        return this.cachedListing(cache, repo, staleReason(typed), typed);
      }
    });
  }

  /** A whole thread: from the cache when it is as new as the list says (no request), else fetched. */
  async thread(params: GitHubThreadParams): Promise<GitHubThreadResult> {
    return this.guard(async () => {
      checkParams(params);
      const repo = checkRepo(params.repo);
      const number = checkNumber(params.number);
      const cache = this.cacheFor(repo);
      const cached = await cache.readThread(number);
      if (cached && params.refresh !== true && !cached.needsRefresh && (await isCurrent(cache, cached.thread))) {
        return { thread: cached.thread, stale: false, fetchedAt: cached.fetchedAt };
      }
      const client = this.client;
      if (client === null) {
        if (cached) return { thread: cached.thread, stale: true, staleReason: 'signed out', fetchedAt: cached.fetchedAt };
        throw signInError();
      }
      try {
        const fresh = await this.sharedFetch(client, cache, repo, number);
        return { thread: fresh.thread, stale: false, fetchedAt: fresh.fetchedAt };
      } catch (error) {
        const typed = toThreadwiseError(error);
        if (!cached || !STALE_REASONS.has(typed.reason)) throw typed;
        this.log('warn', `github: ${repo}#${number}: ${typed.describe()}; showing the cached copy`);
        return { thread: cached.thread, stale: true, staleReason: staleReason(typed), fetchedAt: cached.fetchedAt };
      }
    });
  }

  /**
   * Closed issues and merged pull requests with comments, as whole threads, for the knowledge
   * index: cached ones as they are, missing or outdated ones fetched (newest first, at most
   * `fetchLimit` per call, only while signed in). Needs a synced list; never throws for one thread.
   */
  async closedThreads(repo: string, options: ClosedThreadsOptions = {}): Promise<Thread[]> {
    const cache = this.cacheFor(checkRepo(repo));
    const items = (await cache.readItems()) ?? [];
    const candidates = items
      .filter((item) => item.state !== 'open' && item.commentCount > 0)
      .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    let fetchesLeft = options.fetchLimit ?? 50;
    const threads: Thread[] = [];
    for (const item of candidates) {
      options.signal?.throwIfAborted();
      const cached = await cache.readThread(item.number);
      const current = cached !== null && !cached.needsRefresh && cached.thread.updatedAt !== undefined && Date.parse(cached.thread.updatedAt) >= Date.parse(item.updatedAt);
      if (current || this.client === null || fetchesLeft <= 0) {
        if (cached) threads.push(cached.thread);
        continue;
      }
      fetchesLeft--;
      const client = this.client;
      try {
        // guard() redacts the token from whatever the failure says.
        threads.push((await this.guard(() => this.sharedFetch(client, cache, repo, item.number))).thread);
      } catch (error) {
        this.log('warn', `github: ${repo}#${item.number} for the knowledge index: ${toThreadwiseError(error).describe()}`);
        if (cached) threads.push(cached.thread);
      }
    }
    return threads;
  }

  /** Posts a comment the person confirmed; the cached thread gets it and is refetched on next use. */
  async postComment(params: GitHubPostParams): Promise<GitHubPostedComment> {
    return this.guard(async () => {
      checkParams(params);
      const repo = checkRepo(params.repo);
      const number = checkNumber(params.number);
      const body = checkBody(params.body);
      const client = this.requireClient();
      const cache = this.cacheFor(repo);
      const cached = await cache.readThread(number);
      const subjectId = cached?.thread.id ?? (await fetchSubjectId(client, repo, number));
      const result = await addComment(client, subjectId, body);
      this.log('info', `github: posted a comment on ${repo}#${number}: ${result.posted.url}`);
      await this.markThread(cache, number, (thread) => thread.comments.push(result.comment));
      return result.posted;
    });
  }

  /** Replaces the text of a comment; the cached thread gets the new text and is refetched on next use. */
  async editComment(params: GitHubEditCommentParams): Promise<GitHubPostedComment> {
    return this.guard(async () => {
      checkParams(params);
      if (typeof params.commentId !== 'string') throw new ThreadwiseError('github-not-found', 'commentId must be the comment\'s node id', 'use the commentId postComment returned');
      const body = checkBody(params.body);
      const client = this.requireClient();
      const result = await updateIssueComment(client, params.commentId, body);
      this.log('info', `github: edited ${result.posted.url}`);
      const cache = this.cacheFor(checkRepo(result.repo));
      await this.markThread(cache, result.number, (thread) => {
        const comment = thread.comments.find((c) => c.id === result.comment.id);
        if (comment) comment.body = result.comment.body;
      });
      return result.posted;
    });
  }

  /** Cancels every request and wait in flight; later calls fail. */
  dispose(): void {
    this.lifetime.abort(new Error('the GitHub service was disposed'));
    this.replaceClient(null, null, this.apiUrl);
  }

  // -------------------------------------------------------------------------------------------

  private async sharedSync(client: GitHubClient, cache: RepoCache, repo: string, mode: 'incremental' | 'full'): Promise<SyncResult> {
    const running = this.syncs.get(cache.dir);
    if (running) return running;
    const sync = (async () => {
      const requestsBefore = this.stats.requests;
      const bytesBefore = this.stats.bytesIn;
      const viewer = this.login ?? (await this.fetchLogin(client));
      const result = await syncRepo(client, cache, { repo, mode, viewer, startedAtMs: this.clock.now() }, this.syncOptions);
      this.log(
        'info',
        `github: synced ${repo} (${result.full ? 'full' : 'incremental'}): ${result.changed} changed of ${result.fetched} fetched, ` +
          `${this.stats.requests - requestsBefore} requests, ${Math.round((this.stats.bytesIn - bytesBefore) / 1024)} KiB`,
      );
      if (result.cacheError) this.log('warn', `github: could not write the lists of ${repo} to ${cache.dir}: ${result.cacheError}`);
      try {
        this.options.onSynced?.(repo);
      } catch (error) {
        this.log('warn', `github: a listener of the sync of ${repo} failed: ${toThreadwiseError(error).message}`);
      }
      return result;
    })();
    this.syncs.set(cache.dir, sync);
    try {
      return await sync;
    } finally {
      this.syncs.delete(cache.dir);
    }
  }

  private async sharedFetch(client: GitHubClient, cache: RepoCache, repo: string, number: number): Promise<CachedThread> {
    const key = `${cache.dir}#${number}`;
    const running = this.fetches.get(key);
    if (running) return running;
    const fetching = (async () => {
      const thread = await fetchThread(client, { repo, number });
      const entry: CachedThread = { thread, fetchedAt: new Date(this.clock.now()).toISOString(), needsRefresh: false };
      await cache.writeThread(entry).catch((error: unknown) => {
        this.log('warn', `github: could not cache ${repo}#${number} in ${cache.dir}: ${error instanceof Error ? error.message : String(error)}`);
      });
      return entry;
    })();
    this.fetches.set(key, fetching);
    try {
      return await fetching;
    } finally {
      this.fetches.delete(key);
    }
  }

  private async fetchLogin(client: GitHubClient): Promise<string> {
    const login = (await client.request(viewerOperation)).viewer.login;
    if (this.client === client) this.login = login;
    return login;
  }

  private async cachedListing(cache: RepoCache, repo: string, reason: string | null, failure?: ThreadwiseError): Promise<GitHubRepoListing> {
    const state = await cache.readSync();
    const items = state === null ? null : await cache.readItems();
    if (failure && (state === null || items === null)) throw failure;
    const listing: GitHubRepoListing = {
      repo,
      groups: groupItems(items ?? [], state?.viewer ?? this.login, state?.mentioned ?? [], this.groupOptions()),
      syncedAt: state?.syncedAt ?? null,
      stale: reason !== null,
    };
    if (reason !== null) listing.staleReason = reason;
    return listing;
  }

  /** Applies `change` to the cached thread (if any) and marks it for a refetch; a failed write only logs. */
  private async markThread(cache: RepoCache, number: number, change: (thread: Thread) => void): Promise<void> {
    try {
      const cached = await cache.readThread(number);
      if (!cached) return;
      change(cached.thread);
      await cache.writeThread({ ...cached, needsRefresh: true });
    } catch (error) {
      this.log('warn', `github: could not update the cached thread #${number}: ${toThreadwiseError(error).message}`);
    }
  }

  private cacheFor(repo: string): RepoCache {
    return new RepoCache(RepoCache.folder(this.options.storageDir, this.apiUrl, repo), (message) => this.log('warn', `github cache: ${message}`));
  }

  private newClient(token: string, apiUrl: string): GitHubClient {
    return new GitHubClient({
      ...this.options.client,
      token,
      apiUrl,
      fetch: this.options.fetch,
      clock: this.clock,
      stats: this.stats,
      signal: this.lifetime.signal,
      log: (level, message) => this.log(level, message),
    });
  }

  private replaceClient(client: GitHubClient | null, token: string | null, apiUrl: string): void {
    this.client = client;
    this.token = token;
    this.apiUrl = apiUrl;
    this.login = null;
  }

  private requireClient(): GitHubClient {
    if (this.lifetime.signal.aborted) throw new ThreadwiseError('github-unreachable', 'the GitHub service has shut down', 'restart the daemon');
    if (this.client === null) throw signInError();
    return this.client;
  }

  private groupOptions(): { recentLimit?: number } {
    return this.options.recentLimit === undefined ? {} : { recentLimit: this.options.recentLimit };
  }

  private log(level: GitHubLogLevel, message: string): void {
    this.options.log?.(level, redact(message, this.token));
  }

  /**
   * Runs `action` and passes on its failure as a ThreadwiseError with the token scrubbed from the
   * message and hint and no `cause` (a cause could hold a request with its headers).
   */
  private async guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const typed = toThreadwiseError(error);
      if (typed.reason === 'internal') this.log('error', `github: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const hint = typed.hint === undefined ? undefined : redact(typed.hint, this.token);
      if (typed instanceof GitHubRateLimitedError) throw new GitHubRateLimitedError(redact(typed.message, this.token), typed.untilMs, hint);
      throw new ThreadwiseError(typed.reason, redact(typed.message, this.token), hint);
    }
  }
}

/** Whether the cached thread is at least as new as the list row GitHub last reported for it. */
async function isCurrent(cache: RepoCache, thread: Thread): Promise<boolean> {
  if (thread.updatedAt === undefined) return false;
  const items = await cache.readItems();
  const row = items?.find((item) => item.number === thread.number);
  return row !== undefined && Date.parse(thread.updatedAt) >= Date.parse(row.updatedAt);
}

function staleReason(error: ThreadwiseError): string {
  if (error instanceof GitHubRateLimitedError) return `rate limited until ${clockTime(error.untilMs)}`;
  if (error.reason === 'github-auth') return 'GitHub refused the token';
  return 'offline';
}

function signInError(): ThreadwiseError {
  return new ThreadwiseError('github-auth', 'Sign in to GitHub to fetch issues and pull requests', 'run "Threadwise: Sign In" in VS Code, or set GITHUB_TOKEN for the CLI');
}

function hostOf(apiUrl: string): string {
  return new URL(apiUrl).host;
}
