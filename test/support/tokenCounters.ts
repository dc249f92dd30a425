import type { TokenCounter } from '../../server/src/pipeline/threadToChat';

/** One token per whitespace-separated word; truncation keeps the first N words joined by single spaces. */
export const wordCounter: TokenCounter = {
  count: (text) => words(text).length,
  truncate: (text, maxTokens) => words(text).slice(0, Math.max(0, maxTokens)).join(' '),
};

/** One token per `per` characters, rounded up (a stand-in for a BPE tokenizer on English text). */
export function charCounter(per: number): TokenCounter {
  return {
    count: (text) => Math.ceil(text.length / per),
    truncate: (text, maxTokens) => text.slice(0, Math.max(0, maxTokens) * per),
  };
}

/** Both counters, named, for tests that must hold whatever the tokenizer. */
export const counters: ReadonlyArray<readonly [string, TokenCounter]> = [
  ['word counter', wordCounter],
  ['char counter (4 chars/token)', charCounter(4)],
];

export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}
