/**
 * What one HTTP exchange with GitHub's GraphQL endpoint means: data to check, a transient failure
 * to retry, a rate limit to wait out, or an error for the person. Pure: the client acts on it.
 */
import type { ErrorReason } from '../protocol';
import { isRecord } from './shape';

export type Exchange =
  | { kind: 'response'; status: number; headers: Headers; text: string }
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; ms: number };

export type Verdict =
  | { kind: 'data'; data: unknown }
  | { kind: 'transient'; what: string }
  | { kind: 'rate-limited'; untilMs: number; secondary: boolean }
  | { kind: 'error'; reason: ErrorReason; message: string; hint: string };

/** GitHub asks for at least a minute when a secondary limit comes without `retry-after`. */
const SECONDARY_DEFAULT_MS = 60_000;
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

const HINT_AUTH = 'sign in to GitHub again, or use a token that is valid for this API URL';
const HINT_BAD = 'nothing was stored from it; try again, and report it if it keeps happening';
const HINT_NOT_FOUND = 'check the name and number, and that the token can see the repository (private ones need the repo scope)';

export function classifyExchange(exchange: Exchange, nowMs: number, operation: string): Verdict {
  if (exchange.kind === 'network') return { kind: 'transient', what: `network error: ${exchange.message}` };
  if (exchange.kind === 'timeout') return { kind: 'transient', what: `no answer within ${Math.round(exchange.ms / 100) / 10} s` };
  const { status, headers, text } = exchange;
  if (status >= 200 && status < 300) return classifyBody(text, headers, nowMs, operation);
  const message = errorMessage(text);
  if (status === 401) {
    return { kind: 'error', reason: 'github-auth', message: `GitHub refused the token (401${message ? ` ${message}` : ''})`, hint: HINT_AUTH };
  }
  if (status === 403 || status === 429) {
    const retryAfter = retryAfterMs(headers.get('retry-after'), nowMs);
    if (retryAfter !== null) return { kind: 'rate-limited', untilMs: nowMs + retryAfter, secondary: true };
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
      return { kind: 'rate-limited', untilMs: Math.max(nowMs, reset * 1000), secondary: false };
    }
    if (status === 429 || /secondary rate limit|abuse detection/i.test(message)) {
      return { kind: 'rate-limited', untilMs: nowMs + SECONDARY_DEFAULT_MS, secondary: true };
    }
    return {
      kind: 'error',
      reason: 'github-auth',
      message: `GitHub refused access (403${message ? ` ${message}` : ''})`,
      hint: 'check that the token has the repo scope and is authorized for the organization (SSO)',
    };
  }
  if (TRANSIENT_STATUSES.has(status)) return { kind: 'transient', what: `HTTP ${status}` };
  if (status === 404) {
    return {
      kind: 'error',
      reason: 'github-unreachable',
      message: 'no GitHub GraphQL API answered at this API URL (HTTP 404)',
      hint: 'check the GitHub API URL: https://api.github.com, or https://HOST/api for GitHub Enterprise Server',
    };
  }
  return { kind: 'error', reason: 'github-bad-response', message: `GitHub refused ${operation} (HTTP ${status}${message ? `: ${message}` : ''})`, hint: HINT_BAD };
}

function classifyBody(text: string, headers: Headers, nowMs: number, operation: string): Verdict {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'error', reason: 'github-bad-response', message: `GitHub answered ${operation} with malformed JSON (${text.length} characters)`, hint: HINT_BAD };
  }
  if (!isRecord(json)) return { kind: 'error', reason: 'github-bad-response', message: `GitHub answered ${operation} with JSON that is not an object`, hint: HINT_BAD };
  const errors = Array.isArray(json.errors) ? json.errors : [];
  if (errors.length > 0) {
    const types = errors.map((error) => (isRecord(error) && typeof error.type === 'string' ? error.type : ''));
    const messages = errors
      .map((error) => (isRecord(error) && typeof error.message === 'string' ? error.message : ''))
      .filter((m) => m !== '')
      .slice(0, 3)
      .join('; ')
      .replace(/[.\s]+$/, ''); // describe() adds ". <hint>": no doubled full stop
    if (types.includes('RATE_LIMITED')) {
      const reset = Number(headers.get('x-ratelimit-reset'));
      const untilMs = Number.isFinite(reset) && reset * 1000 > nowMs ? reset * 1000 : nowMs + SECONDARY_DEFAULT_MS;
      return { kind: 'rate-limited', untilMs, secondary: false };
    }
    if (types.every((type) => type === 'NOT_FOUND')) {
      return { kind: 'error', reason: 'github-not-found', message: `GitHub found nothing for ${operation}: ${messages || 'not found'}`, hint: HINT_NOT_FOUND };
    }
    if (types.some((type) => type === 'FORBIDDEN' || type === 'INSUFFICIENT_SCOPES')) {
      return { kind: 'error', reason: 'github-auth', message: `GitHub refused ${operation}: ${messages}`, hint: 'check that the token has the repo scope and access to the repository' };
    }
    const partial = isRecord(json.data);
    return {
      kind: 'error',
      reason: 'github-bad-response',
      message: `GitHub answered ${operation} with ${partial ? 'partial data and ' : ''}errors: ${messages || types.join(', ') || 'unspecified'}`,
      hint: HINT_BAD,
    };
  }
  if (!isRecord(json.data)) return { kind: 'error', reason: 'github-bad-response', message: `GitHub's answer to ${operation} has no data`, hint: HINT_BAD };
  return { kind: 'data', data: json.data };
}

/** `retry-after` in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const secondsValue = Number(value);
  if (Number.isFinite(secondsValue)) return Math.max(0, secondsValue * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** GitHub's `{ message }` from an error body, or the start of a plain-text one. */
function errorMessage(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (isRecord(json) && typeof json.message === 'string') return json.message.slice(0, 200);
  } catch {
    // not JSON: fall through to the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
