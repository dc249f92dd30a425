import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { aRun, aThread, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

describe('handshake', () => {
  test('ready is the first and only message before init, and the UI is built inside #root', () => {
    page = loadWebview();
    assert.deepEqual(page.posted, [{ type: 'ready' }]);
    for (const id of ['thread-title', 'status', 'draft', 'metrics', 'badge', 'error', 'stop', 'regenerate', 'copy']) {
      assert.ok(page.byId(id).closest('#root'), `#${id} is inside #root`);
    }
    assert.equal(page.document.body.dataset.status, 'idle');
  });

  test('a persisted snapshot renders before init (and before ready is posted)', () => {
    const state = { thread: aThread({ title: 'Restored thread' }), run: aRun({ runId: 3, status: 'done' as const, text: 'Restored **draft**' }) };
    page = loadWebview({ state });
    // Drawn synchronously at start: no frame has passed yet.
    assert.equal(page.byId('draft').querySelector('strong')?.textContent, 'draft');
    assert.match(page.byId('thread-title').textContent, /Restored thread/);
    assert.equal(page.document.body.dataset.runId, '3');
    assert.equal(page.document.body.dataset.status, 'done');
    assert.deepEqual(page.posted, [{ type: 'ready' }]);
  });

  test('init replaces the restored snapshot entirely (thread and run)', async () => {
    const state = { thread: aThread({ title: 'Old title' }), run: aRun({ runId: 3, status: 'done' as const, text: 'Old draft' }) };
    page = loadWebview({ state });
    page.send(init({ runId: 5, status: 'generating', text: 'New draft' }, { title: 'New title', ref: 'acme/other#7' }));
    const current = page;
    await waitFor(() => current.byId('draft').textContent.includes('New draft'), 'the init draft');
    assert.doesNotMatch(current.byId('draft').textContent, /Old draft/);
    assert.equal(current.byId('thread-title').textContent, 'New title acme/other#7');
    assert.equal(current.document.body.dataset.runId, '5');
    assert.equal(current.document.body.dataset.status, 'generating');
    assert.deepEqual(current.saved.at(-1)?.thread?.title, 'New title');
  });

  test('a malformed persisted state is ignored, malformed messages are dropped', async () => {
    page = loadWebview({ state: { run: { runId: 'x' } } as never });
    const current = page;
    assert.equal(current.byId('draft').textContent, '');
    current.sendRaw({ type: 'chunk', text: 'no run id' });
    current.sendRaw('not an object');
    current.sendRaw({ type: 'evil', html: '<img src=x onerror="window.__pwned=1">' });
    current.send(init({ runId: 1, status: 'generating', text: 'ok' }));
    await waitFor(() => current.byId('draft').textContent.includes('ok'), 'the init draft');
    assert.doesNotMatch(current.byId('draft').textContent, /no run id/);
  });
});
