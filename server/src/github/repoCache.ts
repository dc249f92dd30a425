/**
 * One repository's GitHub data on disk, kept across restarts:
 *
 *   <storageDir>/repos/<owner>/<name>/github/               (api.github.com)
 *   <storageDir>/hosts/<host>/repos/<owner>/<name>/github/  (any other API host: GitHub Enterprise, a test server)
 *     items.json           the list rows
 *     sync.json            when the last sync finished, as whom, and what mentions the viewer
 *     threads/<number>.json  whole threads
 *
 * Every write is atomic (temp file + rename). A file that is missing, unreadable or not the
 * expected shape reads as absent (and is logged), so a damaged cache costs a refetch, never a crash.
 * Owner and name are lower-cased: GitHub treats them case-insensitively.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubListItem, Thread } from '../protocol';
import { parseThread } from '../thread/parseThread';
import { writeFileAtomic } from './atomicFile';
import { listItemCheck } from './listItem';
import { array, bool, fields, int, isoTime, nullable, raw, ShapeError, str } from './shape';
import type { Check } from './shape';

const FORMAT = 1;
const formatVersion: Check<number> = (value, path) => {
  if (value !== FORMAT) throw new ShapeError(path, `${FORMAT} (a cache written by another Threadwise version)`);
  return FORMAT;
};
const DEFAULT_HOST = 'api.github.com';

export interface SyncState {
  /** When the last successful sync started, by this machine's clock (ISO-8601; shown to the person). */
  syncedAt: string;
  /**
   * The newest `updatedAt` GitHub reported in the last sync (ISO-8601), null when the repository
   * had nothing: the next incremental sync asks for what changed since then. GitHub's own
   * timestamps, so a wrong clock on this machine cannot make a sync skip changes.
   */
  watermark: string | null;
  /** Who was signed in (for "Assigned to me", "Created by me"). */
  viewer: string | null;
  /** Open issues and pull requests that mention the viewer. */
  mentioned: number[];
}

export interface CachedThread {
  thread: Thread;
  /** When it was fetched (ISO-8601). */
  fetchedAt: string;
  /** Set after a post or an edit changed it on GitHub: refetch it on the next request. */
  needsRefresh: boolean;
}

export type CacheLog = (message: string) => void;

export class RepoCache {
  /** The folder of `repo` (`owner/name`) for the API at `apiUrl`. */
  static folder(storageDir: string, apiUrl: string, repo: string): string {
    const [owner, name] = repoParts(repo);
    const host = hostFolder(apiUrl);
    const base = host === DEFAULT_HOST ? storageDir : path.join(storageDir, 'hosts', host);
    return path.join(base, 'repos', owner, name, 'github');
  }

  constructor(
    readonly dir: string,
    private readonly log: CacheLog = () => undefined,
  ) {}

  async readItems(): Promise<GitHubListItem[] | null> {
    return this.read('items.json', (json) => {
      const f = fields(json, 'items.json');
      f('version', formatVersion);
      return f('items', array(listItemCheck));
    });
  }

  async writeItems(items: GitHubListItem[]): Promise<void> {
    await this.write('items.json', { version: FORMAT, items });
  }

  async readSync(): Promise<SyncState | null> {
    return this.read('sync.json', (json) => {
      const f = fields(json, 'sync.json');
      f('version', formatVersion);
      return {
        syncedAt: f('syncedAt', isoTime),
        watermark: f('watermark', nullable(isoTime)),
        viewer: f('viewer', nullable(str)),
        mentioned: f('mentioned', array(int)),
      };
    });
  }

  async writeSync(state: SyncState): Promise<void> {
    await this.write('sync.json', { version: FORMAT, ...state });
  }

  async readThread(number: number): Promise<CachedThread | null> {
    const file = threadFile(number);
    return this.read(file, (json) => {
      const f = fields(json, file);
      f('version', formatVersion);
      return { thread: parseThread(f('thread', raw), file), fetchedAt: f('fetchedAt', isoTime), needsRefresh: f('needsRefresh', bool) };
    });
  }

  async writeThread(entry: CachedThread): Promise<void> {
    await this.write(threadFile(entry.thread.number), { version: FORMAT, ...entry });
  }

  private async read<T>(file: string, parse: (json: unknown) => T): Promise<T | null> {
    const full = path.join(this.dir, file);
    let text: string;
    try {
      text = await readFile(full, 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      this.log(`cannot read ${full} (${errorCode(error)}); fetching it again`);
      return null;
    }
    try {
      return parse(JSON.parse(text));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.log(`ignoring the damaged cache file ${full} (${why}); fetching it again`);
      return null;
    }
  }

  private async write(file: string, value: unknown): Promise<void> {
    await writeFileAtomic(path.join(this.dir, file), `${JSON.stringify(value)}\n`);
  }
}

/** `owner/name` → lower-cased parts that are safe as folder names (no `.`, `..`, separators). */
export function repoParts(repo: string): [string, string] {
  const match = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/.exec(repo);
  const owner = match?.[1];
  const name = match?.[2];
  if (!owner || !name || /^\.+$/.test(owner) || /^\.+$/.test(name)) {
    throw new ShapeError('repo', `"owner/name", got ${JSON.stringify(repo.slice(0, 80))}`);
  }
  return [owner.toLowerCase(), name.toLowerCase()];
}

function hostFolder(apiUrl: string): string {
  let host: string;
  try {
    host = new URL(apiUrl).host.toLowerCase();
  } catch {
    host = apiUrl;
  }
  // `host:port` is not a valid folder name on Windows.
  return host.replace(/[^a-z0-9.-]/g, '_') || 'unknown-host';
}

function threadFile(number: number): string {
  return path.join('threads', `${number}.json`);
}

function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : String(error);
}
