/**
 * Small validators for JSON that came from outside (GitHub's answers, cache files): each checks a
 * value and returns it typed, or throws a ShapeError naming the path of the first bad field.
 * Nothing from the network is cast; it goes through one of these.
 */

/** Checks `value` found at `path` and returns it typed. */
export type Check<T> = (value: unknown, path: string) => T;

export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path} should be ${expected}`);
    this.name = 'ShapeError';
  }
}

export const str: Check<string> = (value, path) => {
  if (typeof value !== 'string') throw new ShapeError(path, 'a string');
  return value;
};

export const int: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ShapeError(path, 'an integer');
  return value;
};

export const bool: Check<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ShapeError(path, 'true or false');
  return value;
};

/** An ISO-8601 timestamp that Date can read (GitHub's `DateTime`). */
export const isoTime: Check<string> = (value, path) => {
  const text = str(value, path);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(Date.parse(text))) throw new ShapeError(path, 'an ISO-8601 timestamp');
  return text;
};

export function literal<const T extends string>(...values: T[]): Check<T> {
  return (value, path) => {
    const found = values.find((allowed) => allowed === value);
    if (found === undefined) throw new ShapeError(path, `one of ${values.join(', ')}`);
    return found;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null || value === undefined ? null : check(value, path));
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, path) => (value === undefined ? undefined : check(value, path));
}

export function array<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ShapeError(path, 'an array');
    return value.map((item, i) => check(item, `${path}[${i}]`));
  };
}

/** GitHub's connection `nodes: [T]`: null entries (items the token may not see) are dropped. */
export function nodes<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ShapeError(path, 'an array');
    const out: T[] = [];
    value.forEach((item, i) => {
      if (item !== null) out.push(check(item, `${path}[${i}]`));
    });
    return out;
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(path, 'an object');
  return value;
}

/** Any JSON value, unchecked (to test it for null before looking inside). */
export const raw: Check<unknown> = (value) => value;

/** Reads the fields of one object: `f('login', str)`; `f.nested('viewer')` reads an object inside it. */
export interface Fields {
  <T>(key: string, check: Check<T>): T;
  nested(key: string): Fields;
}

/** The fields of the object found at `path`; throws at once when `value` is not an object. */
export function fields(value: unknown, path: string): Fields {
  const input = record(value, path);
  const get = <T>(key: string, check: Check<T>): T => check(input[key], `${path}.${key}`);
  return Object.assign(get, { nested: (key: string) => fields(input[key], `${path}.${key}`) });
}
