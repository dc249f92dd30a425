/**
 * The extension in a real VS Code extension host (code-server here, desktop VS Code through
 * `.vscode-test.mjs`): activation, commands, the daemon's start and restart, and suggest round trips
 * through the real language client to the real daemon with the tiny test models.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ThreadwiseApi } from '../../client/src/extension';
import { aThread, extension, isAlive, setSettings, testModel, tinyModelSettings, threadFile, waitFor } from './support';

suite('Threadwise in the extension host', () => {
  let api: ThreadwiseApi;

  suiteSetup(async () => {
    await setSettings(tinyModelSettings());
  });

  test('activates on its command, not on start-up', async () => {
    assert.equal(extension().isActive, false, 'activated before any Threadwise command ran');
    await vscode.commands.executeCommand('threadwise.showLog');
    await waitFor(() => extension().isActive, 'activation');
    api = extension().exports;
    assert.equal(typeof api.suggestReply, 'function');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['threadwise.suggestReply', 'threadwise.showLog', 'threadwise.restartDaemon']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  test('starts the daemon in its own process', async () => {
    const pid = await api.whenDaemonRunning();
    assert.ok(pid !== undefined && pid !== process.pid, `daemon pid ${pid}`);
    assert.ok(isAlive(pid));
    await waitFor(() => ['idle', 'ready'].includes(api.daemonStatus().state), `daemon idle or ready (is ${api.daemonStatus().state})`);
  });

  test('Suggest Reply streams a reply through the client and the daemon', async () => {
    const uri = threadFile('round-trip.thread.json', aThread(7));
    const suggestion = await api.suggestReply(uri);
    assert.ok(suggestion, 'no suggestion');
    assert.equal(suggestion.threadRef, 'octo/widgets#7');
    assert.ok(suggestion.text.length > 0, 'empty reply');
    assert.equal(suggestion.cancelled, false);
    assert.ok(['SAFE', 'UNSAFE'].includes(suggestion.safety.label), `guardrail label ${suggestion.safety.label}`);
    assert.ok(suggestion.tokens.generated > 0 && suggestion.tokens.generated <= 64);
    assert.ok(suggestion.timings.requestToFirstChunkMs !== null);

    // The command on the same thread reveals the same panel instead of drafting again.
    const again = await vscode.commands.executeCommand<typeof suggestion>('threadwise.suggestReply', uri);
    assert.equal(again?.id, suggestion.id);
  });

  test('Regenerate drafts anew and reuses the cached prompt prefix', async () => {
    const first = await api.regenerate('octo/widgets#7');
    assert.ok(first.tokens.reused > 0, `reused ${first.tokens.reused} of ${first.tokens.prompt} prompt tokens`);
    assert.ok(first.tokens.evaluated < first.tokens.prompt);
  });

  test('a file that is not a thread gives a clear error', async () => {
    const broken = threadFile('broken.thread.json', '{ "repo": "octo/widgets", ');
    await assert.rejects(api.suggestReply(broken), /broken\.thread\.json is not valid JSON/);
    const notAThread = threadFile('list.thread.json', '[1, 2]');
    await assert.rejects(api.suggestReply(notAThread), /does not hold a thread/);
  });

  test('a thread the daemon rejects names the bad field', async () => {
    const bad = aThread(8) as unknown as Record<string, unknown>;
    delete bad['author'];
    await assert.rejects(api.suggestReply(threadFile('no-author.thread.json', JSON.stringify(bad))), /author/);
  });

  test('Stop ends a long generation with the partial text', async () => {
    await setSettings({ model: testModel('tiny-llama-endless.gguf'), maxReplyTokens: 4_000 });
    try {
      const running = api.suggestReply(threadFile('stop.thread.json', aThread(9)));
      running.catch(() => undefined); // awaited below; this only keeps an early test failure quiet
      // Drafting with the model loaded (not just the request accepted while it loads), then some text.
      await waitFor(() => api.daemonStatus().state === 'busy' && api.daemonStatus().component === 'chat-model', 'the model to be drafting');
      await new Promise((resolve) => setTimeout(resolve, 300));
      api.stop('octo/widgets#9');
      const stopped = await running;
      assert.ok(stopped?.cancelled, 'not marked cancelled');
      assert.ok(stopped.tokens.generated > 0 && stopped.tokens.generated < 4_000);
    } finally {
      await setSettings({ model: testModel('tiny-llama.gguf'), maxReplyTokens: 64 });
    }
  });

  test('a killed daemon fails the request in flight, comes back, and the next suggestion works', async () => {
    await setSettings({ model: testModel('tiny-llama-endless.gguf'), maxReplyTokens: 4_000 });
    const before = await api.whenDaemonRunning();
    assert.ok(before);
    const inFlight = api.suggestReply(threadFile('killed.thread.json', aThread(10)));
    inFlight.catch(() => undefined); // awaited below; this only keeps an early test failure quiet
    await waitFor(() => api.daemonStatus().state === 'busy', 'the daemon to be drafting');
    process.kill(before, 'SIGKILL');
    await assert.rejects(inFlight, /daemon stopped while drafting/);
    await setSettings({ model: testModel('tiny-llama.gguf'), maxReplyTokens: 64 });

    const after = await waitFor(() => {
      const pid = api.daemonPid();
      return pid !== undefined && pid !== before ? pid : undefined;
    }, 'a restarted daemon');
    assert.ok(isAlive(after));
    const next = await api.suggestReply(threadFile('after-restart.thread.json', aThread(11)));
    assert.ok(next && next.text.length > 0);
  });

  test('the workspace folder is indexed; Reindex and search answer with the docs and their local files', async () => {
    const examples = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(examples, 'the suite runs with the examples folder open');
    const health = await api.knowledge.reindex();
    const index = health.find((h) => h.folder === examples);
    assert.ok(index, `an index for ${examples}: ${JSON.stringify(health)}`);
    assert.equal(index.state, 'ready');
    assert.equal(index.files, 9, 'examples/yamlette-docs holds 7 docs files (its vendor/ folder is left out), examples/checks 2 sample replies');
    const hits = await api.knowledge.search(index.key, 'byte order mark parse returns null', 5);
    const parsing = hits.find((hit) => hit.path?.endsWith('docs/parsing.md'));
    assert.ok(parsing, hits.map((hit) => hit.title).join(' | '));
    assert.equal(parsing.localPath, `${examples}/yamlette-docs/docs/parsing.md`);
    assert.ok(api.daemonStatus().knowledge?.some((h) => h.key === index.key && h.chunks === index.chunks));
  });
});
