import type { BlockReport, CheckCycle, CheckReport, CodeFinding, InjectionFinding, InjectionScreening, SecretFinding, Suggestion } from '../../../server/src/protocol';
import type { BlockCheck, CheckFindingInfo, ChecksInfo, InjectionFindingInfo, RepairCycleInfo, SecretInfo } from '../../../webview/src/protocol';

/**
 * What the webview shows of a reply's checks (pure, no VS Code): per code block its language, file,
 * syntax and security status and findings; possible secrets, masked only; the repair history; and
 * the thread's injection screening. Everything is bounded and on one line where it is a label, and
 * nothing here trusts the daemon's report to be well formed (an older or a broken one).
 */

/** The check fields of a Suggestion (all missing in one from an older daemon) and its text. */
export type SuggestionChecks = Partial<Pick<Suggestion, 'checks' | 'checkCycles' | 'screening' | 'text'>>;

const MAX_BLOCKS = 100;
const MAX_FINDINGS = 50;
const MAX_SECRETS = 20;
const MAX_INJECTION_FINDINGS = 20;
const MAX_CYCLES = 20;
const MAX_MESSAGE_CHARS = 300;
const MAX_LABEL_CHARS = 200;
const MAX_EXCERPT_CHARS = 200;
const MAX_MASKED_CHARS = 60;

/** The webview's view of `suggestion`'s checks; undefined when the daemon reported none (an older one). */
export function checksInfo(suggestion: SuggestionChecks): ChecksInfo | undefined {
  const report = suggestion.checks;
  if (typeof report !== 'object' || report === null) return undefined;
  const text = typeof suggestion.text === 'string' ? suggestion.text : '';
  const screening: Partial<InjectionScreening> = typeof suggestion.screening === 'object' && suggestion.screening !== null ? suggestion.screening : {};
  return {
    blocks: listOf(report.blocks).slice(0, MAX_BLOCKS).flatMap(blockCheck),
    secrets: listOf(report.secrets).slice(0, MAX_SECRETS).flatMap((finding) => secretInfo(finding, text)),
    unknownSources: listOf(report.sources).length,
    passed: report.passed === true,
    failures: count(report.failures),
    strict: report.strict === true,
    repairs: listOf(suggestion.checkCycles).slice(0, MAX_CYCLES).flatMap(repairCycle),
    injection: {
      flagged: screening.flagged === true,
      findings: listOf(screening.findings).slice(0, MAX_INJECTION_FINDINGS).flatMap(injectionFinding),
    },
  };
}

/**
 * The checks of the person's edit of a finished draft: the daemon's `report` of `text` (the edited
 * draft, checked with the thread and the run's given sources), with the repair history and the
 * thread's injection screening of `base`, the run's own checks: they describe the run, which the
 * edit does not change. Undefined when the report is not an object (a broken daemon answer).
 */
export function editedChecksInfo(report: CheckReport, text: string, base: Pick<ChecksInfo, 'repairs' | 'injection'>): ChecksInfo | undefined {
  const info = checksInfo({ checks: report, text });
  if (!info) return undefined;
  return { ...info, repairs: base.repairs.map((cycle) => ({ ...cycle })), injection: { flagged: base.injection.flagged, findings: base.injection.findings.map((finding) => ({ ...finding })) } };
}

/** The given sources' numbers and URLs, as the checks compare citations with them; undefined when the reply had no retrieval. */
export function givenSources(suggestion: Partial<Pick<Suggestion, 'retrieval'>> | undefined): { number: number; url?: string }[] | undefined {
  const given = suggestion?.retrieval?.given;
  if (!Array.isArray(given)) return undefined;
  return given.flatMap((source) => {
    if (typeof source !== 'object' || !Number.isInteger(source.number)) return [];
    return typeof source.url === 'string' ? [{ number: source.number, url: source.url }] : [{ number: source.number }];
  });
}

/** Words for a secret's rule: `secret.github-token` → "GitHub token". */
export function secretKind(ruleId: string): string {
  const known: Record<string, string> = {
    'secret.github-token': 'GitHub token',
    'secret.aws-access-key': 'AWS access key',
    'secret.aws-secret-key': 'AWS secret key',
    'secret.slack-token': 'Slack token',
    'secret.private-key': 'private key',
    'secret.high-entropy': 'high-entropy string (possibly a key)',
  };
  return known[ruleId] ?? (oneLine(ruleId.replace(/^secret\./, '').replace(/[-_.]+/g, ' ')).slice(0, 60) || 'secret');
}

/**
 * The secret as it may be shown: the daemon's masked form, unless that would show the secret
 * itself (the masked text holds it, or masks nothing), when it is masked here: a few first
 * characters, the rest as `*`. `text`: the checked text the finding's offset points into.
 */
export function maskedSecret(finding: Pick<SecretFinding, 'masked' | 'offset' | 'length'>, text: string): string {
  const raw = Number.isInteger(finding.offset) && Number.isInteger(finding.length) && finding.length > 0 ? text.slice(finding.offset, finding.offset + finding.length) : '';
  const masked = typeof finding.masked === 'string' ? oneLine(finding.masked) : '';
  const leaks = masked === '' || !masked.includes('*') || (raw.length >= 4 && masked.includes(raw));
  return clip(leaks ? maskText(raw !== '' ? raw : masked) : masked, MAX_MASKED_CHARS);
}

/** Keeps the first characters (at most 4, and at most a quarter of it), stars for the rest. */
export function maskText(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return secret.slice(0, shown) + '*'.repeat(Math.max(4, Math.min(secret.length - shown, 20)));
}

function blockCheck(report: BlockReport, position: number): BlockCheck[] {
  if (typeof report !== 'object' || report === null) return [];
  const block: Partial<BlockReport['block']> = typeof report.block === 'object' && report.block !== null ? report.block : {};
  const syntax = report.syntax === 'ok' || report.syntax === 'error' ? report.syntax : 'not-checked';
  const check: BlockCheck = {
    index: Number.isInteger(block.index) && (block.index ?? -1) >= 0 ? (block.index as number) : position,
    language: typeof block.language === 'string' && block.language !== '' ? clip(oneLine(block.language), 40) : null,
    syntax,
    security: report.security === 'checked' ? 'checked' : 'not-checked',
    // A report that does not say is counted as failing, never as passing.
    failed: report.failed !== false,
    findings: listOf(report.findings).slice(0, MAX_FINDINGS).flatMap(findingInfo),
  };
  if (typeof block.file === 'string' && block.file !== '') check.file = clip(oneLine(block.file), MAX_LABEL_CHARS);
  if (typeof report.notCheckedReason === 'string' && report.notCheckedReason !== '') check.notCheckedReason = clip(oneLine(report.notCheckedReason), MAX_LABEL_CHARS);
  return [check];
}

function findingInfo(finding: CodeFinding): CheckFindingInfo[] {
  if (typeof finding !== 'object' || finding === null || typeof finding.ruleId !== 'string') return [];
  const severity = finding.severity === 'warning' || finding.severity === 'info' ? finding.severity : 'error';
  return [
    {
      ruleId: clip(oneLine(finding.ruleId), 100),
      kind: finding.kind === 'syntax' ? 'syntax' : 'security',
      severity,
      line: count(finding.line),
      message: clip(oneLine(typeof finding.message === 'string' ? finding.message : ''), MAX_MESSAGE_CHARS),
    },
  ];
}

function secretInfo(finding: SecretFinding, text: string): SecretInfo[] {
  if (typeof finding !== 'object' || finding === null) return [];
  return [{ ruleId: clip(oneLine(String(finding.ruleId)), 100), line: count(finding.line), masked: maskedSecret(finding, text) }];
}

function repairCycle(cycle: CheckCycle): RepairCycleInfo[] {
  if (typeof cycle !== 'object' || cycle === null) return [];
  const report: Partial<CheckReport> = typeof cycle.report === 'object' && cycle.report !== null ? cycle.report : {};
  return [{ cycle: count(cycle.cycle), failures: count(report.failures), passed: report.passed === true }];
}

function injectionFinding(finding: InjectionFinding): InjectionFindingInfo[] {
  if (typeof finding !== 'object' || finding === null) return [];
  const text = (value: unknown, max: number): string => (typeof value === 'string' ? clip(oneLine(value), max) : '');
  return [{ ruleId: text(finding.ruleId, 100), where: text(finding.where, 100), message: text(finding.message, MAX_MESSAGE_CHARS), excerpt: text(finding.excerpt, MAX_EXCERPT_CHARS) }];
}

function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** A non-negative integer, else 0. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
