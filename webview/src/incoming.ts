import type { RunSnapshot, RunStatus, ThreadInfo, ToWebview } from './protocol';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['idle', 'waiting', 'generating', 'done', 'cancelled', 'error']);

export function isThreadInfo(value: unknown): value is ThreadInfo {
  return isObject(value) && isString(value.title) && isString(value.ref) && (value.url === undefined || isString(value.url));
}

export function isRunSnapshot(value: unknown): value is RunSnapshot {
  return isObject(value) && isNumber(value.runId) && isString(value.text) && isString(value.status) && RUN_STATUSES.has(value.status);
}

/**
 * Narrows a `message` event's data to `ToWebview`, or undefined for anything else (other senders,
 * a newer or older host). Checks the fields the webview reads before it trusts their types; the text
 * in them stays untrusted and is only ever rendered through the sanitizer or as text.
 */
export function parseToWebview(data: unknown): ToWebview | undefined {
  if (!isObject(data) || !isString(data.type)) return undefined;
  const message = data as ToWebview;
  switch (message.type) {
    case 'init':
      return isThreadInfo(data.thread) && isRunSnapshot(data.run) ? message : undefined;
    case 'started':
      return isNumber(data.runId) && isNumber(data.requestedAt) ? message : undefined;
    case 'phase':
      return isNumber(data.runId) && isString(data.message) ? message : undefined;
    case 'chunk':
      return isNumber(data.runId) && isString(data.text) ? message : undefined;
    case 'done':
      return isNumber(data.runId) && isString(data.text) && isObject(data.safety) && isObject(data.metrics) ? message : undefined;
    case 'error':
      return isNumber(data.runId) && isString(data.message) ? message : undefined;
    case 'copied':
      return typeof data.ok === 'boolean' ? message : undefined;
    default:
      return undefined;
  }
}
