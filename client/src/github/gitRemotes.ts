/**
 * GitHub repositories from a git repository's remotes, read from the text of `.git/config` (pure,
 * no VS Code, no git binary). Only `owner/name` ever leaves this module: user names, passwords and
 * tokens written into remote URLs are dropped with the rest of the URL.
 */

export interface GitRemote {
  name: string;
  url: string;
}

/** A `[url "<base>"] insteadOf = <prefix>` rule: a URL starting with `prefix` means `base` + the rest. */
export interface UrlRewrite {
  base: string;
  prefix: string;
}

export interface GitConfigRemotes {
  /** In file order; a remote with several `url` lines keeps the first (git fetches from it). */
  remotes: GitRemote[];
  rewrites: UrlRewrite[];
}

export interface RemoteRepository {
  /** The host, lower case, without a port. */
  host: string;
  /** `owner/name`. */
  repo: string;
}

/**
 * The remotes and URL rewrites of a git config file. Follows git's syntax: case-insensitive section
 * and key names, quoted subsections, quoted values with escapes, `#`/`;` comments, line continuations.
 * Included files (`[include]`) are not followed.
 */
export function parseGitConfig(text: string): GitConfigRemotes {
  const remotes: GitRemote[] = [];
  const rewrites: UrlRewrite[] = [];
  const seen = new Set<string>();
  let section = '';
  let subsection: string | undefined;
  for (let line of logicalLines(text)) {
    const header = /^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      // A variable may follow the header on the same line.
      line = line.slice(header[0].length);
      const name = (header[1] ?? '').toLowerCase();
      if (header[2] !== undefined) {
        section = name;
        subsection = header[2].replace(/\\(.)/g, '$1');
      } else {
        // `[remote.origin]`: the old dotted form, whose subsection is lower-cased by git.
        const dot = name.indexOf('.');
        section = dot < 0 ? name : name.slice(0, dot);
        subsection = dot < 0 ? undefined : name.slice(dot + 1);
      }
    }
    const entry = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(line);
    if (!entry || subsection === undefined || entry[2] === undefined) continue;
    const key = (entry[1] ?? '').toLowerCase();
    const value = parseValue(entry[2]);
    if (value === '') continue;
    if (section === 'remote' && key === 'url' && !seen.has(subsection)) {
      seen.add(subsection);
      remotes.push({ name: subsection, url: value });
    } else if (section === 'url' && key === 'insteadof') {
      rewrites.push({ base: subsection, prefix: value });
    }
  }
  return { remotes, rewrites };
}

/** Joins continued lines (a value ending in an unescaped backslash goes on on the next line). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const trailing = /\\+$/.exec(raw)?.[0].length ?? 0;
    if (trailing % 2 === 1) {
      pending += raw.slice(0, -1);
      continue;
    }
    lines.push(pending + raw);
    pending = '';
  }
  if (pending !== '') lines.push(pending);
  return lines;
}

/** A value: comments cut outside quotes, quotes removed, escapes resolved, outer whitespace trimmed. */
function parseValue(raw: string): string {
  let out = '';
  let quoted = false;
  // Whitespace outside quotes counts only between other characters: held until something follows.
  let space = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    if (char === '\\') {
      const next = raw[i + 1] ?? '';
      i++;
      out += space + ({ n: '\n', t: '\t', b: '\b' }[next] ?? next);
      space = '';
    } else if (char === '"') {
      quoted = !quoted;
      out += space;
      space = '';
    } else if (!quoted && (char === '#' || char === ';')) {
      break;
    } else if (!quoted && /\s/.test(char)) {
      if (out !== '') space += char;
    } else {
      out += space + char;
      space = '';
    }
  }
  return out;
}

/** The path in a `.git` FILE (worktrees, submodules): `gitdir: <path>`; undefined when it is not one. */
export function parseGitDirFile(text: string): string | undefined {
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return match?.[1];
}

/** Applies the longest matching `insteadOf` rule, as git does. */
export function rewriteUrl(url: string, rewrites: readonly UrlRewrite[]): string {
  let best: UrlRewrite | undefined;
  for (const rule of rewrites) {
    if (url.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  return best ? best.base + url.slice(best.prefix.length) : url;
}

const SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:']);
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The GitHub repository a remote URL points to, when its host is one of `hosts` (lower case):
 * `https://[user[:token]@]host/owner/name[.git]`, `ssh://git@host[:port]/owner/name[.git]`,
 * `git@host:owner/name[.git]` (scp-like), `git://host/owner/name`. Undefined for anything else
 * (another host, a local path, a path that is not `owner/name`).
 */
export function repoFromRemoteUrl(url: string, hosts: readonly string[]): RemoteRepository | undefined {
  const trimmed = url.trim();
  let host: string;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!SCHEMES.has(parsed.protocol)) return undefined;
    host = parsed.hostname;
    path = parsed.pathname;
  } else {
    // scp-like `[user@]host:path`; the path must not start with `//` (that would be a URL).
    const scp = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!\/\/)(.+)$/.exec(trimmed);
    if (!scp) return undefined;
    host = scp[1] ?? '';
    path = scp[2] ?? '';
  }
  host = host.toLowerCase();
  if (!hosts.includes(host)) return undefined;
  const segments = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .split('/');
  if (segments.length !== 2) return undefined;
  const [owner = '', name = ''] = segments;
  if (!OWNER.test(owner) || !NAME.test(name) || name === '.' || name === '..') return undefined;
  return { host, repo: `${owner}/${name}` };
}

/** `upstream` first (a fork's issues live there), then `origin`, then the rest in file order. */
export function orderRemotes(remotes: readonly GitRemote[]): GitRemote[] {
  const rank = (remote: GitRemote): number => (remote.name === 'upstream' ? 0 : remote.name === 'origin' ? 1 : 2);
  return remotes
    .map((remote, index) => ({ remote, index }))
    .sort((a, b) => rank(a.remote) - rank(b.remote) || a.index - b.index)
    .map(({ remote }) => remote);
}

/** The repositories of a git config's remotes on `hosts`, upstream first, each once (case-insensitive). */
export function repositoriesFromConfig(config: GitConfigRemotes, hosts: readonly string[]): string[] {
  const repos: string[] = [];
  for (const remote of orderRemotes(config.remotes)) {
    const found = repoFromRemoteUrl(rewriteUrl(remote.url, config.rewrites), hosts);
    if (found) repos.push(found.repo);
  }
  return dedupeRepositories(repos);
}

/** Keeps the first spelling of each `owner/name`, compared case-insensitively as GitHub does. */
export function dedupeRepositories(repos: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const repo of repos) {
    const key = repo.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(repo);
  }
  return out;
}

/** Whether `value` is a well-formed `owner/name` (for the `threadwise.repositories` setting). */
export function isRepositoryName(value: string): boolean {
  const [owner = '', name = '', ...rest] = value.split('/');
  return rest.length === 0 && OWNER.test(owner) && NAME.test(name) && name !== '.' && name !== '..';
}
