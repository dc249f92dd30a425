/**
 * The modal that stands between the Post (or Update comment) click and GitHub (pure, no VS Code).
 * It names the thread and shows the exact text that will be sent, cut for display when it is long,
 * with a note of its length: what is posted is always the whole text.
 *
 * The text is checked first (`threadwise/checks/run`, by the caller). A possible secret blocks the
 * post outright (`secretBlock`: no modal). Failing checks, checks that could not run, or a guardrail
 * that flagged the draft (or could not check it) make the modal list what fails and offer only the
 * explicit override, "Post Anyway" / "Update Anyway"; a passing, safe text gets "Post" / "Update".
 */
import type { BlockReport, CheckReport, SecretFinding } from '../../../server/src/protocol';
import { maskedSecret, secretKind } from './checksInfo';

/** The modal shows at most this much of the text… */
export const PREVIEW_MAX_CHARS = 1500;
/** …and at most this many lines of it. */
export const PREVIEW_MAX_LINES = 30;
/** What fails is listed up to this many lines, then "…and N more". */
export const MAX_LISTED_FAILURES = 5;
/** Secrets named in the blocked-post message, then "and N more". */
const MAX_NAMED_SECRETS = 3;

/** The guardrail's verdict on the generated draft, as the panel's badge has it. */
export interface GuardrailVerdict {
  label: string;
  score: number;
  unsafe: boolean;
  /** Set when the guardrail could not run (the label is then `UNCHECKED`): counts as unsafe. */
  error?: string;
}

/** The checks of the exact text to send, or why they could not run. */
export type CheckOutcome = { ok: true; report: CheckReport } | { ok: false; error: string };

export interface ConfirmationRequest {
  /** `post`: a new comment; `update`: replace the text of the comment posted from the panel. */
  action: 'post' | 'update';
  /** `owner/name#number`. */
  ref: string;
  /** The exact text that will be sent. */
  text: string;
  /** The guardrail's verdict on the generated draft; absent when there is none (no finished run). */
  safety?: GuardrailVerdict;
  checks: CheckOutcome;
}

export interface Confirmation {
  message: string;
  /** What fails (when something does), then the text (or its start) and a line with its length. */
  detail: string;
  /** The modal's one action: only this choice sends anything (Cancel, Escape and closing do not). */
  button: 'Post' | 'Update' | 'Post Anyway' | 'Update Anyway';
  /** Something fails or could not be checked: the button is the explicit override. */
  override: boolean;
}

export function postConfirmation(request: ConfirmationRequest): Confirmation {
  const { action, ref, text, safety, checks } = request;
  const question = action === 'post' ? `Post this reply to ${ref} on GitHub?` : `Update your comment on ${ref} on GitHub with this text?`;
  const problems: string[] = [];
  const lines: string[] = [];
  if (!checks.ok) {
    problems.push(`The checks could not run (${clip(oneLine(checks.error), 300)}), so nothing is known about its code, secrets or sources.`);
  } else {
    const failures = checkFailures(checks.report, text);
    if (failures.length > 0) problems.push('It fails its checks.');
    lines.push(...failures);
  }
  const guardrail = safety ? guardrailProblem(safety) : undefined;
  if (guardrail) {
    problems.push(guardrail.sentence);
    lines.push(guardrail.line);
  }
  const preview = previewText(text);
  if (problems.length === 0) return { message: question, detail: preview, button: action === 'post' ? 'Post' : 'Update', override: false };

  const verb = action === 'post' ? 'post it' : 'update it';
  const message = `${question} ${problems.join(' ')} Only ${verb} anyway if you have read it and are sure.`;
  const strict = checks.ok && checks.report.strict ? ['The thread was flagged for prompt injection: the checks were strict.', ''] : [];
  const listed = lines.length > 0 ? ['What fails:', ...listFailures(lines), ''] : [];
  return { message, detail: [...strict, ...listed, preview].join('\n'), button: action === 'post' ? 'Post Anyway' : 'Update Anyway', override: true };
}

/**
 * Why `text` must not be posted at all: the possible secrets the checks found in it, by kind, line
 * and masked value (never the secret itself); undefined when there are none.
 */
export function secretBlock(report: Pick<CheckReport, 'secrets'>, text: string): string | undefined {
  const secrets = Array.isArray(report.secrets) ? report.secrets : [];
  if (secrets.length === 0) return undefined;
  const named = secrets.slice(0, MAX_NAMED_SECRETS).map((secret) => secretDescription(secret, text));
  const more = secrets.length > named.length ? `, and ${secrets.length - named.length} more` : '';
  const what = secrets.length === 1 ? 'a possible secret' : `${secrets.length} possible secrets`;
  const it = secrets.length === 1 ? 'it' : 'them';
  return `the reply contains ${what}: ${named.join('; ')}${more}. Remove ${it} from the draft before posting; nothing was sent.`;
}

/** "GitHub token on line 3 (ghp_********************)". */
export function secretDescription(secret: SecretFinding, text: string): string {
  const line = Number.isInteger(secret.line) && secret.line >= 1 ? ` on line ${secret.line}` : '';
  return `${secretKind(String(secret.ruleId))}${line} (${maskedSecret(secret, text)})`;
}

/** One line per failing finding of the report, in reply order: blocks, then secrets, then sources. */
export function checkFailures(report: CheckReport, text: string): string[] {
  const lines: string[] = [];
  for (const block of Array.isArray(report.blocks) ? report.blocks : []) {
    if (block.failed !== false) lines.push(...blockFailures(block));
  }
  for (const secret of Array.isArray(report.secrets) ? report.secrets : []) lines.push(`Possible secret: ${secretDescription(secret, text)}`);
  for (const source of Array.isArray(report.sources) ? report.sources : []) {
    lines.push(source.kind === 'unknown-url' ? `Link in neither the sources nor the thread: ${clip(oneLine(source.text), 200)}` : `Citation of a source that was not given: ${clip(oneLine(source.text), 50)}`);
  }
  if (lines.length === 0 && report.passed !== true) lines.push(`${report.failures} failing ${report.failures === 1 ? 'finding' : 'findings'}`);
  return lines;
}

function blockFailures(report: BlockReport): string[] {
  // The daemon's report is trusted to mean what it says, not to be well formed.
  const block: Partial<BlockReport['block']> = report.block ?? {};
  const where = [block.language ?? 'no language', ...(block.file ? [block.file] : [])].join(', ');
  const name = `Block ${(block.index ?? 0) + 1} (${clip(oneLine(where), 200)})`;
  const findings = (Array.isArray(report.findings) ? report.findings : []).filter((finding) => finding.severity !== 'info');
  if (findings.length === 0) {
    const reason = report.notCheckedReason ? ` (${clip(oneLine(report.notCheckedReason), 200)})` : '';
    return [report.syntax === 'not-checked' ? `${name}: not checked${reason}` : `${name}: fails its checks`];
  }
  return findings.map((finding) => `${name}, line ${finding.line}: ${finding.ruleId} (${finding.severity}) — ${clip(oneLine(String(finding.message)), 200)}`);
}

/** What the guardrail's verdict means for posting; undefined when it is safe. */
export function guardrailProblem(safety: GuardrailVerdict): { sentence: string; line: string } | undefined {
  if (safety.error !== undefined || safety.label.toUpperCase() === 'UNCHECKED') {
    const why = safety.error ? `: ${safety.error}` : '';
    return { sentence: 'The guardrail could not check the generated draft.', line: `Guardrail: UNCHECKED${why}` };
  }
  if (!safety.unsafe) return undefined;
  return { sentence: 'The guardrail flagged the generated draft as unsafe.', line: `Guardrail: ${safety.label.toUpperCase()} (score ${safety.score.toFixed(2)})` };
}

/** The first lines of what fails, then "…and N more". */
function listFailures(lines: readonly string[]): string[] {
  const shown = lines.slice(0, MAX_LISTED_FAILURES).map((line) => `• ${line}`);
  return lines.length > shown.length ? [...shown, `…and ${lines.length - shown.length} more`] : shown;
}

/** `text` for the modal: whole when short, else its start; then a line that says how long it is. */
export function previewText(text: string, maxChars = PREVIEW_MAX_CHARS, maxLines = PREVIEW_MAX_LINES): string {
  const total = text.length;
  let shown = text.length > maxChars ? text.slice(0, maxChars) : text;
  const lines = shown.split('\n');
  if (lines.length > maxLines) shown = lines.slice(0, maxLines).join('\n');
  // Never end on half of a surrogate pair (an emoji cut in two).
  if (shown.length < total && /[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
  const count = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'character' : 'characters'}`;
  if (shown.length === total) return `${text}\n\n(${count(total)})`;
  return `${shown}\n…\n\n(Showing the first ${shown.length.toLocaleString('en-US')} of ${count(total)}; the whole text is sent.)`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
