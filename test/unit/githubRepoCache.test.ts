import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFileAtomic } from '../../server/src/github/atomicFile';
import { RepoCache } from '../../server/src/github/repoCache';
import type { CachedThread, SyncState } from '../../server/src/github/repoCache';
import type { GitHubListItem } from '../../server/src/protocol';
import { aComment, aThread, stranger, timestampAt } from '../support/builders';

const item: GitHubListItem = {
  repo: 'acme/widgets',
  number: 7,
  kind: 'pull',
  title: 'Fix the parser',
  state: 'open',
  isDraft: true,
  url: 'https://github.com/acme/widgets/pull/7',
  labels: ['bug'],
  commentCount: 2,
  updatedAt: timestampAt(5),
  author: stranger('reporter'),
  assignees: ['me'],
  lastCommenter: { login: 'me', association: 'MEMBER' },
};

const syncState: SyncState = { syncedAt: timestampAt(10), watermark: timestampAt(5), viewer: 'me', mentioned: [7] };

const cachedThread: CachedThread = {
  thread: aThread({
    number: 7,
    kind: 'pull',
    id: 'PR_1',
    updatedAt: timestampAt(5),
    comments: [aComment({ id: 'IC_1', url: 'https://github.com/acme/widgets/pull/7#issuecomment-1' })],
    files: [{ path: 'src/a.ts', additions: 3, deletions: 1, changeType: 'MODIFIED' }],
    reviewThreads: [{ path: 'src/a.ts', line: 4, diffHunk: '@@ -1,3 +1,4 @@', isResolved: false, isOutdated: false, comments: [aComment()] }],
  }),
  fetchedAt: timestampAt(11),
  needsRefresh: false,
};

describe('RepoCache', () => {
  let storage: string;
  let logs: string[];
  let cache: RepoCache;
  before(async () => {
    storage = await mkdtemp(path.join(os.tmpdir(), 'threadwise-cache-'));
  });
  after(async () => {
    await rm(storage, { recursive: true, force: true });
  });

  function freshCache(name: string): RepoCache {
    logs = [];
    cache = new RepoCache(path.join(storage, name), (message) => logs.push(message));
    return cache;
  }

  test('folders: github.com repos under repos/, other hosts under hosts/<host>/, names lower-cased', () => {
    assert.equal(RepoCache.folder('/s', 'https://api.github.com', 'Acme/Widgets'), path.join('/s', 'repos', 'acme', 'widgets', 'github'));
    assert.equal(RepoCache.folder('/s', 'https://ghe.example.com/api', 'o/n'), path.join('/s', 'hosts', 'ghe.example.com', 'repos', 'o', 'n', 'github'));
    // a port's colon is not allowed in Windows folder names
    assert.equal(RepoCache.folder('/s', 'http://127.0.0.1:8080', 'o/n'), path.join('/s', 'hosts', '127.0.0.1_8080', 'repos', 'o', 'n', 'github'));
  });

  test('folders: names that could climb out of the storage folder are refused', () => {
    for (const repo of ['../x', 'a/..', './b', 'a/b/c', 'a', '']) {
      assert.throws(() => RepoCache.folder('/s', 'https://api.github.com', repo), /owner\/name/, repo);
    }
  });

  test('a missing cache reads as absent without a log line', async () => {
    const empty = freshCache('missing');
    assert.equal(await empty.readItems(), null);
    assert.equal(await empty.readSync(), null);
    assert.equal(await empty.readThread(1), null);
    assert.deepEqual(logs, []);
  });

  test('items, sync state and threads round-trip', async () => {
    const c = freshCache('roundtrip');
    await c.writeItems([item]);
    await c.writeSync(syncState);
    await c.writeThread(cachedThread);
    assert.deepEqual(await c.readItems(), [item]);
    assert.deepEqual(await c.readSync(), syncState);
    assert.deepEqual(await c.readThread(7), cachedThread);
    assert.deepEqual((await readdir(c.dir)).sort(), ['items.json', 'sync.json', 'threads']);
    assert.deepEqual(await readdir(path.join(c.dir, 'threads')), ['7.json']);
  });

  test('a cache written by a new service instance is read by another (survives restarts)', async () => {
    const first = freshCache('restart');
    await first.writeItems([item]);
    const second = new RepoCache(first.dir);
    assert.deepEqual(await second.readItems(), [item]);
  });

  for (const [what, content] of [
    ['truncated JSON', '{"version":1,"items":[{"repo":'],
    ['the wrong shape', '{"version":1,"items":[{"number":"seven"}]}'],
    ['another format version', '{"version":2,"items":[]}'],
    ['binary garbage', '\u0000\u0001\u0002'],
  ] as const) {
    test(`a corrupt items.json (${what}) reads as absent and is logged`, async () => {
      const c = freshCache(`corrupt-${what.replace(/\W/g, '')}`);
      await mkdir(c.dir, { recursive: true });
      await writeFile(path.join(c.dir, 'items.json'), content);
      assert.equal(await c.readItems(), null);
      assert.equal(logs.length, 1);
      assert.match(logs[0] ?? '', /damaged cache file .*items\.json/);
    });
  }

  test('a thread file that is not a valid Thread reads as absent', async () => {
    const c = freshCache('corrupt-thread');
    await c.writeThread(cachedThread);
    const file = path.join(c.dir, 'threads', '7.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as { thread: { files: unknown } };
    json.thread.files = [{ path: 'a', additions: -1, deletions: 0, changeType: 'MODIFIED' }];
    await writeFile(file, JSON.stringify(json));
    assert.equal(await c.readThread(7), null);
    assert.match(logs.join('\n'), /threads.7\.json .*additions/);
  });

  test('a write never leaves a half-written file: concurrent writers leave one whole version, no temp files', async () => {
    const c = freshCache('atomic');
    const versions = Array.from({ length: 20 }, (_, i) => Array.from({ length: 200 }, (_, j) => ({ ...item, number: j + 1, title: `v${i}` })));
    await Promise.all(versions.map((items) => c.writeItems(items)));
    const read = await c.readItems();
    assert.ok(read && read.length === 200);
    assert.equal(new Set(read.map((i) => i.title)).size, 1, 'all rows come from one write');
    assert.deepEqual(await readdir(c.dir), ['items.json']);
  });

  test('writeFileAtomic replaces the file by rename: a reader holding the old inode still sees the old bytes', async () => {
    const dir = path.join(storage, 'rename');
    const file = path.join(dir, 'x.json');
    await writeFileAtomic(file, 'old');
    const { open } = await import('node:fs/promises');
    const handle = await open(file, 'r');
    try {
      await writeFileAtomic(file, 'new');
      assert.equal((await handle.readFile('utf8')), 'old');
      assert.equal(await readFile(file, 'utf8'), 'new');
    } finally {
      await handle.close();
    }
  });

  test('a failed write removes its temp file and leaves the old file as it was', async () => {
    const dir = path.join(storage, 'failing');
    const file = path.join(dir, 'x.json');
    await writeFileAtomic(file, 'old');
    // A directory where the rename must land makes the rename fail.
    const blocked = path.join(dir, 'blocked.json');
    await mkdir(path.join(blocked, 'inside'), { recursive: true });
    await assert.rejects(writeFileAtomic(blocked, 'new'));
    assert.deepEqual((await readdir(dir)).sort(), ['blocked.json', 'x.json']);
    assert.equal(await readFile(file, 'utf8'), 'old');
  });
});
