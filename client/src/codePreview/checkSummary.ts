/**
 * What a preview shows of a block's checks (pure, no VS Code): the findings as ranges of the
 * preview document, and the hover's summary as Markdown. Findings, messages, rule ids and reasons
 * come from the checkers and the model's code, so every one of them is escaped before it becomes
 * Markdown.
 */
import type { BlockReport, CodeFinding, FindingSeverity } from '../../../server/src/protocol';
import type { LinePosition } from './placement';

/** A finding placed on the preview document: 0-based lines and columns, end exclusive. */
export interface PreviewFinding {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  severity: FindingSeverity;
  ruleId: string;
  message: string;
}

/**
 * Places `findings` (1-based lines and columns of the block's code) on the preview's lines through
 * `lineMap`. A finding on a block line that is not in the preview goes to the nearest one that is;
 * one without a column covers its line from the first non-blank character; columns stay inside
 * their line.
 */
export function previewFindings(findings: readonly CodeFinding[], lineMap: readonly (LinePosition | null)[], previewLines: readonly string[]): PreviewFinding[] {
  const out: PreviewFinding[] = [];
  const list: readonly CodeFinding[] = Array.isArray(findings) ? findings : [];
  for (const finding of list) {
    const start = mapLine(lineMap, finding.line);
    if (!start) continue;
    const end = typeof finding.endLine === 'number' && finding.endLine >= finding.line ? (mapLine(lineMap, finding.endLine) ?? start) : start;
    const startText = previewLines[start.line - 1] ?? '';
    const endText = previewLines[end.line - 1] ?? '';
    const hasColumn = isPositive(finding.column);
    const startColumn = hasColumn ? clamp((finding.column ?? 1) - 1 + start.columnShift, startText.length) : firstNonBlank(startText);
    let endColumn = isPositive(finding.endColumn) && end.line >= start.line ? clamp((finding.endColumn ?? 1) - 1 + end.columnShift, endText.length) : endText.length;
    // An empty or inverted range on one line runs to the line's end (a squiggle one can see).
    if (end.line === start.line && endColumn <= startColumn) endColumn = Math.max(startText.length, startColumn);
    out.push({
      startLine: start.line - 1,
      startColumn,
      endLine: Math.max(end.line, start.line) - 1,
      endColumn,
      severity: finding.severity === 'error' || finding.severity === 'warning' ? finding.severity : 'info',
      ruleId: String(finding.ruleId),
      message: String(finding.message),
    });
  }
  return out;
}

function mapLine(lineMap: readonly (LinePosition | null)[], line: unknown): LinePosition | undefined {
  if (typeof line !== 'number' || !Number.isInteger(line) || lineMap.length === 0) return undefined;
  const index = Math.min(Math.max(line - 1, 0), lineMap.length - 1);
  for (let distance = 0; distance < lineMap.length; distance++) {
    const after = lineMap[index + distance];
    if (after) return after;
    const before = lineMap[index - distance];
    if (before) return before;
  }
  return undefined;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function clamp(column: number, length: number): number {
  return Math.max(0, Math.min(column, length));
}

function firstNonBlank(text: string): number {
  const at = text.search(/\S/);
  return at < 0 ? 0 : at;
}

/** Escapes text for CommonMark so it renders as itself (no links, emphasis, HTML or line breaks). */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!<>|~&"]/g, '\\$&');
}

export interface SummaryPlacement {
  /** Workspace-relative path of the target file. */
  path: string;
  description: string;
  warnings: readonly string[];
}

/** The hover's Markdown: the block's syntax and security status, every finding, why it was not checked, and where it goes. */
export function checkSummaryMarkdown(report: BlockReport, placement?: SummaryPlacement): string {
  const block = report.block;
  const language = block.language ? ` (${escapeMarkdown(block.language)})` : '';
  const lines = [`**Threadwise checks** of code block ${block.index + 1}${language}`, ''];
  const syntax = report.syntax === 'ok' ? 'ok' : report.syntax === 'error' ? 'errors' : 'not checked';
  const security = report.security === 'checked' ? 'checked' : 'not checked';
  lines.push(`Syntax: ${syntax} · Security: ${security}${report.failed ? ' · **fails the checks**' : ''}`);
  if ((report.syntax === 'not-checked' || report.security === 'not-checked') && report.notCheckedReason) {
    lines.push('', `Not checked: ${escapeMarkdown(report.notCheckedReason)}`);
  }
  const findings = Array.isArray(report.findings) ? report.findings : [];
  if (findings.length > 0) {
    lines.push('');
    for (const finding of findings) {
      lines.push(`- ${escapeMarkdown(finding.severity)} ${escapeMarkdown(finding.ruleId)} (line ${Number(finding.line)}): ${escapeMarkdown(finding.message)}`);
    }
  } else if (report.syntax !== 'not-checked' || report.security !== 'not-checked') {
    lines.push('', 'No findings.');
  }
  if (placement) {
    lines.push('', `Preview of ${escapeMarkdown(placement.path)}: ${escapeMarkdown(placement.description)}`);
    for (const warning of placement.warnings) lines.push('', `⚠ ${escapeMarkdown(warning)}`);
  }
  return lines.join('\n');
}
