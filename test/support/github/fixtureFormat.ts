// How the fake GitHub spells ids, cursors and timestamps. All three are opaque to clients, like
// GitHub's; tests must never build or parse them (use the store's objects instead).

/** GitHub's DateTime: ISO-8601 in UTC, whole seconds, with `Z` (`2024-01-15T09:00:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds of an ISO-8601 timestamp; throws naming `what` when it is not one. */
export function parseTime(value: string, what: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${what}: "${value}" is not an ISO-8601 timestamp`);
  return ms;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * A global node id in GitHub's current style: a type prefix (`I_`, `PR_`, `IC_`, …), `kwDO`/`kgDO`
 * and an opaque tail. Unique per (prefix, key); the store keeps an index from id to object.
 */
export function nodeId(prefix: string, key: string): string {
  const marker = prefix === 'R' || prefix === 'U' || prefix === 'O' ? 'kgDO' : 'kwDO';
  return `${prefix}_${marker}${base64url(key)}`;
}

/** A connection cursor: base64 of `cursor:v2:` and the JSON of the item's sort key. */
export type CursorKey = readonly (number | string)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`cursor:v2:${JSON.stringify(key)}`, 'utf8').toString('base64');
}

/** The sort key inside a cursor, or undefined when the string is not one of ours. */
export function decodeCursor(cursor: string): CursorKey | undefined {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('cursor:v2:')) return undefined;
  try {
    const key: unknown = JSON.parse(text.slice('cursor:v2:'.length));
    if (Array.isArray(key) && key.every((part) => typeof part === 'number' || typeof part === 'string')) {
      return key;
    }
  } catch {
    // fall through: not a cursor
  }
  return undefined;
}

/** Lexicographic order of two sort keys (numbers before strings never mix in one position). */
export function compareKeys(a: CursorKey, b: CursorKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
