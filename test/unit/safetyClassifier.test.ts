import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifierWindows, isSafeLabel, verdictFromScores, type LabelScore } from '../../server/src/checks/safetyClassifier';

const TOXIC_BERT_LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;

/** toxic-bert style output: one independent sigmoid score per harm label. */
function harmScores(scores: Partial<Record<(typeof TOXIC_BERT_LABELS)[number], number>>): LabelScore[] {
  return TOXIC_BERT_LABELS.map((label) => ({ label, score: scores[label] ?? 0.001 }));
}

function safeUnsafe(safe: number): LabelScore[] {
  return [
    { label: 'SAFE', score: safe },
    { label: 'UNSAFE', score: 1 - safe },
  ];
}

describe('verdictFromScores: a SAFE/UNSAFE model', () => {
  test('under the threshold: the safe label with its score', () => {
    assert.deepEqual(verdictFromScores([safeUnsafe(0.8)], 0.5, 'guard'), {
      label: 'SAFE',
      score: 0.8,
      unsafeScore: 1 - 0.8,
      unsafe: false,
      threshold: 0.5,
      model: 'guard',
    });
  });

  test('over the threshold: the unsafe label with its score', () => {
    assert.deepEqual(verdictFromScores([safeUnsafe(0.25)], 0.5, 'guard'), {
      label: 'UNSAFE',
      score: 0.75,
      unsafeScore: 0.75,
      unsafe: true,
      threshold: 0.5,
      model: 'guard',
    });
  });

  test('a score equal to the threshold counts as unsafe', () => {
    const verdict = verdictFromScores([[{ label: 'SAFE', score: 0.4 }, { label: 'UNSAFE', score: 0.6 }]], 0.6, 'guard');
    assert.equal(verdict.unsafe, true);
    assert.equal(verdict.label, 'UNSAFE');
    const below = verdictFromScores([[{ label: 'SAFE', score: 0.41 }, { label: 'UNSAFE', score: 0.59 }]], 0.6, 'guard');
    assert.equal(below.unsafe, false);
    assert.equal(below.label, 'SAFE');
  });

  test('the same scores flip with the threshold', () => {
    const scores = [safeUnsafe(0.7)];
    assert.equal(verdictFromScores(scores, 0.2, 'm').unsafe, true);
    assert.equal(verdictFromScores(scores, 0.4, 'm').unsafe, false);
  });

  test('lower-case and alternative safe labels are recognised', () => {
    const verdict = verdictFromScores([[{ label: 'benign', score: 0.9 }, { label: 'jailbreak', score: 0.1 }]], 0.5, 'm');
    assert.deepEqual([verdict.label, verdict.score, verdict.unsafeScore, verdict.unsafe], ['benign', 0.9, 0.1, false]);
  });
});

describe('verdictFromScores: an all-harm-labels model (toxic-bert)', () => {
  test('under the threshold: label SAFE with score 1 - worst', () => {
    const verdict = verdictFromScores([harmScores({ toxic: 0.2, insult: 0.05 })], 0.5, 'Xenova/toxic-bert');
    assert.equal(verdict.label, 'SAFE');
    assert.ok(Math.abs(verdict.score - 0.8) < 1e-12, String(verdict.score));
    assert.equal(verdict.unsafeScore, 0.2);
    assert.equal(verdict.unsafe, false);
    assert.equal(verdict.model, 'Xenova/toxic-bert');
    assert.equal(verdict.threshold, 0.5);
  });

  test('over the threshold: the worst harm label and its score', () => {
    const verdict = verdictFromScores([harmScores({ toxic: 0.7, insult: 0.91, obscene: 0.4 })], 0.5, 'Xenova/toxic-bert');
    assert.deepEqual(verdict, { label: 'insult', score: 0.91, unsafeScore: 0.91, unsafe: true, threshold: 0.5, model: 'Xenova/toxic-bert' });
  });
});

describe('verdictFromScores: several windows', () => {
  test('the worst window decides, for harm labels', () => {
    const windows = [harmScores({ toxic: 0.1 }), harmScores({ threat: 0.65 }), harmScores({ toxic: 0.3 })];
    const verdict = verdictFromScores(windows, 0.5, 'm');
    assert.deepEqual([verdict.label, verdict.score, verdict.unsafeScore, verdict.unsafe], ['threat', 0.65, 0.65, true]);
  });

  test('the worst window decides, for SAFE/UNSAFE: the lowest safe score is reported', () => {
    const verdict = verdictFromScores([safeUnsafe(0.95), safeUnsafe(0.6), safeUnsafe(0.9)], 0.5, 'm');
    assert.equal(verdict.label, 'SAFE');
    assert.equal(verdict.score, 0.6);
    assert.ok(Math.abs(verdict.unsafeScore - 0.4) < 1e-12);
    assert.equal(verdict.unsafe, false);

    const oneBad = verdictFromScores([safeUnsafe(0.95), safeUnsafe(0.1), safeUnsafe(0.9)], 0.5, 'm');
    assert.equal(oneBad.label, 'UNSAFE');
    assert.ok(Math.abs(oneBad.score - 0.9) < 1e-12);
    assert.equal(oneBad.unsafe, true);
  });

  test('no windows (empty text) is safe', () => {
    assert.deepEqual(verdictFromScores([], 0.5, 'm'), { label: 'SAFE', score: 1, unsafeScore: 0, unsafe: false, threshold: 0.5, model: 'm' });
  });
});

describe('isSafeLabel', () => {
  test('safe labels', () => {
    for (const label of ['SAFE', 'safe', ' Safe ', 'benign', 'NEUTRAL', 'ok', 'clean', 'non-toxic', 'non_toxic', 'nontoxic', 'Not Toxic', 'legit', 'LABEL_0']) {
      assert.equal(isSafeLabel(label), true, label);
    }
  });

  test('everything else is unsafe', () => {
    for (const label of ['UNSAFE', 'toxic', 'insult', 'LABEL_1', 'safe-ish', 'unsafe', 'not safe', '']) {
      assert.equal(isSafeLabel(label), false, label);
    }
  });
});

describe('classifierWindows', () => {
  test('short text is one window, unchanged', () => {
    assert.deepEqual(classifierWindows('Thanks for the report!\n\nCould you share the log?'), ['Thanks for the report!\n\nCould you share the log?']);
  });

  test('empty or blank text gives no windows', () => {
    assert.deepEqual(classifierWindows(''), []);
    assert.deepEqual(classifierWindows('   '), []);
  });

  test('long text is split at paragraphs into windows of at most maxChars', () => {
    const paragraphs = Array.from({ length: 10 }, (_, i) => `p${i}`.padEnd(400, String(i)));
    const text = paragraphs.join('\n\n');
    const windows = classifierWindows(text, 1000);
    assert.deepEqual(windows, [0, 2, 4, 6, 8].map((i) => `${paragraphs[i]}\n\n${paragraphs[i + 1]}`));
    assert.ok(windows.every((w) => w.length <= 1000));
  });

  test('a paragraph longer than maxChars is cut into maxChars pieces', () => {
    const text = 'abcdefghij'.repeat(250); // 2,500 characters, no blank line
    const windows = classifierWindows(text, 1000);
    assert.deepEqual(windows.map((w) => w.length), [1000, 1000, 500]);
    assert.equal(windows.join(''), text);
  });

  test('every window stays under maxChars for mixed paragraph sizes, and no text is lost', () => {
    const paragraphs = ['short', 'x'.repeat(1234), 'mid '.repeat(60).trim(), 'y'.repeat(999), 'z'];
    const windows = classifierWindows(paragraphs.join('\n\n'), 500);
    assert.ok(windows.length > 3);
    for (const window of windows) assert.ok(window.length <= 500, `window of ${window.length}`);
    assert.equal(windows.join('').replace(/\n/g, ''), paragraphs.join(''));
  });

  test('the window count is capped, keeping the first and the last window in order', () => {
    const paragraphs = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')}`.padEnd(100, '.'));
    const all = classifierWindows(paragraphs.join('\n\n'), 100, 1000);
    assert.equal(all.length, 100, 'one window per paragraph without a cap');

    const capped = classifierWindows(paragraphs.join('\n\n'), 100, 8);
    assert.equal(capped.length, 8);
    assert.equal(capped[0], paragraphs[0]);
    assert.equal(capped[7], paragraphs[99]);
    const indices = capped.map((w) => Number(w.slice(1, 4)));
    for (let i = 1; i < indices.length; i++) assert.ok(indices[i]! > indices[i - 1]!, `not increasing: ${indices.join(',')}`);

    const defaultCap = classifierWindows('w'.repeat(100 * 1000), 1000);
    assert.equal(defaultCap.length, 32);
  });
});
