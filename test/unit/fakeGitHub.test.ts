// The fake GitHub itself: that it enforces what GitHub enforces (schema, pagination limits, auth,
// rate limits), pages and filters correctly, stores mutations, and serves faults once each in order.
// Real HTTP through fetch (and once through @octokit/graphql, the client Threadwise uses).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { graphql as octokitGraphql } from '@octokit/graphql';
import { DEMO_ISSUE, DEMO_REPO, startFakeGitHubWithSeed } from '../support/github/demoSeed';
import { FakeGitHub, type FakeGitHubOptions } from '../support/github/fakeGitHub';
import type { FakeState } from '../support/github/fixtureStore';
import { ROOT } from '../support/paths';
import { waitFor } from '../support/waitFor';

interface GraphqlAnswer {
  status: number;
  headers: Headers;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { type?: string; message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    message?: string;
  };
}

const REPO = 'octo/widgets';

async function startFake(t: TestContext, options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = await FakeGitHub.start(options);
  t.after(() => fake.stop());
  fake.store.addRepo(REPO, { maintainers: { maint: 'MEMBER', bob: 'COLLABORATOR' } });
  return fake;
}

async function post(
  fake: FakeGitHub,
  query: string,
  variables: Record<string, unknown> = {},
  init: { token?: string | null; path?: string; signal?: AbortSignal } = {},
): Promise<GraphqlAnswer> {
  const token = init.token === undefined ? 'test-token' : init.token;
  const response = await fetch(`${fake.url}${init.path ?? '/graphql'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
    signal: init.signal,
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as GraphqlAnswer['json'] };
}

/** `data` of a successful answer (fails the test on errors). */
function dataOf(answer: GraphqlAnswer): Record<string, unknown> {
  assert.equal(answer.status, 200);
  assert.equal(answer.json.errors, undefined, JSON.stringify(answer.json.errors));
  assert.ok(answer.json.data);
  return answer.json.data;
}

/** Follows `path` (keys and indexes) into a JSON value. */
function dig(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

const COMMENTS_PAGE = `query Comments($number: Int!, $first: Int, $after: String) {
  repository(owner: "octo", name: "widgets") {
    issue(number: $number) {
      comments(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { id body author { login } authorAssociation createdAt }
      }
    }
  }
}`;

test('a field GitHub does not have is rejected by the schema, with no data', async (t) => {
  const fake = await startFake(t);
  const answer = await post(fake, '{ repository(owner: "octo", name: "widgets") { nameWithOwner starCount } }');
  assert.equal(answer.status, 200);
  assert.equal(answer.json.data, undefined);
  assert.equal(answer.json.errors?.[0]?.message, "Field 'starCount' doesn't exist on type 'Repository'");
  assert.equal(answer.json.errors?.[0]?.extensions?.code, 'undefinedField');
});

test('a missing repository, or an issue number that is a pull request, is null plus NOT_FOUND like GitHub', async (t) => {
  const fake = await startFake(t);
  fake.store.addPull(REPO, { title: 'a pull request', author: 'bob' });
  const missing = await post(fake, '{ repository(owner: "octo", name: "nope") { id } }');
  assert.deepEqual(missing.json, {
    data: { repository: null },
    errors: [{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 3 }], message: "Could not resolve to a Repository with the name 'octo/nope'." }],
  });
  const wrongKind = await post(fake, '{ repository(owner: "octo", name: "widgets") { issue(number: 1) { id } pullRequest(number: 1) { number } } }');
  assert.deepEqual(wrongKind.json.data, { repository: { issue: null, pullRequest: { number: 1 } } });
  assert.deepEqual(wrongKind.json.errors?.map((e) => [e.type, e.message]), [['NOT_FOUND', 'Could not resolve to an Issue with the number of 1.']]);
});

test('a connection whose nodes are selected without first or last is rejected (totalCount alone is fine)', async (t) => {
  const fake = await startFake(t);
  fake.store.addIssue(REPO, { title: 'one', author: 'alice' });
  const answer = await post(fake, '{ repository(owner: "octo", name: "widgets") { issues { nodes { number } } } }');
  assert.equal(answer.json.data, undefined);
  assert.deepEqual(answer.json.errors?.map((e) => [e.type, e.message]), [
    ['MISSING_PAGINATION_BOUNDARIES', 'You must provide a `first` or `last` value to properly paginate the `issues` connection.'],
  ]);
  const count = dataOf(await post(fake, '{ repository(owner: "octo", name: "widgets") { issues { totalCount } } }'));
  assert.equal(dig(count, 'repository', 'issues', 'totalCount'), 1);
});

test('first: 101 is rejected, also through a variable, and nothing is executed or charged', async (t) => {
  const fake = await startFake(t);
  fake.store.addIssue(REPO, { title: 'one', author: 'alice' });
  const before = fake.rateLimit.remaining;
  const answer = await post(fake, COMMENTS_PAGE, { number: 1, first: 101 });
  assert.equal(answer.json.data, undefined);
  assert.equal(answer.json.errors?.[0]?.type, 'EXCESSIVE_PAGINATION');
  assert.equal(answer.json.errors?.[0]?.message, 'Requesting 101 records on the `comments` connection exceeds the `first` limit of 100 records.');
  assert.equal(fake.rateLimit.remaining, before);
});

test('250 comments page out all once, in order, with correct hasNextPage', async (t) => {
  const fake = await startFake(t);
  fake.store.addIssue(REPO, { title: 'long', author: 'alice' });
  fake.store.addComments(REPO, 1, 250);
  const bodies: string[] = [];
  const hasNext: boolean[] = [];
  let after: string | null = null;
  do {
    const data = dataOf(await post(fake, COMMENTS_PAGE, { number: 1, first: 100, after }));
    const page = dig(data, 'repository', 'issue', 'comments') as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      nodes: { body: string }[];
    };
    assert.equal(page.totalCount, 250);
    bodies.push(...page.nodes.map((n) => n.body));
    hasNext.push(page.pageInfo.hasNextPage);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  assert.deepEqual(hasNext, [true, true, false]);
  assert.deepEqual(bodies, Array.from({ length: 250 }, (_, i) => `comment ${i}`));
});

test('issues filterBy.since returns only what changed since (inclusive), newest first', async (t) => {
  const fake = await startFake(t);
  for (const title of ['a', 'b', 'c']) fake.store.addIssue(REPO, { title, author: 'alice' });
  fake.store.addPull(REPO, { title: 'a pull request is never an issue', author: 'bob' });
  const since = new Date(Date.parse(fake.store.thread(REPO, 4).updatedAt) + 3_600_000);
  fake.store.touch(REPO, 1, since);
  fake.store.addComment(REPO, 3, { author: 'dave', body: 'me too', createdAt: new Date(since.getTime() + 60_000).toISOString() });
  const query = `query($since: DateTime) { repository(owner: "octo", name: "widgets") {
    issues(first: 100, orderBy: {field: UPDATED_AT, direction: DESC}, filterBy: {since: $since}) { nodes { number updatedAt } } } }`;
  const changed = dig(dataOf(await post(fake, query, { since: since.toISOString() })), 'repository', 'issues', 'nodes');
  assert.deepEqual((changed as { number: number }[]).map((n) => n.number), [3, 1]);
  const all = dig(dataOf(await post(fake, query, { since: null })), 'repository', 'issues', 'nodes');
  assert.deepEqual((all as { number: number }[]).map((n) => n.number), [3, 1, 2]);
});

test('search "mentions:@me repo:o/n is:open" finds open threads mentioning the viewer in the body or a comment', async (t) => {
  const fake = await startFake(t);
  fake.store.addIssue(REPO, { title: 'body mention', author: 'alice', body: 'cc @maint please' });
  fake.store.addIssue(REPO, { title: 'comment mention', author: 'alice', comments: [{ author: 'bob', body: 'ping @Maint' }] });
  fake.store.addIssue(REPO, { title: 'closed mention', author: 'alice', body: '@maint', state: 'CLOSED' });
  fake.store.addIssue(REPO, { title: 'not a mention', author: 'alice', body: 'email maint@example.com or @maintainers' });
  fake.store.addPull(REPO, { title: 'pull mention', author: 'bob', body: 'review, @maint?' });
  fake.store.addRepo('octo/other');
  fake.store.addIssue('octo/other', { title: 'other repo', author: 'alice', body: '@maint' });
  const data = dataOf(
    await post(fake, `{ search(query: "mentions:@me repo:octo/widgets is:open sort:updated-desc", type: ISSUE, first: 10) {
      issueCount nodes { __typename ... on Issue { number } ... on PullRequest { number } } } }`),
  );
  assert.equal(dig(data, 'search', 'issueCount'), 3);
  assert.deepEqual(dig(data, 'search', 'nodes'), [
    { __typename: 'PullRequest', number: 5 },
    { __typename: 'Issue', number: 2 },
    { __typename: 'Issue', number: 1 },
  ]);
});

test('addComment stores the viewer\'s comment: visible in a later query, in /_fake/state, and it bumps updatedAt', async (t) => {
  const now = new Date('2024-06-01T12:00:00.250Z');
  const fake = await startFake(t, { now: () => now });
  const issue = fake.store.addIssue(REPO, { title: 'question', author: 'alice', comments: [{ author: 'alice', body: 'anyone?' }] });
  const answer = dataOf(
    await post(
      fake,
      `mutation($id: ID!, $body: String!) { addComment(input: {subjectId: $id, body: $body, clientMutationId: "m1"}) {
        clientMutationId commentEdge { cursor node { id url body createdAt author { login } authorAssociation } } subject { id } } }`,
      { id: issue.id, body: 'Thanks, looking into it.' },
    ),
  );
  const node = dig(answer, 'addComment', 'commentEdge', 'node') as Record<string, unknown>;
  assert.equal(dig(answer, 'addComment', 'clientMutationId'), 'm1');
  assert.equal(dig(answer, 'addComment', 'subject', 'id'), issue.id);
  assert.deepEqual({ ...node, id: undefined, url: undefined }, {
    id: undefined,
    url: undefined,
    body: 'Thanks, looking into it.',
    createdAt: '2024-06-01T12:00:00Z',
    author: { login: 'maint' },
    authorAssociation: 'MEMBER',
  });
  assert.match(String(node.id), /^IC_/);

  const later = dataOf(await post(fake, `{ repository(owner: "octo", name: "widgets") { issue(number: 1) { updatedAt comments(last: 1) { nodes { id body } } } } }`));
  assert.equal(dig(later, 'repository', 'issue', 'updatedAt'), '2024-06-01T12:00:00Z');
  assert.deepEqual(dig(later, 'repository', 'issue', 'comments', 'nodes'), [{ id: node.id, body: 'Thanks, looking into it.' }]);

  const state = (await (await fetch(`${fake.url}/_fake/state`)).json()) as FakeState;
  assert.deepEqual(state.threads[`${REPO}#1`]?.comments.map((c) => [c.author, c.body]), [
    ['alice', 'anyone?'],
    ['maint', 'Thanks, looking into it.'],
  ]);

  const blank = await post(fake, 'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "  "}) { clientMutationId } }', { id: issue.id });
  assert.deepEqual(blank.json.data, { addComment: null });
  assert.deepEqual(blank.json.errors?.map((e) => [e.type, e.message]), [['UNPROCESSABLE', "Body can't be blank"]]);
});

test('updateIssueComment edits the viewer\'s own comment and refuses someone else\'s', async (t) => {
  let now = new Date('2024-06-01T12:00:00Z');
  const fake = await startFake(t, { now: () => now });
  fake.store.addIssue(REPO, { title: 'q', author: 'alice' });
  const mine = fake.store.addComment(REPO, 1, { author: 'maint', body: 'first draft' });
  const theirs = fake.store.addComment(REPO, 1, { author: 'alice', body: 'not yours' });
  now = new Date('2024-06-02T08:30:00Z');
  const update = 'mutation($id: ID!, $body: String!) { updateIssueComment(input: {id: $id, body: $body}) { issueComment { id body updatedAt lastEditedAt } } }';

  const edited = dataOf(await post(fake, update, { id: mine.id, body: 'final text' }));
  assert.deepEqual(dig(edited, 'updateIssueComment', 'issueComment'), {
    id: mine.id,
    body: 'final text',
    updatedAt: '2024-06-02T08:30:00Z',
    lastEditedAt: '2024-06-02T08:30:00Z',
  });
  assert.equal(fake.store.comments(REPO, 1)[0]?.body, 'final text');
  assert.equal(fake.store.thread(REPO, 1).updatedAt, '2024-06-02T08:30:00Z');

  const refused = await post(fake, update, { id: theirs.id, body: 'hijack' });
  assert.deepEqual(refused.json.data, { updateIssueComment: null });
  assert.equal(refused.json.errors?.[0]?.type, 'FORBIDDEN');
  assert.equal(fake.store.comments(REPO, 1)[1]?.body, 'not yours');
});

test('queued faults are served once each, in order, then normal service resumes', async (t) => {
  const fake = await startFake(t);
  fake.store.addIssue(REPO, { title: 'one', author: 'alice' });
  fake.enqueueFault({ kind: 'status', status: 502 });
  fake.enqueueFault({ kind: 'secondaryRateLimit', status: 429, retryAfterSeconds: 7 });
  fake.enqueueFault({ kind: 'malformedJson' });
  fake.enqueueFault({ kind: 'partial' });
  fake.enqueueFault({ kind: 'delay', ms: 50 });
  const query = '{ repository(owner: "octo", name: "widgets") { issue(number: 1) { number title } } }';
  const raw = () => fetch(fake.graphqlUrl, { method: 'POST', headers: { authorization: 'token test-token' }, body: JSON.stringify({ query }) });

  const bad = await raw();
  assert.equal(bad.status, 502);
  assert.equal(bad.headers.get('x-ratelimit-resource'), 'graphql');
  await bad.body?.cancel();

  const secondary = await raw();
  assert.equal(secondary.status, 429);
  assert.equal(secondary.headers.get('retry-after'), '7');
  assert.match(((await secondary.json()) as { message: string }).message, /secondary rate limit/);

  const malformed = await raw();
  assert.equal(malformed.status, 200);
  const truncated = await malformed.text();
  assert.match(truncated, /^\{"data":/);
  assert.throws(() => JSON.parse(truncated) as unknown, SyntaxError);

  const partial = (await (await raw()).json()) as GraphqlAnswer['json'];
  assert.deepEqual(partial.data, { repository: { issue: { number: null, title: 'one' } } });
  assert.deepEqual(partial.errors?.[0]?.path, ['repository', 'issue', 'number']);

  const started = Date.now();
  const delayed = await post(fake, query);
  assert.ok(Date.now() - started >= 45, 'the delay fault waits before answering');
  assert.deepEqual(dataOf(delayed), { repository: { issue: { number: 1, title: 'one' } } });

  assert.deepEqual(dataOf(await post(fake, query)), { repository: { issue: { number: 1, title: 'one' } } });
  assert.deepEqual(fake.requests.map((r) => r.status), [502, 429, 200, 200, 200, 200]);
});

test('a hanging request never answers, and stop() ends it', async (t) => {
  const fake = await startFake(t);
  fake.enqueueFault({ kind: 'hang' });
  const pending = post(fake, '{ viewer { login } }');
  await waitFor(() => fake.requests.length === 1, 'the hanging request to arrive');
  const raced = await Promise.race([pending.then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('still hanging'), 200))]);
  assert.equal(raced, 'still hanging');
  await fake.stop();
  await assert.rejects(pending);
  assert.equal(fake.requests[0]?.status, 0);
});

test('a missing or unknown token is 401 Bad credentials; `token T`, /api/graphql and @octokit/graphql work', async (t) => {
  const fake = await startFake(t, { tokens: ['good-1', 'good-2'] });
  for (const token of [null, 'wrong']) {
    const answer = await post(fake, '{ viewer { login } }', {}, { token });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.json, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' });
  }
  assert.deepEqual(dataOf(await post(fake, '{ viewer { login } }', {}, { token: 'good-2', path: '/api/graphql' })), { viewer: { login: 'maint' } });
  const notJson = await fetch(fake.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer good-1' }, body: '{"query": ' });
  assert.equal(notJson.status, 400);
  await notJson.body?.cancel();

  const client = octokitGraphql.defaults({ baseUrl: `${fake.url}/api`, headers: { authorization: 'token good-1' } });
  const viewer = await client<{ viewer: { login: string } }>('query Viewer { viewer { login } }');
  assert.equal(viewer.viewer.login, 'maint');
  const last = fake.requests.at(-1);
  assert.equal(last?.operationName, undefined);
  assert.match(last?.query ?? '', /query Viewer/);
  assert.ok((last?.requestBytes ?? 0) > 0 && (last?.responseBytes ?? 0) > 0);
});

test('each query costs a point; at 0 remaining the answer is RATE_LIMITED with x-ratelimit-remaining: 0', async (t) => {
  const fake = await startFake(t, { now: () => new Date('2024-06-01T12:00:00Z') });
  fake.rateLimit = { limit: 5000, remaining: 2, resetAt: new Date('2024-06-01T12:30:00Z'), costPerQuery: 1 };
  const first = await post(fake, '{ rateLimit { cost limit remaining used resetAt } }');
  assert.deepEqual(dataOf(first), { rateLimit: { cost: 1, limit: 5000, remaining: 1, used: 4999, resetAt: '2024-06-01T12:30:00Z' } });
  assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
  assert.equal(first.headers.get('x-ratelimit-reset'), String(Date.parse('2024-06-01T12:30:00Z') / 1000));
  dataOf(await post(fake, '{ viewer { login } }'));
  const limited = await post(fake, '{ viewer { login } }');
  assert.equal(limited.status, 200);
  assert.deepEqual(limited.json, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] });
  assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
});

test('the demo seed has issue #7, the parser crash waiting for a reply', async (t) => {
  const fake = await startFakeGitHubWithSeed('demo');
  t.after(() => fake.stop());
  const data = dataOf(
    await post(fake, `{ repository(owner: "octo", name: "widgets") { issue(number: ${DEMO_ISSUE}) {
      title body state author { login } authorAssociation comments(first: 10) { nodes { author { login } authorAssociation body } } } } }`),
  );
  assert.deepEqual(dig(data, 'repository', 'issue'), {
    title: 'Parser crashes on empty input',
    body: 'Calling `widgets.parse("")` throws `TypeError: Cannot read properties of undefined` instead of returning `null`.\n\nVersion 2.3.0, Node 20.',
    state: 'OPEN',
    author: { login: 'alice' },
    authorAssociation: 'NONE',
    comments: {
      nodes: [
        { author: { login: 'bob' }, authorAssociation: 'MEMBER', body: 'Thanks! Does `parseAll("")` crash too?' },
        { author: { login: 'alice' }, authorAssociation: 'NONE', body: 'No, only `parse()`.' },
      ],
    },
  });
  const merged = fake.store.thread(DEMO_REPO, 5);
  assert.equal(merged.kind === 'pull' && merged.state === 'MERGED' && merged.reviewThreads.length > 0 && merged.files.length > 0, true);
});

test('serve.ts prints its JSON line, answers, writes the state file after a mutation, and stops on SIGTERM', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'fake-github-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const stateFile = path.join(dir, 'state.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/github/serve.ts', '--seed', 'demo', '--token', 'serve-token', '--state-file', stateFile],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('serve.ts exited before printing its line')));
  });
  const info = JSON.parse(firstLine) as { url: string; graphqlUrl: string; tokens: string[] };
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.graphqlUrl, `${info.url}/graphql`);
  assert.deepEqual(info.tokens, ['serve-token']);

  const call = async (query: string, variables: Record<string, unknown> = {}) =>
    (await (await fetch(info.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer serve-token' }, body: JSON.stringify({ query, variables }) })).json()) as GraphqlAnswer['json'];
  const subject = await call(`{ repository(owner: "octo", name: "widgets") { issue(number: ${DEMO_ISSUE}) { id } } }`);
  const id = dig(subject.data, 'repository', 'issue', 'id');
  const posted = await call('mutation($id: ID!) { addComment(input: {subjectId: $id, body: "Fixed on main."}) { commentEdge { node { id } } } }', { id });
  assert.equal(posted.errors, undefined);
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as FakeState;
  assert.equal(state.threads[`${DEMO_REPO}#${DEMO_ISSUE}`]?.comments.at(-1)?.body, 'Fixed on main.');

  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
