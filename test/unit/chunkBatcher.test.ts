import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkBatcher } from '../../client/src/suggestion/chunkBatcher';
import { waitFor } from '../support/waitFor';

test('the first chunk goes out at once, later ones coalesced in order', async () => {
  const sent: string[] = [];
  const batcher = new ChunkBatcher((text) => sent.push(text), 5);
  batcher.push('Hel');
  assert.deepEqual(sent, ['Hel']);
  batcher.push('lo');
  batcher.push(', ');
  batcher.push('world');
  assert.deepEqual(sent, ['Hel'], 'later chunks must wait for the interval');
  await waitFor(() => sent.length === 2, 'the coalesced batch');
  assert.deepEqual(sent, ['Hel', 'lo, world']);
});

test('flush delivers what is pending; discard drops it; empty chunks are ignored', async () => {
  const sent: string[] = [];
  const batcher = new ChunkBatcher((text) => sent.push(text), 1_000);
  batcher.push('');
  batcher.push('a');
  batcher.push('b');
  batcher.flush();
  assert.deepEqual(sent, ['a', 'b']);
  batcher.push('c');
  batcher.discard();
  batcher.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, ['a', 'b']);
});
