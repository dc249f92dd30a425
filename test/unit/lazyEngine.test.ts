import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LazyEngine, type EngineState } from '../../server/src/util/lazyEngine';

class FakeEngine {
  disposeCount = 0;
  constructor(readonly id: number) {}
  dispose(): Promise<void> {
    this.disposeCount++;
    return Promise.resolve();
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A loader whose loads the test finishes by hand, one Deferred per call. */
class ManualLoader {
  readonly loads: Array<Deferred<FakeEngine>> = [];
  readonly load = (): Promise<FakeEngine> => {
    const next = deferred<FakeEngine>();
    this.loads.push(next);
    return next.promise;
  };
}

function describeState(state: EngineState<FakeEngine>): string {
  switch (state.kind) {
    case 'ready':
      return `ready:${state.engine.id}`;
    case 'failed':
      return `failed:${state.error instanceof Error ? state.error.message : String(state.error)}`;
    default:
      return state.kind;
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('LazyEngine', () => {
  test('starts unloaded and loads nothing until asked', () => {
    const loader = new ManualLoader();
    const engine = new LazyEngine(loader.load);
    assert.deepEqual(engine.snapshot, { kind: 'unloaded' });
    assert.equal(loader.loads.length, 0);
  });

  test('concurrent callers share one load', async () => {
    const loader = new ManualLoader();
    const states: string[] = [];
    const lazy = new LazyEngine(loader.load, (s) => states.push(describeState(s)));
    const a = lazy.get();
    const b = lazy.get();
    assert.equal(a, b, 'the same promise');
    assert.equal(loader.loads.length, 1);
    assert.deepEqual(lazy.snapshot, { kind: 'loading' });

    const loaded = new FakeEngine(1);
    loader.loads[0]!.resolve(loaded);
    assert.equal(await a, loaded);
    assert.equal(await b, loaded);
    assert.equal(await lazy.get(), loaded, 'a later caller gets the loaded engine');
    assert.equal(loader.loads.length, 1);
    assert.deepEqual(states, ['loading', 'ready:1']);
    assert.deepEqual(lazy.snapshot, { kind: 'ready', engine: loaded });
  });

  test('a failed load is reported to every waiting caller and retried by the next', async () => {
    const loader = new ManualLoader();
    const states: string[] = [];
    const lazy = new LazyEngine(loader.load, (s) => states.push(describeState(s)));
    const a = lazy.get();
    const b = lazy.get();
    const failure = new Error('model file missing');
    loader.loads[0]!.reject(failure);
    await assert.rejects(a, (error: unknown) => error === failure);
    await assert.rejects(b, (error: unknown) => error === failure);
    assert.equal(lazy.snapshot.kind, 'failed');
    assert.equal(lazy.snapshot.kind === 'failed' ? lazy.snapshot.error : undefined, failure);

    const retry = lazy.get();
    assert.equal(loader.loads.length, 2, 'the next get loads again');
    loader.loads[1]!.resolve(new FakeEngine(2));
    assert.equal((await retry).id, 2);
    assert.deepEqual(states, ['loading', 'failed:model file missing', 'loading', 'ready:2']);
  });

  test('reset disposes the loaded engine and the next get loads a new one', async () => {
    const loader = new ManualLoader();
    const states: string[] = [];
    const lazy = new LazyEngine(loader.load, (s) => states.push(describeState(s)));
    const first = lazy.get();
    loader.loads[0]!.resolve(new FakeEngine(1));
    const one = await first;

    await lazy.reset();
    assert.equal(one.disposeCount, 1);
    assert.deepEqual(lazy.snapshot, { kind: 'unloaded' });

    const second = lazy.get();
    assert.equal(loader.loads.length, 2);
    loader.loads[1]!.resolve(new FakeEngine(2));
    const two = await second;
    assert.equal(two.id, 2);
    assert.equal(two.disposeCount, 0);
    assert.deepEqual(states, ['loading', 'ready:1', 'unloaded', 'loading', 'ready:2']);

    await lazy.dispose();
    assert.equal(two.disposeCount, 1, 'dispose unloads too');
    assert.equal(one.disposeCount, 1, 'not disposed twice');
  });

  test('an engine that finishes loading after reset is disposed and never becomes ready', async () => {
    const loader = new ManualLoader();
    const states: string[] = [];
    const lazy = new LazyEngine(loader.load, (s) => states.push(describeState(s)));
    const pending = lazy.get();
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const reset = lazy.reset();
    assert.deepEqual(lazy.snapshot, { kind: 'unloaded' });

    const late = new FakeEngine(1);
    loader.loads[0]!.resolve(late);
    await reset;
    assert.equal(await outcome, 'the engine was reset while it loaded');
    assert.equal(late.disposeCount, 1, 'disposed exactly once');
    assert.deepEqual(lazy.snapshot, { kind: 'unloaded' });
    assert.deepEqual(states, ['loading', 'unloaded']);

    // A new get after the reset starts a fresh load.
    const fresh = lazy.get();
    loader.loads[1]!.resolve(new FakeEngine(2));
    assert.equal((await fresh).id, 2);
    assert.deepEqual(states, ['loading', 'unloaded', 'loading', 'ready:2']);
  });

  test('a late engine whose dispose fails does not cause an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const loader = new ManualLoader();
      const lazy = new LazyEngine(loader.load);
      const pending = lazy.get();
      pending.catch(() => undefined);
      const reset = lazy.reset();
      const late = new FakeEngine(1);
      late.dispose = () => {
        late.disposeCount++;
        return Promise.reject(new Error('native free failed'));
      };
      loader.loads[0]!.resolve(late);
      await reset;
      await flush();
      await flush();
      assert.equal(late.disposeCount, 1);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  test('a load that fails after reset does not mark the engine failed', async () => {
    const loader = new ManualLoader();
    const states: string[] = [];
    const lazy = new LazyEngine(loader.load, (s) => states.push(describeState(s)));
    const pending = lazy.get();
    pending.catch(() => undefined);
    const reset = lazy.reset();
    loader.loads[0]!.reject(new Error('late failure'));
    await reset;
    await assert.rejects(pending, /late failure/);
    await flush();
    assert.deepEqual(lazy.snapshot, { kind: 'unloaded' });
    assert.deepEqual(states, ['loading', 'unloaded']);
  });

  test('a reset while a newer load runs does not let the older load clear it', async () => {
    const loader = new ManualLoader();
    const lazy = new LazyEngine(loader.load);
    const old = lazy.get();
    old.catch(() => undefined);
    const reset = lazy.reset();
    const current = lazy.get();
    loader.loads[0]!.reject(new Error('old failed'));
    await reset;
    assert.deepEqual(lazy.snapshot, { kind: 'loading' }, 'the old failure is not reported');
    assert.equal(lazy.get(), current, 'the newer load is still shared');
    loader.loads[1]!.resolve(new FakeEngine(2));
    assert.equal((await current).id, 2);
    assert.equal(loader.loads.length, 2);
  });
});
