/**
 * `npm run bench:github` — what GitHub traffic Threadwise's sync and thread fetch cost, against the
 * local fake GitHub (GitHub's published schema, fixture data), in one run:
 *  1. a full sync of a repository with 500 issues (3 comments each) vs an incremental sync after
 *     3 of them changed: requests and bytes each way, and their ratio (the full sync is the baseline);
 *  2. the requests to fetch a 1,000-comment thread (at most one round trip per 100 comments);
 *  3. fetching that thread again while the list says it is unchanged (served from the cache).
 * The figures are GraphQL round trips and bytes as the fake server counts them (request and
 * response bodies). Writes bench/results/github.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitHubService } from '../server/src/github/gitHubService';
import { FakeGitHub } from '../test/support/github/fakeGitHub';
import { ROOT } from '../test/support/paths';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 500);
const CHANGED = 3;
const THREAD_COMMENTS = Number(process.env.BENCH_THREAD_COMMENTS ?? 1000);
const TOKEN = 'bench-token';
const REPO = 'octo/bench';

interface Traffic {
  requests: number;
  bytesOut: number;
  bytesIn: number;
  ms: number;
}

const gh = await FakeGitHub.start({ tokens: [TOKEN], viewer: 'maint' });
const storage = await mkdtemp(path.join(os.tmpdir(), 'threadwise-bench-github-'));

/** Runs `work` and returns what the fake server saw meanwhile. */
async function measure(work: () => Promise<unknown>): Promise<Traffic> {
  gh.resetRequests();
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  return {
    requests: gh.requests.length,
    bytesOut: gh.requests.reduce((sum, r) => sum + r.requestBytes, 0),
    bytesIn: gh.requests.reduce((sum, r) => sum + r.responseBytes, 0),
    ms: Math.round(ms),
  };
}

try {
  gh.store.addRepo(REPO, { maintainers: { maint: 'MEMBER' } });
  const day = 24 * 3600 * 1000;
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < ISSUES; i++) {
    const created = new Date(base + i * 3600 * 1000).toISOString();
    gh.store.addIssue(REPO, {
      title: `Issue ${i + 1}: the parser fails on input ${i}`,
      body: `Steps to reproduce ${i}: call \`parse()\` with a long string.\n\nExpected no error.`,
      author: `user${i % 37}`,
      labels: i % 3 === 0 ? ['bug'] : ['question'],
      assignees: i % 10 === 0 ? ['maint'] : [],
      createdAt: created,
      updatedAt: created,
      comments: [
        { author: 'maint', body: `Thanks for the report ${i}.`, createdAt: new Date(base + i * 3600 * 1000 + 60_000).toISOString() },
        { author: `user${i % 37}`, body: 'Here is more detail.', createdAt: new Date(base + i * 3600 * 1000 + 120_000).toISOString() },
        { author: 'bob', body: `Confirmed on ${i}.`, createdAt: new Date(base + i * 3600 * 1000 + 180_000).toISOString() },
      ],
    });
  }
  const big = gh.store.addIssue(REPO, { title: 'A very long discussion', body: 'Let us talk.', author: 'alice', createdAt: new Date(base - day).toISOString() });
  gh.store.addComments(REPO, big.number, THREAD_COMMENTS, (i) => ({ author: i % 4 === 0 ? 'maint' : `user${i % 11}`, body: `Comment ${i + 1}: a thought about the design.` }));

  const service = new GitHubService({ storageDir: storage, sync: { maxItems: ISSUES + 10 } });
  await service.setAuth({ token: TOKEN, apiUrl: gh.url });

  const full = await measure(() => service.list({ repo: REPO, sync: 'full' }));
  const later = new Date(base + (ISSUES + 48) * 3600 * 1000);
  for (const number of [5, 250, 499].map((n) => Math.min(n, ISSUES))) {
    gh.store.addComment(REPO, number, { author: 'carol', body: 'Still happening on 2.4.', createdAt: later.toISOString() });
  }
  const incremental = await measure(() => service.list({ repo: REPO, sync: 'incremental' }));
  const thread = await measure(() => service.thread({ repo: REPO, number: big.number }));
  const fetched = await service.thread({ repo: REPO, number: big.number });
  const cachedThread = await measure(() => service.thread({ repo: REPO, number: big.number }));
  service.dispose();

  const ratio = (a: number, b: number) => (b === 0 ? null : Number((a / b).toFixed(4)));
  const result = {
    date: new Date().toISOString(),
    issues: ISSUES + 1,
    changed: CHANGED,
    fullSync: full,
    incrementalSync: incremental,
    incrementalVsFull: { requests: ratio(incremental.requests, full.requests), bytesIn: ratio(incremental.bytesIn, full.bytesIn), bytesOut: ratio(incremental.bytesOut, full.bytesOut) },
    thread: { comments: fetched.thread.comments.length, ...thread, roundTripsPer100Comments: Number((thread.requests / (THREAD_COMMENTS / 100)).toFixed(2)) },
    threadAgainUnchanged: cachedThread,
  };
  const fmt = (t: Traffic) => `${t.requests} requests, ${(t.bytesOut / 1024).toFixed(1)} KiB sent, ${(t.bytesIn / 1024).toFixed(1)} KiB received, ${t.ms} ms`;
  console.log(`full sync of ${ISSUES + 1} issues:        ${fmt(full)}`);
  console.log(`incremental, ${CHANGED} changed:          ${fmt(incremental)}`);
  console.log(`  incremental / full: requests ${result.incrementalVsFull.requests}, bytes received ${result.incrementalVsFull.bytesIn}`);
  console.log(`thread of ${fetched.thread.comments.length} comments:        ${fmt(thread)}`);
  console.log(`same thread, unchanged:         ${fmt(cachedThread)}`);
  await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench', 'results', 'github.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await gh.stop();
  await rm(storage, { recursive: true, force: true });
}
