/**
 * The GitHub transport: one GraphQL operation in, its checked answer out, through @octokit/graphql
 * with an injected `fetch`. It paces itself by the rate limit, waits out secondary limits, retries
 * transient failures with jittered backoff, and turns every failure into a ThreadwiseError whose
 * message never holds the token (octokit's own errors carry the request headers, so they are
 * never passed on, not even as a `cause`).
 */
import { graphql } from '@octokit/graphql';
import { ThreadwiseError } from '../errors';
import { clockTime, systemClock } from './clock';
import type { Clock } from './clock';
import { classifyExchange } from './exchange';
import type { Exchange } from './exchange';
import { DEFAULT_BUDGET_POLICY, RateBudget } from './rateBudget';
import type { BudgetPolicy, RateLimitSnapshot } from './rateBudget';
import { redact } from './redact';
import { readRateLimit } from './responses';
import type { Operation } from './responses';
import { ShapeError } from './shape';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type GitHubLog = (level: 'warn' | 'info' | 'debug', message: string) => void;

export interface GitHubClientOptions {
  token: string;
  /** API root, e.g. `https://api.github.com`; GraphQL is at `<apiUrl>/graphql`. */
  apiUrl: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  clock?: Clock;
  /** 0 ≤ x < 1; default Math.random (the backoff jitter). */
  random?: () => number;
  /** One attempt's limit. Default 30 s. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout or HTTP 500/502/503/504. Default 3. */
  maxRetries?: number;
  /** First backoff; doubles each retry, with jitter (50–100 %). Default 1 s. */
  retryBaseMs?: number;
  /** Times a secondary rate limit is waited out for one operation before giving up. Default 3. */
  maxSecondaryWaits?: number;
  budget?: Partial<BudgetPolicy>;
  log?: GitHubLog;
  /** Counters to add to (shared by the clients of one service); default a fresh set. */
  stats?: GitHubClientStats;
  /** Aborts every request and wait (the service's dispose). */
  signal?: AbortSignal;
}

export interface GitHubClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Response body bytes received. */
  bytesIn: number;
  /** Request body bytes sent. */
  bytesOut: number;
}

type Variables = Record<string, string | number | boolean | null>;

const MAX_BACKOFF_MS = 30_000;

/** github-rate-limited, with the time the limit lifts (for "rate limited until 12:04"). */
export class GitHubRateLimitedError extends ThreadwiseError {
  constructor(
    message: string,
    readonly untilMs: number,
    hint?: string,
  ) {
    super('github-rate-limited', message, hint);
  }
}

export class GitHubClient {
  readonly stats: GitHubClientStats;
  readonly apiUrl: string;
  private readonly budget: RateBudget;
  private readonly policy: BudgetPolicy;
  private readonly graphql: typeof graphql;
  private readonly fetch: FetchLike;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxSecondaryWaits: number;
  private readonly log: GitHubLog;
  private readonly host: string;

  constructor(private readonly options: GitHubClientOptions) {
    this.stats = options.stats ?? { requests: 0, bytesIn: 0, bytesOut: 0 };
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.host = hostOf(this.apiUrl);
    this.policy = { ...DEFAULT_BUDGET_POLICY, ...options.budget };
    this.budget = new RateBudget(this.policy);
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.maxSecondaryWaits = options.maxSecondaryWaits ?? 3;
    const log = options.log;
    this.log = (level, message) => log?.(level, redact(message, options.token));
    this.graphql = graphql.defaults({
      baseUrl: this.apiUrl,
      headers: { authorization: `bearer ${options.token}`, 'user-agent': 'threadwise' },
    });
  }

  /** The rate limit as last seen (null before the first answer). */
  get rateLimit(): Readonly<RateLimitSnapshot> | null {
    return this.budget.current;
  }

  /** Sends one operation; resolves with its checked answer or rejects with a ThreadwiseError. */
  async request<T>(operation: Operation<T>, variables: Variables = {}): Promise<T> {
    let failures = 0;
    let secondaryWaits = 0;
    for (;;) {
      await this.awaitBudget(operation.name);
      const exchange = await this.send(operation, variables);
      if (exchange.kind === 'response') this.budget.observeHeaders(exchange.headers);
      const verdict = classifyExchange(exchange, this.clock.now(), operation.name);
      switch (verdict.kind) {
        case 'data':
          return this.accept(operation, verdict.data);
        case 'transient': {
          failures++;
          if (failures > this.maxRetries) {
            throw new ThreadwiseError(
              'github-unreachable',
              redact(`GitHub could not be reached at ${this.host} (${verdict.what}; ${failures} attempts)`, this.options.token),
              'check the network connection and the GitHub API URL, then try again',
            );
          }
          const ms = this.backoff(failures);
          this.log('info', `github: ${operation.name}: ${verdict.what}; retrying in ${seconds(ms)} (retry ${failures} of ${this.maxRetries})`);
          await this.sleep(ms);
          continue;
        }
        case 'rate-limited': {
          secondaryWaits++;
          this.budget.block(verdict.untilMs);
          if (verdict.untilMs - this.clock.now() > this.policy.maxWaitMs || secondaryWaits > this.maxSecondaryWaits) {
            throw rateLimited(verdict.untilMs, verdict.secondary);
          }
          this.log('info', `github: ${operation.name}: ${verdict.secondary ? 'secondary rate limit' : 'rate limit used up'}; waiting ${seconds(verdict.untilMs - this.clock.now())} as GitHub asks`);
          continue; // awaitBudget sits out the block
        }
        case 'error':
          throw new ThreadwiseError(verdict.reason, redact(verdict.message, this.options.token), verdict.hint);
      }
    }
  }

  private accept<T>(operation: Operation<T>, data: unknown): T {
    const limit = readRateLimit(data);
    if (limit) this.budget.observe({ limit: limit.limit, remaining: limit.remaining, resetAtMs: Date.parse(limit.resetAt), cost: limit.cost });
    try {
      return operation.parse(data, 'data');
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      throw new ThreadwiseError(
        'github-bad-response',
        `GitHub's answer to ${operation.name} is incomplete: ${redact(error.message, this.options.token)}`,
        'nothing was stored from it; try again, and report it if it keeps happening',
      );
    }
  }

  private async awaitBudget(operationName: string): Promise<void> {
    for (;;) {
      const decision = this.budget.decide(this.clock.now());
      if (decision.kind === 'go') return;
      if (decision.kind === 'refuse') throw rateLimited(decision.untilMs, decision.why === 'blocked');
      if (decision.why !== 'pacing') this.log('info', `github: ${operationName}: rate limit: waiting ${seconds(decision.ms)}`);
      await this.sleep(decision.ms);
    }
  }

  /** One HTTP exchange, recorded by the fetch octokit is given, whatever octokit makes of it. */
  private async send(operation: Operation<unknown>, variables: Variables): Promise<Exchange> {
    let exchange: Exchange | undefined;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), this.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout.signal, this.options.signal]) : timeout.signal;
    const recordingFetch: FetchLike = async (input, init) => {
      this.stats.requests++;
      if (typeof init?.body === 'string') this.stats.bytesOut += Buffer.byteLength(init.body);
      let response: Response;
      let bytes: Uint8Array;
      try {
        response = await this.fetch(input, init);
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        exchange = timeout.signal.aborted ? { kind: 'timeout', ms: this.timeoutMs } : { kind: 'network', message: networkMessage(error) };
        throw error;
      }
      this.stats.bytesIn += bytes.byteLength;
      exchange = { kind: 'response', status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes) };
      // octokit reads the body again: hand it an unread copy.
      const empty = response.status === 204 || response.status === 205 || response.status === 304;
      return new Response(empty ? null : bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    try {
      await this.graphql(operation.document, { ...variables, operationName: operation.name, request: { fetch: recordingFetch, signal } });
    } catch {
      // What octokit throws holds the request (token included); the recorded exchange says it all.
    } finally {
      clearTimeout(timer);
    }
    this.throwIfCancelled();
    if (!exchange) {
      throw new ThreadwiseError('internal', `internal error: the GitHub request ${operation.name} was not sent`, 'see the Threadwise log for details');
    }
    return exchange;
  }

  private backoff(failures: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, this.retryBaseMs * 2 ** (failures - 1));
    return Math.round(ceiling * (0.5 + this.random() * 0.5));
  }

  private async sleep(ms: number): Promise<void> {
    try {
      await this.clock.sleep(ms, this.options.signal);
    } catch {
      this.throwIfCancelled();
    }
  }

  private throwIfCancelled(): void {
    if (this.options.signal?.aborted) {
      throw new ThreadwiseError('github-unreachable', 'the GitHub request was cancelled: the daemon is shutting down', 'try again');
    }
  }
}

function rateLimited(untilMs: number, secondary: boolean): GitHubRateLimitedError {
  return new GitHubRateLimitedError(
    secondary
      ? `GitHub's secondary rate limit asks Threadwise to pause until ${clockTime(untilMs)}`
      : `GitHub's API rate limit is used up until ${clockTime(untilMs)}`,
    untilMs,
    'cached lists and threads are shown until then; try again after that time',
  );
}

function networkMessage(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ?? cause?.message ?? error.message;
}

function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
