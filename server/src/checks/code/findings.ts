import type { Node } from 'web-tree-sitter';
import type { CodeFinding, FindingSeverity } from '../../protocol';

/**
 * What the tree-sitter checkers share: a rule's severities and the finding built from a node.
 *
 * Positions: tree-sitter rows and columns are 0-based, and web-tree-sitter counts columns in UTF-16
 * code units (it parses JavaScript strings as UTF-16), so they map onto the contract's 1-based
 * lines and columns by adding one. `endLine`/`endColumn` point just past the node (exclusive end),
 * as LSP ranges do.
 */

/** One security rule: its id, how severe a hit is normally and when the thread was flagged (strict), and why. */
export interface SecurityRule {
  readonly id: string;
  readonly severity: FindingSeverity;
  /** The severity in strict mode (the thread was flagged for prompt injection): never lower than `severity`. */
  readonly strictSeverity: FindingSeverity;
  /** Why the rule has this severity (documentation; not shown). */
  readonly reason: string;
}

/** A 1-based range with an exclusive end, as in CodeFinding. */
export interface FindingRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function rangeOf(node: Node): FindingRange {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

export function securityFinding(rule: SecurityRule, where: Node | FindingRange, message: string, strict: boolean): CodeFinding {
  const range = 'startPosition' in where ? rangeOf(where) : where;
  return {
    ruleId: rule.id,
    kind: 'security',
    severity: strict ? rule.strictSeverity : rule.severity,
    ...range,
    message,
    engine: 'tree-sitter',
  };
}

/** By line, then column, then rule id: a stable order for reports and tests. */
export function compareFindings(a: CodeFinding, b: CodeFinding): number {
  return a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Keeps one finding per rule and start position (two patterns can reach the same node). */
export function dedupeFindings(findings: CodeFinding[]): CodeFinding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}:${finding.line}:${finding.column ?? 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Code quoted in a message: one line, at most `max` characters, backticks made harmless (it is untrusted text). */
export function quoteCode(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replace(/`/g, "'");
  const short = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `\`${short}\``;
}
