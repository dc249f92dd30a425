import type { CheckedLanguage } from '../../protocol';
import type { CodeChecker } from './codeChecker';

/** A checker ready for a language, or why there is none. */
export type CheckerLookup = { checker: CodeChecker } | { error: string };

/**
 * The code checkers by language. Each checker loads on first use (parsers and grammars cost tens
 * of milliseconds to a second), once; a checker that fails to load is reported per block as "not
 * checked" with the reason, never as passing, and is tried again on a later call.
 */
export class CodeCheckers {
  private readonly byLanguage = new Map<CheckedLanguage, CodeChecker>();
  private readonly loads = new Map<CodeChecker, Promise<void>>();

  constructor(checkers: readonly CodeChecker[]) {
    for (const checker of checkers) {
      for (const language of checker.languages) this.byLanguage.set(language, checker);
    }
  }

  /** The languages some checker knows. */
  get languages(): CheckedLanguage[] {
    return [...this.byLanguage.keys()];
  }

  /** The loaded checker for `language`, loading it first when needed. */
  async forLanguage(language: CheckedLanguage): Promise<CheckerLookup> {
    const checker = this.byLanguage.get(language);
    if (checker === undefined) return { error: `no checker for ${language}` };
    let load = this.loads.get(checker);
    if (load === undefined) {
      load = checker.load();
      this.loads.set(checker, load);
    }
    try {
      await load;
      return { checker };
    } catch (error) {
      this.loads.delete(checker);
      return { error: `the ${language} checker could not load: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Loads every checker (the benchmark's "load once" figure; a daemon warms up with it). */
  async loadAll(): Promise<void> {
    await Promise.all(this.languages.map((language) => this.forLanguage(language)));
  }
}
