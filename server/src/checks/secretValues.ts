/**
 * What a candidate secret's value looks like, for the rules in `secrets.ts`: placeholders and
 * documented stand-ins, Shannon entropy and the floor a random value of a length stays above, the
 * run shape that tells random text from identifiers, and base64 that is only encoded prose.
 */

/**
 * Base64 that decodes to printable text (encoded prose in docs and tests, a JWT's header alone) is
 * data, not a key: keys and random tokens decode to arbitrary bytes.
 */
export function isEncodedText(value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 8) return false;
  // 24 random bytes are all printable with probability (95/256)^24 ≈ 1e-10.
  for (const byte of bytes) if (byte < 0x20 ? byte !== 0x09 && byte !== 0x0a && byte !== 0x0d : byte > 0x7e) return false;
  return true;
}

/**
 * The least entropy (bits per character) a random value of this length has: 0.82·log2(length),
 * just under the 1st percentile of random base62/base64 strings (12 → 2.94 where p1 ≈ 3.0, 32 →
 * 4.10 where p1 ≈ 4.2, 40 → 4.36 where p1 ≈ 4.45), capped at 4.6 for long values.
 */
export function entropyFloor(length: number): number {
  return Math.min(4.6, 0.82 * Math.log2(length));
}


const PLACEHOLDER_WORD = /example|sample|dummy|fake|placeholder|redacted|your|changeme|change_me|replace|insert|xxxx|\*\*\*\*|\.\.\.|<[^>]*>|\$\{|\{\{|%[A-Za-z_]+%|^\$[A-Za-z_]/i;

/** A value that stands for a secret rather than being one (see the module comment). */
export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORD.test(value)) return true;
  const compact = value.replace(/[-_]/g, '');
  if (new Set(compact).size <= 3) return true;
  return hasSequentialRun(compact, 6);
}

function hasSequentialRun(value: string, length: number): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    if (up >= length || down >= length) return true;
  }
  return false;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function characterKinds(value: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((kind) => kind.test(value)).length;
}

/**
 * Random text breaks into short runs of one case or of digits (base62 averages ≈ 1.7 characters
 * a run); identifiers and words into long ones (`CancellationToken`: 2 runs of 8.5).
 */
export function hasRandomShape(value: string): boolean {
  const runs = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g);
  if (runs === null) return false;
  const letters = runs.reduce((sum, run) => sum + run.length, 0);
  return letters / runs.length < 3;
}
