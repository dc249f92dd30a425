// A local, writable GitHub GraphQL API for tests, the CLI demo and benchmarks: GitHub's real schema
// (queries GitHub would reject fail here too) over a FixtureStore, on 127.0.0.1.
//
// HTTP contract (GitHub's, as far as Threadwise can tell):
// - POST /graphql and POST /api/graphql (the GHES form, so `${url}/api` works as a baseUrl);
// - `authorization: bearer T` or `token T`; a missing or unknown token → 401 Bad credentials;
// - a body that is not JSON → 400; every answer carries the x-ratelimit-* headers;
// - each executed query costs `rateLimit.costPerQuery`; at 0 remaining → 200 with RATE_LIMITED;
// - queued faults replace (or delay, or corrupt) the next answers, one per request, in order.
// Not GitHub: GET /_fake/state returns every thread's comments as JSON (FakeState), for tests in
// another process. The token is never written anywhere (only kept in `requests` for assertions).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { executeGraphql, type GraphqlRequest, type GraphqlResponseBody } from './executeGraphql';
import { makePartial, SECONDARY_RATE_LIMIT_MESSAGE, truncateJson, type Fault } from './faults';
import { isoSeconds } from './fixtureFormat';
import { FixtureStore } from './fixtureStore';
import type { RateLimitView } from './fakeContext';

export type { Fault } from './faults';
export { FixtureStore } from './fixtureStore';

export interface FakeGitHubOptions {
  /** Accepted tokens; default `['test-token']`. */
  tokens?: string[];
  /** Login of the tokens' user (`viewer`, `@me`, author of posted comments); default `maint`. */
  viewer?: string;
  /** Clock of mutations and of the rate-limit window; default the real clock. */
  now?: () => Date;
}

/** One POST /graphql as the fake saw it (status 0 until answered; stays 0 for a `hang`). */
export interface RecordedRequest {
  operationName?: string;
  query: string;
  variables: Record<string, unknown>;
  status: number;
  requestBytes: number;
  /** Bytes of the response body. */
  responseBytes: number;
  /** The token sent. NEVER log it; it is kept for assertions only. */
  token?: string;
}

/** The primary rate limit; tests may set any field directly. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When `remaining` goes back to `limit` (then the window moves an hour on). */
  resetAt: Date;
  costPerQuery: number;
}

const DOCS = 'https://docs.github.com/graphql';
const HOUR = 3_600_000;

export class FakeGitHub {
  readonly store: FixtureStore;
  readonly requests: RecordedRequest[] = [];
  rateLimit: RateLimitState;

  readonly #server: Server;
  readonly #tokens: ReadonlySet<string>;
  readonly #viewer: string;
  readonly #now: () => Date;
  readonly #faults: Fault[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #port = 0;

  private constructor(options: FakeGitHubOptions) {
    this.#tokens = new Set(options.tokens ?? ['test-token']);
    this.#viewer = options.viewer ?? 'maint';
    this.#now = options.now ?? (() => new Date());
    this.store = new FixtureStore();
    this.rateLimit = { limit: 5000, remaining: 5000, resetAt: new Date(this.#now().getTime() + HOUR), costPerQuery: 1 };
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        // Never echo request headers here: they hold the token.
        console.error(`fake GitHub: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) this.#send(res, undefined, 500, JSON.stringify({ message: 'fake GitHub internal error' }));
      });
    });
  }

  /** Starts listening on 127.0.0.1 (`port` 0 or left out: a free port). */
  static async start(options: FakeGitHubOptions & { port?: number } = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:PORT`: the baseUrl for @octokit/graphql (it POSTs to `${url}/graphql`). */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** The login the tokens belong to. */
  get viewer(): string {
    return this.#viewer;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Faults served to the next requests, in order, one per request (then normal service resumes). */
  enqueueFault(fault: Fault): void {
    this.#faults.push(fault);
  }

  /** Stops listening and drops every connection, hanging or delayed ones included. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  // -------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && path === '/_fake/state') {
      this.#send(res, undefined, 200, JSON.stringify(this.store.snapshot()));
    } else if (req.method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
      await this.#graphql(req, res);
    } else {
      req.resume();
      this.#send(res, undefined, 404, JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }));
    }
  }

  async #graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const record: RecordedRequest = { query: '', variables: {}, status: 0, requestBytes: raw.length, responseBytes: 0 };
    this.requests.push(record);
    const token = bearerToken(req.headers.authorization);
    if (token !== undefined) record.token = token;
    const request = parseRequest(raw);
    if (request && typeof request !== 'string') Object.assign(record, request);

    const fault = this.#faults.shift();
    switch (fault?.kind) {
      case 'status': {
        const body = fault.body ?? JSON.stringify({ message: STATUS_CODES[fault.status] ?? 'Error' });
        return this.#send(res, record, fault.status, body, fault.headers);
      }
      case 'secondaryRateLimit': {
        const body = JSON.stringify({ message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: `${DOCS}/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits` });
        return this.#send(res, record, fault.status, body, { 'retry-after': String(fault.retryAfterSeconds) });
      }
      case 'hang':
        return; // answered never; stop() drops the connection
      case 'delay':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            resolve();
          }, fault.ms);
          this.#timers.add(timer);
        });
        break;
      default:
        break;
    }

    if (token === undefined || !this.#tokens.has(token)) {
      return this.#send(res, record, 401, JSON.stringify({ message: 'Bad credentials', documentation_url: DOCS }));
    }
    if (request === undefined) {
      return this.#send(res, record, 400, JSON.stringify({ message: 'Problems parsing JSON', documentation_url: DOCS }));
    }
    if (typeof request === 'string') return this.#send(res, record, 200, JSON.stringify({ errors: [{ message: request }] }));

    this.#refreshRateLimit();
    if (this.rateLimit.remaining <= 0 || this.rateLimit.remaining < this.rateLimit.costPerQuery) {
      const body: GraphqlResponseBody = { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] };
      return this.#send(res, record, 200, JSON.stringify(body));
    }
    let body = await executeGraphql(request, {
      store: this.store,
      viewer: this.#viewer,
      now: this.#now,
      charge: (nodeCount) => this.#charge(nodeCount),
    });
    if (fault?.kind === 'partial') body = makePartial(body);
    const text = JSON.stringify(body);
    this.#send(res, record, 200, fault?.kind === 'malformedJson' ? truncateJson(text) : text);
  }

  #refreshRateLimit(): void {
    const now = this.#now().getTime();
    if (now >= this.rateLimit.resetAt.getTime()) {
      this.rateLimit.remaining = this.rateLimit.limit;
      this.rateLimit.resetAt = new Date(now + HOUR);
    }
  }

  #charge(nodeCount: number): RateLimitView {
    const state = this.rateLimit;
    state.remaining = Math.max(0, state.remaining - state.costPerQuery);
    return {
      cost: state.costPerQuery,
      limit: state.limit,
      remaining: state.remaining,
      used: state.limit - state.remaining,
      resetAt: isoSeconds(state.resetAt.getTime()),
      nodeCount,
    };
  }

  #send(res: ServerResponse, record: RecordedRequest | undefined, status: number, body: string, extraHeaders: Record<string, string> = {}): void {
    const bytes = Buffer.from(body, 'utf8');
    if (record) {
      record.status = status;
      record.responseBytes = bytes.length;
    }
    const { limit, remaining, resetAt } = this.rateLimit;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.length),
      'x-github-media-type': 'github.v4; format=json',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-used': String(limit - Math.max(0, remaining)),
      'x-ratelimit-reset': String(Math.floor(resetAt.getTime() / 1000)),
      'x-ratelimit-resource': 'graphql',
      ...extraHeaders,
    });
    res.end(bytes);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The token of `bearer T` / `token T` (either case), or undefined. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The request, or undefined when the body is not JSON (→ 400), or GitHub's error message when it
 * is JSON without a string `query` (→ 200 with that error).
 */
function parseRequest(raw: Buffer): GraphqlRequest | string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'A query attribute must be specified and must be a string.';
  const { query, variables, operationName } = json as Record<string, unknown>;
  if (typeof query !== 'string') return 'A query attribute must be specified and must be a string.';
  const request: GraphqlRequest = {
    query,
    variables: variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {},
  };
  if (typeof operationName === 'string' && operationName !== '') request.operationName = operationName;
  return request;
}
