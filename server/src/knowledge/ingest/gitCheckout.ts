import { execFile } from 'node:child_process';
import path from 'node:path';

/** What git says about the checkout a docs folder lives in; every field null/empty outside git. */
export interface GitCheckout {
  /** The repository's top folder, or null when the folder is not in a git checkout (or git is missing). */
  root: string | null;
  /** The commit checked out (HEAD), or null. */
  head: string | null;
  /**
   * Paths relative to `root` (forward slashes) that differ from HEAD: modified, added, untracked.
   * Their lines at `head` are not what was indexed, so no pinned link is made for them.
   */
  changed: ReadonlySet<string>;
  /** The URLs of its remotes (to check that the checkout is the repository links are made for). */
  remoteUrls: readonly string[];
}

const NOT_A_CHECKOUT: GitCheckout = { root: null, head: null, changed: new Set(), remoteUrls: [] };
const GIT_TIMEOUT_MS = 15_000;

/** Asks git (if installed) about the checkout holding `folder`. Never throws: no git means no links. */
export async function readGitCheckout(folder: string): Promise<GitCheckout> {
  const root = await git(folder, ['rev-parse', '--show-toplevel']);
  if (root === null) return NOT_A_CHECKOUT;
  const head = await git(folder, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const status = await git(root.trim(), ['status', '--porcelain=v1', '-z', '--untracked-files=all'], false);
  const remotes = await git(root.trim(), ['config', '--get-regexp', '^remote\\..*\\.url$']);
  const remoteUrls = (remotes ?? '').split('\n').map((line) => line.split(/\s+/)[1] ?? '').filter((url) => url !== '');
  return { root: path.resolve(root.trim()), head: head?.trim() || null, changed: parseStatus(status ?? ''), remoteUrls };
}

/** Whether one of the checkout's remotes is `repo` (`owner/name`, any host, case-insensitive). */
export function isCheckoutOf(checkout: GitCheckout, repo: string): boolean {
  const wanted = repo.toLowerCase();
  return checkout.remoteUrls.some((url) => {
    const pathPart = /^[a-z+]+:\/\//i.test(url) ? url.replace(/^[a-z+]+:\/\/[^/]+/i, '') : url.replace(/^[^:]*:/, '');
    const match = /\/?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(pathPart);
    return match !== null && `${match[1]}/${match[2]}`.toLowerCase() === wanted;
  });
}

/** `git status --porcelain=v1 -z`: `XY path\0`, renames and copies followed by `origPath\0`. */
export function parseStatus(output: string): Set<string> {
  const changed = new Set<string>();
  const entries = output.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    changed.add(entry.slice(3));
    if (code.includes('R') || code.includes('C')) i++;
  }
  return changed;
}

function git(cwd: string, args: string[], trim = true): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      if (error) resolve(null);
      else resolve(trim ? stdout.trim() : stdout);
    });
  });
}

/**
 * The GitHub repository (`owner/name`) of the checkout holding `folder`, from its `upstream`
 * remote, else `origin`, when the remote's host is `host` (e.g. `github.com`). Null otherwise.
 */
export async function readGitHubRemote(folder: string, host: string): Promise<string | null> {
  for (const remote of ['upstream', 'origin']) {
    const url = await git(folder, ['remote', 'get-url', remote]);
    const repo = url ? repoOfRemoteUrl(url, host) : null;
    if (repo) return repo;
  }
  return null;
}

/** `https://host/owner/name(.git)`, `ssh://git@host[:port]/owner/name`, `git@host:owner/name`. */
export function repoOfRemoteUrl(url: string, host: string): string | null {
  const wanted = host.toLowerCase();
  let hostPart: string;
  let pathPart: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  if (!/^[a-z+]+:\/\//i.test(url) && scp) {
    hostPart = scp[1]!;
    pathPart = scp[2]!;
  } else {
    try {
      const parsed = new URL(url);
      hostPart = parsed.hostname;
      pathPart = parsed.pathname;
    } catch {
      return null;
    }
  }
  if (hostPart.toLowerCase() !== wanted) return null;
  const match = /^\/?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(pathPart);
  return match ? `${match[1]}/${match[2]}` : null;
}
