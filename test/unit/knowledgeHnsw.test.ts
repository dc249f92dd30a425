import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactCosineTopK, recallAtK } from '../../server/src/knowledge/search/exactSearch';
import { HnswVectorIndex, type VectorHit } from '../../server/src/knowledge/search/hnswVectorIndex';
import { seededRandom } from '../support/seededRandom';

/** Standard normal deviates (Box–Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `count` vectors around `clusters` random centres, like the embeddings of documents on a few topics. */
function clusteredVectors(count: number, dimensions: number, clusters: number, seed: number): Float32Array[] {
  const normal = gaussian(seededRandom(seed));
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dimensions }, normal));
  return Array.from({ length: count }, (_, i) => {
    const centre = centres[i % clusters] ?? [];
    return Float32Array.from(centre, (value) => value + 0.6 * normal());
  });
}

function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

const ids = (hits: readonly VectorHit[]): number[] => hits.map((hit) => hit.id);

describe('HnswVectorIndex', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'threadwise-hnsw-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function smallIndex(): HnswVectorIndex {
    const index = HnswVectorIndex.create({ dimensions: 3, capacity: 8, seed: 7 });
    index.add(10, [1, 0, 0]);
    index.add(20, [0, 1, 0]);
    index.add(30, [0, 0, 1]);
    index.add(40, [1, 1, 0]);
    return index;
  }

  test('finds the nearest points by cosine similarity, most similar first', () => {
    const index = smallIndex();
    assert.equal(index.size, 4);
    const hits = index.search([2, 0.1, 0], 2); // length does not matter for cosine
    assert.deepEqual(ids(hits), [10, 40]);
    assert.ok(Math.abs((hits[0]?.similarity ?? 0) - 2 / Math.hypot(2, 0.1)) < 1e-6, JSON.stringify(hits));
    assert.ok(Math.abs((hits[1]?.similarity ?? 0) - 2.1 / (Math.hypot(2, 0.1) * Math.SQRT2)) < 1e-6, JSON.stringify(hits));
    assert.deepEqual(Array.from(index.vector(40), (v) => Math.round(v * 1e6) / 1e6), [0.707107, 0.707107, 0]);
  });

  test('k larger than the index returns every live point; k < 1 and an empty index return nothing', () => {
    const index = smallIndex();
    assert.deepEqual(ids(index.search([1, 0, 0], 100)).sort(), [10, 20, 30, 40]);
    assert.deepEqual(index.search([1, 0, 0], 0), []);
    assert.deepEqual(HnswVectorIndex.create({ dimensions: 3 }).search([1, 0, 0], 5), []);
    index.remove(10);
    index.remove(20);
    assert.deepEqual(ids(index.search([1, 0, 0], 4)), [40, 30]);
  });

  test('remove hides a point; adding the id again revives it; removing an unknown id is false', () => {
    const index = smallIndex();
    assert.equal(index.remove(10), true);
    assert.equal(index.remove(10), false);
    assert.equal(index.remove(99), false);
    assert.equal(index.has(10), false);
    assert.equal(index.size, 3);
    assert.equal(index.deletedCount, 1);
    assert.ok(!ids(index.search([1, 0, 0], 3)).includes(10));
    assert.throws(() => index.vector(10), /no vector 10/);
    index.add(10, [1, 0, 0.01]);
    assert.equal(index.deletedCount, 0);
    assert.deepEqual(ids(index.search([1, 0, 0], 1)), [10]);
  });

  test('add replaces the vector of an existing id', () => {
    const index = smallIndex();
    index.add(10, [0, 0, 5]);
    assert.equal(index.size, 4);
    assert.deepEqual(ids(index.search([0, 0, 1], 2)).sort(), [10, 30]);
  });

  test('the filter restricts the hits; a filter that throws makes the search throw', () => {
    const index = smallIndex();
    assert.deepEqual(ids(index.search([1, 0, 0], 4, (id) => id >= 30)), [40, 30]);
    assert.throws(
      () =>
        index.search([1, 0, 0], 2, () => {
          throw new Error('filter broke');
        }),
      /filter broke/,
    );
  });

  test('grows past its initial capacity by doubling', () => {
    const index = HnswVectorIndex.create({ dimensions: 8, capacity: 2 });
    const vectors = clusteredVectors(100, 8, 5, 3);
    vectors.forEach((vector, id) => index.add(id, vector));
    assert.equal(index.size, 100);
    assert.equal(index.capacity, 128);
    for (const id of [0, 37, 99]) assert.equal(index.search(vectors[id] ?? [], 1)[0]?.id, id);
  });

  test('rejects vectors of other dimensions, non-finite or all-zero values, and bad ids', () => {
    const index = smallIndex();
    assert.throws(() => index.add(1, [1, 0]), /2 dimensions, the index has 3/);
    assert.throws(() => index.search([1, 0, 0, 0], 1), /4 dimensions, the index has 3/);
    assert.throws(() => index.add(1, [1, Number.NaN, 0]), /non-finite value \(NaN\) at 1/);
    assert.throws(() => index.add(1, new Float32Array([1, 0, Number.POSITIVE_INFINITY])), /non-finite/);
    assert.throws(() => index.search([Number.NaN, 0, 0], 1), /non-finite/);
    assert.throws(() => index.add(1, [0, 0, 0]), /all zeros/);
    assert.deepEqual(index.search([0, 0, 0], 1), []);
    for (const id of [-1, 1.5, 2 ** 32]) assert.throws(() => index.add(id, [1, 0, 0]), RangeError);
    assert.throws(() => HnswVectorIndex.create({ dimensions: 0 }), RangeError);
    assert.equal(index.size, 4);
  });

  test('huge finite components do not overflow the normalization', () => {
    const index = HnswVectorIndex.create({ dimensions: 2 });
    index.add(1, [3e200, 4e200]);
    assert.deepEqual(Array.from(index.vector(1), (v) => Math.round(v * 1e6) / 1e6), [0.6, 0.8]);
  });

  test('save → load through a temp folder answers the same, deletions included, and leaves no temporary file', async () => {
    const vectors = clusteredVectors(300, 16, 6, 11);
    const index = HnswVectorIndex.create({ dimensions: 16, capacity: 64 });
    vectors.forEach((vector, id) => index.add(id * 2, vector));
    for (let id = 0; id < 600; id += 10) index.remove(id);
    const file = join(folder, 'roundtrip.hnsw');
    await index.save(file);
    const loaded = await HnswVectorIndex.load(file, { dimensions: 16 });
    assert.equal(loaded.size, index.size);
    assert.equal(loaded.deletedCount, 60);
    assert.equal(loaded.has(10), false);
    assert.equal(loaded.has(12), true);
    for (const query of clusteredVectors(20, 16, 6, 12)) assert.deepEqual(loaded.search(query, 10), index.search(query, 10));
    assert.deepEqual(await readdir(folder), ['roundtrip.hnsw']);
    // The loaded index keeps working: id 0 was removed, its vector comes back under a new id.
    loaded.add(5000, vectors[0] ?? []);
    assert.equal(loaded.search(vectors[0] ?? [], 1)[0]?.id, 5000);
    assert.equal(loaded.remove(12), true);
    assert.equal(loaded.size, index.size);
  });

  test('an empty index saved and loaded again takes points (hnswlib loads it with no room at all)', async () => {
    const file = join(folder, 'empty.hnsw');
    await HnswVectorIndex.create({ dimensions: 4 }).save(file);
    const loaded = await HnswVectorIndex.load(file, { dimensions: 4 });
    assert.equal(loaded.size, 0);
    assert.ok(loaded.capacity >= 1, `capacity ${loaded.capacity}`);
    for (let id = 0; id < 40; id++) loaded.add(id, [1, id, 0.5, 0.25]);
    assert.equal(loaded.size, 40);
    assert.equal(loaded.search([1, 3, 0.5, 0.25], 1)[0]?.id, 3);
  });

  test('save replaces an existing file atomically; a failed save leaves nothing behind', async () => {
    const file = join(folder, 'replace.hnsw');
    await smallIndex().save(file);
    const bigger = smallIndex();
    bigger.add(50, [1, 1, 1]);
    await bigger.save(file);
    assert.equal((await HnswVectorIndex.load(file, { dimensions: 3 })).size, 5);
    await assert.rejects(bigger.save(join(folder, 'missing-folder', 'x.hnsw')), /could not save the HNSW index/);
    assert.ok(!(await readdir(folder)).some((name) => name.includes('.tmp-')));
  });

  test('adding or removing while a save runs throws; searching works', async () => {
    const index = smallIndex();
    const saving = index.save(join(folder, 'busy.hnsw'));
    assert.throws(() => index.add(50, [1, 1, 1]), /being saved/);
    assert.throws(() => index.remove(10), /being saved/);
    assert.equal(index.search([1, 0, 0], 1)[0]?.id, 10);
    await saving;
    index.add(50, [1, 1, 1]);
    assert.equal(index.size, 5);
  });

  test('load refuses a missing file, a corrupt one and one of other dimensions', async () => {
    const file = join(folder, 'load.hnsw');
    await smallIndex().save(file);
    await assert.rejects(HnswVectorIndex.load(file, { dimensions: 384 }), /3-dimensional vectors, the embedding model makes 384/);
    await assert.rejects(HnswVectorIndex.load(join(folder, 'nope.hnsw'), { dimensions: 3 }), /does not exist/);
    const garbage = join(folder, 'garbage.hnsw');
    await writeFile(garbage, Buffer.alloc(500, 7));
    await assert.rejects(HnswVectorIndex.load(garbage, { dimensions: 3 }), /corrupt/);
    await writeFile(join(folder, 'short.hnsw'), 'tiny');
    await assert.rejects(HnswVectorIndex.load(join(folder, 'short.hnsw'), { dimensions: 3 }), /corrupt/);
    await truncate(file, 400);
    await assert.rejects(HnswVectorIndex.load(file, { dimensions: 3 }), /corrupt/);
  });

  test('compacted() keeps only the live points', () => {
    const vectors = clusteredVectors(200, 8, 4, 5);
    const index = HnswVectorIndex.create({ dimensions: 8, capacity: 256 });
    vectors.forEach((vector, id) => index.add(id, vector));
    for (let id = 0; id < 200; id += 2) index.remove(id);
    const compact = index.compacted();
    assert.equal(compact.size, 100);
    assert.equal(compact.deletedCount, 0);
    assert.equal(compact.capacity, 100);
    assert.deepEqual(compact.vector(7), index.vector(7));
    assert.equal(compact.search(vectors[7] ?? [], 1)[0]?.id, 7);
    assert.ok(ids(compact.search(vectors[8] ?? [], 100)).every((id) => id % 2 === 1));
  });

  test('recall@10 ≥ 0.95 against exact search on 2,000 clustered 64-dimensional vectors', () => {
    const vectors = clusteredVectors(2000, 64, 40, 2024);
    const index = HnswVectorIndex.create({ dimensions: 64 });
    vectors.forEach((vector, id) => index.add(id, vector));
    const queries = clusteredVectors(100, 64, 40, 2024 + 1);
    const entries = vectors.map((vector, id): [number, Float32Array] => [id, vector]);
    const approx = queries.map((query) => index.search(query, 10));
    const exact = queries.map((query) => exactCosineTopK(query, entries, 10));
    const recall = recallAtK(approx, exact);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
    index.setEfSearch(1);
    assert.ok(recallAtK(queries.map((query) => index.search(query, 10)), exact) <= recall);
  });
});

describe('exactCosineTopK and recallAtK', () => {
  test('exact search ranks by cosine similarity, ties by id, and skips nothing', () => {
    const vectors: Array<[number, Float32Array]> = [
      [5, unit(1, 0)],
      [3, unit(1, 0)],
      [9, unit(0, 1)],
      [1, unit(1, 1)],
      [2, new Float32Array([0, 0])],
    ];
    const hits = exactCosineTopK([1, 0], vectors, 3);
    assert.deepEqual(ids(hits), [3, 5, 1]);
    assert.ok(Math.abs((hits[2]?.similarity ?? 0) - Math.SQRT1_2) < 1e-6, JSON.stringify(hits));
    assert.equal(exactCosineTopK([0, 1], vectors, 10).find((hit) => hit.id === 2)?.similarity, 0);
    assert.deepEqual(exactCosineTopK([0, 0], vectors, 3), []);
    assert.deepEqual(exactCosineTopK([1, 0], vectors, 0), []);
    assert.throws(() => exactCosineTopK([1, 0, 0], vectors, 3), /dimensions/);
  });

  test('recall is the share of the exact neighbours found', () => {
    const hit = (id: number): VectorHit => ({ id, similarity: 1 });
    assert.equal(recallAtK([[hit(1), hit(2)], [hit(3), hit(9)]], [[hit(1), hit(2)], [hit(3), hit(4)]]), 0.75);
    assert.equal(recallAtK([], []), 1);
    assert.throws(() => recallAtK([[]], []), /1 approximate result lists for 0 exact ones/);
  });
});
