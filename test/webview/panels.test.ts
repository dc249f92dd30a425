import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { aThread, done, init, safeBadge, someMetrics } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

async function finished(message: Parameters<typeof done>[2]): Promise<LoadedWebview> {
  const current = (page = loadWebview());
  current.send(init());
  current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
  current.send(done(1, 'A reply.', message));
  await waitFor(() => current.document.body.dataset.status === 'done', 'done');
  return current;
}

describe('badge', () => {
  test('safe: label and score, no unsafe class', async () => {
    const current = await finished({ safety: safeBadge({ label: 'safe', score: 0.981 }) });
    const badge = current.byId('badge');
    assert.equal(badge.hidden, false);
    assert.equal(badge.textContent, 'SAFE 0.98');
    assert.equal(badge.classList.contains('unsafe'), false);
    assert.match(badge.title, /safe/);
    assert.equal(badge.getAttribute('aria-label'), badge.title);
  });

  test('unsafe: class unsafe and an explanation', async () => {
    const current = await finished({ safety: safeBadge({ label: 'toxic', score: 0.912, unsafe: true }) });
    const badge = current.byId('badge');
    assert.equal(badge.textContent, 'TOXIC 0.91');
    assert.equal(badge.classList.contains('unsafe'), true);
    assert.match(badge.title, /unsafe/);
  });

  test('guardrail error: UNCHECKED with the error in the title', async () => {
    const current = await finished({ safety: safeBadge({ unsafe: true, error: 'classifier model not found' }) });
    const badge = current.byId('badge');
    assert.equal(badge.textContent, 'UNCHECKED');
    assert.equal(badge.classList.contains('unsafe'), true);
    assert.match(badge.title, /classifier model not found/);
  });

  test('hidden while a run is in progress', async () => {
    const current = await finished({});
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    await waitFor(() => current.document.body.dataset.runId === '2', 'run 2');
    assert.equal(current.byId('badge').hidden, true);
    assert.equal(current.byId('metrics').textContent, '');
  });
});

describe('metrics', () => {
  test('first token, rate and tokens', async () => {
    const current = await finished({ metrics: someMetrics({ timeToFirstTokenMs: 120.4, tokensPerSecond: 31.42, generatedTokens: 256, reusedTokens: 0 }) });
    assert.equal(current.byId('metrics').textContent, 'First token 120 ms · 31.4 tok/s · 256 tokens');
  });

  test('reused prompt tokens when there are some', async () => {
    const current = await finished({ metrics: someMetrics({ reusedTokens: 812 }) });
    assert.equal(current.byId('metrics').textContent, 'First token 120 ms · 31.4 tok/s · 256 tokens (reused 812 prompt tokens)');
  });
});

describe('error', () => {
  test('message and hint in the alert region, status says Error', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    const error = current.byId('error');
    assert.equal(error.getAttribute('role'), 'alert');
    assert.equal(error.textContent, '');
    current.send({ type: 'error', runId: 1, message: 'model file not found at /x.gguf', hint: 'set threadwise.model' });
    await waitFor(() => current.document.body.dataset.status === 'error', 'the error status');
    assert.equal(error.querySelector('.error-message')?.textContent, 'model file not found at /x.gguf');
    assert.equal(error.querySelector('.error-hint')?.textContent, 'set threadwise.model');
    assert.equal(current.byId('status').textContent, 'Error: model file not found at /x.gguf');
    assert.equal(current.byId<HTMLButtonElement>('regenerate').disabled, false);

    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    await waitFor(() => error.textContent === '', 'the error cleared by the next run');
  });
});

describe('persisted state', () => {
  test('the final state of a run is saved, and a reload shows it', () => {
    const current = (page = loadWebview());
    current.send(init());
    const requestedAt = Date.now();
    current.send({ type: 'started', runId: 1, requestedAt });
    for (const text of ['Hello', ' wide', ' world.']) current.send({ type: 'chunk', runId: 1, text });
    const message = done(1, 'Hello wide world.', { metrics: someMetrics({ reusedTokens: 3 }) });
    current.send(message);
    assert.deepEqual(current.saved.at(-1), {
      thread: aThread(),
      run: { runId: 1, requestedAt, status: 'done', text: 'Hello wide world.', safety: safeBadge(), metrics: someMetrics({ reusedTokens: 3 }) },
    });

    const reloaded = loadWebview({ state: current.saved.at(-1) });
    try {
      assert.deepEqual(reloaded.posted, [{ type: 'ready' }]);
      assert.equal(reloaded.byId('draft').textContent.trim(), 'Hello wide world.');
      assert.equal(reloaded.byId('badge').textContent, 'SAFE 0.98');
      assert.match(reloaded.byId('metrics').textContent, /reused 3 prompt tokens/);
      assert.deepEqual(reloaded.errors, []);
    } finally {
      reloaded.close();
    }
  });

  test('a streaming draft is saved too (throttled), without waiting for done', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'partial' });
    await waitFor(() => current.saved.at(-1)?.run?.text === 'partial', 'the streaming draft saved', 5000);
    assert.equal(current.saved.at(-1)?.run?.status, 'generating');
  });
});
