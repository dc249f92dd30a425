import type { ThreadViewComment, ThreadViewReviewThread, ThreadViewState, ThreadViewThread, ToThreadView } from './protocol';

// Shape checks for what reaches the page (host messages, a saved state): only a value that holds
// every field the view reads, with the right types, is drawn. The text in it stays untrusted.

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const arrayOf = (value: unknown, check: (item: unknown) => boolean): boolean => Array.isArray(value) && value.every(check);

const isAuthor = (value: unknown): boolean => isObject(value) && isString(value.login) && isString(value.association);

function isComment(value: unknown): value is ThreadViewComment {
  return isObject(value) && isAuthor(value.author) && isString(value.body) && isString(value.createdAt) && optional(value.url, isString);
}

const isFile = (value: unknown): boolean =>
  isObject(value) && isString(value.path) && isNumber(value.additions) && isNumber(value.deletions) && isString(value.changeType);

function isReviewThread(value: unknown): value is ThreadViewReviewThread {
  return (
    isObject(value) &&
    isString(value.path) &&
    (value.line === null || isNumber(value.line)) &&
    isString(value.diffHunk) &&
    typeof value.isResolved === 'boolean' &&
    typeof value.isOutdated === 'boolean' &&
    arrayOf(value.comments, isComment)
  );
}

export function isThreadViewThread(value: unknown): value is ThreadViewThread {
  return (
    isObject(value) &&
    isString(value.ref) &&
    (value.kind === 'issue' || value.kind === 'pull') &&
    isString(value.title) &&
    optional(value.url, isString) &&
    optional(value.state, (state) => state === 'open' || state === 'closed' || state === 'merged') &&
    arrayOf(value.labels, isString) &&
    isAuthor(value.author) &&
    isString(value.createdAt) &&
    isString(value.body) &&
    arrayOf(value.comments, isComment) &&
    optional(value.files, (files) => arrayOf(files, isFile)) &&
    optional(value.reviewThreads, (threads) => arrayOf(threads, isReviewThread))
  );
}

export function isThreadViewState(value: unknown): value is ThreadViewState {
  return (
    isObject(value) &&
    isString(value.ref) &&
    typeof value.loading === 'boolean' &&
    optional(value.thread, isThreadViewThread) &&
    optional(value.error, (error) => isObject(error) && isString(error.message) && optional(error.hint, isString)) &&
    optional(value.stale, (stale) => isObject(stale) && isString(stale.reason)) &&
    optional(value.fetchedAt, isString)
  );
}

/** Narrows a `message` event's data to `ToThreadView`, or undefined for anything else. */
export function parseToThreadView(data: unknown): ToThreadView | undefined {
  if (!isObject(data) || data.type !== 'state' || !isThreadViewState(data.state)) return undefined;
  return { type: 'state', state: data.state };
}
