import type { Node, QueryMatch } from 'web-tree-sitter';
import type { CodeFinding } from '../../protocol';
import { quoteCode, rangeOf } from './findings';
import { type SyntaxDialect, syntaxFinding, syntaxFindings } from './syntaxErrors';

/**
 * Python syntax findings from tree-sitter-python. The grammar is more lenient than CPython: it
 * accepts Python 2's `print x` and `exec code`, and does not check indentation consistency (an
 * over-indented line inside a block parses), so those pass. What it does catch: unbalanced
 * brackets, unterminated strings, stray tokens, compound-statement headers without their `:`, and
 * (checked here, since the grammar builds an empty `block` rather than an error) a `def`, `class`,
 * `if`, … with no indented body.
 */

/** Keywords that open a compound statement whose header must end with `:`. */
const HEADER_KEYWORDS = new Set(['if', 'elif', 'else', 'for', 'while', 'def', 'class', 'with', 'try', 'except', 'finally', 'async', 'match', 'case']);

const PYTHON_DIALECT: SyntaxDialect = {
  pairs: [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
    ['string_start', 'string_end'],
  ],
  unclosed(opener: Node): string {
    return opener.type === 'string_start' ? 'unterminated string literal' : `${quoteCode(opener.text)} was never closed`;
  },
  describeRegion(tokens: Node[]): string | null {
    const first = tokens[0];
    if (!first || !HEADER_KEYWORDS.has(first.type) || tokens.some((token) => token.type === ':')) return null;
    return `expected \`:\` after the \`${first.type}\` header`;
  },
};

/** The query pattern for bodies (capture `block`), run as part of the checker's one query. */
export const BLOCK_PATTERN = '(block) @block';

/** Error regions, missing tokens and bodiless compound statements (`blocks`: the matches of BLOCK_PATTERN), in tree order. */
export function pythonSyntaxFindings(root: Node, blocks: readonly QueryMatch[]): CodeFinding[] {
  const findings = syntaxFindings(root, PYTHON_DIALECT);
  for (const match of blocks) {
    const block = match.captures[0]?.node;
    if (!block || hasStatement(block)) continue;
    const header = block.parent;
    // Inside an error region, or its body went into one (`def f():` then a broken `if`): already reported.
    if (insideError(block) || header?.children.some((child) => child?.isError)) continue;
    const headerLine = header ? header.text.split('\n', 1)[0] ?? '' : '';
    findings.push(syntaxFinding(rangeOf(block), `expected an indented block after ${quoteCode(headerLine)}`));
  }
  return findings;
}

/** Whether a block holds a statement (comments are not statements), looking no further than needed. */
function hasStatement(block: Node): boolean {
  for (let child = block.firstNamedChild; child; child = child.nextNamedSibling) if (child.type !== 'comment') return true;
  return false;
}

/** Already covered by the error region's finding. */
function insideError(node: Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.isError) return true;
  return false;
}
