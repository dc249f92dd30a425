import { posix, win32, join } from 'node:path';
import { ThreadwiseError } from '../../errors';

/** A file in a Hugging Face repository at a revision (branch, tag or commit). */
export interface HfModelRef {
  owner: string;
  repo: string;
  /** Branch, tag or commit; `main` when the URI names none. Never contains `/`. */
  revision: string;
  /** Path inside the repository, `/`-separated, relative, without `.` or `..` segments. */
  file: string;
}

const DEFAULT_REVISION = 'main';
const DEFAULT_ENDPOINT = 'https://huggingface.co';
const HINT = 'use hf:owner/repo/file.gguf or a local path in threadwise.model';

// Hub user, organisation and repository names: letters, digits, `-`, `_` and `.`.
const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
// Anything that could escape the folder, confuse a file system or a URL is refused.
const UNSAFE_CHARACTERS = /[\p{Cc}\\]/u;

/**
 * Parses `hf:<owner>/<repo>[@<revision>]/<path/inside/repo>`, e.g.
 * `hf:bartowski/Meta-Llama-3.1-8B-Instruct-GGUF@main/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf`.
 * Throws a `model-not-found` ThreadwiseError that quotes the URI when it is malformed.
 */
export function parseHfUri(uri: string): HfModelRef {
  if (!uri.startsWith('hf:')) throw invalid(uri, 'it does not start with hf:');
  const [owner = '', repoPart = '', ...fileSegments] = uri.slice('hf:'.length).split('/');
  const at = repoPart.indexOf('@');
  const ref: HfModelRef = {
    owner,
    repo: at < 0 ? repoPart : repoPart.slice(0, at),
    revision: at < 0 ? DEFAULT_REVISION : repoPart.slice(at + 1),
    file: fileSegments.join('/'),
  };
  if (!owner || !ref.repo || !ref.file) throw invalid(uri, 'expected hf:owner/repo/file');
  const problem = findProblem(ref);
  if (problem) throw invalid(uri, problem);
  return ref;
}

/**
 * The hub's download URL for a file: `<endpoint>/<owner>/<repo>/resolve/<revision>/<file>`. The hub
 * answers it with a redirect to its CDN, carrying `x-linked-size` and `x-linked-etag` (the sha256).
 */
export function hfDownloadUrl(ref: HfModelRef, endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  const file = ref.file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${ref.owner}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${file}`;
}

/** The hub to download from: `HF_ENDPOINT` (a mirror, as the huggingface_hub tools honour) or huggingface.co. */
export function hfEndpoint(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.HF_ENDPOINT?.trim().replace(/\/+$/, '');
  return configured ? configured : DEFAULT_ENDPOINT;
}

/**
 * Where a downloaded hub file lives: `<modelsDir>/hf/<owner>/<repo>/<revision>/<file>`. The revision
 * is part of the path so that a file from another branch or commit never passes for this one.
 * Refuses references that would leave `modelsDir` (`..`, absolute paths), whoever built them.
 */
export function localPathFor(ref: HfModelRef, modelsDir: string): string {
  const problem = findProblem(ref);
  if (problem) throw invalid(formatHfUri(ref), problem);
  return join(modelsDir, 'hf', ref.owner, ref.repo, ref.revision, ...ref.file.split('/'));
}

function findProblem(ref: HfModelRef): string | undefined {
  for (const [what, name] of [['owner', ref.owner], ['repository', ref.repo]] as const) {
    if (!NAME_PATTERN.test(name) || isDotSegment(name)) return `the ${what} "${name}" is not a valid name`;
  }
  if (!ref.revision || ref.revision.includes('/') || isDotSegment(ref.revision) || UNSAFE_CHARACTERS.test(ref.revision)) {
    return `the revision "${ref.revision}" is not valid`;
  }
  if (posix.isAbsolute(ref.file) || win32.isAbsolute(ref.file)) return 'the file path must be relative to the repository';
  if (UNSAFE_CHARACTERS.test(ref.file)) return 'the file path contains a backslash or a control character';
  for (const segment of ref.file.split('/')) {
    if (!segment) return 'the file path has an empty segment';
    if (isDotSegment(segment)) return 'the file path must not contain "." or ".." segments';
  }
  return undefined;
}

function isDotSegment(segment: string): boolean {
  return segment === '.' || segment === '..';
}

function formatHfUri(ref: HfModelRef): string {
  return `hf:${ref.owner}/${ref.repo}@${ref.revision}/${ref.file}`;
}

function invalid(uri: string, why: string): ThreadwiseError {
  return new ThreadwiseError('model-not-found', `"${uri}" is not a valid Hugging Face model URI: ${why}`, HINT);
}
