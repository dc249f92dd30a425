import type { Node } from 'web-tree-sitter';
import type { CodeFinding } from '../../protocol';
import { type FindingRange, quoteCode, rangeOf } from './findings';

/**
 * Syntax findings from a tree-sitter tree: one per error region. Tree-sitter recovers from errors
 * by wrapping the tokens it could not fit in an ERROR node or by inserting a zero-width MISSING
 * token; each outermost ERROR node and each MISSING token outside one becomes a finding (ruleId
 * `syntax`, engine `tree-sitter`).
 *
 * An ERROR node does not say which token broke the parse, so the message is a best reading of the
 * tokens it holds, in this order:
 * 1. a closing token with no opener in the region → "unexpected `)`" at it;
 * 2. an opener never closed in the region → the dialect's message ("`(` was never closed",
 *    "`if` without a matching `fi`") at the outermost one;
 * 3. a region of a single token → "unexpected `tok`";
 * 4. the dialect's own reading of the region (Python: a compound-statement header without its `:`);
 * 5. otherwise "invalid syntax near `…`" with the region's first characters.
 * Tokens are the region's direct children, nested ERROR nodes flattened into it; a complete node
 * inside the region (a call, a test command) counts as one token, its own brackets balanced.
 *
 * Only nodes that contain an error (`hasError`) are walked, so a clean tree costs one check.
 */

/** How one language names and pairs its tokens. */
export interface SyntaxDialect {
  /** [opener, closer] token types; a type may open several pairs (`)` closes `(`, `$(`, `<(`) and may be its own closer (`"`). */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  /** The message for an opener left unclosed in an error region. */
  unclosed(opener: Node, closer: string): string;
  /** A language-specific reading of a region that rules 1–3 did not explain, or null. */
  describeRegion?(tokens: Node[]): string | null;
}

/** At most this many syntax findings per block: past that, a block is not code in this language. */
export const MAX_SYNTAX_FINDINGS = 20;

export function syntaxFindings(root: Node, dialect: SyntaxDialect): CodeFinding[] {
  const findings: CodeFinding[] = [];
  const visit = (node: Node): void => {
    if (findings.length >= MAX_SYNTAX_FINDINGS) return;
    if (node.isError) {
      findings.push(describeErrorRegion(node, dialect));
      return;
    }
    if (node.isMissing) {
      findings.push(describeMissing(node, dialect, root));
      return;
    }
    if (!node.hasError) return;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (child) visit(child);
    }
  };
  visit(root);
  return findings;
}

export function syntaxFinding(range: FindingRange, message: string): CodeFinding {
  return { ruleId: 'syntax', kind: 'syntax', severity: 'error', ...range, message, engine: 'tree-sitter' };
}

interface PairMaps {
  closerOpeners: Map<string, Set<string>>;
  openerClosers: Map<string, string>;
}

const pairMapsByDialect = new WeakMap<SyntaxDialect, PairMaps>();

function pairMaps(dialect: SyntaxDialect): PairMaps {
  let maps = pairMapsByDialect.get(dialect);
  if (!maps) {
    maps = { closerOpeners: new Map(), openerClosers: new Map() };
    for (const [opener, closer] of dialect.pairs) {
      maps.openerClosers.set(opener, closer);
      const openers = maps.closerOpeners.get(closer) ?? new Set<string>();
      openers.add(opener);
      maps.closerOpeners.set(closer, openers);
    }
    pairMapsByDialect.set(dialect, maps);
  }
  return maps;
}

/**
 * A missing closer is reported at its opener (`if` without `fi`, `$(` never closed), which is where
 * the reader has to look; the insertion point is often the end of the file. Other missing tokens are
 * reported where they were expected, moved back onto the last line with code when that is past it.
 */
function describeMissing(missing: Node, dialect: SyntaxDialect, root: Node): CodeFinding {
  const { closerOpeners } = pairMaps(dialect);
  const openers = closerOpeners.get(missing.type);
  const parent = missing.parent;
  if (openers && parent) {
    let opener: Node | undefined;
    for (let i = 0; i < parent.childCount; i++) {
      const child = parent.child(i);
      if (!child || child.startIndex > missing.startIndex) break;
      if (openers.has(child.type) && !child.isMissing) opener = child;
    }
    if (opener) return syntaxFinding(rangeOf(opener), dialect.unclosed(opener, missing.type));
  }
  return syntaxFinding(onLastCodeLine(missing, root), `missing ${tokenName(missing)}`);
}

function onLastCodeLine(node: Node, root: Node): FindingRange {
  const range = rangeOf(node);
  const text = root.text;
  const codeEnd = text.trimEnd().length;
  if (node.startIndex <= codeEnd) return range;
  const lines = text.slice(0, codeEnd).split('\n');
  const line = lines.length;
  const column = (lines[lines.length - 1] ?? '').length + 1;
  return { line, column, endLine: line, endColumn: column };
}

function describeErrorRegion(region: Node, dialect: SyntaxDialect): CodeFinding {
  const tokens = regionTokens(region);
  const { closerOpeners, openerClosers } = pairMaps(dialect);
  const open: Node[] = [];
  for (const token of tokens) {
    const top = open[open.length - 1];
    const openers = closerOpeners.get(token.type);
    if (openers && top && openers.has(top.type)) {
      open.pop();
    } else if (openerClosers.has(token.type)) {
      open.push(token);
    } else if (openers) {
      return syntaxFinding(rangeOf(token), `unexpected ${tokenName(token)}`);
    }
  }
  const outermost = open[0];
  if (outermost) return syntaxFinding(rangeOf(outermost), dialect.unclosed(outermost, openerClosers.get(outermost.type) ?? ''));
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only) return syntaxFinding(rangeOf(only), `unexpected ${tokenName(only)}`);
  const reading = dialect.describeRegion?.(tokens);
  return syntaxFinding(rangeOf(region), reading ?? `invalid syntax near ${quoteCode(region.text)}`);
}

function regionTokens(region: Node): Node[] {
  const tokens: Node[] = [];
  for (let i = 0; i < region.childCount; i++) {
    const child = region.child(i);
    if (!child) continue;
    if (child.isError) tokens.push(...regionTokens(child));
    else tokens.push(child);
  }
  return tokens;
}

/** `)` for a punctuation or keyword token, `identifier` for a named node, `` `print` `` for a named leaf with text. */
export function tokenName(node: Node): string {
  if (node.isMissing) return node.isNamed ? node.type.replace(/_/g, ' ') : quoteCode(node.type);
  const text = node.text;
  if (text.trim() === '') return node.type.replace(/_/g, ' ');
  return quoteCode(text);
}
