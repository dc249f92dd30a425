/**
 * Links to GitHub's web pages for indexed sources. The web host follows the API root:
 * `https://api.github.com` → `https://github.com`; GitHub Enterprise Server `https://HOST/api` → `https://HOST`.
 */
export function webUrlOf(apiUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.host.toLowerCase() === 'api.github.com') return 'https://github.com';
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api(\/v3)?$/, '');
  return `${url.protocol}//${url.host}${base}`;
}

/** Formats GitHub renders (Markdown and friends) need `?plain=1` for line anchors to work. */
const RENDERED = /\.(md|mdx|markdown|rst|adoc|asciidoc|asc)$/i;

/**
 * The blob URL of `repoPath` at `commitSha` with a line anchor, or null when any part is missing.
 * Pinned to the commit, the link shows the lines that were indexed even after the file changes.
 */
export function blobUrl(webUrl: string | null, repo: string | null, commitSha: string | null | undefined, repoPath: string | null | undefined, startLine?: number, endLine?: number): string | null {
  if (!webUrl || !repo || !commitSha || !repoPath || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commitSha)) return null;
  const [owner, name] = repo.split('/');
  if (!owner || !name) return null;
  const encodedPath = repoPath.split('/').map(encodeURIComponent).join('/');
  const plain = RENDERED.test(repoPath) ? '?plain=1' : '';
  const anchor = startLine === undefined ? '' : endLine !== undefined && endLine !== startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  return `${webUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/blob/${commitSha}/${encodedPath}${plain}${anchor}`;
}
