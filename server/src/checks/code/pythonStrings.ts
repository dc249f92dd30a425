import type { Node } from 'web-tree-sitter';
import { constantString, hasInterpolation, lastName, literalText, unparenthesize } from './pythonNames';
import { type LoadedGrammar, captured } from './treeSitter';

/**
 * How a Python string was built, for the SQL rule: a string built from values at run time (an
 * f-string with fields, `%` formatting, `.format(...)`, `+` with a non-literal) and its literal
 * text, directly or through the variable it was assigned to earlier in the block.
 */

/** Variables assigned in the block, for a query string passed to `execute` by name. */
const ASSIGNMENTS_QUERY = `
(assignment left: (identifier) @name right: (_) @value) @site
(augmented_assignment left: (identifier) @name right: (_) @value) @site
`;

/** Compiles the assignments query (call once at load). */
export function prepareAssignments(grammar: LoadedGrammar): void {
  grammar.query(ASSIGNMENTS_QUERY);
}

export interface Formatted {
  /** How it was built, for the message: `an f-string`, `` `%` formatting ``, … */
  how: string;
  /** Its literal text (for the SQL test). */
  text: string;
}

/** A string built from values at run time (f-string with fields, `%`, `.format`, `+` with a non-literal), else null. */
export function formattedString(expression: Node): Formatted | null {
  const node = unparenthesize(expression);
  if (node.type === 'string' || node.type === 'concatenated_string') {
    return hasInterpolation(node) ? { how: 'an f-string', text: literalText(node) ?? '' } : null;
  }
  if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.type;
    const left = node.childForFieldName('left');
    if (operator === '%' && left) {
      const text = literalText(unparenthesize(left));
      return text === null ? null : { how: '`%` formatting', text };
    }
    if (operator === '+') {
      const parts = plusOperands(node);
      const texts = parts.map((part) => literalText(part));
      const dynamic = parts.some((part, i) => texts[i] === null || hasInterpolation(part));
      const text = texts.filter((t): t is string => t !== null).join('');
      return dynamic && texts.some((t) => t !== null) ? { how: '`+` concatenation', text } : null;
    }
    return null;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (fn && object && lastName(fn) === 'format') {
      const text = literalText(unparenthesize(object));
      if (text !== null) return { how: '`.format()`', text };
    }
  }
  return null;
}

function plusOperands(node: Node): Node[] {
  const current = unparenthesize(node);
  if (current.type === 'binary_operator' && current.childForFieldName('operator')?.type === '+') {
    const left = current.childForFieldName('left');
    const right = current.childForFieldName('right');
    return [...(left ? plusOperands(left) : []), ...(right ? plusOperands(right) : [])];
  }
  return [current];
}

/**
 * The block's variable assignments, read on first need: for `execute(query)`, the last plain
 * assignment of `query` before the call and the `+=` after it say how the string was built.
 */
export class LazyAssignments {
  private byName: Map<string, { value: Node; site: Node; augmented: boolean }[]> | undefined;

  constructor(
    private readonly grammar: LoadedGrammar,
    private readonly root: Node,
  ) {}

  builtBefore(name: string, before: number): (Formatted & { line: number }) | null {
    const entries = (this.read().get(name) ?? []).filter((entry) => entry.site.endIndex <= before);
    let base = -1;
    entries.forEach((entry, i) => {
      if (!entry.augmented) base = i;
    });
    if (base < 0) return null;
    let text = '';
    let dynamic: (Formatted & { line: number }) | null = null;
    for (const entry of entries.slice(base)) {
      const built = formattedString(entry.value);
      text += built?.text ?? constantString(unparenthesize(entry.value)) ?? '';
      if (built && !dynamic) dynamic = { ...built, line: entry.site.startPosition.row + 1 };
    }
    return dynamic ? { ...dynamic, text } : null;
  }

  private read(): Map<string, { value: Node; site: Node; augmented: boolean }[]> {
    if (!this.byName) {
      this.byName = new Map();
      for (const match of this.grammar.query(ASSIGNMENTS_QUERY).matches(this.root)) {
        const name = captured(match, 'name');
        const value = captured(match, 'value');
        const site = captured(match, 'site');
        if (!name || !value || !site) continue;
        const list = this.byName.get(name.text) ?? [];
        list.push({ value, site, augmented: site.type === 'augmented_assignment' });
        this.byName.set(name.text, list);
      }
      for (const list of this.byName.values()) list.sort((a, b) => a.site.startIndex - b.site.startIndex);
    }
    return this.byName;
  }
}
