/**
 * Which GitHub the extension talks to, derived from two settings (pure, no VS Code):
 * - `threadwise.github.enterpriseUri` empty: github.com, VS Code's `github` sign-in, API
 *   `https://api.github.com`;
 * - set (`https://ghe.example.com`): GitHub Enterprise Server, VS Code's `github-enterprise` sign-in
 *   (which reads its own `github-enterprise.uri` setting), API `<uri>/api`;
 * - `threadwise.github.apiUrl` overrides the API root either way (a proxy, a test server);
 * - `threadwise.github.authProvider` overrides the sign-in provider (another extension's GitHub
 *   accounts; the UI tests' fake provider).
 * The token goes to the API root, so only https is accepted there, except on the loopback interface.
 */
export interface GitHubEndpoint {
  /** The VS Code authentication provider to ask for a session (`github`, `github-enterprise`, or the configured one). */
  providerId: string;
  /** The API root handed to the daemon, without a trailing slash. */
  apiUrl: string;
  /** Web hosts whose remotes and URLs name repositories of this GitHub (lower case). */
  webHosts: string[];
  /** The enterprise server's address, without a trailing slash; undefined for github.com. */
  enterpriseUri?: string;
}

export interface EndpointSettings {
  enterpriseUri: string;
  apiUrl: string;
  /** Empty: `github` or `github-enterprise` by `enterpriseUri`. */
  authProvider?: string;
}

/** A setting that cannot be used; the message names it and says what to write instead. */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

export const GITHUB_API_URL = 'https://api.github.com';
export const GITHUB_WEB_HOSTS = ['github.com', 'www.github.com', 'ssh.github.com'];

/** The endpoint for these settings; throws EndpointError for an address that cannot be used. */
export function resolveEndpoint(settings: EndpointSettings): GitHubEndpoint {
  const enterprise = settings.enterpriseUri.trim();
  const override = settings.apiUrl.trim();
  let endpoint: GitHubEndpoint;
  if (enterprise === '') {
    endpoint = { providerId: 'github', apiUrl: GITHUB_API_URL, webHosts: [...GITHUB_WEB_HOSTS] };
  } else {
    const url = parseAddress(enterprise, 'threadwise.github.enterpriseUri', 'https://ghe.example.com');
    const root = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    endpoint = { providerId: 'github-enterprise', apiUrl: `${root}/api`, webHosts: [url.hostname.toLowerCase()], enterpriseUri: root };
  }
  const provider = settings.authProvider?.trim() ?? '';
  if (provider !== '') endpoint.providerId = provider;
  if (override !== '') {
    const url = parseAddress(override, 'threadwise.github.apiUrl', 'https://ghe.example.com/api');
    endpoint.apiUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  return endpoint;
}

function parseAddress(value: string, setting: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointError(`${setting} is not a URL: "${value}". Write it like ${example}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new EndpointError(`${setting} must not hold a user name or password; Threadwise signs in through VS Code's accounts.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new EndpointError(`${setting} must not have a query or fragment: "${value}". Write it like ${example}.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  throw new EndpointError(`${setting} must be an https address (your token is sent there): "${value}". Write it like ${example}.`);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
