import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ThreadwiseError } from '../../errors';
import { DEFAULT_API_URL } from '../../github/gitHubService';
import { RepoCache } from '../../github/repoCache';
import type { Thread } from '../../protocol';

/** Where the GitHub cache is: the daemon's storage folder and the API host whose cache to read. */
export interface CachedThreadsSource {
  storageDir: string;
  /** Default https://api.github.com (GitHubService's `auth.apiUrl` names the one in use). */
  apiUrl?: string;
}

export interface CachedThreadsOptions {
  /** Only this repository (`owner/name`, any case); default every cached repository of the host. */
  repo?: string;
  /** A cache file or folder that could not be read, and why; it is skipped. */
  onSkipped?: (file: string, reason: string) => void;
  /** Checked before each thread is read. */
  signal?: AbortSignal;
}

const THREAD_FILE = /^([1-9][0-9]{0,15})\.json$/;

/**
 * Every whole thread in the GitHub cache (see github/repoCache.ts for the layout), read-only:
 * repositories in folder-name order (owner, then name, lower-cased as the cache stores them),
 * threads by number. Each thread is read with `RepoCache.readThread`, so a file written by another
 * Threadwise version, damaged, or unreadable is reported to `onSkipped` and skipped, never thrown;
 * so is a folder that cannot be listed. A missing storage folder or repository yields nothing.
 * Files are read one at a time: a cache being written meanwhile gives each file's old or new
 * version (writes are atomic renames); temporary files are not thread files and are ignored.
 * Throws ThreadwiseError('invalid-params') for a `repo` that is not `owner/name`.
 */
export async function* cachedThreads(source: CachedThreadsSource, options: CachedThreadsOptions = {}): AsyncGenerator<Thread> {
  const apiUrl = source.apiUrl ?? DEFAULT_API_URL;
  const skipped = options.onSkipped ?? (() => undefined);
  for (const folder of await repoFolders(source.storageDir, apiUrl, options.repo, skipped)) {
    const numbers = threadNumbers(await listFolder(path.join(folder, 'threads'), skipped));
    for (const number of numbers) {
      options.signal?.throwIfAborted();
      const thread = await readCachedThread(folder, number, skipped);
      if (thread !== null) yield thread;
    }
  }
}

/** The cache folders (`…/repos/<owner>/<name>/github`) to read. */
async function repoFolders(storageDir: string, apiUrl: string, repo: string | undefined, skipped: SkipReport): Promise<string[]> {
  if (repo !== undefined) {
    try {
      return [RepoCache.folder(storageDir, apiUrl, repo)];
    } catch {
      throw new ThreadwiseError('invalid-params', `repo must be "owner/name", got ${JSON.stringify(String(repo).slice(0, 80))}`);
    }
  }
  // RepoCache.folder is `<base>/repos/<owner>/<name>/github`: three levels up is the host's `repos`.
  const reposRoot = path.dirname(path.dirname(path.dirname(RepoCache.folder(storageDir, apiUrl, 'owner/name'))));
  const folders: string[] = [];
  for (const owner of subfolders(await listFolder(reposRoot, skipped))) {
    for (const name of subfolders(await listFolder(path.join(reposRoot, owner), skipped))) {
      folders.push(path.join(reposRoot, owner, name, 'github'));
    }
  }
  return folders;
}

type SkipReport = (file: string, reason: string) => void;

/** A thread file through the cache's own reader; null (and reported) when it reads as absent. */
async function readCachedThread(folder: string, number: number, skipped: SkipReport): Promise<Thread | null> {
  const file = path.join(folder, 'threads', `${number}.json`);
  const said: string[] = [];
  const cached = await new RepoCache(folder, (message) => said.push(message)).readThread(number);
  if (cached === null) {
    // Nothing said: the file went away after the listing (it is not unreadable, just gone).
    if (said.length > 0) skipped(file, said.map(withoutRefetchNote).join('; '));
    return null;
  }
  if (cached.thread.number !== number) {
    skipped(file, `holds thread #${cached.thread.number}, not #${number}`);
    return null;
  }
  return cached.thread;
}

/** RepoCache's log lines end with what the daemon does next ("fetching it again"); reading a dataset does not. */
function withoutRefetchNote(message: string): string {
  return message.replace(/; fetching it again$/, '');
}

/** The entries of a folder, sorted by name; none when it does not exist; reported when it cannot be read. */
async function listFolder(folder: string, skipped: SkipReport): Promise<Dirent[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : String(error);
    if (code !== 'ENOENT') skipped(folder, `cannot list the folder (${code})`);
    return [];
  }
}

function subfolders(entries: readonly Dirent[]): string[] {
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

function threadNumbers(entries: readonly Dirent[]): number[] {
  const numbers: number[] = [];
  for (const entry of entries) {
    const match = entry.isFile() ? THREAD_FILE.exec(entry.name) : null;
    if (match) numbers.push(Number(match[1]));
  }
  return numbers.filter(Number.isSafeInteger).sort((a, b) => a - b);
}
