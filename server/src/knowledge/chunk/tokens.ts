/**
 * A cheap, deterministic token estimate for sizing chunks. It stands in for the embedding model's
 * tokenizer, which is far too slow to run on every line of every document while packing chunks.
 *
 * The rule, per UTF-16 code unit:
 *   - newline: 0 (BPE tokenizers merge line breaks into neighbouring tokens; it also makes the
 *     estimate of `a + '\n' + b` never exceed the estimates of `a` and `b` added up);
 *   - ASCII letters, digits, spaces and other whitespace: 1/4 (English prose is about four characters
 *     a token, so prose comes out at about chars/4);
 *   - ASCII punctuation and symbols: 1/2 (code splits into many short tokens around `(){}.;=<>`, so
 *     code-dense text comes out well above chars/4);
 *   - CJK, kana, Hangul and everything from U+3000 up (outside the surrogates): 1 (one or more tokens each);
 *   - other non-ASCII units (accented letters, Cyrillic, Greek, each half of an emoji's surrogate
 *     pair): 1/2.
 * The sum is rounded up. Every unit weighs at most 1, so n characters never estimate above n tokens.
 */
export function estimateTokens(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += unitWeight(text.charCodeAt(i));
  return Math.ceil(sum);
}

/** The estimated tokens of one UTF-16 code unit (see estimateTokens for the rule). */
export function unitWeight(code: number): number {
  if (code === 10) return 0;
  if (code < 128) return isAsciiPunctuation(code) ? 0.5 : 0.25;
  if (code >= 0x3000 && (code < 0xd800 || code > 0xdfff)) return 1;
  return 0.5;
}

function isAsciiPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}
