import path from 'node:path';
import type { CodeFinding, FindingSeverity } from '../../protocol';

/**
 * Reading Bandit's and Semgrep's JSON reports into CodeFindings. The report is another program's
 * output and is checked field by field: a result without a usable file, line or id is skipped; a
 * report that is not JSON or has no `results` array is an error (thrown, and turned into a failed
 * run by the caller).
 *
 * Files are named `block-<index>.<ext>` by the runner, which is how a result finds its block.
 */

/** Findings by block index. */
export type FindingsByBlock = Map<number, CodeFinding[]>;

/** `block-3.py` → 3; anything else → null. */
export function blockIndexOf(file: string): number | null {
  const match = /^block-(\d+)\.[a-z]+$/.exec(path.basename(file));
  return match ? Number(match[1]) : null;
}

export function blockFileName(index: number, extension: string): string {
  return `block-${index}.${extension}`;
}

/** Bandit's severity: HIGH fails always, MEDIUM fails unless warnings are allowed, LOW is informational. */
const BANDIT_SEVERITY: Record<string, FindingSeverity> = { HIGH: 'error', MEDIUM: 'warning', LOW: 'info' };

/** `bandit -f json` output (1.6 and later). */
export function parseBanditReport(stdout: string): FindingsByBlock {
  const results = resultsOf(stdout, 'bandit');
  const findings: FindingsByBlock = new Map();
  for (const result of results) {
    if (!isRecord(result)) continue;
    const index = typeof result.filename === 'string' ? blockIndexOf(result.filename) : null;
    const line = positiveInteger(result.line_number);
    const testId = typeof result.test_id === 'string' && /^[A-Z]\d+$/.test(result.test_id) ? result.test_id : null;
    if (index === null || line === null || testId === null) continue;
    const severity = BANDIT_SEVERITY[String(result.issue_severity).toUpperCase()] ?? 'warning';
    const column = nonNegativeInteger(result.col_offset);
    const lineRange = Array.isArray(result.line_range) ? result.line_range.map(positiveInteger).filter((n): n is number => n !== null) : [];
    const endLine = lineRange.length > 0 ? Math.max(line, ...lineRange) : undefined;
    const testName = typeof result.test_name === 'string' ? ` ${result.test_name}` : '';
    const confidence = typeof result.issue_confidence === 'string' ? `, confidence ${result.issue_confidence.toLowerCase()}` : '';
    const text = typeof result.issue_text === 'string' && result.issue_text.trim() !== '' ? result.issue_text.trim() : 'Bandit finding';
    add(findings, index, {
      ruleId: `bandit.${testId}`,
      kind: 'security',
      severity,
      line,
      ...(column !== null ? { column: column + 1 } : {}),
      ...(endLine !== undefined && endLine !== line ? { endLine } : {}),
      message: `${text} (Bandit ${testId}${testName}${confidence})`,
      engine: 'bandit',
    });
  }
  return findings;
}

/** Semgrep's severities, old (ERROR/WARNING/INFO) and new (CRITICAL/HIGH/MEDIUM/LOW). */
const SEMGREP_SEVERITY: Record<string, FindingSeverity> = {
  ERROR: 'error',
  CRITICAL: 'error',
  HIGH: 'error',
  WARNING: 'warning',
  MEDIUM: 'warning',
  INFO: 'info',
  LOW: 'info',
  INVENTORY: 'info',
  EXPERIMENT: 'info',
};

/** `semgrep --json` output. */
export function parseSemgrepReport(stdout: string): FindingsByBlock {
  const results = resultsOf(stdout, 'semgrep');
  const findings: FindingsByBlock = new Map();
  for (const result of results) {
    if (!isRecord(result)) continue;
    const index = typeof result.path === 'string' ? blockIndexOf(result.path) : null;
    const checkId = typeof result.check_id === 'string' && result.check_id.trim() !== '' ? result.check_id.trim() : null;
    const start = isRecord(result.start) ? result.start : {};
    const end = isRecord(result.end) ? result.end : {};
    const line = positiveInteger(start.line);
    if (index === null || checkId === null || line === null) continue;
    const extra = isRecord(result.extra) ? result.extra : {};
    const severity = SEMGREP_SEVERITY[String(extra.severity).toUpperCase()] ?? 'warning';
    const column = positiveInteger(start.col);
    const endLine = positiveInteger(end.line);
    const endColumn = positiveInteger(end.col);
    const text = typeof extra.message === 'string' && extra.message.trim() !== '' ? extra.message.trim().replace(/\s+/g, ' ') : 'Semgrep finding';
    add(findings, index, {
      ruleId: `semgrep.${checkId}`,
      kind: 'security',
      severity,
      line,
      ...(column !== null ? { column } : {}),
      ...(endLine !== null ? { endLine } : {}),
      ...(endColumn !== null ? { endColumn } : {}),
      message: `${text} (Semgrep ${checkId})`,
      engine: 'semgrep',
    });
  }
  return findings;
}

function resultsOf(stdout: string, tool: string): unknown[] {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    const start = stdout.trim().slice(0, 80).replace(/\s+/g, ' ');
    throw new Error(`${tool} printed something that is not a JSON report${start ? `: "${start}"` : ' (nothing)'}`);
  }
  if (!isRecord(report) || !Array.isArray(report.results)) throw new Error(`${tool}'s JSON report has no "results" list`);
  return report.results;
}

function add(findings: FindingsByBlock, index: number, finding: CodeFinding): void {
  const list = findings.get(index) ?? [];
  list.push(finding);
  findings.set(index, list);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : null;
}

function nonNegativeInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}
