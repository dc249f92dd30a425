/**
 * Keeps the GitHub token out of text that leaves the daemon's memory (errors, log lines, files).
 * Used at every boundary: the client's errors, the service's log port, the server's error answers.
 */

const REDACTED = '[REDACTED]';

/** GitHub's token formats (classic, fine-grained, OAuth, app, refresh) and `Authorization` values. */
const TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/g;
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+)[^\s"',}]+/gi;

/** `text` with every occurrence of `token`, and anything shaped like a GitHub token, replaced. */
export function redact(text: string, token?: string | null): string {
  let out = text;
  // A token of a few characters would blank out ordinary words; real tokens are far longer.
  if (token && token.length >= 8) out = out.split(token).join(REDACTED);
  return out.replace(TOKEN_SHAPES, REDACTED).replace(AUTHORIZATION, `$1${REDACTED}`);
}
