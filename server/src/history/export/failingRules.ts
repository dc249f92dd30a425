import type { CheckReport } from '../../protocol';

/**
 * The rules that failed in the given check reports (a suggestion's cycles, first draft first),
 * each once, in the order they first failed. Rule names: a code finding's `ruleId` (`syntax`,
 * `no-eval`, `python.exec`…), `not-checked` for a block no checker could read in strict mode, a
 * secret's `ruleId` (`secret.github-token`…), `source.unknown-source` / `source.unknown-url` for a
 * fabricated citation.
 *
 * The `failOn` setting a draft was checked with is not part of the record, so a code finding is
 * judged from what the report does hold: only findings of a block that failed count, and among
 * them syntax errors, every finding in strict mode, and otherwise error and warning severities
 * (info never fails). A warning beside an error in a block checked with `failOn: error` is
 * therefore listed although it alone would not have failed.
 */
export function failingRules(reports: readonly CheckReport[]): string[] {
  const rules = new Set<string>();
  for (const report of reports) {
    for (const { findings, failed, syntax } of report.blocks) {
      if (!failed) continue;
      for (const finding of findings) {
        if (finding.kind === 'syntax' || report.strict || finding.severity !== 'info') rules.add(finding.ruleId);
      }
      if (report.strict && syntax === 'not-checked') rules.add('not-checked');
    }
    for (const secret of report.secrets) rules.add(secret.ruleId);
    for (const source of report.sources) rules.add(`source.${source.kind}`);
  }
  return [...rules];
}
