import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance } from '../../server/src/history/editDistance';
import { seededRandom } from '../support/seededRandom';

/** The textbook dynamic programme over UTF-16 code units, the reference. */
function naiveDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function randomText(random: () => number, length: number, alphabet: string[]): string {
  let text = '';
  while (text.length < length) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

describe('editDistance', () => {
  test('known values', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('same text', 'same text'), 0);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('flaw', 'lawn'), 2);
    assert.equal(editDistance('Thanks for the report!', 'Thanks a lot for the report!'), 6);
  });

  test('a character outside the BMP counts as two code units', () => {
    assert.equal('🎉'.length, 2);
    assert.equal(editDistance('a🎉b', 'ab'), 2);
    assert.equal(editDistance('🎉', '🎊'), 1, 'the two emoji share their high surrogate');
    assert.equal(editDistance('x', '😀'), 2);
  });

  test('matches the textbook distance on seeded random texts of every length around the 32-unit blocks', () => {
    const random = seededRandom(7);
    const alphabets = [['a', 'b'], ['a', 'b', 'c', 'd'], 'the quick brown fox'.split(''), ['é', 'e', '🎉', 'x', '\n']];
    const lengths = [0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 129, 200];
    let cases = 0;
    for (const alphabet of alphabets) {
      for (const lengthA of lengths) {
        for (const lengthB of [lengths[Math.floor(random() * lengths.length)]!, Math.floor(random() * 220)]) {
          const a = randomText(random, lengthA, alphabet);
          const b = randomText(random, lengthB, alphabet);
          assert.equal(editDistance(a, b), naiveDistance(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
          assert.equal(editDistance(b, a), naiveDistance(a, b), 'symmetric');
          cases++;
        }
      }
    }
    assert.equal(cases, 96);
  });

  test('matches the textbook distance on edited copies (shared prefix and suffix, edits in the middle)', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 40; round++) {
      const original = randomText(random, 50 + Math.floor(random() * 400), 'abcdefgh ,.\n'.split(''));
      let edited = original;
      for (let k = 0; k < 1 + Math.floor(random() * 10); k++) {
        const at = Math.floor(random() * (edited.length + 1));
        const cut = Math.floor(random() * 5);
        edited = edited.slice(0, at) + randomText(random, Math.floor(random() * 6), ['x', 'y', 'a']) + edited.slice(at + cut);
      }
      assert.equal(editDistance(original, edited), naiveDistance(original, edited));
    }
  });

  test('matches the textbook distance on 3,000-unit texts (94 blocks of 32)', () => {
    const random = seededRandom(5);
    const a = randomText(random, 3000, 'abcdef '.split(''));
    const b = randomText(random, 2900, 'abcdef '.split(''));
    assert.equal(editDistance(a, b), naiveDistance(a, b));
  });

  test('two unrelated 20,000-unit texts take well under 100 ms', () => {
    const random = seededRandom(3);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz     \n'.split('');
    const a = randomText(random, 20_000, alphabet);
    const b = randomText(random, 20_000, alphabet);
    editDistance(a.slice(0, 2000), b.slice(0, 2000)); // warm up the JIT
    const started = performance.now();
    const distance = editDistance(a, b);
    const ms = performance.now() - started;
    assert.ok(distance > 10_000 && distance <= 20_000, `an unrelated pair is far apart (${distance})`);
    assert.equal(distance, editDistance(b, a));
    assert.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
  });
});
