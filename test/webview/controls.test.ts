import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { done, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

interface Enabled {
  stop: boolean;
  regenerate: boolean;
  copy: boolean;
}

function enabled(current: LoadedWebview): Enabled {
  const on = (id: string): boolean => !current.byId<HTMLButtonElement>(id).disabled;
  return { stop: on('stop'), regenerate: on('regenerate'), copy: on('copy') };
}

async function expectEnabled(current: LoadedWebview, expected: Enabled, when: string): Promise<void> {
  await waitFor(() => JSON.stringify(enabled(current)) === JSON.stringify(expected), `buttons ${JSON.stringify(expected)} ${when}`);
}

const escape = (current: LoadedWebview): void => {
  current.document.dispatchEvent(new current.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
};

describe('controls', () => {
  test('buttons are real, labelled <button>s', () => {
    const current = (page = loadWebview());
    for (const [id, label] of [['stop', 'Stop'], ['regenerate', 'Regenerate'], ['copy', 'Copy']] as const) {
      const button = current.byId(id);
      assert.equal(button.tagName, 'BUTTON');
      assert.equal(button.getAttribute('type'), 'button');
      assert.equal(button.textContent, label);
    }
    assert.equal(current.byId('stop').getAttribute('aria-keyshortcuts'), 'Escape');
  });

  test('enabled by status: idle, waiting, generating, done', async () => {
    const current = (page = loadWebview());
    await expectEnabled(current, { stop: false, regenerate: false, copy: false }, 'before init');
    current.send(init());
    await expectEnabled(current, { stop: false, regenerate: true, copy: false }, 'when idle');
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    await expectEnabled(current, { stop: true, regenerate: false, copy: false }, 'while waiting');
    current.send({ type: 'chunk', runId: 1, text: 'Hello' });
    await expectEnabled(current, { stop: true, regenerate: false, copy: true }, 'while generating');
    current.send(done(1, 'Hello', { cancelled: true }));
    await expectEnabled(current, { stop: false, regenerate: true, copy: true }, 'when stopped');
    assert.equal(current.byId('status').textContent, 'Stopped');
    assert.equal(current.document.body.dataset.status, 'cancelled');
  });

  test('Stop and Escape post stop while generating, and nothing once done', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'Hello' });
    await expectEnabled(current, { stop: true, regenerate: false, copy: true }, 'while generating');
    current.byId('stop').click();
    escape(current);
    assert.deepEqual(current.posted.slice(1), [{ type: 'stop' }, { type: 'stop' }]);

    current.send(done(1, 'Hello'));
    await expectEnabled(current, { stop: false, regenerate: true, copy: true }, 'when done');
    current.byId('stop').click();
    escape(current);
    assert.deepEqual(current.posted.slice(1), [{ type: 'stop' }, { type: 'stop' }], 'no stop once done');
  });

  test('Regenerate posts regenerate; a disabled Regenerate posts nothing', async () => {
    const current = (page = loadWebview());
    current.send(init({ runId: 1, status: 'generating', text: 'x' }));
    await expectEnabled(current, { stop: true, regenerate: false, copy: true }, 'while generating');
    current.byId('regenerate').click();
    assert.deepEqual(current.posted, [{ type: 'ready' }]);
    current.send(done(1, 'x'));
    await expectEnabled(current, { stop: false, regenerate: true, copy: true }, 'when done');
    current.byId('regenerate').click();
    assert.deepEqual(current.posted, [{ type: 'ready' }, { type: 'regenerate' }]);
  });

  test('Copy posts the raw Markdown and shows "Copied" briefly on copied', async () => {
    const current = (page = loadWebview());
    const markdown = '# Title\n\nSome `code` and **bold**.\n';
    current.send(init({ runId: 4, status: 'done', text: markdown }));
    await expectEnabled(current, { stop: false, regenerate: true, copy: true }, 'when done');
    const copy = current.byId('copy');
    copy.click();
    assert.deepEqual(current.posted.at(-1), { type: 'copy', text: markdown });
    current.send({ type: 'copied', ok: true });
    assert.equal(copy.textContent, 'Copied');
    await waitFor(() => copy.textContent === 'Copy', 'the label back to Copy', 5000);
    current.send({ type: 'copied', ok: false });
    assert.equal(copy.textContent, 'Copy failed');
  });

  test('focus moves off Stop when it becomes disabled', async () => {
    const current = (page = loadWebview());
    current.send(init({ runId: 1, status: 'generating', text: 'x' }));
    await expectEnabled(current, { stop: true, regenerate: false, copy: true }, 'while generating');
    current.byId('stop').focus();
    current.send(done(1, 'x'));
    await waitFor(() => current.document.activeElement?.id === 'regenerate', 'focus on Regenerate');
  });
});
