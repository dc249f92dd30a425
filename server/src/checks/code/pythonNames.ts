import type { Node, QueryMatch } from 'web-tree-sitter';
import { captured } from './treeSitter';

/**
 * Reading names, calls and string literals in a tree-sitter-python tree for the security rules.
 *
 * Names resolve through the block's imports, cheaply and without scopes: `import subprocess as sp`
 * makes `sp.run` read `subprocess.run`, `from os import system` makes `system` read `os.system`,
 * `import os.path` binds `os`. A name no import binds reads as itself, so snippets that leave their
 * imports out (`subprocess.run(...)` alone) still resolve. After `from m import *`, a bare name `n`
 * reads `m.n` when the caller knows `m.n` (`isKnown`). Local rebinding (`sp = other`) is not
 * tracked.
 */

export interface ImportBindings {
  /** Local name → qualified name. */
  readonly names: ReadonlyMap<string, string>;
  /** Modules imported with `*`. */
  readonly wildcards: readonly string[];
}

/** Query patterns for the imports (captures `import.*`), run as part of the checker's one query. */
export const IMPORT_PATTERNS = `
(import_statement name: (dotted_name) @import.module)
(import_statement name: (aliased_import name: (dotted_name) @import.module alias: (identifier) @import.alias))
(import_from_statement module_name: (dotted_name) @import.from name: (dotted_name) @import.name)
(import_from_statement module_name: (dotted_name) @import.from name: (aliased_import name: (dotted_name) @import.name alias: (identifier) @import.alias))
(import_from_statement module_name: (dotted_name) @import.from (wildcard_import) @import.wildcard)
`;

/** The bindings of the matches of IMPORT_PATTERNS. */
export function collectImports(matches: readonly QueryMatch[]): ImportBindings {
  const names = new Map<string, string>();
  const wildcards: string[] = [];
  for (const match of matches) {
    const get = (capture: string): string | undefined => captured(match, capture)?.text.replace(/\s+/g, '');
    const module = get('import.module');
    const from = get('import.from');
    const name = get('import.name');
    const alias = get('import.alias');
    if (module !== undefined) {
      const root = module.split('.')[0] ?? module;
      if (alias !== undefined) names.set(alias, module);
      else names.set(root, root);
    } else if (from !== undefined && name !== undefined) {
      names.set(alias ?? name, `${from}.${name}`);
    } else if (from !== undefined) {
      wildcards.push(from);
    }
  }
  return { names, wildcards };
}

/** `a.b.c` with its root resolved through the imports, or null for anything but names and attributes (`f().x`). */
export function qualifiedName(node: Node, bindings: ImportBindings, isKnown: (name: string) => boolean): string | null {
  if (node.type === 'identifier') {
    const bound = bindings.names.get(node.text);
    if (bound !== undefined) return bound;
    for (const module of bindings.wildcards) if (isKnown(`${module}.${node.text}`)) return `${module}.${node.text}`;
    return node.text;
  }
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (!object || !attribute) return null;
    const base = qualifiedName(object, bindings, isKnown);
    return base === null ? null : `${base}.${attribute.text}`;
  }
  return null;
}

/** The last name of a callee: `execute` for `cur.execute`, `eval` for `eval`, whatever is before the last dot. */
export function lastName(node: Node): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}

export interface CallArguments {
  positional: Node[];
  keywords: Map<string, Node>;
}

export function callArguments(argumentList: Node): CallArguments {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const child of argumentList.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else if (child.type !== 'list_splat' && child.type !== 'dictionary_splat') {
      positional.push(child);
    }
  }
  return { positional, keywords };
}

/** The argument at `index` or named `name`. */
export function argument(args: CallArguments, index: number, ...names: string[]): Node | undefined {
  for (const name of names) {
    const value = args.keywords.get(name);
    if (value) return value;
  }
  return args.positional[index];
}

/** Whether a string node holds `{…}` interpolations (an f-string with fields). */
export function hasInterpolation(node: Node): boolean {
  if (node.type === 'concatenated_string') return node.namedChildren.some((part) => part !== null && hasInterpolation(part));
  return node.type === 'string' && node.namedChildren.some((part) => part?.type === 'interpolation');
}

/**
 * The literal text of a string or implicitly concatenated strings, escapes left as written;
 * interpolations contribute nothing. Null for anything that is not a string.
 */
export function literalText(node: Node): string | null {
  if (node.type === 'concatenated_string') {
    return node.namedChildren.map((part) => (part ? literalText(part) ?? '' : '')).join('');
  }
  if (node.type !== 'string') return null;
  let text = '';
  for (const part of node.namedChildren) if (part?.type === 'string_content') text += part.text;
  return text;
}

/** A plain string literal's text (no interpolation), else null. */
export function constantString(node: Node): string | null {
  return hasInterpolation(node) ? null : literalText(node);
}

/** `(x)` → `x`, as many times as written. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = current.namedChildren.find((child) => child !== null && child.type !== 'comment');
    if (!inner) break;
    current = inner;
  }
  return current;
}
