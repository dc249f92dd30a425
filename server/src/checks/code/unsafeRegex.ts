import type { Rule } from 'eslint';

/**
 * `threadwise/unsafe-regex`: a regular expression with a repeated group that itself repeats without
 * bound, `(a+)+`, `(\w+\s?)*`, `((ab)*c)+`: on a near-miss input the engine tries exponentially
 * many ways to split it (ReDoS). Used instead of `security/detect-unsafe-regex`, whose safe-regex
 * counts `?` as a repetition and so flags every optional group with a `+` inside (a semver or a
 * Conventional Commits pattern). Checked: regex literals and `RegExp("…")`/`new RegExp("…")` with
 * a string literal. Alternation inside a repeated group (`(a|a)*`) is not recognised.
 */
export const unsafeRegexRule: Rule.RuleModule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const report = (node: Rule.Node): void =>
      context.report({ node, message: 'nested unbounded quantifiers, as in `(a+)+`, can take exponential time on some inputs (ReDoS)' });
    const checkConstructor = (node: Rule.Node): void => {
      if (node.type !== 'NewExpression' && node.type !== 'CallExpression') return;
      const first = node.arguments[0];
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'RegExp' || first?.type !== 'Literal') return;
      if (typeof first.value === 'string' && hasNestedQuantifier(first.value)) report(node);
    };
    return {
      Literal(node) {
        if ('regex' in node && node.regex !== undefined && hasNestedQuantifier(node.regex.pattern)) report(node);
      },
      NewExpression: checkConstructor,
      CallExpression: checkConstructor,
    };
  },
};

/** Whether a group that contains an unbounded quantifier (`*`, `+`, `{n,}`) is itself quantified without bound. */
export function hasNestedQuantifier(pattern: string): boolean {
  // For each open group: whether something inside it repeats without bound.
  const groups: boolean[] = [false];
  // Whether the atom just read (a group) contains an unbounded repetition; null after a quantifier.
  let atom: boolean | null = null;
  let at = 0;
  while (at < pattern.length) {
    const char = pattern[at]!;
    const quantifier = quantifierAt(pattern, at);
    if (quantifier !== null) {
      if (atom !== null) {
        if (quantifier.unbounded && atom) return true;
        groups[groups.length - 1] ||= atom || quantifier.unbounded;
      }
      atom = null;
      at += quantifier.length;
      continue;
    }
    if (atom !== null) groups[groups.length - 1] ||= atom;
    if (char === '\\') {
      atom = false;
      at += 2;
    } else if (char === '[') {
      atom = false;
      at = classEnd(pattern, at);
    } else if (char === '(') {
      groups.push(false);
      atom = null;
      at += groupPrefixLength(pattern, at);
    } else if (char === ')') {
      atom = groups.length > 1 ? groups.pop()! : false;
      at++;
    } else {
      atom = char === '|' || char === '^' || char === '$' ? null : false;
      at++;
    }
  }
  return false;
}

/** The quantifier at `at` (with a lazy `?` after it), or null. */
function quantifierAt(pattern: string, at: number): { unbounded: boolean; length: number } | null {
  const match = /^(?:[*+?]|\{\d+(,\d*)?\})\??/.exec(pattern.slice(at, at + 24));
  if (match === null) return null;
  const head = match[0][0];
  return { unbounded: head === '*' || head === '+' || (match[1] !== undefined && match[1] === ','), length: match[0].length };
}

/** The index after the character class opening at `at`. */
function classEnd(pattern: string, at: number): number {
  let index = at + 1;
  while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`: the length of the group's opening. */
function groupPrefixLength(pattern: string, at: number): number {
  const prefix = /^\((?:\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>))?/.exec(pattern.slice(at, at + 64));
  return prefix === null ? 1 : prefix[0].length;
}
