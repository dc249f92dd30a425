/**
 * Removes secrets from a line before it is logged (pure). The language client's verbose trace
 * (`threadwise.trace.server`) writes every request's params to the log, and GitHubSetAuthRequest's
 * params hold the user's token: its `token` field is replaced, in the text trace
 * (`"token": "…"`) and in the JSON trace (`\"token\":\"…\"`), and so is anything shaped like a
 * GitHub token wherever it appears.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/("token"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"[redacted]"')
    .replace(/(\\"token\\"\s*:\s*)\\"(?:[^"\\]|\\(?!")|\\\\)*\\"/g, '$1\\"[redacted]\\"')
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]');
}
