/**
 * Which links the suggestion panel may open in the browser (pure, no VS Code). The webview asks
 * with `openExternal`; the host opens only absolute https URLs, without credentials, on a GitHub
 * host it knows: github.com, and the hosts of comment URLs the daemon returned (a GitHub
 * Enterprise Server's). Everything else (javascript:, http:, other sites) is refused.
 */

export const GITHUB_WEB_HOST = 'github.com';

/** The URL to open (normalised), or undefined when it may not be opened. `hosts`: lower-case `host[:port]`. */
export function openableUrl(url: string, hosts: ReadonlySet<string>): string | undefined {
  const parsed = parseHttps(url);
  return parsed && hosts.has(parsed.host) ? parsed.href : undefined;
}

/** The `host[:port]` of an https URL, to trust for later links; undefined for anything else. */
export function httpsHost(url: string): string | undefined {
  return parseHttps(url)?.host;
}

function parseHttps(url: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.host !== '' ? parsed : undefined;
}
