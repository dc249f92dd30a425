import type * as Yaml from 'yaml';
import type { CheckedLanguage, CodeFinding } from '../../protocol';
import type { CodeChecker, CodeCheckResult } from './codeChecker';
import { findJsonSyntaxError } from './jsonSyntax';
import { lineStarts, positionAt } from './positions';
import { MAX_SYNTAX_FINDINGS } from './syntaxErrors';

/**
 * Syntax of JSON and YAML blocks. Data runs nothing, so there are no security rules for it (a
 * token in a config file is the secrets scan's, which reads the whole reply); a block that parses
 * is "checked" and passes.
 *
 * JSON is strict RFC 8259 (no comments, no trailing commas; `jsonc` blocks are not sent here): one
 * finding, at the first error. YAML is YAML 1.2 as the `yaml` package reads it, every document of the
 * stream: each error (duplicate keys included) is a finding, the first of a line only, at most
 * MAX_SYNTAX_FINDINGS. Warnings (an unknown tag) are not findings.
 */
export function createDataChecker(): CodeChecker {
  return new DataChecker();
}

class DataChecker implements CodeChecker {
  readonly languages = ['json', 'yaml'] as const;
  private loading: Promise<void> | undefined;
  private yaml: typeof Yaml | undefined;

  load(): Promise<void> {
    this.loading ??= import('yaml').then(
      (yaml) => {
        this.yaml = yaml;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw new Error(`the YAML parser could not load (package yaml: ${error instanceof Error ? error.message : String(error)}); reinstall Threadwise or run npm install`, { cause: error });
      },
    );
    return this.loading;
  }

  check(code: string, language: CheckedLanguage): CodeCheckResult {
    let findings: CodeFinding[];
    if (language === 'json') findings = jsonFindings(code);
    else if (language === 'yaml') findings = this.yamlFindings(code);
    else throw new Error(`the data checker does not check ${language}`);
    return { syntax: findings.length > 0 ? 'error' : 'ok', findings };
  }

  private yamlFindings(code: string): CodeFinding[] {
    const yaml = this.yaml;
    if (yaml === undefined) throw new Error('the data checker was used before load() resolved');
    const parsed = yaml.parseAllDocuments(code, { prettyErrors: false });
    const errors = 'empty' in parsed ? parsed.errors : parsed.flatMap((document) => document.errors);
    const starts = lineStarts(code);
    const findings: CodeFinding[] = [];
    const lines = new Set<number>();
    for (const error of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
      const start = positionAt(starts, error.pos[0]);
      if (lines.has(start.line)) continue;
      lines.add(start.line);
      const end = positionAt(starts, Math.max(error.pos[0], error.pos[1]));
      findings.push(syntaxFinding(start, end, error.message, 'yaml'));
      if (findings.length >= MAX_SYNTAX_FINDINGS) break;
    }
    return findings;
  }
}

function jsonFindings(code: string): CodeFinding[] {
  try {
    JSON.parse(code);
    return [];
  } catch (error) {
    const starts = lineStarts(code);
    const found = findJsonSyntaxError(code);
    // The scanner and JSON.parse agree on what JSON is; should they ever not, JSON.parse decides.
    if (found === null) {
      const first = { line: 1, column: 1 };
      return [syntaxFinding(first, first, error instanceof Error ? error.message : String(error), 'json')];
    }
    const start = positionAt(starts, found.offset);
    return [syntaxFinding(start, positionAt(starts, Math.min(code.length, found.offset + 1)), found.message, 'json')];
  }
}

function syntaxFinding(start: { line: number; column: number }, end: { line: number; column: number }, message: string, engine: 'json' | 'yaml'): CodeFinding {
  return { ruleId: 'syntax', kind: 'syntax', severity: 'error', line: start.line, column: start.column, endLine: end.line, endColumn: end.column, message, engine };
}
