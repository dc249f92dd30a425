import { ThreadwiseError } from '../errors';
import type { CommentAuthorAssociation, Thread, ThreadAuthor, ThreadComment } from '../protocol';

const ASSOCIATIONS: ReadonlySet<string> = new Set<CommentAuthorAssociation>([
  'OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN', 'NONE',
]);
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
  if (!Array.isArray(value)) throw invalid(`${path} must be an array`);
  return value.map((item, i) => {
    const where = `${path}[${i}]`;
    const comment = record(item, where);
    return {
      author: author(comment.author, `${where}.author`),
      body: optionalText(comment.body, `${where}.body`) ?? '',
      createdAt: timestamp(comment.createdAt, `${where}.createdAt`),
    };
  });
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
