import { findingFails } from '../../checks/checkText';
import type { CheckCycle, DaemonSettings } from '../../protocol';

/** One finding of one draft, as the `check_findings` table holds it for the failure-rate metrics. */
export interface FindingRow {
  cycle: number;
  /** The code rule id (`python.os-system`, `syntax`…), `secret.<rule>` or `source.<kind>`. */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  /** Whether the finding failed its draft's checks under the settings the draft was checked with. */
  fails: boolean;
}

/**
 * Every finding of every check cycle, flattened. Secrets and fabricated sources always fail; a code
 * finding fails as `checkText` decided (its kind and severity against `failOn`, or strict mode).
 */
export function findingRows(cycles: readonly CheckCycle[], failOn: DaemonSettings['checksFailOn']): FindingRow[] {
  const rows: FindingRow[] = [];
  for (const { cycle, report } of cycles) {
    for (const block of report.blocks) {
      for (const finding of block.findings) {
        rows.push({ cycle, rule: finding.ruleId, severity: finding.severity, fails: findingFails(finding, { failOn, strict: report.strict }) });
      }
    }
    // Secret rule ids carry their own prefix already (`secret.github-token`).
    for (const secret of report.secrets) rows.push({ cycle, rule: secret.ruleId, severity: 'error', fails: true });
    for (const source of report.sources) rows.push({ cycle, rule: `source.${source.kind}`, severity: 'error', fails: true });
  }
  return rows;
}
