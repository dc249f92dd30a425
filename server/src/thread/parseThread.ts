import { ThreadwiseError } from '../errors';
import type { CommentAuthorAssociation, PullRequestFile, ReviewThread, Thread, ThreadAuthor, ThreadComment } from '../protocol';

const ASSOCIATIONS: ReadonlySet<string> = new Set<CommentAuthorAssociation>([
  'OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN', 'NONE',
]);
/** GitHub's `PatchStatus`. */
const CHANGE_TYPES: ReadonlySet<string> = new Set(['ADDED', 'DELETED', 'RENAMED', 'COPIED', 'MODIFIED', 'CHANGED']);
const REPO_PATTERN = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** GitHub logins (Enterprise ones may hold `_` and `.`), apps end in `[bot]`. Nothing that could fake a header. */
const LOGIN_PATTERN = /^[A-Za-z0-9_.-]{1,100}(\[bot\])?$/;

/** Decodes a thread file's bytes: strict UTF-8, then JSON, then the Thread shape. */
export function parseThreadBytes(bytes: Uint8Array, source: string): Thread {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`${source} is not valid UTF-8 text`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(`${source} is not valid JSON (${(error as Error).message})`);
  }
  return parseThread(json, source);
}

/**
 * Checks an untrusted value against the Thread form and returns a clean copy: strings made
 * well-formed (lone surrogates replaced), NUL characters dropped, optional fields normalised.
 * Throws a ThreadwiseError('invalid-thread') naming the first bad field.
 */
export function parseThread(value: unknown, source = 'thread'): Thread {
  const root = record(value, source);
  const repo = text(root.repo, `${source}.repo`);
  if (!REPO_PATTERN.test(repo)) throw invalid(`${source}.repo must look like "owner/name", got ${JSON.stringify(repo.slice(0, 80))}`);
  const number = root.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw invalid(`${source}.number must be a positive integer`);
  }
  const kind = root.kind;
  if (kind !== 'issue' && kind !== 'pull') throw invalid(`${source}.kind must be "issue" or "pull"`);
  const thread: Thread = {
    repo,
    number,
    kind,
    title: text(root.title, `${source}.title`),
    body: optionalText(root.body, `${source}.body`) ?? '',
    author: author(root.author, `${source}.author`),
    createdAt: timestamp(root.createdAt, `${source}.createdAt`),
    comments: comments(root.comments, `${source}.comments`),
  };
  const url = optionalText(root.url, `${source}.url`);
  if (url !== undefined) thread.url = url;
  if (root.state !== undefined && root.state !== null) {
    const state = typeof root.state === 'string' ? root.state.toLowerCase() : '';
    if (state !== 'open' && state !== 'closed' && state !== 'merged') throw invalid(`${source}.state must be open, closed or merged`);
    thread.state = state;
  }
  if (root.labels !== undefined && root.labels !== null) {
    if (!Array.isArray(root.labels)) throw invalid(`${source}.labels must be an array of strings`);
    thread.labels = root.labels.map((label, i) => text(label, `${source}.labels[${i}]`));
  }
  const id = optionalText(root.id, `${source}.id`);
  if (id !== undefined) thread.id = id;
  if (root.updatedAt !== undefined && root.updatedAt !== null) thread.updatedAt = timestamp(root.updatedAt, `${source}.updatedAt`);
  if (root.files !== undefined && root.files !== null) thread.files = list(root.files, `${source}.files`, file);
  if (root.reviewThreads !== undefined && root.reviewThreads !== null) {
    thread.reviewThreads = list(root.reviewThreads, `${source}.reviewThreads`, reviewThread);
  }
  return thread;
}

/** True when the thread has nothing a reply could answer. */
export function isEmptyThread(thread: Thread): boolean {
  return thread.title.trim() === '' && thread.body.trim() === '' && thread.comments.every((c) => c.body.trim() === '');
}

export function threadRef(thread: Pick<Thread, 'repo' | 'number'>): string {
  return `${thread.repo}#${thread.number}`;
}

function comments(value: unknown, path: string): ThreadComment[] {
  if (value === undefined || value === null) return [];
  return list(value, path, (item, where) => {
    const comment = record(item, where);
    const out: ThreadComment = {
      author: author(comment.author, `${where}.author`),
      body: optionalText(comment.body, `${where}.body`) ?? '',
      createdAt: timestamp(comment.createdAt, `${where}.createdAt`),
    };
    const id = optionalText(comment.id, `${where}.id`);
    if (id !== undefined) out.id = id;
    const url = optionalText(comment.url, `${where}.url`);
    if (url !== undefined) out.url = url;
    return out;
  });
}

function list<T>(value: unknown, path: string, item: (value: unknown, where: string) => T): T[] {
  if (!Array.isArray(value)) throw invalid(`${path} must be an array`);
  return value.map((entry, i) => item(entry, `${path}[${i}]`));
}

function file(value: unknown, where: string): PullRequestFile {
  const item = record(value, where);
  const changeType = text(item.changeType, `${where}.changeType`);
  if (!CHANGE_TYPES.has(changeType)) throw invalid(`${where}.changeType must be one of ${[...CHANGE_TYPES].join(', ')}`);
  return {
    path: text(item.path, `${where}.path`),
    additions: count(item.additions, `${where}.additions`),
    deletions: count(item.deletions, `${where}.deletions`),
    changeType,
  };
}

function reviewThread(value: unknown, where: string): ReviewThread {
  const item = record(value, where);
  const line = item.line ?? null;
  if (line !== null && (typeof line !== 'number' || !Number.isSafeInteger(line) || line < 1)) {
    throw invalid(`${where}.line must be a positive integer or null`);
  }
  return {
    path: text(item.path, `${where}.path`),
    line,
    diffHunk: optionalText(item.diffHunk, `${where}.diffHunk`) ?? '',
    isResolved: flag(item.isResolved, `${where}.isResolved`),
    isOutdated: flag(item.isOutdated, `${where}.isOutdated`),
    comments: comments(item.comments, `${where}.comments`),
  };
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${path} must be a whole number`);
  return value;
}

function flag(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(`${path} must be true or false`);
  return value;
}

function author(value: unknown, path: string): ThreadAuthor {
  // GitHub returns a null author for deleted accounts ("ghost").
  if (value === null) return { login: 'ghost', association: 'NONE' };
  const item = record(value, path);
  const login = text(item.login, `${path}.login`);
  if (!LOGIN_PATTERN.test(login)) throw invalid(`${path}.login is not a GitHub login: ${JSON.stringify(login.slice(0, 40))}`);
  const association = item.association ?? 'NONE';
  if (typeof association !== 'string' || !ASSOCIATIONS.has(association)) {
    throw invalid(`${path}.association must be one of ${[...ASSOCIATIONS].join(', ')}`);
  }
  return { login, association: association as CommentAuthorAssociation };
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(`${path} must be a string`);
  return clean(value);
}

function optionalText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return text(value, path);
}

function timestamp(value: unknown, path: string): string {
  const raw = text(value, path);
  if (!ISO_8601.test(raw) || Number.isNaN(Date.parse(raw))) throw invalid(`${path} must be an ISO-8601 timestamp`);
  return raw;
}

function clean(value: string): string {
  return value.toWellFormed().replaceAll('\u0000', '');
}

function invalid(message: string): ThreadwiseError {
  return new ThreadwiseError('invalid-thread', message, 'see "The Thread JSON form" in the README');
}
