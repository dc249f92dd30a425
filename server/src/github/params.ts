/**
 * Checks of request parameters: they arrive as JSON from a client, so each is tested before use
 * and refused with a message that says what was expected.
 */
import { ThreadwiseError } from '../errors';
import { repoParts } from './repoCache';
import { ShapeError } from './shape';

/** Parameters arrive as JSON from a client: anything but an object is refused before use. */
export function checkParams(params: unknown): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ThreadwiseError('invalid-thread', 'the request parameters must be an object', 'see server/src/protocol.ts for the parameters of each request');
  }
}

export function checkRepo(value: unknown): string {
  if (typeof value !== 'string') throw new ThreadwiseError('github-not-found', 'repo must be "owner/name"', 'name the repository as owner/name');
  try {
    repoParts(value);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ThreadwiseError('github-not-found', `${JSON.stringify(value.slice(0, 80))} is not a repository name`, 'name the repository as owner/name');
  }
  return value;
}

export function checkNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ThreadwiseError('github-not-found', 'number must be a positive whole number (the issue or pull request number)', 'check the number');
  }
  return value;
}

export function checkApiUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(typeof value === 'string' ? value : '');
  } catch {
    throw new ThreadwiseError('not-configured', `the GitHub API URL ${JSON.stringify(String(value).slice(0, 80))} is not a URL`, 'use https://api.github.com, or https://HOST/api for GitHub Enterprise Server');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ThreadwiseError('not-configured', `the GitHub API URL must use https (got ${url.protocol}//${url.host}): the token would travel in clear text`, 'use an https:// API URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ThreadwiseError('not-configured', 'the GitHub API URL must not hold a user name or password', 'give the token through sign-in instead');
  }
  return url.href.replace(/\/+$/, '');
}
