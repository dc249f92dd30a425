import type { SafetyVerdict } from '../protocol';
import type { Disposable } from '../util/disposable';

/** A guardrail: labels text as safe or unsafe with a score (the GitHub-bot articles' safety classifier). */
export interface SafetyClassifier extends Disposable {
  /** Model id or folder name, for the Suggestion. */
  readonly model: string;
  /** Labels the whole text; `threshold` is the unsafe score from which it counts as unsafe. */
  classify(text: string, threshold: number): Promise<SafetyVerdict>;
}

/** Labels that mean "fine" in the classifiers people use as guardrails; every other label counts as unsafe. */
const SAFE_LABELS = /^(safe|benign|neutral|ok|clean|non[-_ ]?toxic|not[-_ ]?toxic|legit|legitimate|label_0)$/i;

export function isSafeLabel(label: string): boolean {
  return SAFE_LABELS.test(label.trim());
}

export interface LabelScore {
  label: string;
  score: number;
}

/**
 * Folds per-window label scores into one verdict. A reply is as unsafe as its worst window: the
 * unsafe score is the highest score of any unsafe label anywhere. The reported label is that
 * unsafe label when over the threshold; otherwise the model's safe label (or `SAFE` for models
 * whose labels are all kinds of harm, such as toxic-bert) with its score.
 */
export function verdictFromScores(windows: readonly LabelScore[][], threshold: number, model: string): SafetyVerdict {
  let worst: LabelScore = { label: 'SAFE', score: 0 };
  let safest: LabelScore | undefined;
  for (const scores of windows) {
    for (const entry of scores) {
      if (isSafeLabel(entry.label)) {
        if (!safest || entry.score < safest.score) safest = entry;
      } else if (entry.score > worst.score) {
        worst = entry;
      }
    }
  }
  const unsafe = worst.score >= threshold;
  if (unsafe) return { label: worst.label, score: worst.score, unsafeScore: worst.score, unsafe, threshold, model };
  const label = safest ? safest.label : 'SAFE';
  const score = safest ? safest.score : 1 - worst.score;
  return { label, score, unsafeScore: worst.score, unsafe, threshold, model };
}

/** Splits a long reply into windows a small classifier can read whole (they truncate at ~128–512 tokens). */
export function classifierWindows(text: string, maxChars = 1000, maxWindows = 32): string[] {
  const windows: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n{2,}/)) {
    for (let start = 0; start < paragraph.length || start === 0; start += maxChars) {
      const piece = paragraph.slice(start, start + maxChars);
      if (current !== '' && current.length + piece.length + 2 > maxChars) {
        windows.push(current);
        current = '';
      }
      current = current === '' ? piece : `${current}\n\n${piece}`;
      if (paragraph.length === 0) break;
    }
  }
  if (current.trim() !== '') windows.push(current);
  if (windows.length <= maxWindows) return windows;
  // Very long replies: keep the first and last windows and an even sample of the middle.
  const step = (windows.length - 1) / (maxWindows - 1);
  return Array.from({ length: maxWindows }, (_, i) => windows[Math.round(i * step)]!);
}
