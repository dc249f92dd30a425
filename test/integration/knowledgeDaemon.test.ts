import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DidChangeWatchedFilesNotification, FileChangeType, ResponseError } from 'vscode-languageserver-protocol/node';
import {
  GitHubListRequest,
  GitHubSetAuthRequest,
  KnowledgeReindexRequest,
  KnowledgeSearchRequest,
  KnowledgeSetFoldersRequest,
  THREADWISE_ERROR_CODE,
} from '../../server/src/protocol';
import type { KnowledgeHealth, ThreadwiseErrorData } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { FakeGitHub } from '../support/github/fakeGitHub';
import { gitCheckoutOfExampleDocs } from '../support/knowledge/gitDocs';
import { TINY_EMBED, TINY_GUARD, TINY_LLAMA } from '../support/paths';
import { waitFor } from '../support/waitFor';

const TOKEN = 'ghp_PLANTEDknowledgeDaemonToken0000000001';

describe('daemon over stdio: the knowledge index', () => {
  let gh: FakeGitHub;
  let daemon: DaemonProcess;
  let docs: Awaited<ReturnType<typeof gitCheckoutOfExampleDocs>>;
  const health = (): KnowledgeHealth | undefined => daemon.statuses.at(-1)?.knowledge?.find((h) => h.key === 'o/n');

  before(async () => {
    gh = await FakeGitHub.start({ tokens: [TOKEN], viewer: 'maint' });
    gh.store.addRepo('o/n', { maintainers: { maint: 'MEMBER' } });
    gh.store.addIssue('o/n', {
      title: 'Anchors explode memory',
      body: 'A file with many aliases makes parse() eat all the RAM.',
      author: 'alice',
      state: 'CLOSED',
      comments: [{ author: 'maint', body: 'That is the billion laughs pattern: set maxAliases lower, the default stops it at 100 expansions.' }],
    });
    gh.store.addIssue('o/n', { title: 'Still open', author: 'bob', comments: [{ author: 'maint', body: 'Looking into it.' }] });
    docs = await gitCheckoutOfExampleDocs('o/n');
    daemon = await DaemonProcess.start({ model: TINY_LLAMA, guardrailModel: TINY_GUARD, embeddingModel: TINY_EMBED, allowDownloads: false, threads: 1 });
  });
  after(async () => {
    await daemon.stop();
    await gh.stop();
    await docs.cleanup();
  });

  test('setFolders indexes the folder in the background; the status carries the index health', async () => {
    await daemon.connection.sendRequest(GitHubSetAuthRequest.type, { token: TOKEN, apiUrl: gh.url });
    const first = await daemon.connection.sendRequest(KnowledgeSetFoldersRequest.type, { folders: [{ path: docs.root, repo: 'o/n' }] });
    assert.deepEqual(first.map((h) => h.key), ['o/n']);
    const ready = await waitFor(() => (health()?.state === 'ready' && health()!.files === 7 ? health() : undefined), 'the first index', 30_000);
    assert.ok(ready.chunks >= 7);
    assert.ok(ready.lastUpdated !== null);
    assert.ok(daemon.statuses.some((s) => s.knowledge?.some((h) => h.key === 'o/n' && h.state === 'indexing' && h.progress !== undefined)), 'progress was published');
  });

  test('a GitHub sync brings closed, answered issues into the index (open ones stay out)', async () => {
    await daemon.connection.sendRequest(GitHubListRequest.type, { repo: 'o/n' });
    await waitFor(() => health()?.issues === 1, 'the closed issue in the index', 30_000);
    const hits = await daemon.connection.sendRequest(KnowledgeSearchRequest.type, { key: 'o/n', query: 'aliases memory billion laughs maxAliases', k: 5 });
    const issue = hits.find((hit) => hit.kind === 'issue');
    assert.ok(issue, hits.map((h) => h.title).join(' | '));
    assert.equal(issue.issueNumber, 1);
    assert.match(issue.title, /^#1 Anchors explode memory/);
    assert.match(issue.text, /Answer by @maint/);
    assert.match(issue.text, /A file with many aliases/, 'question and answer are one chunk');
    assert.ok(issue.url?.endsWith('/o/n/issues/1'), issue.url ?? 'no url');
  });

  test('a watched file change re-indexes just that file', async () => {
    const before = health()!;
    const statusesBefore = daemon.statuses.length;
    await writeFile(path.join(docs.root, 'docs', 'streams.md'), '# Streams\n\nUse parseAll() to read a multi-document stream from a socket.\n');
    await daemon.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(path.join(docs.root, 'docs', 'streams.md')).href, type: FileChangeType.Created }],
    });
    const after = await waitFor(() => (health()?.files === 8 && health()?.state === 'ready' ? health() : undefined), 'the new file in the index', 30_000);
    assert.ok(after.chunks > before.chunks);
    // With the models loaded, indexing is what the status item shows.
    assert.ok(daemon.statuses.slice(statusesBefore).some((s) => s.state === 'indexing' && s.component === 'knowledge' && /^Indexing o\/n/.test(s.message)), 'an indexing status was published');
    assert.ok(daemon.logs.some((line) => /knowledge: o\/n: generation \d+ — 1 added, 0 changed, 0 removed/.test(line)), daemon.logs.filter((l) => l.includes('knowledge')).join('\n'));
  });

  test('Suggest Reply retrieves from the repository index', async () => {
    const thread = {
      repo: 'o/n',
      number: 9,
      kind: 'issue',
      title: 'IndentationError on tabs',
      body: 'My file uses tabs for indentation and parse() throws IndentationError.',
      author: { login: 'carol', association: 'NONE' },
      createdAt: '2026-11-01T10:00:00Z',
      comments: [],
    };
    const outcome = await daemon.suggest(thread).outcome;
    assert.ok(outcome.result, outcome.error?.message);
    assert.equal(outcome.result.retrieval.indexed, true);
    assert.ok(outcome.result.retrieval.given.length > 0);
    assert.ok(outcome.phases.includes('retrieving'));
    assert.match(outcome.result.chat[1]!.text, /^\[Threadwise sources/);
    const given = outcome.result.retrieval.given;
    const doc = given.find((s) => s.kind === 'doc' && s.url !== null);
    assert.ok(doc?.url?.includes(`/o/n/blob/${docs.head}/`), JSON.stringify(given.map((g) => g.url)));
  });

  test('Reindex rebuilds on request and bad requests get clear errors', async () => {
    const result = await daemon.connection.sendRequest(KnowledgeReindexRequest.type, { key: 'o/n', full: true });
    assert.equal(result.find((h) => h.key === 'o/n')?.state, 'ready');
    const refusals = [
      daemon.connection.sendRequest(KnowledgeSearchRequest.type, { key: 'o/n', query: '' }),
      daemon.connection.sendRequest(KnowledgeSearchRequest.type, { key: '../../etc', query: 'x' }),
      daemon.connection.sendRequest(KnowledgeReindexRequest.type, { key: 'nobody/here' }),
      daemon.connection.sendRequest(KnowledgeSetFoldersRequest.type, { folders: [{ path: 'relative/path', repo: null }] }),
    ];
    for (const refusal of refusals) {
      await assert.rejects(refusal, (error: unknown) => {
        assert.ok(error instanceof ResponseError);
        assert.equal(error.code, THREADWISE_ERROR_CODE);
        assert.equal((error.data as ThreadwiseErrorData).reason, 'knowledge-index');
        return true;
      });
    }
    assert.ok(daemon.alive);
  });
});
