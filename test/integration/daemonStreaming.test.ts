import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Thread } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { EXAMPLE_THREAD, TINY_GUARD, TINY_LLAMA, TINY_LLAMA_ENDLESS } from '../support/paths';
import { waitFor } from '../support/waitFor';

const example = (): Thread => JSON.parse(readFileSync(EXAMPLE_THREAD, 'utf8')) as Thread;

describe('daemon over stdio: streaming, status, guardrail', () => {
  let daemon: DaemonProcess;
  before(async () => {
    daemon = await DaemonProcess.start({ model: TINY_LLAMA, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: 120, threads: 1 });
  });
  after(async () => daemon.stop());

  test('status notifications report loading before ready', async () => {
    // Both engines load at start-up; the last status settles on ready.
    await waitFor(() => daemon.statuses.at(-1)?.state === 'ready', 'a final ready status');
    const states = daemon.statuses.map((s) => s.state);
    const loading = states.indexOf('loading');
    assert.ok(loading >= 0, `a loading status was published: ${states.join(', ')}`);
    assert.ok(loading < states.indexOf('ready'), `loading came before ready: ${states.join(', ')}`);
    assert.equal((await daemon.status()).state, 'ready');
  });

  test('the streamed chunks, joined in order, are the final text; the guardrail label is present', async () => {
    const { chunks, phases, result, error } = await daemon.suggest(example()).outcome;
    assert.equal(error, undefined);
    assert.ok(result);
    assert.ok(chunks.length > 1, 'the reply arrived in several chunks');
    assert.equal(chunks.join(''), result.text);
    assert.deepEqual(phases, ['retrieving', 'loading-model', 'building-prompt', 'generating', 'checking']);
    assert.equal(result.safety.model, 'tiny-guard');
    assert.ok(['SAFE', 'UNSAFE'].includes(result.safety.label), `label ${result.safety.label}`);
    assert.ok(result.safety.score > 0 && result.safety.score <= 1);
    assert.equal(result.threadRef, 'acme/yamlette#42');
    assert.equal(result.cancelled, false);
    assert.ok(result.tokens.generated > 0 && result.tokens.generated <= 120);
    assert.ok(result.tokens.prompt > 0);
    assert.ok(result.timings.timeToFirstTokenMs !== null && result.timings.timeToFirstTokenMs >= 0);
    // The request-to-first-chunk time includes the model load and the prompt, so it is the larger one.
    assert.ok(result.timings.requestToFirstChunkMs !== null && result.timings.requestToFirstChunkMs >= result.timings.timeToFirstTokenMs);
    assert.ok(result.timings.tokensPerSecond > 0);
    assert.equal(result.chat[0]!.role, 'system');
  });

  test('two concurrent requests never mix their streams', async () => {
    const first = daemon.suggest(example());
    const second = daemon.suggest({ ...example(), number: 7, title: 'A different question entirely', comments: [] });
    const [a, b] = await Promise.all([first.outcome, second.outcome]);
    assert.ok(a.result && b.result);
    assert.equal(a.chunks.join(''), a.result.text);
    assert.equal(b.chunks.join(''), b.result.text);
    assert.notEqual(a.result.text, b.result.text);
    assert.equal(a.result.threadRef, 'acme/yamlette#42');
    assert.equal(b.result.threadRef, 'acme/yamlette#7');
  });

  test('regenerate reuses the KV cache of the unchanged prompt', async () => {
    const thread = { ...example(), number: 99 };
    const cold = (await daemon.suggest(thread).outcome).result;
    const again = (await daemon.suggest(thread, { regenerate: true }).outcome).result;
    assert.ok(cold && again);
    assert.equal(again.tokens.prompt, cold.tokens.prompt);
    assert.ok(again.tokens.evaluated <= cold.tokens.evaluated * 0.1, `regenerate evaluated ${again.tokens.evaluated} of ${again.tokens.prompt} (cold: ${cold.tokens.evaluated})`);
    assert.equal(again.tokens.reused, again.tokens.prompt - again.tokens.evaluated);

    // The thread grows by one comment: only the new comment (and the turn after it) is evaluated.
    const grown: Thread = {
      ...thread,
      comments: [...thread.comments, { author: { login: 'dana-k', association: 'NONE' }, body: 'Any news on this?', createdAt: '2026-10-05T10:00:00Z' }],
    };
    const next = (await daemon.suggest(grown).outcome).result;
    assert.ok(next);
    assert.ok(next.tokens.prompt > cold.tokens.prompt);
    assert.ok(next.tokens.evaluated < 60, `a one-comment growth evaluated ${next.tokens.evaluated} tokens of ${next.tokens.prompt}`);
  });
});

describe('daemon over stdio: cancellation', () => {
  let daemon: DaemonProcess;
  before(async () => {
    daemon = await DaemonProcess.start({ model: TINY_LLAMA_ENDLESS, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: 6000, threads: 1 });
  });
  after(async () => daemon.stop());

  test('cancel stops generation within a second and returns the partial text marked cancelled', async () => {
    const call = daemon.suggest(example());
    await waitFor(() => call.chunks.length >= 3, 'the first chunks', 30_000);
    const cancelledAt = performance.now();
    call.cancel();
    const { result, chunks } = await call.outcome;
    const stoppedWithin = performance.now() - cancelledAt;
    assert.ok(result, 'a cancelled request still resolves with a Suggestion');
    assert.equal(result.cancelled, true);
    assert.equal(result.stopReason, 'cancelled');
    assert.ok(stoppedWithin < 1000, `stopped ${Math.round(stoppedWithin)} ms after cancel`);
    assert.ok(result.tokens.generated < 6000, `generated ${result.tokens.generated} of at most 6000`);
    assert.ok(result.text.length > 0);
    assert.equal(chunks.join(''), result.text);
    // The daemon keeps serving.
    assert.equal((await daemon.status()).state, 'ready');
  });
});
