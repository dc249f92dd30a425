import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistedState, ToWebview } from '../../webview/src/protocol';
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
