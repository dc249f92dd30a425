import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableStore, toDisposable, type Disposable } from '../../server/src/util/disposable';

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A child that records its disposal into `log`, optionally failing or taking a little time. */
function child(log: string[], name: string, options: { fail?: Error; async?: boolean } = {}): Disposable & { count: number } {
  const record = {
    count: 0,
    dispose(): void | Promise<void> {
      record.count++;
      if (options.async) {
        return new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            log.push(name);
            if (options.fail) reject(options.fail);
            else resolve();
          });
        });
      }
      log.push(name);
      if (options.fail) throw options.fail;
    },
  };
  return record;
}

describe('DisposableStore', () => {
  test('disposes children in reverse order of registration', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(child(log, 'a'));
    store.add(child(log, 'b'));
    store.add(child(log, 'c'));
    assert.equal(store.isDisposed, false);
    await store.dispose();
    assert.deepEqual(log, ['c', 'b', 'a']);
    assert.equal(store.isDisposed, true);
  });

  test('waits for each asynchronous child before the next', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(child(log, 'first'));
    store.add(child(log, 'slow', { async: true }));
    store.add(child(log, 'last', { async: true }));
    await store.dispose();
    assert.deepEqual(log, ['last', 'slow', 'first']);
  });

  test('add returns the child', () => {
    const store = new DisposableStore();
    const resource = toDisposable(() => {});
    assert.equal(store.add(resource), resource);
  });

  test('goes on after a failing child and rethrows its error', async () => {
    const log: string[] = [];
    const failure = new Error('close failed');
    const store = new DisposableStore();
    store.add(child(log, 'a'));
    store.add(child(log, 'b', { fail: failure }));
    store.add(child(log, 'c'));
    await assert.rejects(store.dispose(), (error: unknown) => error === failure);
    assert.deepEqual(log, ['c', 'b', 'a']);
  });

  test('several failures are thrown together as an AggregateError, in disposal order', async () => {
    const log: string[] = [];
    const first = new Error('first');
    const second = new Error('second');
    const store = new DisposableStore();
    store.add(child(log, 'a', { fail: second }));
    store.add(child(log, 'b'));
    store.add(child(log, 'c', { fail: first, async: true }));
    await assert.rejects(store.dispose(), (error: unknown) => {
      assert.ok(error instanceof AggregateError);
      assert.deepEqual(error.errors, [first, second]);
      assert.equal(error.message, '2 resources failed to dispose');
      return true;
    });
    assert.deepEqual(log, ['c', 'b', 'a']);
  });

  test('disposing twice disposes the children once', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const a = store.add(child(log, 'a'));
    await store.dispose();
    await store.dispose();
    assert.equal(a.count, 1);
    assert.deepEqual(log, ['a']);
  });

  test('a child added after disposal is disposed at once, not kept', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    await store.dispose();
    const late = child(log, 'late');
    assert.equal(store.add(late), late);
    await flush();
    assert.equal(late.count, 1);
    assert.deepEqual(log, ['late']);
  });

  test('a failing child added after disposal does not cause an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = new DisposableStore();
      await store.dispose();
      store.add(child([], 'late', { fail: new Error('late dispose failed') }));
      await flush();
      await flush();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  test('delete disposes one child now and forgets it', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const a = store.add(child(log, 'a'));
    const b = store.add(child(log, 'b'));
    await store.delete(a);
    assert.deepEqual(log, ['a']);
    await store.dispose();
    assert.deepEqual(log, ['a', 'b']);
    assert.equal(a.count, 1);
    assert.equal(b.count, 1);
  });

  test('delete of an unknown child still disposes it', async () => {
    const log: string[] = [];
    const store = new DisposableStore();
    await store.delete(child(log, 'stranger'));
    assert.deepEqual(log, ['stranger']);
  });
});

describe('toDisposable', () => {
  test('wraps a function', async () => {
    let calls = 0;
    const disposable = toDisposable(() => {
      calls++;
      return Promise.resolve();
    });
    await disposable.dispose();
    assert.equal(calls, 1);
  });
});
