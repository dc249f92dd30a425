import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ThreadwiseError } from '../../server/src/errors';
import { clockTime } from '../../server/src/github/clock';
import type { Clock } from '../../server/src/github/clock';
import { GitHubClient, GitHubRateLimitedError } from '../../server/src/github/gitHubClient';
import type { FetchLike, GitHubClientOptions } from '../../server/src/github/gitHubClient';
import { RateBudget } from '../../server/src/github/rateBudget';
import { redact } from '../../server/src/github/redact';
import { addCommentOperation, viewerOperation } from '../../server/src/github/responses';
import type { ErrorReason } from '../../server/src/protocol';

const TOKEN = 'ghp_PLANTEDsecretTOKEN0123456789abcdefXYZ';
const START = Date.UTC(2024, 0, 15, 9, 0, 0);

type Reply = { status?: number; body?: string | object; headers?: Record<string, string> } | { throws: Error } | { hang: true };

interface Sent {
  url: string;
  headers: Headers;
  body: string;
}

/** A fetch that answers from a script, one reply per call, and records what was sent. */
function scriptedFetch(replies: Reply[]): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({ url: input instanceof Request ? input.url : input.toString(), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : '' });
    const reply = replies.shift();
    if (!reply) return Promise.reject(new Error('the script has no more replies'));
    if ('throws' in reply) return Promise.reject(reply.throws);
    if ('hang' in reply) {
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    }
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    return Promise.resolve(new Response(body, { status: reply.status ?? 200, headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers } }));
  };
  return { fetch, sent };
}

/** A clock whose sleeps return at once and move time on; it records every sleep. */
function fakeClock(): Clock & { sleeps: number[]; ms: number } {
  const clock = {
    ms: START,
    sleeps: [] as number[],
    now: () => clock.ms,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

function viewerData(rateLimit: { remaining?: number; resetAt?: number; limit?: number; cost?: number } = {}): object {
  return {
    data: {
      viewer: { login: 'maint' },
      rateLimit: {
        cost: rateLimit.cost ?? 1,
        remaining: rateLimit.remaining ?? 4999,
        limit: rateLimit.limit ?? 5000,
        resetAt: new Date(rateLimit.resetAt ?? START + 3_600_000).toISOString(),
      },
    },
  };
}

function makeClient(replies: Reply[], options: Partial<GitHubClientOptions> = {}) {
  const { fetch, sent } = scriptedFetch(replies);
  const clock = fakeClock();
  const logs: string[] = [];
  const client = new GitHubClient({
    token: TOKEN,
    apiUrl: 'https://api.example.test',
    fetch,
    clock,
    random: () => 0.5,
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...options,
  });
  return { client, sent, clock, logs };
}

/** Every string reachable from an error: message, hint, stack, JSON, and the cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    parts.push(current instanceof Error ? current.toString() : JSON.stringify(current));
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', JSON.stringify(current), JSON.stringify(Object.entries(current)));
      if (current instanceof ThreadwiseError) parts.push(current.hint ?? '', current.describe());
      current = current.cause;
    } else {
      current = undefined;
    }
  }
  return parts.join('\n');
}

async function failure(promise: Promise<unknown>, reason: ErrorReason): Promise<ThreadwiseError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ThreadwiseError, `expected a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.reason, reason, `reason of: ${error.message}`);
    assert.equal(error.cause, undefined, 'no cause: a cause could carry the request headers');
    assert.ok(!everythingIn(error).includes(TOKEN), `the token leaked into: ${everythingIn(error)}`);
    return error;
  }
  assert.fail(`expected a ${reason} failure`);
}

describe('GitHubClient: a normal request', () => {
  test('posts the named operation to <apiUrl>/graphql with the token, returns the checked data, counts bytes', async () => {
    const reply = viewerData();
    const { client, sent } = makeClient([{ body: reply }]);
    const answer = await client.request(viewerOperation);
    assert.deepEqual(answer.viewer, { login: 'maint' });
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.url, 'https://api.example.test/graphql');
    assert.equal(sent[0]?.headers.get('authorization'), `bearer ${TOKEN}`);
    const body = JSON.parse(sent[0]?.body ?? '{}') as { operationName?: string; query?: string };
    assert.equal(body.operationName, 'Viewer');
    assert.match(body.query ?? '', /^query Viewer/);
    assert.deepEqual(client.stats, { requests: 1, bytesIn: Buffer.byteLength(JSON.stringify(reply)), bytesOut: Buffer.byteLength(sent[0]?.body ?? '') });
    assert.equal(client.rateLimit?.remaining, 4999);
  });
});

describe('GitHubClient: retries and waits', () => {
  test('a secondary rate limit (403 + retry-after) is waited out exactly as told, then retried', async () => {
    const { client, sent, clock } = makeClient([
      { status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '7' } },
      { body: viewerData() },
    ]);
    await client.request(viewerOperation);
    assert.equal(sent.length, 2);
    assert.deepEqual(clock.sleeps, [7000]);
  });

  test('429 with retry-after works the same; a secondary limit without retry-after waits a minute', async () => {
    const { client, clock } = makeClient([
      { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '2' } },
      { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait.' } },
      { body: viewerData() },
    ]);
    await client.request(viewerOperation);
    assert.deepEqual(clock.sleeps, [2000, 60_000]);
  });

  test('a retry-after longer than the longest wait fails at once with github-rate-limited and the time', async () => {
    const { client, sent, clock } = makeClient([{ status: 403, body: { message: 'secondary rate limit' }, headers: { 'retry-after': '600' } }]);
    const error = await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.ok(error instanceof GitHubRateLimitedError);
    assert.equal(error.untilMs, START + 600_000);
    assert.ok(error.message.includes(`until ${clockTime(START + 600_000)}`), error.message);
    assert.equal(sent.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  test('secondary limits are waited out a bounded number of times', async () => {
    const limited = { status: 403, body: { message: 'secondary rate limit' }, headers: { 'retry-after': '1' } };
    const { client, sent } = makeClient([limited, limited, limited], { maxSecondaryWaits: 2 });
    await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.equal(sent.length, 3);
  });

  test('502, 503 and 504 are retried with jittered exponential backoff, then succeed', async () => {
    const { client, sent, clock } = makeClient([{ status: 502 }, { status: 503 }, { status: 504 }, { body: viewerData() }], { retryBaseMs: 1000, random: () => 0.5 });
    await client.request(viewerOperation);
    assert.equal(sent.length, 4);
    // 1 s, 2 s, 4 s ceilings, each at 50–100 %: with random() = 0.5 exactly 75 %.
    assert.deepEqual(clock.sleeps, [750, 1500, 3000]);
  });

  test('the jitter stays within 50–100 % of the ceiling', async () => {
    for (const random of [0, 0.999999]) {
      const { client, clock } = makeClient([{ status: 502 }, { status: 502 }, { body: viewerData() }], { retryBaseMs: 1000, random: () => random });
      await client.request(viewerOperation);
      assert.deepEqual(clock.sleeps, random === 0 ? [500, 1000] : [1000, 2000]);
    }
  });

  test('retries are bounded: after maxRetries the failure is github-unreachable', async () => {
    const { client, sent, clock } = makeClient([{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }], { maxRetries: 3 });
    const error = await failure(client.request(viewerOperation), 'github-unreachable');
    assert.equal(sent.length, 4);
    assert.equal(clock.sleeps.length, 3);
    assert.match(error.message, /HTTP 502; 4 attempts/);
    assert.match(error.hint ?? '', /network connection/);
  });

  test('network errors are retried and then reported with their code', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    const { client, sent } = makeClient([{ throws: refused }, { throws: refused }], { maxRetries: 1 });
    const error = await failure(client.request(viewerOperation), 'github-unreachable');
    assert.equal(sent.length, 2);
    assert.match(error.message, /network error: ECONNREFUSED/);
  });

  test('a request that never answers times out and is retried', async () => {
    const { client, sent } = makeClient([{ hang: true }, { body: viewerData() }], { timeoutMs: 20 });
    const answer = await client.request(viewerOperation);
    assert.equal(answer.viewer.login, 'maint');
    assert.equal(sent.length, 2);
  });

  test('timeouts count as failures: all attempts timing out give github-unreachable', async () => {
    const { client } = makeClient([{ hang: true }, { hang: true }], { timeoutMs: 20, maxRetries: 1 });
    const error = await failure(client.request(viewerOperation), 'github-unreachable');
    assert.match(error.message, /no answer within/);
  });
});

describe('GitHubClient: failures that are not retried', () => {
  test('401 Bad credentials → github-auth, one request', async () => {
    const { client, sent } = makeClient([{ status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' } }]);
    const error = await failure(client.request(viewerOperation), 'github-auth');
    assert.match(error.message, /refused the token \(401 Bad credentials/);
    assert.equal(sent.length, 1);
  });

  test('403 without any rate-limit sign → github-auth', async () => {
    const { client } = makeClient([{ status: 403, body: { message: 'Resource protected by organization SAML enforcement.' } }]);
    await failure(client.request(viewerOperation), 'github-auth');
  });

  test('malformed JSON → github-bad-response', async () => {
    const { client, sent } = makeClient([{ body: '{"data":{"viewer":{"log' }]);
    const error = await failure(client.request(viewerOperation), 'github-bad-response');
    assert.match(error.message, /malformed JSON/);
    assert.equal(sent.length, 1);
  });

  test('errors with partial data → github-bad-response naming the errors', async () => {
    const body = { data: { viewer: null, rateLimit: null }, errors: [{ path: ['viewer'], message: 'Something went wrong while executing your query.' }] };
    const error = await failure(makeClient([{ body }]).client.request(viewerOperation), 'github-bad-response');
    assert.match(error.message, /partial data and errors: Something went wrong/);
  });

  test('NOT_FOUND errors → github-not-found with GitHub\'s words', async () => {
    const body = { data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'o/nope'." }] };
    const error = await failure(makeClient([{ body }]).client.request(viewerOperation), 'github-not-found');
    assert.match(error.message, /Could not resolve to a Repository with the name 'o\/nope'/);
  });

  test('an answer missing a required field → github-bad-response naming the field', async () => {
    const body = { data: { viewer: { name: 'no login here' }, rateLimit: null } };
    const error = await failure(makeClient([{ body }]).client.request(viewerOperation), 'github-bad-response');
    assert.match(error.message, /data\.viewer\.login should be a string/);
  });

  test('an answer with no data at all → github-bad-response', async () => {
    await failure(makeClient([{ body: { message: 'hello' } }]).client.request(viewerOperation), 'github-bad-response');
    await failure(makeClient([{ body: '[1,2]' }]).client.request(viewerOperation), 'github-bad-response');
  });

  test('an unexpected status (400) → github-bad-response with the status', async () => {
    const error = await failure(makeClient([{ status: 400, body: { message: 'Problems parsing JSON' } }]).client.request(viewerOperation), 'github-bad-response');
    assert.match(error.message, /HTTP 400: Problems parsing JSON/);
  });

  test('the token is absent from every error, even when GitHub echoes it back', async () => {
    const echo = `token ${TOKEN} is not valid here; Authorization: bearer ${TOKEN}`;
    const cases: [Reply, ErrorReason][] = [
      [{ status: 401, body: { message: echo } }, 'github-auth'],
      [{ status: 403, body: { message: echo } }, 'github-auth'],
      [{ status: 422, body: echo }, 'github-bad-response'],
      [{ body: { data: { viewer: null }, errors: [{ message: echo }] } }, 'github-bad-response'],
      [{ body: { data: null, errors: [{ type: 'NOT_FOUND', message: echo }] } }, 'github-not-found'],
      [{ throws: new TypeError(echo) }, 'github-unreachable'],
    ];
    for (const [reply, reason] of cases) {
      const { client, logs } = makeClient([reply, reply], { maxRetries: 1 });
      await failure(client.request(viewerOperation), reason);
      assert.ok(!logs.join('\n').includes(TOKEN), `the token leaked into a log line: ${logs.join('\n')}`);
    }
  });
});

describe('GitHubClient: the primary rate limit', () => {
  test('when the budget is used up until later than the longest wait, the next request is refused without being sent', async () => {
    const resetAt = START + 20 * 60_000;
    const { client, sent } = makeClient([{ body: viewerData({ remaining: 0, resetAt }) }, { body: viewerData() }]);
    await client.request(viewerOperation);
    const error = await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.ok(error.message.includes(`until ${clockTime(resetAt)}`), error.message);
    assert.equal(sent.length, 1);
  });

  test('when the window resets soon, the client waits for it instead of failing', async () => {
    const resetAt = START + 30_000;
    const { client, sent, clock } = makeClient([{ body: viewerData({ remaining: 0, resetAt }) }, { body: viewerData() }]);
    await client.request(viewerOperation);
    await client.request(viewerOperation);
    assert.equal(sent.length, 2);
    assert.deepEqual(clock.sleeps, [30_000]);
  });

  test('a low budget spaces requests out over the rest of the window', async () => {
    // 100 points left of 5000 (< 10 %), 500 s to the reset: one request every 5 s.
    const resetAt = START + 500_000;
    const replies: Reply[] = [{ body: viewerData({ remaining: 100, resetAt }) }];
    for (let i = 1; i <= 3; i++) replies.push({ body: viewerData({ remaining: 100 - i, resetAt }) });
    const { client, sent, clock } = makeClient(replies);
    for (let i = 0; i < 4; i++) await client.request(viewerOperation);
    assert.equal(sent.length, 4);
    assert.equal(clock.sleeps.length, 2, `sleeps: ${clock.sleeps.join(', ')}`);
    for (const ms of clock.sleeps) assert.ok(ms >= 4900 && ms <= 5100, `a gap of about 5 s, got ${ms}`);
  });

  test('a plentiful budget never waits', async () => {
    const replies: Reply[] = Array.from({ length: 5 }, () => ({ body: viewerData({ remaining: 4000 }) }));
    const { client, clock } = makeClient(replies);
    for (let i = 0; i < 5; i++) await client.request(viewerOperation);
    assert.deepEqual(clock.sleeps, []);
  });

  test('the x-ratelimit-* headers count too (mutations have no rateLimit field)', async () => {
    const reset = Math.floor((START + 3_600_000) / 1000);
    const comment = { id: 'IC_1', url: 'u', body: 'b', createdAt: '2024-01-15T09:00:00Z', updatedAt: '2024-01-15T09:00:00Z', author: { login: 'maint' }, authorAssociation: 'MEMBER' };
    const { client, sent } = makeClient([
      {
        body: { data: { addComment: { commentEdge: { node: comment } } } },
        headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'graphql' },
      },
    ]);
    await client.request(addCommentOperation, { subjectId: 'I_1', body: 'b' });
    await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.equal(sent.length, 1);
  });

  test('a RATE_LIMITED answer (200 with the error) is github-rate-limited until the reset header', async () => {
    const reset = Math.floor((START + 45 * 60_000) / 1000);
    const { client } = makeClient([{ body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-limit': '5000' } }]);
    const error = await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.ok(error.message.includes(clockTime(reset * 1000)));
  });

  test('a 403 with x-ratelimit-remaining 0 is the primary limit: refused until the reset', async () => {
    const reset = Math.floor((START + 10 * 60_000) / 1000);
    const { client } = makeClient([{ status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }]);
    const error = await failure(client.request(viewerOperation), 'github-rate-limited');
    assert.ok(error instanceof GitHubRateLimitedError && error.untilMs === reset * 1000);
  });
});

describe('RateBudget', () => {
  test('a new window forgets the old budget', () => {
    const budget = new RateBudget();
    budget.observe({ limit: 5000, remaining: 0, resetAtMs: 3_600_000 });
    assert.equal(budget.decide(500).kind, 'refuse');
    assert.equal(budget.decide(3_600_000 - 30_000).kind, 'wait');
    assert.equal(budget.decide(3_600_000).kind, 'go');
    assert.equal(budget.current, null);
  });

  test('a request that goes takes its cost off at once, so concurrent requests see it', () => {
    const budget = new RateBudget({ lowFraction: 0, lowCostMultiple: 0, maxPaceMs: 0, maxWaitMs: 0 });
    budget.observe({ limit: 10, remaining: 2, resetAtMs: 10_000, cost: 1 });
    assert.equal(budget.decide(0).kind, 'go');
    assert.equal(budget.decide(0).kind, 'go');
    assert.deepEqual(budget.decide(0), { kind: 'refuse', untilMs: 10_000, why: 'exhausted' });
  });
});

describe('redact', () => {
  test('removes the token, anything shaped like a GitHub token, and Authorization values', () => {
    assert.equal(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN), 'a [REDACTED] b [REDACTED]');
    assert.equal(redact('plain words stay', TOKEN), 'plain words stay');
    assert.equal(redact('other ghp_abcdefghijklmnopqrstuvwxyz012345 and github_pat_11ABCDEFG0123456789_abcdefghijklmnop', null), 'other [REDACTED] and [REDACTED]');
    assert.equal(redact('{"authorization":"bearer sekrit-value"}', null), '{"authorization":"bearer [REDACTED]"}');
    assert.equal(redact('Authorization: token abc.def', undefined), 'Authorization: token [REDACTED]');
  });

  test('a very short "token" is not used to blank out ordinary text', () => {
    assert.equal(redact('a b c', 'a'), 'a b c');
  });
});
