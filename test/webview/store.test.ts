import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChecksInfo, PersistedState, ToWebview } from '../../webview/src/protocol';
import { countFinalBlocks } from '../../webview/src/render/blockBoundaries';
import { lex } from '../../webview/src/render/markdown';
import { reduce } from '../../webview/src/store';
import { aThread, done, init } from './support/builders';

const run = (messages: ToWebview[], from: PersistedState = {}): PersistedState => messages.reduce(reduce, from);

describe('reduce (pure)', () => {
  test('a run: started, phase, chunks, done', () => {
    const state = run([
      init(),
      { type: 'started', runId: 1, requestedAt: 5 },
      { type: 'phase', runId: 1, message: 'Loading model…' },
      { type: 'chunk', runId: 1, text: 'He' },
      { type: 'chunk', runId: 1, text: 'llo' },
    ]);
    assert.deepEqual(state, { thread: aThread(), run: { runId: 1, status: 'generating', text: 'Hello', requestedAt: 5, phase: undefined } });
    const finished = reduce(state, done(1, 'Hello!'));
    assert.equal(finished.run?.status, 'done');
    assert.equal(finished.run?.text, 'Hello!');
    assert.equal(finished.run?.requestedAt, 5);
  });

  test('messages that change nothing return the same object', () => {
    const state = run([init(), { type: 'started', runId: 2, requestedAt: 1 }]);
    for (const message of [
      { type: 'chunk', runId: 1, text: 'old' },
      { type: 'started', runId: 1, requestedAt: 2 },
      { type: 'phase', runId: 3, message: 'future' },
      { type: 'chunk', runId: 2, text: '' },
      { type: 'copied', ok: true },
    ] satisfies ToWebview[]) {
      assert.equal(reduce(state, message), state, JSON.stringify(message));
    }
    const errored = reduce(state, { type: 'error', runId: 2, message: 'boom', hint: 'retry' });
    assert.deepEqual(errored.run?.error, { message: 'boom', hint: 'retry' });
    assert.equal(reduce(errored, { type: 'chunk', runId: 2, text: 'late' }), errored, 'no chunk after an error');
  });
});

describe('reduce: repairs and checks', () => {
  const checks: ChecksInfo = { blocks: [], secrets: [], unknownSources: 0, passed: true, failures: 0, strict: false, repairs: [], injection: { flagged: false, findings: [] } };

  test('repairing empties the draft and keeps the repair until the run is done, which carries the checks', () => {
    const repairing = run([
      init(),
      { type: 'started', runId: 1, requestedAt: 5 },
      { type: 'phase', runId: 1, message: 'Checking the reply…' },
      { type: 'chunk', runId: 1, text: 'Old draft' },
      { type: 'repairing', runId: 1, cycle: 1, maxCycles: 2, failures: 3 },
    ]);
    assert.deepEqual(repairing.run, { runId: 1, status: 'generating', text: '', requestedAt: 5, phase: undefined, repair: { cycle: 1, maxCycles: 2, failures: 3 } });
    const streamed = reduce(repairing, { type: 'chunk', runId: 1, text: 'New' });
    assert.equal(streamed.run?.text, 'New');
    assert.deepEqual(streamed.run?.repair, { cycle: 1, maxCycles: 2, failures: 3 });
    const finished = reduce(streamed, done(1, 'New draft', { checks }));
    assert.equal(finished.run?.repair, undefined);
    assert.equal(finished.run?.checks, checks);
  });

  test('a repair of another run or of a finished run changes nothing', () => {
    const state = run([init(), { type: 'started', runId: 2, requestedAt: 1 }, { type: 'chunk', runId: 2, text: 'x' }]);
    assert.equal(reduce(state, { type: 'repairing', runId: 1, cycle: 1, maxCycles: 2, failures: 1 }), state);
    const finished = reduce(state, done(2, 'x'));
    assert.equal(reduce(finished, { type: 'repairing', runId: 2, cycle: 1, maxCycles: 2, failures: 1 }), finished);
  });
});

describe('countFinalBlocks', () => {
  const final = (markdown: string): string => {
    const tokens = lex(markdown);
    return tokens.slice(0, countFinalBlocks(tokens)).map((token) => token.raw).join('');
  };

  test('keeps the last two blocks open', () => {
    assert.equal(final('a\n\nb'), '');
    assert.equal(final('a\n\nb\n\nc'), 'a\n\n');
    assert.equal(final('1. x\n\n2'), '', 'a list followed by what may become its next item');
  });

  test('does not cut inside raw HTML elements', () => {
    assert.equal(final('<details>\n\np\n\n</details>\n\nq\n\nr\n\ns'), '<details>\n\np\n\n</details>\n\nq\n\n');
    assert.equal(final('<div>\n\nopen\n\nstill\n\nopen'), '');
    assert.equal(final('x <b>bold\n\ny\n\nz</b>\n\nw\n\nv'), 'x <b>bold\n\ny\n\nz</b>\n\n');
    assert.equal(final('`<div>` in code\n\nb\n\nc'), '`<div>` in code\n\n', 'code spans are not HTML');
  });
});
