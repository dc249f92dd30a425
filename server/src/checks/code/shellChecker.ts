import type { Node } from 'web-tree-sitter';
import type { CheckedLanguage } from '../../protocol';
import type { CodeCheckOptions, CodeCheckResult, CodeChecker } from './codeChecker';
import { compareFindings, dedupeFindings, quoteCode } from './findings';
import { prepareShellSecurity, shellSecurityFindings } from './shellSecurity';
import { shellSource } from './shellSession';
import { type SyntaxDialect, syntaxFindings } from './syntaxErrors';
import { GrammarSlot, type LoadedGrammar, asLines } from './treeSitter';

/**
 * Shell (`sh`, `bash`, `console`, … all normalise to `shell`): syntax from tree-sitter-bash's error
 * recovery, security from the rules in `shellRules.ts`. A console session (`$ ` prompts) is checked
 * as its commands only, output left out, lines and columns kept (`shellSession.ts`).
 *
 * tree-sitter-bash is lenient where bash is not in a few places (a stray `fi` or `done` parses as a
 * command name), so those pass; unclosed `if`/`do`/`case`, brackets, substitutions and quotes, and
 * stray operators are reported.
 */
const KEYWORD_CLOSERS: Record<string, string> = { if: 'fi', do: 'done', case: 'esac' };

const SHELL_DIALECT: SyntaxDialect = {
  pairs: [
    ['if', 'fi'],
    ['do', 'done'],
    ['case', 'esac'],
    ['{', '}'],
    ['(', ')'],
    ['$(', ')'],
    ['<(', ')'],
    ['>(', ')'],
    ['((', '))'],
    ['$((', '))'],
    ['${', '}'],
    ['[[', ']]'],
    ['[', ']'],
    ['"', '"'],
    ['`', '`'],
  ],
  unclosed(opener: Node, closer: string): string {
    if (opener.type === '"' || opener.type === '`') return `unterminated string: the ${quoteCode(opener.type)} here is never closed`;
    if (KEYWORD_CLOSERS[opener.type]) return `${quoteCode(opener.type)} without a matching ${quoteCode(closer)}`;
    return `${quoteCode(opener.type)} was never closed`;
  },
};

export class ShellChecker implements CodeChecker {
  readonly languages: readonly CheckedLanguage[] = ['shell'];
  private readonly grammar = new GrammarSlot('bash', prepareShellSecurity);

  load(): Promise<void> {
    return this.grammar.load();
  }

  check(code: string, language: CheckedLanguage, options: CodeCheckOptions): CodeCheckResult {
    if (language !== 'shell') throw new Error(`the shell checker does not check ${language}`);
    const grammar = this.grammar.loaded('ShellChecker');
    const source = shellSource(asLines(code), (text) => parsesCleanly(grammar, text));
    const tree = grammar.parser.parse(source.text);
    if (!tree) throw new Error('tree-sitter returned no tree for a shell block');
    try {
      const syntax = syntaxFindings(tree.rootNode, SHELL_DIALECT).sort(compareFindings);
      const security = dedupeFindings(shellSecurityFindings(grammar, tree.rootNode, options.strict)).sort(compareFindings);
      return { syntax: syntax.length > 0 ? 'error' : 'ok', findings: [...syntax, ...security] };
    } finally {
      tree.delete();
    }
  }
}

function parsesCleanly(grammar: LoadedGrammar, text: string): boolean {
  const tree = grammar.parser.parse(text);
  if (!tree) return false;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}
