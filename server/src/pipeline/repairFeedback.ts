import type { CheckReport, CitationFinding, CodeFinding, SecretFinding } from '../protocol';

/** Most findings listed per block, and in all: a long list helps the model no more than the first ones. */
const MAX_PER_BLOCK = 8;
const MAX_LINES = 30;

/**
 * The user turn that asks the model to repair its draft (DESIGN.md's ↺ repair): Threadwise's own
 * words, listing what failed by block and line, and asking for the whole reply again. It comes
 * after the draft (an assistant turn) at the end of the same chat, so the model's KV cache of the
 * prompt and the draft is reused. Secrets are named by kind and line, never quoted; the reply's
 * own words are quoted only as the short rule messages the checkers wrote.
 */
export function repairFeedback(report: CheckReport, isFailing: (finding: CodeFinding) => boolean): string {
  const lines: string[] = [];
  for (const block of report.blocks) {
    if (!block.failed) continue;
    const where = `Code block ${block.block.index + 1}${block.block.language ? ` (${block.block.language})` : ''}`;
    const failing = block.findings.filter(isFailing);
    if (failing.length === 0 && block.syntax === 'not-checked') {
      lines.push(`- ${where}: its language cannot be checked here, and this thread needs checked code: use a fenced block in a common language (e.g. \`\`\`python, \`\`\`ts, \`\`\`bash), or leave the code out.`);
      continue;
    }
    for (const finding of failing.slice(0, MAX_PER_BLOCK)) lines.push(`- ${where}, line ${finding.line}: ${describeFinding(finding)}`);
    if (failing.length > MAX_PER_BLOCK) lines.push(`- ${where}: ${failing.length - MAX_PER_BLOCK} more findings like these.`);
  }
  for (const secret of report.secrets) lines.push(`- ${describeSecret(secret)}`);
  for (const source of report.sources) lines.push(`- ${describeSource(source)}`);
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `- and ${lines.length - MAX_LINES} more.`] : lines;
  return [
    '[Threadwise checks: your draft reply above failed these automatic checks.',
    ...shown,
    'Write the whole reply again with these problems fixed: correct code that does the same job safely (or explain the risk instead of showing unsafe code), no secrets, and only the given sources and links. Keep what was right. Reply with the new text only, without mentioning these checks.]',
  ].join('\n');
}

function describeFinding(finding: CodeFinding): string {
  const what = finding.kind === 'syntax' ? 'syntax error' : `${finding.severity} \`${finding.ruleId}\``;
  return `${what}: ${finding.message}`;
}

function describeSecret(secret: SecretFinding): string {
  return `Line ${secret.line} of your reply holds what looks like a secret (${secret.message}). Remove it: a reply must never contain tokens, keys or passwords; use a placeholder such as <YOUR_TOKEN>.`;
}

function describeSource(finding: CitationFinding): string {
  if (finding.kind === 'unknown-source') return `${finding.text} cites a source number that was not given: cite only the numbered sources you were given, or remove the citation.`;
  return `The link ${finding.text} is neither a given source's link nor in the thread: remove it, or use a link you were given.`;
}
