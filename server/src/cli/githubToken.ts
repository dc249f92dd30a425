import { execFile } from 'node:child_process';
import { ThreadwiseError } from '../errors';

/** Where the CLI found the token: named in messages, never the token itself. */
export type TokenSource = 'GITHUB_TOKEN' | 'GH_TOKEN' | 'gh auth token';

export interface FoundToken {
  token: string;
  source: TokenSource;
}

/** Runs `gh auth token [--hostname HOST]`; resolves its stdout, or null when gh is missing or not signed in. */
export type GhTokenReader = (hostname: string | undefined) => Promise<string | null>;

/**
 * The CLI's GitHub token: `GITHUB_TOKEN`, else `GH_TOKEN`, else what `gh auth token` prints when
 * the GitHub CLI is installed and signed in (for the API host when it is not github.com). The token
 * stays in memory; nothing here writes or prints it.
 */
export async function findGitHubToken(
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  readGhToken: GhTokenReader = ghAuthToken,
): Promise<FoundToken> {
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const host = new URL(apiUrl).hostname;
  const fromGh = await readGhToken(host === 'api.github.com' ? undefined : host);
  if (fromGh) return { token: fromGh, source: 'gh auth token' };
  throw new ThreadwiseError(
    'github-auth',
    'no GitHub token: GITHUB_TOKEN and GH_TOKEN are not set and `gh auth token` gave none',
    'set GITHUB_TOKEN to a token with the repo scope, or sign in with `gh auth login`',
  );
}

/** `gh auth token`, with a 10 s limit; null when gh is not installed, not signed in, or fails. */
export const ghAuthToken: GhTokenReader = (hostname) =>
  new Promise((resolve) => {
    const args = ['auth', 'token', ...(hostname ? ['--hostname', hostname] : [])];
    execFile('gh', args, { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const token = String(stdout).trim();
      resolve(error || token === '' ? null : token);
    });
  });
