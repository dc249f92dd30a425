// Threadwise in a real VS Code (code-server 4.100.3 = VS Code 1.100.3), driven through its UI in chromium.
//   npm run build && npm run test:models && test/e2e/setup.sh
//   node --test --test-concurrency=1 test/e2e/ui/
// Screenshots of every step, and on failure the server log + workbench logs, go to test-results/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMAND_CLOSE_ALL, COMMAND_SHOW_LOG, COMMAND_SUGGEST, HOSTILE_THREAD, THREAD, endlessSettings, panelState, panelTab,
  startThreadwise, statusItemReady, suggestReply, tinySettings, waitForDraft, waitForRunEnd, waitForStatus,
} from '../threadwise.mjs';

const TEST_TIMEOUT = 180000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Asserts that the run streamed: 'generating' was seen before 'done' and the draft grew in several steps. */
function assertStreamed(state) {
  const generating = state.statusLog.lastIndexOf('generating');
  assert.ok(generating >= 0, `status never was "generating": ${JSON.stringify(state.statusLog)}`);
  assert.ok(state.statusLog.indexOf('done', generating) > generating, `"done" did not follow "generating": ${JSON.stringify(state.statusLog)}`);
  const lengths = state.draftLengths.filter((n) => n > 0);
  assert.ok(lengths.length >= 2, `the draft appeared in one piece, not streamed: lengths ${JSON.stringify(state.draftLengths)}`);
}

describe('Suggest Reply with the tiny model', () => {
  let vsc;
  before(async () => {
    vsc = await startThreadwise({
      name: 'suggest',
      settings: tinySettings(),
      workspaceFiles: { 'issue-7.thread.json': THREAD, 'hostile-666.thread.json': HOSTILE_THREAD },
    });
    console.log('# startup', JSON.stringify(vsc.timings));
  });
  after(async () => {
    if (!vsc) return;
    console.log('# peak memory MiB', vsc.memory.peakMiB, 'console errors', vsc.consoleErrors.length);
    await vsc.stop();
  });

  test('palette + quick pick: the draft streams into the panel, then the guardrail badge shows', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('suggest-stream', async () => {
      await vsc.runCommand(COMMAND_SUGGEST);
      await vsc.pick('issue-7.thread.json'); // no thread file in the active editor: a quick pick of **/*.thread.json
      await panelTab(vsc, 'octo/widgets#7').waitFor({ timeout: 30000 });
      const wv = vsc.webview();
      await wv.locator('#thread-title', { hasText: THREAD.title }).waitFor({ timeout: 30000 });
      await vsc.screenshot('suggest-1-panel-open');
      const state = await waitForRunEnd(vsc, 'done');
      await vsc.screenshot('suggest-2-done');
      assert.ok(state.draft.trim().length > 0, 'empty draft');
      assertStreamed(state);
      assert.ok(state.firstChunkVisibleAt > 0 && state.firstChunkVisibleAt <= Date.now(), `data-first-chunk-visible-at: ${state.firstChunkVisibleAt}`);
      assert.ok(state.badge, 'the guardrail badge shows no label');
      assert.match(state.badge, /\d/, `the badge shows no score: ${state.badge}`);
      assert.equal(state.error, '', `#error: ${state.error}`);
    }));

  test('kill -9 the daemon: the extension restarts it and the next Suggest Reply works', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('daemon-restart', async () => {
      await vsc.runCommand(COMMAND_SHOW_LOG); // activates the extension when an earlier test did not
      await statusItemReady(vsc).waitFor({ timeout: 60000 });
      await vsc.screenshot('daemon-0-ready');
      const oldPid = await vsc.killDaemon('SIGKILL');
      const newPid = await vsc.waitForDaemon({ notPid: oldPid, timeout: 60000 });
      assert.notEqual(newPid, oldPid);
      await statusItemReady(vsc).waitFor({ timeout: 60000 });
      await vsc.screenshot('daemon-1-restarted');

      await vsc.runCommand(COMMAND_CLOSE_ALL);
      await vsc.openFile('issue-7.thread.json'); // the thread in the active editor: normally no quick pick
      await suggestReply(vsc);
      const state = await waitForRunEnd(vsc, 'done');
      assert.ok(state.draft.trim().length > 0, 'empty draft after the restart');
      await vsc.screenshot('daemon-2-suggest-after-restart');
    }));

  test('hostile thread text is shown as text and never runs', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('hostile', async () => {
      await vsc.runCommand(COMMAND_CLOSE_ALL);
      await vsc.openFile('hostile-666.thread.json');
      await suggestReply(vsc, { file: 'hostile-666.thread.json', ref: 'octo/widgets#666' });
      const wv = vsc.webview();
      await wv.locator('#thread-title', { hasText: '<img src=x onerror=' }).waitFor({ timeout: 30000 });
      const state = await waitForRunEnd(vsc, 'done');
      await vsc.screenshot('hostile-1-done');
      assert.ok(state.title.includes(HOSTILE_THREAD.title), `title not shown verbatim: ${state.title}`);
      assert.equal(await wv.locator('#thread-title img, #thread-title script').count(), 0, 'the title was parsed as HTML');
      assert.equal(await wv.locator('img[src="x"], img[onerror], svg[onload], iframe[src^="javascript:"], a[href^="javascript:"]').count(), 0,
        'hostile markup reached the webview DOM');
      await sleep(500); // let any onerror handler that did get in fire
      assert.equal((await panelState(vsc)).pwned, undefined, 'script ran in the webview');
      const outer = await vsc.page.frameLocator('iframe.webview.ready').last().locator('body').evaluate(() => globalThis.__pwned);
      assert.equal(outer, undefined, 'script ran in the webview host frame');
      assert.equal(await vsc.page.evaluate(() => globalThis.__pwned), undefined, 'script ran in the workbench');
      assert.deepEqual(vsc.dialogs, [], 'a dialog opened');
    }));
});

describe('Stop and Regenerate with the endless model', () => {
  let vsc;
  before(async () => {
    vsc = await startThreadwise({ name: 'endless', settings: endlessSettings() });
  });
  after(async () => { await vsc?.stop(); });

  test('Stop mid-stream: status cancelled, the partial draft stays', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('stop', async () => {
      await vsc.openFile('issue-7.thread.json');
      await suggestReply(vsc);
      await waitForStatus(vsc, 'generating');
      await waitForDraft(vsc, 40);
      const before = (await panelState(vsc)).draft;
      await vsc.screenshot('stop-1-generating');
      await vsc.webview().locator('#stop').click();
      const state = await waitForRunEnd(vsc, 'cancelled', 30000);
      assert.ok(state.draft.length >= before.length && state.draft.startsWith(before.slice(0, 40)), 'the partial draft was not kept');
      await sleep(1000);
      assert.equal((await panelState(vsc)).draft, state.draft, 'text kept arriving after Stop');
      await vsc.screenshot('stop-2-cancelled');
    }));

  test('hidden while streaming, shown again: the whole draft is back and still streaming', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('hide-show', async () => {
      const tab = panelTab(vsc, 'octo/widgets#7');
      const previous = await panelState(vsc);
      await vsc.webview().locator('#regenerate').click();
      await vsc.webview().locator(`body[data-run-id="${previous.runId + 1}"]`).waitFor({ state: 'attached', timeout: 30000 });
      await waitForStatus(vsc, 'generating');
      await waitForDraft(vsc, 40);
      const beforeHide = await panelState(vsc);
      // A new editor in the panel's editor group puts the panel in the background: its webview is
      // torn down (no retainContextWhenHidden) while the daemon keeps generating.
      await tab.click();
      await vsc.runCommand('File: New Untitled Text File');
      await vsc.page.locator('.tabs-container .tab.active', { hasText: 'Reply: octo/widgets#7' }).waitFor({ state: 'detached', timeout: 10000 });
      await vsc.screenshot('hide-1-hidden');
      await sleep(1500);
      await tab.click();
      await vsc.webview().locator(`body[data-run-id="${beforeHide.runId}"][data-status="generating"]`).waitFor({ state: 'attached', timeout: 30000 });
      await waitForDraft(vsc, beforeHide.draft.length + 1);
      const shown = await panelState(vsc);
      assert.equal(shown.runId, beforeHide.runId);
      assert.ok(shown.draft.startsWith(beforeHide.draft.slice(0, 40)), 'the draft from before hiding is not there');
      assert.ok(shown.draft.length > beforeHide.draft.length, 'nothing streamed while hidden reached the panel');
      await vsc.screenshot('hide-2-shown-again');
      await vsc.webview().locator('#stop').click();
      await waitForRunEnd(vsc, 'cancelled', 30000);
    }));

  test('Regenerate: a new run (run id + 1) streams new text', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('regenerate', async () => {
      const first = await panelState(vsc);
      assert.ok(Number.isInteger(first.runId), `body[data-run-id]: ${first.runId}`);
      await vsc.webview().locator('#regenerate').click();
      await vsc.webview().locator(`body[data-run-id="${first.runId + 1}"]`).waitFor({ state: 'attached', timeout: 30000 });
      await waitForStatus(vsc, 'generating');
      await waitForDraft(vsc, 40);
      const during = await panelState(vsc);
      assert.equal(during.runId, first.runId + 1);
      assert.ok(during.statusLog.lastIndexOf('generating') > during.statusLog.lastIndexOf('cancelled'),
        `no new generation after the first run was cancelled: ${JSON.stringify(during.statusLog)}`);
      await vsc.screenshot('regenerate-1-generating');
      await vsc.webview().locator('#stop').click();
      const state = await waitForRunEnd(vsc, 'cancelled', 30000);
      assert.ok(state.draft.length >= 40, 'the regenerated draft is empty');
      await vsc.screenshot('regenerate-2-stopped');
    }));
});
