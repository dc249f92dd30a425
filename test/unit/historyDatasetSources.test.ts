import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RepoCache } from '../../server/src/github/repoCache';
import { cachedThreads } from '../../server/src/history/dataset/cachedThreads';
import { datasetExamples } from '../../server/src/history/dataset/datasetExamples';
import type { Thread } from '../../server/src/protocol';
import { maintainer, stranger, threadWithComments, timestampAt } from '../support/builders';

/** A thread of `repo` in which a maintainer answers the reporter `answers` times (reporter, maintainer, reporter, …). */
function answered(repo: string, number: number, answers: number): Thread {
  return threadWithComments(answers * 2, {
    thread: { repo, number },
    author: (i) => (i % 2 === 0 ? stranger('reporter') : maintainer('alice')),
    body: (i) => (i % 2 === 0 ? `Question ${i / 2 + 1} about #${number}?` : `Answer ${(i + 1) / 2} about #${number}.`),
  });
}

/** An async source, as cachedThreads is: each thread after a turn of the event loop. */
async function* from(threads: Thread[]): AsyncGenerator<Thread> {
  for (const thread of threads) {
    await Promise.resolve();
    yield thread;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('cachedThreads: a real cache folder', () => {
  let storageDir: string;
  const api = 'https://api.github.com';
  const enterprise = 'https://ghe.example.com/api';
  let corrupt: string;
  let otherFormat: string;
  let misplaced: string;

  before(async () => {
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-dataset-'));
    const write = async (apiUrl: string, thread: Thread) =>
      new RepoCache(RepoCache.folder(storageDir, apiUrl, thread.repo)).writeThread({ thread, fetchedAt: timestampAt(100), needsRefresh: false });
    await write(api, answered('Acme/Widgets', 42, 1));
    await write(api, answered('Acme/Widgets', 7, 2));
    await write(api, answered('zeta/Tool', 3, 1));
    await write(enterprise, answered('corp/internal', 1, 1));
    const widgets = RepoCache.folder(storageDir, api, 'acme/widgets');
    corrupt = path.join(widgets, 'threads', '9.json');
    await writeFile(corrupt, '{"version":1,"thread":');
    otherFormat = path.join(widgets, 'threads', '10.json');
    await writeFile(otherFormat, JSON.stringify({ version: 2, thread: answered('acme/widgets', 10, 1), fetchedAt: timestampAt(100), needsRefresh: false }));
    misplaced = path.join(widgets, 'threads', '12.json');
    await writeFile(misplaced, JSON.stringify({ version: 1, thread: answered('acme/widgets', 11, 1), fetchedAt: timestampAt(100), needsRefresh: false }));
    // Left behind by an interrupted atomic write: not a thread file.
    await writeFile(path.join(widgets, 'threads', '7.json.123.abcd.tmp'), 'partial');
  });

  after(async () => {
    await rm(storageDir, { recursive: true, force: true });
  });

  test('yields every cached thread of the host, repositories by name and threads by number, reporting and skipping damaged files', async () => {
    const skipped: [string, string][] = [];
    const threads = await collect(cachedThreads({ storageDir, apiUrl: api }, { onSkipped: (file, reason) => skipped.push([file, reason]) }));
    assert.deepEqual(threads.map((t) => `${t.repo}#${t.number}`), ['Acme/Widgets#7', 'Acme/Widgets#42', 'zeta/Tool#3']);
    assert.deepEqual(threads[0], answered('Acme/Widgets', 7, 2));
    assert.deepEqual(skipped.map(([file]) => file), [corrupt, otherFormat, misplaced]);
    assert.match(skipped[0]![1], new RegExp(`^ignoring the damaged cache file ${escape(corrupt)} \\(.+\\)$`));
    assert.equal(skipped[1]![1], `ignoring the damaged cache file ${otherFormat} (${path.join('threads', '10.json')}.version should be 1 (a cache written by another Threadwise version))`);
    assert.equal(skipped[2]![1], 'holds thread #11, not #12');
  });

  test('one repository, named in any case; another API host has its own cache', async () => {
    const skipped: string[] = [];
    const widgets = await collect(cachedThreads({ storageDir }, { repo: 'ACME/widgets', onSkipped: (file) => skipped.push(file) }));
    assert.deepEqual(widgets.map((t) => t.number), [7, 42]);
    assert.deepEqual(skipped, [corrupt, otherFormat, misplaced]);
    const internal = await collect(cachedThreads({ storageDir, apiUrl: enterprise }));
    assert.deepEqual(internal.map((t) => `${t.repo}#${t.number}`), ['corp/internal#1']);
  });

  test('a repository or storage folder with no cache yields nothing; a bad repository name is an invalid-params error', async () => {
    assert.deepEqual(await collect(cachedThreads({ storageDir }, { repo: 'acme/none' })), []);
    assert.deepEqual(await collect(cachedThreads({ storageDir: path.join(storageDir, 'missing') })), []);
    await assert.rejects(collect(cachedThreads({ storageDir }, { repo: '../etc' })), { name: 'ThreadwiseError', reason: 'invalid-params', message: 'repo must be "owner/name", got "../etc"' });
  });

  test('an aborted signal stops the iteration', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await assert.rejects(collect(cachedThreads({ storageDir }, { signal: controller.signal })), { message: 'stopped' });
  });

  test('datasetExamples over the cache gives the examples and counts the threads they came from', async () => {
    const run = datasetExamples(cachedThreads({ storageDir }));
    const examples = await collect(run);
    assert.deepEqual(examples.map((e) => e.id), [
      `Acme/Widgets#7/${timestampAt(61)}`,
      `Acme/Widgets#7/${timestampAt(63)}`,
      `Acme/Widgets#42/${timestampAt(61)}`,
      `zeta/Tool#3/${timestampAt(61)}`,
    ]);
    assert.deepEqual(run.counts, { threadsRead: 3, threadsUsed: 3, examples: 4, duplicates: 0, threadsFailed: 0 });
  });
});

describe('datasetExamples', () => {
  test('counts threads read and used, drops a repeated example, applies since', async () => {
    const silent = threadWithComments(2, { thread: { number: 5 }, author: () => stranger('reporter') });
    const twice = answered('acme/widgets', 8, 2);
    const run = datasetExamples(from([answered('acme/widgets', 6, 1), silent, twice, twice]), { since: new Date(timestampAt(61)) });
    const examples = await collect(run);
    assert.deepEqual(examples.map((e) => `${e.number}:${e.replyCreatedAt}`), [`6:${timestampAt(61)}`, `8:${timestampAt(61)}`, `8:${timestampAt(63)}`]);
    assert.deepEqual(run.counts, { threadsRead: 4, threadsUsed: 2, examples: 3, duplicates: 2, threadsFailed: 0 });
  });

  test('a thread that cannot be turned into examples is reported and skipped', async () => {
    const failed: [number, string][] = [];
    const run = datasetExamples(from([answered('acme/widgets', 1, 1), answered('acme/widgets', 2, 1)]), {
      maxPromptTokens: 100,
      onThreadFailed: (thread, error) => failed.push([thread.number, error.message]),
    });
    assert.deepEqual(await collect(run), []);
    assert.deepEqual(failed, [
      [1, 'a prompt budget of 100 tokens leaves no room for the thread'],
      [2, 'a prompt budget of 100 tokens leaves no room for the thread'],
    ]);
    assert.deepEqual(run.counts, { threadsRead: 2, threadsUsed: 0, examples: 0, duplicates: 0, threadsFailed: 2 });
  });

  test('an invalid since is refused before anything is read', () => {
    assert.throws(() => datasetExamples(from([]), { since: new Date(Number.NaN) }), { name: 'RangeError', message: 'since must be a valid date' });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
