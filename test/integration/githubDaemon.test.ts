import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  GitHubEditCommentRequest,
  GitHubListRequest,
  GitHubPostCommentRequest,
  GitHubSetAuthRequest,
  GitHubThreadRequest,
  THREADWISE_ERROR_CODE,
} from '../../server/src/protocol';
import type { ThreadwiseErrorData } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { FakeGitHub } from '../support/github/fakeGitHub';
import { TINY_GUARD, TINY_LLAMA } from '../support/paths';

const TOKEN = 'ghp_PLANTEDdaemonTokenNeverLoggedOrWritten01';

/** The reason and message of a request the daemon refused. */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `a ResponseError, got ${String(error)}`);
    assert.equal(error.code, THREADWISE_ERROR_CODE);
    const data = error.data as ThreadwiseErrorData | undefined;
    return { reason: data?.reason, message: error.message };
  }
  assert.fail('expected the daemon to refuse');
}

describe('daemon over stdio: the GitHub requests', () => {
  let gh: FakeGitHub;
  let daemon: DaemonProcess;
  before(async () => {
    gh = await FakeGitHub.start({ tokens: [TOKEN], viewer: 'maint' });
    gh.store.addRepo('o/n', { maintainers: { maint: 'MEMBER' } });
    gh.store.addIssue('o/n', { title: 'Over the wire', author: 'alice', assignees: ['maint'], comments: [{ author: 'bob', body: 'same here' }] });
    daemon = await DaemonProcess.start({ model: TINY_LLAMA, guardrailModel: TINY_GUARD, allowDownloads: false, threads: 1 });
  });
  after(async () => {
    await daemon.stop();
    await gh.stop();
  });

  test('setAuth, list, thread, postComment and editComment answer through the connection', async () => {
    const auth = await daemon.connection.sendRequest(GitHubSetAuthRequest.type, { token: TOKEN, apiUrl: gh.url });
    assert.deepEqual(auth, { apiUrl: gh.url, login: 'maint' });
    const listing = await daemon.connection.sendRequest(GitHubListRequest.type, { repo: 'o/n' });
    assert.equal(listing.stale, false);
    assert.deepEqual(listing.groups.find((g) => g.id === 'assigned')?.items.map((i) => i.title), ['Over the wire']);
    const { thread } = await daemon.connection.sendRequest(GitHubThreadRequest.type, { repo: 'o/n', number: 1 });
    assert.deepEqual(thread.comments.map((c) => c.body), ['same here']);
    const posted = await daemon.connection.sendRequest(GitHubPostCommentRequest.type, { repo: 'o/n', number: 1, body: 'Thanks, looking.' });
    assert.equal(gh.store.comments('o/n', 1).at(-1)?.url, posted.url);
    const edited = await daemon.connection.sendRequest(GitHubEditCommentRequest.type, { commentId: posted.commentId, body: 'Thanks, fixed.' });
    assert.equal(edited.body, 'Thanks, fixed.');
    assert.equal(gh.store.comments('o/n', 1).at(-1)?.body, 'Thanks, fixed.');
  });

  test('failures arrive as ResponseErrors with the reason in data', async () => {
    const notFound = await refusal(daemon.connection.sendRequest(GitHubThreadRequest.type, { repo: 'o/n', number: 77 }));
    assert.equal(notFound.reason, 'github-not-found');
    const empty = await refusal(daemon.connection.sendRequest(GitHubPostCommentRequest.type, { repo: 'o/n', number: 1, body: '  ' }));
    assert.match(empty.message, /empty/);
    gh.enqueueFault({ kind: 'malformedJson' });
    const bad = await refusal(daemon.connection.sendRequest(GitHubThreadRequest.type, { repo: 'o/n', number: 1, refresh: true }));
    assert.equal(bad.reason, 'github-bad-response');
    const rejected = await refusal(daemon.connection.sendRequest(GitHubSetAuthRequest.type, { token: 'ghp_PLANTEDrejectedByTheFakeServer000000', apiUrl: gh.url }));
    assert.equal(rejected.reason, 'github-auth');
    const signedOut = await refusal(daemon.connection.sendRequest(GitHubPostCommentRequest.type, { repo: 'o/n', number: 1, body: 'hi' }));
    assert.equal(signedOut.reason, 'github-auth');
    assert.match(signedOut.message, /Sign in to GitHub/);
    const nonsense = await refusal(daemon.connection.sendRequest(GitHubListRequest.type, { repo: 42 } as unknown as { repo: string }));
    assert.equal(nonsense.reason, 'github-not-found');
  });

  test('the token is in no log line the daemon sent and in no file of its storage folder', async () => {
    assert.ok(daemon.logs.some((line) => line.includes('signed in to')), 'the daemon logged the sign-in');
    for (const line of daemon.logs) assert.ok(!line.includes('PLANTED'), `a log line holds the token: ${line}`);
    const entries = await readdir(daemon.storageDir, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile());
    assert.ok(files.some((entry) => entry.name === 'items.json'));
    for (const entry of files) {
      const bytes = await readFile(path.join(entry.parentPath, entry.name));
      assert.ok(!bytes.includes('PLANTED'), `${entry.name} holds the token`);
    }
  });
});
