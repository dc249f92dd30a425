// The faults FakeGitHub can serve instead of (or on top of) a normal answer, and the body
// transforms for the two that still answer 200. One fault is used per request, in order.
import type { GraphqlResponseBody } from './executeGraphql';

export type Fault =
  /** Answers this status (e.g. 502, 503) with `body` (default `{"message":"<reason>"}`) and extra headers. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** GitHub's secondary rate limit: the status, its message and a `retry-after` header. */
  | { kind: 'secondaryRateLimit'; status: 403 | 429; retryAfterSeconds: number }
  /** 200 with the real answer's JSON cut in half. */
  | { kind: 'malformedJson' }
  /** 200 with the real answer, one leaf of `data` nulled and an error pointing at it. */
  | { kind: 'partial' }
  /** Answers normally after `ms` (for client timeouts). */
  | { kind: 'delay'; ms: number }
  /** Never answers; the connection is dropped by `stop()`. */
  | { kind: 'hang' };

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID 0000:FAKE:0000000:0000000:00000000.';

/** GitHub's wording when something failed while executing part of a query. */
export const PARTIAL_ERROR_MESSAGE =
  'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. ' +
  'Please include `0000:FAKE:0000000:0000000:00000000` when reporting this issue.';

/** Half the text, so it is never valid JSON. */
export function truncateJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

/**
 * Nulls the first leaf of `data` (depth first: first key of each object, first item of each
 * list), typically a required field such as `id` or `number`, and adds an error at its path.
 */
export function makePartial(body: GraphqlResponseBody): GraphqlResponseBody {
  const path: (string | number)[] = [];
  let holder: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let value: unknown = body.data;
  while (value !== null && typeof value === 'object') {
    const container = value as Record<string, unknown> | unknown[];
    const next: string | number | undefined = Array.isArray(container) ? (container.length > 0 ? 0 : undefined) : Object.keys(container)[0];
    if (next === undefined) break;
    holder = container;
    key = next;
    path.push(next);
    value = Array.isArray(container) ? container[next as number] : container[next as string];
  }
  if (holder === undefined || key === undefined) return { data: null, errors: [{ message: PARTIAL_ERROR_MESSAGE }] };
  if (Array.isArray(holder)) holder[key as number] = null;
  else holder[key as string] = null;
  return { data: body.data ?? null, errors: [...(body.errors ?? []), { path, message: PARTIAL_ERROR_MESSAGE }] };
}
