import type { CheckedLanguage, CodeFinding } from '../../protocol';

/**
 * A checker for one family of languages: syntax and security of one block of code. The registry
 * (`codeChecks.ts`) picks the checker by the block's language. Findings' lines and columns are
 * 1-based and relative to the code given.
 */
export interface CodeChecker {
  /** The languages `check` accepts. */
  readonly languages: readonly CheckedLanguage[];
  /**
   * Loads parsers, grammars and rule sets once (idempotent; concurrent calls share one load).
   * Rejects with a message that says what is missing when a parser cannot load.
   */
  load(): Promise<void>;
  /** Syntax then security on `code`. Only called after `load()` resolved. Never throws for bad code. */
  check(code: string, language: CheckedLanguage, options: CodeCheckOptions): CodeCheckResult;
}

export interface CodeCheckOptions {
  /** The thread was flagged for prompt injection: rules that are usually `info` may report `warning`. */
  strict: boolean;
}

export interface CodeCheckResult {
  /** `error` when the parser reported at least one syntax finding. */
  syntax: 'ok' | 'error';
  /** Syntax findings (ruleId `syntax`, kind `syntax`) then security findings, each sorted by line. */
  findings: CodeFinding[];
}
