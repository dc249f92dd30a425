import { isRepositoryName } from './gitRemotes';

/**
 * Issue and pull request references as people paste or type them (pure, no VS Code):
 * `https://github.com/owner/repo/issues/12`, `…/pull/12` (with anything after: `/files`,
 * `#issuecomment-…`, a query), the same on the GitHub Enterprise host, `github.com/owner/repo/pull/12`
 * without a scheme, `owner/repo#12`, and `#12` when there is a default repository.
 */
export interface ThreadRef {
  /** `owner/name`. */
  repo: string;
  number: number;
}

export type ThreadRefParse = { ok: true; ref: ThreadRef } | { ok: false; message: string };

/** Text that does not name an issue or pull request; the message says what to type instead. */
export class ThreadRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadRefError';
  }
}

export interface ThreadRefContext {
  /** Web hosts (lower case) whose URLs name repositories of the configured GitHub. */
  hosts: readonly string[];
  /** The repository a bare `#12` means (the workspace's only one); none: `#12` is rejected. */
  defaultRepo?: string;
}

/** GraphQL's `Int`: issue numbers are at most this. */
const MAX_NUMBER = 2_147_483_647;
const EXAMPLES = 'paste its URL (https://github.com/owner/repo/issues/12) or type owner/repo#12';

export function formatThreadRef(ref: ThreadRef): string {
  return `${ref.repo}#${ref.number}`;
}

export function parseThreadRef(input: string, context: ThreadRefContext): ThreadRefParse {
  const text = input.trim().replace(/^<(.*)>$/, '$1');
  if (text === '') return { ok: false, message: `Type an issue or pull request: ${EXAMPLES}.` };

  if (/^(?:[^\s#/]+\/[^\s#/]+)?#$/.test(text)) return { ok: false, message: `Type the issue or pull request number after "#".` };
  const short = /^(?:([^\s#/]+\/[^\s#/]+))?#(\d+)$/.exec(text);
  if (short) {
    const repo = short[1] ?? context.defaultRepo;
    if (repo === undefined) return { ok: false, message: `"${text}" does not say which repository: type owner/repo${text}.` };
    if (!isRepositoryName(repo)) return { ok: false, message: `"${repo}" is not a repository name: write it as owner/repo.` };
    return withNumber(repo, short[2] ?? '');
  }

  const urlText = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^[^\s/]+\.[^\s/]+\//.test(text) ? `https://${text}` : undefined;
  if (urlText === undefined) return { ok: false, message: `"${clip(text)}" is not an issue or pull request: ${EXAMPLES}.` };
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return { ok: false, message: `"${clip(text)}" is not a valid URL: ${EXAMPLES}.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `"${clip(text)}" is not a web address: ${EXAMPLES}.` };
  }
  const host = url.hostname.toLowerCase();
  if (!context.hosts.includes(host)) {
    return {
      ok: false,
      message: `${host} is not the GitHub Threadwise is set up for (${context.hosts[0] ?? 'github.com'}); for GitHub Enterprise Server set threadwise.github.enterpriseUri.`,
    };
  }
  const path = /^\/([^/]+)\/([^/]+)\/(issues|pull|pulls|discussions)\/([^/]+)(?:\/.*)?$/.exec(url.pathname.replace(/\/+$/, ''));
  if (!path) {
    return { ok: false, message: `That address is not an issue or pull request: expected https://${host}/owner/repo/issues/N or /pull/N.` };
  }
  if (path[3] === 'discussions') return { ok: false, message: 'Discussions are not supported: pick an issue or a pull request.' };
  const repo = `${path[1] ?? ''}/${(path[2] ?? '').replace(/\.git$/i, '')}`;
  if (!isRepositoryName(repo)) return { ok: false, message: `"${repo}" in that address is not a repository name.` };
  return withNumber(repo, path[4] ?? '');
}

function withNumber(repo: string, digits: string): ThreadRefParse {
  if (!/^\d+$/.test(digits)) return { ok: false, message: `"${clip(digits)}" is not an issue or pull request number.` };
  const number = Number(digits);
  if (number < 1 || number > MAX_NUMBER) {
    return { ok: false, message: `#${clip(digits)} is not an issue or pull request number: numbers go from 1 to ${MAX_NUMBER}.` };
  }
  return { ok: true, ref: { repo, number } };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Whether text typed into a picker is meant as a reference (an address, `owner/repo#N`, `#N`) rather
 * than a filter over the listed items: only then is a parse failure worth showing.
 */
export function looksLikeThreadRef(text: string): boolean {
  const trimmed = text.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /#\d*$/.test(trimmed) || /^[^\s/]+\.[^\s/]+\/\S+\/\S+/.test(trimmed);
}

/**
 * The thread a command argument names: `{ repo, number }` (the API, another command), a sidebar
 * node carrying `{ item: { repo, number } }`, or undefined for anything else (a Uri, nothing).
 */
export function threadRefFromArgument(arg: unknown): ThreadRef | undefined {
  const direct = asRef(arg);
  if (direct) return direct;
  if (typeof arg === 'object' && arg !== null) return asRef((arg as { item?: unknown }).item);
  return undefined;
}

function asRef(value: unknown): ThreadRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { repo, number } = value as { repo?: unknown; number?: unknown };
  if (typeof repo !== 'string' || !isRepositoryName(repo)) return undefined;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > MAX_NUMBER) return undefined;
  return { repo, number };
}
