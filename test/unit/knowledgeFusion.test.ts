import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reciprocalRankFusion } from '../../server/src/knowledge/search/fusion';

const list = (...ids: number[]): Array<{ id: number }> => ids.map((id) => ({ id }));

describe('reciprocalRankFusion', () => {
  test('sums 1 / (k + rank) over the lists, with k = 60 by default', () => {
    const fused = reciprocalRankFusion([list(7, 8, 9), list(9, 7)]);
    const byId = new Map(fused.map((hit) => [hit.id, hit]));
    assert.equal(byId.get(7)?.score, 1 / 61 + 1 / 62);
    assert.equal(byId.get(9)?.score, 1 / 63 + 1 / 61);
    assert.equal(byId.get(8)?.score, 1 / 62);
    assert.deepEqual(fused.map((hit) => hit.id), [7, 9, 8]);
  });

  test('reports the 1-based rank in each list, null where the item is absent', () => {
    const fused = reciprocalRankFusion([list(1, 2), list(3, 1), list()]);
    assert.deepEqual(
      fused.map(({ id, ranks }) => ({ id, ranks })),
      [
        { id: 1, ranks: [1, 2, null] },
        { id: 3, ranks: [null, 1, null] },
        { id: 2, ranks: [2, null, null] },
      ],
    );
  });

  test('an item fairly high in both lists beats the items that top only one of them', () => {
    const vectors = list(101, 500, 102, 103);
    const lexical = list(201, 500, 202, 203);
    const fused = reciprocalRankFusion([vectors, lexical]);
    assert.equal(fused[0]?.id, 500);
    assert.deepEqual(fused[0]?.ranks, [2, 2]);
    assert.deepEqual(fused.slice(1, 3).map((hit) => hit.id), [101, 201]);
  });

  test('equal scores are ordered by best rank, then id, whatever the input order', () => {
    // 4 and 2 are first in one list each; 8 and 6 are second in one list each: equal pairs of scores.
    const a = reciprocalRankFusion([list(4, 8), list(2, 6)]);
    const b = reciprocalRankFusion([list(2, 6), list(4, 8)]);
    assert.deepEqual(a.map((hit) => hit.id), [2, 4, 6, 8]);
    assert.deepEqual(b.map((hit) => hit.id), [2, 4, 6, 8]);
    assert.equal(a[0]?.score, a[1]?.score);
  });

  test('an id repeated in one list counts once, at its best rank', () => {
    const [hit] = reciprocalRankFusion([list(5, 5, 5)]);
    assert.deepEqual(hit, { id: 5, score: 1 / 61, ranks: [1] });
  });

  test('k and limit options', () => {
    const fused = reciprocalRankFusion([list(1, 2, 3), list(3)], { k: 0, limit: 2 });
    assert.deepEqual(
      fused.map(({ id, score }) => ({ id, score })),
      [
        { id: 1, score: 1 },
        { id: 3, score: 1 / 3 + 1 },
      ].sort((x, y) => y.score - x.score),
    );
    assert.deepEqual(reciprocalRankFusion([list(1, 2)], { limit: 0 }), []);
    assert.deepEqual(reciprocalRankFusion([]), []);
    assert.throws(() => reciprocalRankFusion([list(1)], { k: -1 }), RangeError);
    assert.throws(() => reciprocalRankFusion([list(1)], { k: Number.NaN }), RangeError);
    assert.throws(() => reciprocalRankFusion([list(1)], { limit: Number.NaN }), RangeError);
  });

  test('a larger k flattens the advantage of the top rank', () => {
    // Item 1 is first in one list; item 2 is third in both. With a small k the single first place
    // wins, with the usual k the agreement of both lists does.
    const lists = [list(1, 9, 2), list(8, 7, 2)];
    assert.equal(reciprocalRankFusion(lists, { k: 0 })[0]?.id, 1);
    assert.equal(reciprocalRankFusion(lists)[0]?.id, 2);
  });
});
