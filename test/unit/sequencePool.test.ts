import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SequencePool, sharedPrefixLength, type PoolContext, type SequenceLease, type SequencePoolHooks } from '../../server/src/llm/sequencePool';

interface FakeContext extends PoolContext {
  readonly id: number;
  disposed: boolean;
}

interface FakeSlot {
  readonly name: string;
  readonly context: FakeContext;
  tokens: number[];
  disposed: boolean;
}

/** Hooks whose contexts and slots the test can inspect and steer; every call is logged in order. */
class FakeHooks implements SequencePoolHooks<FakeSlot, FakeContext> {
  readonly log: string[] = [];
  readonly contexts: FakeContext[] = [];
  readonly slots: FakeSlot[] = [];
  /** When set, createContext waits for this promise before resolving (to test work during creation). */
  gate: Promise<void> | undefined;
  /** When set, the next createContext rejects with it. */
  failNext: Error | undefined;

  async createContext(contextSize: number): Promise<FakeContext> {
    this.log.push(`createContext(${contextSize})`);
    if (this.gate) await this.gate;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const log = this.log;
    const context: FakeContext = {
      id: this.contexts.length,
      contextSize,
      disposed: false,
      dispose() {
        log.push(`disposeContext(${this.id})`);
        this.disposed = true;
        return Promise.resolve();
      },
    };
    this.contexts.push(context);
    return context;
  }

  createSlot(context: FakeContext): FakeSlot {
    const slot: FakeSlot = { name: `c${context.id}s${this.slots.filter((s) => s.context === context).length}`, context, tokens: [], disposed: false };
    this.slots.push(slot);
    this.log.push(`createSlot(${slot.name})`);
    return slot;
  }

  contextTokensOf(slot: FakeSlot): readonly number[] {
    return slot.tokens;
  }

  disposeSlot(slot: FakeSlot): void {
    this.log.push(`disposeSlot(${slot.name})`);
    slot.disposed = true;
  }
}

/** Lets pending promise callbacks and timers-free continuations run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Tracked<T> {
  settled: boolean;
  value: T | undefined;
  promise: Promise<T>;
}

function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { settled: false, value: undefined, promise };
  promise.then(
    (value) => {
      tracked.settled = true;
      tracked.value = value;
    },
    () => {
      tracked.settled = true;
    },
  );
  return tracked;
}

function live(): AbortSignal {
  return new AbortController().signal;
}

async function lease(pool: SequencePool<FakeSlot, FakeContext>, prompt: readonly number[], needed: number, signal = live()): Promise<SequenceLease<FakeSlot>> {
  const got = await pool.acquire(prompt, needed, signal);
  assert.ok(got, 'expected a lease');
  return got;
}

describe('SequencePool', () => {
  test('the first request creates a context of the needed size with one slot per sequence', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 3);
    assert.equal(pool.contextSize, 0);
    const first = await lease(pool, [1, 2, 3], 1000);
    assert.deepEqual(hooks.log, ['createContext(1000)', 'createSlot(c0s0)', 'createSlot(c0s1)', 'createSlot(c0s2)']);
    assert.equal(pool.contextSize, 1000);
    assert.equal(first.slot.name, 'c0s0');
  });

  test('a request takes the free slot sharing the longest prefix with its prompt', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 3);
    (await lease(pool, [], 100)).release();
    const [s0, s1, s2] = hooks.slots;
    s0!.tokens = [1, 2, 9];
    s1!.tokens = [1, 2, 3, 4, 5];
    s2!.tokens = [7, 7, 7, 7, 7, 7];

    const best = await lease(pool, [1, 2, 3, 4, 6], 100);
    assert.equal(best.slot, s1, 'slot with 4 shared tokens');
    // s1 is busy now: the next best free slot is s0 (2 shared), not s2 (0 shared).
    const next = await lease(pool, [1, 2, 3, 4, 6], 100);
    assert.equal(next.slot, s0);
    best.release();
    next.release();

    // A prompt matching s2 exactly takes s2.
    const exact = await lease(pool, [7, 7, 7, 7, 7, 7, 8], 100);
    assert.equal(exact.slot, s2);
    exact.release();

    // No slot shares anything: the first free slot.
    const none = await lease(pool, [42], 100);
    assert.equal(none.slot, s0);
    assert.equal(hooks.contexts.length, 1, 'no context replaced for requests that fit');
  });

  test('a request waits while every slot is busy and proceeds when one is released', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 2);
    const a = await lease(pool, [1], 100);
    const b = await lease(pool, [2], 100);
    assert.notEqual(a.slot, b.slot);

    const c = track(pool.acquire([3], 100, live()));
    await flush();
    assert.equal(c.settled, false, 'waits while both slots are busy');

    b.release();
    await flush();
    assert.equal(c.settled, true);
    assert.equal(c.value?.slot, b.slot);
    assert.equal(hooks.contexts.length, 1);
  });

  test('releasing a lease twice frees the slot only once', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 1);
    const a = await lease(pool, [1], 100);
    a.release();
    const b = await lease(pool, [1], 100);
    assert.equal(b.slot, a.slot);
    a.release(); // stale: must not free b's slot
    const c = track(pool.acquire([1], 100, live()));
    await flush();
    assert.equal(c.settled, false, 'the slot is still b\'s');
    b.release();
    await flush();
    assert.equal(c.value?.slot, a.slot);
  });

  test('a request needing a bigger context waits until all slots are free, then the context is replaced', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 2);
    const a = await lease(pool, [1], 100);
    const b = await lease(pool, [2], 100);
    const oldContext = hooks.contexts[0]!;

    const big = track(pool.acquire([1, 2, 3], 500, live()));
    await flush();
    assert.equal(big.settled, false);
    a.release();
    await flush();
    assert.equal(big.settled, false, 'one slot is still busy');
    assert.equal(oldContext.disposed, false);

    b.release();
    await flush();
    assert.equal(big.settled, true);
    assert.equal(oldContext.disposed, true);
    assert.equal(hooks.slots[0]!.disposed && hooks.slots[1]!.disposed, true);
    assert.deepEqual(hooks.log.slice(3), ['disposeSlot(c0s0)', 'disposeSlot(c0s1)', 'disposeContext(0)', 'createContext(500)', 'createSlot(c1s0)', 'createSlot(c1s1)']);
    assert.equal(pool.contextSize, 500);
    assert.equal(big.value?.slot.context, hooks.contexts[1]);

    // A later small request fits the larger context and does not replace it.
    const small = await lease(pool, [9], 50);
    assert.equal(small.slot.context, hooks.contexts[1]);
    assert.equal(hooks.contexts.length, 2);
  });

  test('requests that arrive while the context is being replaced wait for the new one', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 2);
    let open: () => void = () => {};
    hooks.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const first = track(pool.acquire([1], 300, live()));
    const second = track(pool.acquire([2], 100, live()));
    await flush();
    assert.equal(first.settled || second.settled, false);
    open();
    await flush();
    assert.equal(first.settled && second.settled, true);
    assert.deepEqual(hooks.log.filter((l) => l.startsWith('createContext')), ['createContext(300)'], 'one context, not two');
    assert.notEqual(first.value?.slot, second.value?.slot);
  });

  test('a failed context creation rejects that request; the next one tries again', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 1);
    hooks.failNext = new Error('out of memory');
    await assert.rejects(pool.acquire([1], 100, live()), /out of memory/);
    const retry = await lease(pool, [1], 100);
    assert.equal(retry.slot.context.contextSize, 100);
    assert.deepEqual(hooks.log.filter((l) => l.startsWith('createContext')), ['createContext(100)', 'createContext(100)']);
  });

  test('aborting a waiting request resolves it with null and leaves the slot to others', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 1);
    const held = await lease(pool, [1], 100);
    const controller = new AbortController();
    const waiting = track(pool.acquire([1], 100, controller.signal));
    await flush();
    assert.equal(waiting.settled, false);
    controller.abort();
    await flush();
    assert.equal(waiting.settled, true);
    assert.equal(waiting.value, null);

    held.release();
    const next = await lease(pool, [1], 100);
    assert.equal(next.slot, held.slot, 'the aborted request did not take the slot');
  });

  test('an already aborted signal resolves null without creating a context', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks);
    const controller = new AbortController();
    controller.abort();
    assert.equal(await pool.acquire([1], 100, controller.signal), null);
    assert.deepEqual(hooks.log, []);
  });

  test('dispose wakes waiting requests with null and frees the context and its slots', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 1);
    await lease(pool, [1], 100);
    const waiting = track(pool.acquire([1], 100, live()));
    const bigger = track(pool.acquire([1], 900, live()));
    await flush();
    assert.equal(waiting.settled || bigger.settled, false);

    await pool.dispose();
    await flush();
    assert.equal(waiting.settled && bigger.settled, true);
    assert.equal(waiting.value, null);
    assert.equal(bigger.value, null);
    assert.equal(hooks.contexts[0]!.disposed, true);
    assert.equal(hooks.slots[0]!.disposed, true);
    assert.equal(await pool.acquire([1], 100, live()), null, 'no lease after dispose');
    assert.equal(hooks.contexts.length, 1, 'no context created after dispose');
  });

  test('a context whose creation finishes after dispose is disposed too', async () => {
    const hooks = new FakeHooks();
    const pool = new SequencePool(hooks, 2);
    let open: () => void = () => {};
    hooks.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const request = track(pool.acquire([1], 100, live()));
    await flush();
    await pool.dispose();
    open();
    await flush();
    assert.equal(request.value, null);
    assert.equal(hooks.contexts.length, 1);
    assert.equal(hooks.contexts[0]!.disposed, true, 'the late context is leaked');
    assert.ok(hooks.slots.every((s) => s.disposed), 'its slots are leaked');
  });
});

describe('sharedPrefixLength', () => {
  test('counts the equal leading tokens', () => {
    assert.equal(sharedPrefixLength([1, 2, 3, 4], [1, 2, 5]), 2);
    assert.equal(sharedPrefixLength([1, 2, 3], [1, 2, 3]), 3);
    assert.equal(sharedPrefixLength([1, 2], [1, 2, 3, 4]), 2);
    assert.equal(sharedPrefixLength([1, 2, 3, 4], [1, 2]), 2);
    assert.equal(sharedPrefixLength([9, 2, 3], [1, 2, 3]), 0);
    assert.equal(sharedPrefixLength([], [1]), 0);
    assert.equal(sharedPrefixLength([], []), 0);
  });
});
