import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ThreadwiseError } from '../../server/src/errors';
import { RepoCache } from '../../server/src/github/repoCache';
import { GitHubService } from '../../server/src/github/gitHubService';
import type { GitHubServiceOptions } from '../../server/src/github/gitHubService';
import type { ErrorReason, GitHubGroupId, GitHubRepoListing } from '../../server/src/protocol';
import { parseThread } from '../../server/src/thread/parseThread';
import { FakeGitHub } from '../support/github/fakeGitHub';

const TOKEN = 'ghp_PLANTEDtokenThatMustNeverBeWritten0123';
const REPO = 'o/n';

interface Setup {
  gh: FakeGitHub;
  storage: string;
  logs: string[];
  service: GitHubService;
  /** Another service on the same storage folder (a daemon restart). */
  restart: () => GitHubService;
}

const setups: Setup[] = [];

/** A fake GitHub with an empty repository o/n (maint is a MEMBER), and a signed-in service. */
async function setup(options: Partial<GitHubServiceOptions> = {}): Promise<Setup> {
  const gh = await FakeGitHub.start({ tokens: [TOKEN], viewer: 'maint' });
  gh.store.addRepo(REPO, { maintainers: { maint: 'MEMBER', lead: 'OWNER' } });
  const storage = await mkdtemp(path.join(os.tmpdir(), 'threadwise-github-'));
  const logs: string[] = [];
  const make = (): GitHubService =>
    new GitHubService({
      storageDir: storage,
      log: (level, message) => logs.push(`${level}: ${message}`),
      client: { retryBaseMs: 20, timeoutMs: 5_000, ...options.client },
      ...options,
    });
  const service = make();
  await service.setAuth({ token: TOKEN, apiUrl: gh.url });
  const s: Setup = { gh, storage, logs, service, restart: make };
  setups.push(s);
  return s;
}

after(async () => {
  for (const s of setups) {
    s.service.dispose();
    await s.gh.stop();
    await rm(s.storage, { recursive: true, force: true });
  }
});

async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out.set(path.relative(dir, full), await readFile(full));
    }
  }
  return out;
}

function group(listing: GitHubRepoListing, id: GitHubGroupId): number[] {
  return listing.groups.find((g) => g.id === id)?.items.map((item) => item.number) ?? [];
}

function operations(gh: FakeGitHub): string[] {
  return gh.requests.map((r) => r.operationName ?? '?');
}

async function rejects(promise: Promise<unknown>, reason: ErrorReason): Promise<ThreadwiseError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ThreadwiseError, `a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    assert.ok(!error.message.includes(TOKEN) && !(error.hint ?? '').includes(TOKEN));
    return error;
  }
  assert.fail(`expected ${reason}`);
}

describe('GitHub against the fake GitHub', () => {
  test('sign-in: a good token gives the login; a token GitHub rejects is github-auth and forgotten', async () => {
    const { gh, service } = await setup();
    assert.deepEqual(service.auth, { apiUrl: gh.url, login: 'maint' });
    const error = await rejects(service.setAuth({ token: 'ghp_wrongwrongwrongwrongwrongwrong0000', apiUrl: gh.url }), 'github-auth');
    assert.match(error.message, /401 Bad credentials/);
    assert.equal(service.auth.login, null);
    await rejects(service.list({ repo: REPO }), 'github-auth');
    await rejects(service.setAuth({ token: 'two words', apiUrl: gh.url }), 'github-auth');
    assert.deepEqual(await service.setAuth({ token: null, apiUrl: gh.url }), { apiUrl: gh.url, login: null });
  });

  test('the first sync lists everything in groups; sync.json and items.json land in the per-host folder', async () => {
    const { gh, service, storage } = await setup();
    const assigned = gh.store.addIssue(REPO, { title: 'Assigned', author: 'alice', assignees: ['maint'] });
    const mine = gh.store.addIssue(REPO, { title: 'Mine', author: 'maint' });
    const answered = gh.store.addIssue(REPO, { title: 'Answered', author: 'bob', comments: [{ author: 'lead', body: 'Fixed in main.' }] });
    const waiting = gh.store.addIssue(REPO, { title: 'Waiting', author: 'carol', comments: [{ author: 'lead', body: 'Logs?' }, { author: 'carol', body: 'Here, @maint' }] });
    const closed = gh.store.addIssue(REPO, { title: 'Closed', author: 'dave', state: 'CLOSED' });
    const pull = gh.store.addPull(REPO, { title: 'A fix', author: 'erin', isDraft: true });
    const listing = await service.list({ repo: REPO });
    assert.equal(listing.stale, false);
    assert.deepEqual(group(listing, 'assigned'), [assigned.number]);
    assert.deepEqual(group(listing, 'mentioning'), [waiting.number]);
    assert.deepEqual(group(listing, 'created'), [mine.number]);
    assert.deepEqual(group(listing, 'needsReply'), [pull.number, waiting.number, assigned.number]);
    assert.deepEqual(group(listing, 'recent'), [pull.number, closed.number, waiting.number, answered.number, mine.number, assigned.number]);
    const row = listing.groups.find((g) => g.id === 'recent')?.items[0];
    assert.equal(row?.kind, 'pull');
    assert.equal(row?.isDraft, true);
    const dir = RepoCache.folder(storage, gh.url, REPO);
    assert.ok(dir.includes(path.join('hosts', '127.0.0.1_')), dir);
    assert.deepEqual([...(await filesUnder(dir)).keys()].sort(), ['items.json', 'sync.json']);
  });

  test(`a thread with 260 comments comes whole in ceil(260/100) = 3 round trips, oldest first, and passes parseThread`, async () => {
    const { gh, service } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Long one', body: 'It breaks.', author: 'alice', labels: ['bug'] });
    gh.store.addComments(REPO, issue.number, 260);
    gh.resetRequests();
    const { thread, stale } = await service.thread({ repo: REPO, number: issue.number });
    assert.equal(stale, false);
    assert.equal(thread.comments.length, 260);
    assert.deepEqual(thread.comments.map((c) => c.body), gh.store.comments(REPO, issue.number).map((c) => c.body));
    assert.deepEqual(thread.comments.map((c) => c.id), gh.store.comments(REPO, issue.number).map((c) => c.id));
    assert.deepEqual(operations(gh), ['Thread', 'ThreadComments', 'ThreadComments']);
    assert.equal(thread.id, issue.id);
    assert.equal(thread.updatedAt, issue.updatedAt);
    assert.equal(thread.state, 'open');
    assert.deepEqual(thread.labels, ['bug']);
    assert.deepEqual(parseThread(thread), thread);
  });

  test('a pull request comes with its files and review threads (path, line, diff hunk, comments), each paged', async () => {
    const { gh, service } = await setup();
    const files = Array.from({ length: 130 }, (_, i) => ({ path: `src/file${i}.ts`, additions: i, deletions: 1, changeType: 'MODIFIED' as const }));
    const reviewThreads = Array.from({ length: 55 }, (_, i) => ({
      path: `src/file${i}.ts`,
      line: i + 1,
      diffHunk: `@@ -${i},3 +${i},4 @@\n context`,
      isResolved: i % 2 === 0,
      comments: [{ author: 'lead', body: `review ${i}` }, { author: 'erin', body: `answer ${i}` }],
    }));
    reviewThreads[0]!.comments = Array.from({ length: 105 }, (_, i) => ({ author: i % 2 ? 'erin' : 'lead', body: `long review ${i}` }));
    const pull = gh.store.addPull(REPO, { title: 'Big change', author: 'erin', files, reviewThreads, merged: true, comments: [{ author: 'lead', body: 'LGTM' }] });
    gh.resetRequests();
    const { thread } = await service.thread({ repo: REPO, number: pull.number });
    assert.equal(thread.kind, 'pull');
    assert.equal(thread.state, 'merged');
    assert.equal(thread.files?.length, 130);
    assert.deepEqual(thread.files?.[129], { path: 'src/file129.ts', additions: 129, deletions: 1, changeType: 'MODIFIED' });
    assert.equal(thread.reviewThreads?.length, 55);
    const first = thread.reviewThreads?.[0];
    assert.equal(first?.comments.length, 105);
    assert.equal(first?.path, 'src/file0.ts');
    assert.equal(first?.line, 1);
    assert.match(first?.diffHunk ?? '', /^@@ -0,3 \+0,4 @@/);
    assert.equal(first?.isResolved, true);
    assert.deepEqual(thread.reviewThreads?.[54]?.comments.map((c) => [c.author.login, c.author.association, c.body]), [
      ['lead', 'OWNER', 'review 54'],
      ['erin', 'NONE', 'answer 54'],
    ]);
    assert.deepEqual(operations(gh).sort(), ['PullRequestFiles', 'PullRequestReviewThreads', 'ReviewThreadComments', 'Thread']);
    assert.deepEqual(parseThread(thread), thread);
  });

  test('a thread is served from the cache while the list says it is unchanged, and refetched once it changed', async () => {
    const { gh, service } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Cached', author: 'alice', comments: [{ author: 'bob', body: 'first' }] });
    await service.list({ repo: REPO });
    await service.thread({ repo: REPO, number: issue.number });
    gh.resetRequests();
    const again = await service.thread({ repo: REPO, number: issue.number });
    assert.equal(gh.requests.length, 0, 'no request for an unchanged thread');
    assert.equal(again.thread.comments.length, 1);
    await service.thread({ repo: REPO, number: issue.number, refresh: true });
    assert.deepEqual(operations(gh), ['Thread'], 'refresh always fetches');
    gh.store.addComment(REPO, issue.number, { author: 'carol', body: 'second' });
    await service.list({ repo: REPO });
    gh.resetRequests();
    const changed = await service.thread({ repo: REPO, number: issue.number });
    assert.deepEqual(operations(gh), ['Thread']);
    assert.deepEqual(changed.thread.comments.map((c) => c.body), ['first', 'second']);
  });

  test('incremental sync: after 3 of 40 items changed, only the changed ones (and the overlap) come back', async () => {
    const { gh, service, logs } = await setup();
    const numbers: number[] = [];
    for (let i = 0; i < 30; i++) numbers.push(gh.store.addIssue(REPO, { title: `Issue ${i}`, author: `user${i}` }).number);
    for (let i = 0; i < 10; i++) numbers.push(gh.store.addPull(REPO, { title: `Pull ${i}`, author: `user${i}` }).number);
    await service.list({ repo: REPO });
    const changedNumbers = [numbers[3]!, numbers[17]!, numbers[33]!];
    for (const number of changedNumbers) {
      const thread = gh.store.thread(REPO, number);
      thread.title = `${thread.title} (edited)`;
      gh.store.touch(REPO, number);
    }
    gh.resetRequests();
    logs.length = 0;
    const listing = await service.list({ repo: REPO });
    assert.deepEqual(operations(gh), ['RepoIssues', 'RepoPullRequests', 'RepoMentions']);
    const issuesSince = gh.requests[0]?.variables.since;
    assert.equal(typeof issuesSince, 'string', 'issues are asked for with filterBy.since');
    const line = logs.find((l) => l.includes('synced o/n (incremental)'));
    const match = /(\d+) changed of (\d+) fetched/.exec(line ?? '');
    assert.ok(match, `a sync log line: ${logs.join('\n')}`);
    assert.equal(Number(match[1]), 3);
    assert.ok(Number(match[2]) <= 6, `fetched only the changed items and the overlap, got ${match[2]}`);
    assert.deepEqual(group(listing, 'recent').slice(0, 3), [...changedNumbers].reverse());
    assert.equal(listing.groups.find((g) => g.id === 'recent')?.items.length, 40);
    assert.match(listing.groups.find((g) => g.id === 'recent')?.items[0]?.title ?? '', /\(edited\)$/);
    assert.equal(listing.groups.find((g) => g.id === 'recent')?.items.filter((i) => i.title.endsWith('(edited)')).length, 3);
  });

  test('restart: a new service on the same storage folder serves the cached lists (and threads) with no request', async () => {
    const { gh, service, restart } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Survives', author: 'alice', assignees: ['maint'] });
    const before = await service.list({ repo: REPO });
    await service.thread({ repo: REPO, number: issue.number });
    gh.resetRequests();
    const next = restart();
    await next.setAuth({ token: null, apiUrl: gh.url });
    const cached = await next.list({ repo: REPO, sync: 'cached' });
    assert.deepEqual(cached.groups, before.groups);
    assert.equal(cached.syncedAt, before.syncedAt);
    assert.equal(cached.stale, false);
    const signedOut = await next.list({ repo: REPO });
    assert.equal(signedOut.stale, true);
    assert.equal(signedOut.staleReason, 'signed out');
    assert.deepEqual(signedOut.groups, before.groups);
    const thread = await next.thread({ repo: REPO, number: issue.number });
    assert.equal(thread.thread.title, 'Survives');
    assert.equal(gh.requests.length, 0);
    await rejects(next.thread({ repo: REPO, number: 999 }), 'github-auth');
    next.dispose();
  });

  test('server down: cached lists and threads come back stale ("offline"); with no cache the typed error', async () => {
    const { gh, service } = await setup({ client: { retryBaseMs: 5, maxRetries: 1 } });
    const issue = gh.store.addIssue(REPO, { title: 'Offline', author: 'alice' });
    const fresh = await service.list({ repo: REPO });
    await service.thread({ repo: REPO, number: issue.number });
    await gh.stop();
    const stale = await service.list({ repo: REPO });
    assert.equal(stale.stale, true);
    assert.equal(stale.staleReason, 'offline');
    assert.deepEqual(stale.groups, fresh.groups);
    const thread = await service.thread({ repo: REPO, number: issue.number, refresh: true });
    assert.equal(thread.stale, true);
    assert.equal(thread.thread.title, 'Offline');
    const error = await rejects(service.list({ repo: 'o/other' }), 'github-unreachable');
    assert.match(error.message, /could not be reached at 127\.0\.0\.1/);
    await rejects(service.thread({ repo: REPO, number: issue.number + 1 }), 'github-unreachable');
  });

  test('a 502 is retried and the sync succeeds', async () => {
    const { gh, service } = await setup();
    gh.store.addIssue(REPO, { title: 'Flaky', author: 'alice' });
    gh.resetRequests();
    gh.enqueueFault({ kind: 'status', status: 502 });
    const listing = await service.list({ repo: REPO });
    assert.equal(listing.stale, false);
    assert.deepEqual(gh.requests.map((r) => r.status), [502, 200, 200, 200]);
    assert.deepEqual(operations(gh), ['RepoIssues', 'RepoIssues', 'RepoPullRequests', 'RepoMentions']);
  });

  test('a secondary rate limit with retry-after is waited out, then the request is repeated', async () => {
    const { gh, service } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Slow down', author: 'alice' });
    gh.resetRequests();
    gh.enqueueFault({ kind: 'secondaryRateLimit', status: 403, retryAfterSeconds: 1 });
    const started = Date.now();
    const { thread } = await service.thread({ repo: REPO, number: issue.number });
    const waited = Date.now() - started;
    assert.equal(thread.title, 'Slow down');
    assert.ok(waited >= 950, `waited ${waited} ms for a retry-after of 1 s`);
    assert.deepEqual(gh.requests.map((r) => r.status), [403, 200]);
  });

  test('the primary rate limit used up: cached lists stale with "rate limited until HH:MM"; nothing cached → github-rate-limited', async () => {
    const { gh, service } = await setup();
    gh.store.addIssue(REPO, { title: 'Budget', author: 'alice' });
    await service.list({ repo: REPO });
    gh.rateLimit.remaining = 0;
    gh.rateLimit.resetAt = new Date(Date.now() + 30 * 60_000);
    const stale = await service.list({ repo: REPO });
    assert.equal(stale.stale, true);
    assert.match(stale.staleReason ?? '', /^rate limited until \d\d:\d\d$/);
    const error = await rejects(service.list({ repo: 'o/elsewhere' }), 'github-rate-limited');
    assert.match(error.message, /until \d\d:\d\d/);
  });

  for (const kind of ['malformedJson', 'partial'] as const) {
    test(`${kind}: github-bad-response, and the cache files are byte-identical before and after`, async () => {
      const { gh, service, storage } = await setup();
      const issue = gh.store.addIssue(REPO, { title: 'Fragile', author: 'alice', comments: [{ author: 'bob', body: 'hello' }] });
      await service.list({ repo: REPO });
      await service.thread({ repo: REPO, number: issue.number });
      gh.store.touch(REPO, issue.number);
      gh.store.addIssue(REPO, { title: 'New', author: 'carol' });
      const before = await filesUnder(storage);
      assert.deepEqual([...before.keys()].map((k) => path.basename(k)).sort(), [`${issue.number}.json`, "items.json", "sync.json"]);

      gh.enqueueFault({ kind });
      await rejects(service.list({ repo: REPO }), 'github-bad-response');
      // The second request fails: the first page arrived, yet nothing may be written (all or nothing).
      gh.enqueueFault({ kind: 'delay', ms: 0 });
      gh.enqueueFault({ kind });
      await rejects(service.list({ repo: REPO }), 'github-bad-response');
      gh.enqueueFault({ kind });
      await rejects(service.thread({ repo: REPO, number: issue.number, refresh: true }), 'github-bad-response');
      assert.deepEqual(await filesUnder(storage), before);

      const recovered = await service.list({ repo: REPO });
      assert.equal(recovered.stale, false);
      assert.equal(group(recovered, 'recent').length, 2);
    });
  }

  test('a token the server rejects after sign-in: github-auth, or the cache marked stale', async () => {
    const { gh, service } = await setup();
    gh.store.addIssue(REPO, { title: 'Revoked', author: 'alice' });
    await service.list({ repo: REPO });
    gh.enqueueFault({ kind: 'status', status: 401, body: JSON.stringify({ message: 'Bad credentials' }) });
    const stale = await service.list({ repo: REPO });
    assert.equal(stale.stale, true);
    assert.equal(stale.staleReason, 'GitHub refused the token');
    gh.enqueueFault({ kind: 'status', status: 401, body: JSON.stringify({ message: 'Bad credentials' }) });
    await rejects(service.list({ repo: 'o/uncached' }), 'github-auth');
  });

  test('a missing repository or number is github-not-found', async () => {
    const { service } = await setup();
    const error = await rejects(service.list({ repo: 'o/nope' }), 'github-not-found');
    assert.match(error.message, /Could not resolve to a Repository with the name 'o\/nope'/);
    await rejects(service.thread({ repo: REPO, number: 4242 }), 'github-not-found');
    await rejects(service.list({ repo: '../etc' }), 'github-not-found');
  });

  test('concurrent lists of one repository share one sync', async () => {
    const { gh, service } = await setup();
    gh.store.addIssue(REPO, { title: 'Shared', author: 'alice' });
    gh.resetRequests();
    const [a, b, c] = await Promise.all([service.list({ repo: REPO }), service.list({ repo: REPO }), service.list({ repo: REPO })]);
    assert.deepEqual(a, b);
    assert.deepEqual(b, c);
    assert.deepEqual(operations(gh), ['RepoIssues', 'RepoPullRequests', 'RepoMentions']);
  });

  test('a hanging server times out, is retried, and the cache answers stale', async () => {
    const { gh, service } = await setup({ client: { timeoutMs: 300, maxRetries: 1, retryBaseMs: 5 } });
    gh.store.addIssue(REPO, { title: 'Hang', author: 'alice' });
    await service.list({ repo: REPO });
    gh.enqueueFault({ kind: 'hang' });
    gh.enqueueFault({ kind: 'hang' });
    const listing = await service.list({ repo: REPO });
    assert.equal(listing.stale, true);
    assert.equal(listing.staleReason, 'offline');
  });

  test('addComment stores the comment on GitHub and returns its url; updateIssueComment edits it; the cached thread follows', async () => {
    const { gh, service } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Reply here', author: 'alice', comments: [{ author: 'alice', body: 'Any news?' }] });
    await service.list({ repo: REPO });
    await service.thread({ repo: REPO, number: issue.number });
    gh.resetRequests();
    const posted = await service.postComment({ repo: REPO, number: issue.number, body: 'Fixed in 1.2.3, thanks!' });
    assert.deepEqual(operations(gh), ['AddComment'], 'the subject id came from the cached thread');
    const stored = gh.store.comments(REPO, issue.number).at(-1);
    assert.equal(stored?.body, 'Fixed in 1.2.3, thanks!');
    assert.equal(stored?.author, 'maint');
    assert.equal(posted.url, stored?.url);
    assert.equal(posted.commentId, stored?.id);

    gh.resetRequests();
    const after = await service.thread({ repo: REPO, number: issue.number });
    assert.deepEqual(operations(gh), ['Thread'], 'a posted-on thread is refetched');
    assert.deepEqual(after.thread.comments.map((c) => c.body), ['Any news?', 'Fixed in 1.2.3, thanks!']);

    const edited = await service.editComment({ commentId: posted.commentId, body: 'Fixed in 1.2.4, thanks!' });
    assert.equal(edited.commentId, posted.commentId);
    assert.equal(edited.body, 'Fixed in 1.2.4, thanks!');
    assert.equal(gh.store.comments(REPO, issue.number).at(-1)?.body, 'Fixed in 1.2.4, thanks!');
    const offline = await service.thread({ repo: REPO, number: issue.number });
    assert.equal(offline.thread.comments.at(-1)?.body, 'Fixed in 1.2.4, thanks!');

    // Without a cached thread the subject id is looked up first.
    const other = gh.store.addIssue(REPO, { title: 'Uncached', author: 'bob' });
    gh.resetRequests();
    await service.postComment({ repo: REPO, number: other.number, body: 'Hello' });
    assert.deepEqual(operations(gh), ['SubjectId', 'AddComment']);

    for (const body of ['', '   \n ']) {
      const error = await rejects(service.postComment({ repo: REPO, number: issue.number, body }), 'invalid-thread');
      assert.match(error.message, /empty: nothing was posted/);
    }
    await rejects(service.editComment({ commentId: 'IC_doesNotExist', body: 'x' }), 'github-not-found');
  });

  test('a cache that cannot be written does not fail the request; the failure is logged', async () => {
    const { gh, service, storage, logs } = await setup();
    const issue = gh.store.addIssue(REPO, { title: 'Read-only', author: 'alice' });
    const dir = RepoCache.folder(storage, gh.url, REPO);
    await mkdir(dir, { recursive: true });
    // A file where the threads folder and items.json should go: every write there fails.
    await writeFile(path.join(dir, 'threads'), 'not a folder');
    await mkdir(path.join(dir, 'items.json'));
    const listing = await service.list({ repo: REPO });
    assert.deepEqual(group(listing, 'recent'), [issue.number]);
    const { thread } = await service.thread({ repo: REPO, number: issue.number });
    assert.equal(thread.title, 'Read-only');
    assert.ok(logs.some((l) => /warn: github: could not write the lists of o\/n/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => /warn: github: could not cache o\/n#\d+/.test(l)), logs.join('\n'));
  });

  test('signed out: posting says to sign in', async () => {
    const { service, gh } = await setup();
    await service.setAuth({ token: null, apiUrl: gh.url });
    const error = await rejects(service.postComment({ repo: REPO, number: 1, body: 'hi' }), 'github-auth');
    assert.match(error.message, /Sign in to GitHub/);
  });

  test('the planted token is in no file under any storage folder and in no log line, errors included', async () => {
    const { gh, service, logs } = await setup({ client: { timeoutMs: 300, maxRetries: 1, retryBaseMs: 5 } });
    const issue = gh.store.addIssue(REPO, { title: 'Secrets', author: 'alice', body: 'no secrets here' });
    await service.list({ repo: REPO });
    await service.thread({ repo: REPO, number: issue.number });
    await service.postComment({ repo: REPO, number: issue.number, body: 'A reply' });
    for (const fault of [
      { kind: 'status', status: 401, body: JSON.stringify({ message: `Bad credentials for ${TOKEN}` }) },
      { kind: 'status', status: 500, body: `Authorization: bearer ${TOKEN}` },
      { kind: 'malformedJson' },
      { kind: 'partial' },
    ] as const) {
      gh.enqueueFault(fault);
      gh.enqueueFault(fault);
      try {
        await service.thread({ repo: REPO, number: issue.number, refresh: true });
      } catch (error) {
        assert.ok(error instanceof ThreadwiseError);
        assert.ok(!`${error.message} ${error.hint ?? ''} ${error.stack ?? ''}`.includes(TOKEN));
      }
    }
    await service.setAuth({ token: 'ghp_PLANTEDsecondTokenRejectedByTheServer00', apiUrl: gh.url }).catch(() => undefined);
    for (const s of setups) {
      for (const [file, bytes] of await filesUnder(s.storage)) {
        assert.ok(!bytes.includes(TOKEN), `${file} holds the token`);
        assert.ok(!bytes.includes('PLANTED'), `${file} holds a planted token`);
      }
      for (const line of s.logs) assert.ok(!line.includes('PLANTED'), `log line holds the token: ${line}`);
    }
    assert.ok(logs.length > 0);
  });
});
