import type { Rule } from 'eslint';
import type { SecurityRule } from './findings';
import { unsafeRegexRule } from './unsafeRegex';

/**
 * The security rules run on JavaScript and TypeScript blocks, and how severe a hit is. ESLint's own
 * severities are not used (every rule is configured `error`); this table decides. The aim is no
 * finding at all on ordinary clean code, so rules that fire on everyday code are left out (below),
 * and rules that are right only sometimes are `info` (never fails), raised to `warning` when the
 * thread was flagged for prompt injection (strict).
 *
 * Left out on purpose:
 * - `security/detect-object-injection`: every `obj[key]` with a variable key.
 * - `security/detect-non-literal-fs-filename`: every file read from a path held in a variable, which
 *   is nearly every file read.
 * - `security/detect-possible-timing-attacks`: every `if (token === undefined)`.
 * - `security/detect-eval-with-expression`: the same calls as `no-eval`, which reports literal
 *   arguments too (one finding per call, not two).
 * - `security/detect-unsafe-regex`: its safe-regex counts `?` as a repetition, so every optional
 *   group with a `+` inside (a semver pattern) is "unsafe"; `threadwise/unsafe-regex` replaces it.
 */
export const JAVASCRIPT_SECURITY_RULES: readonly SecurityRule[] = [
  // ESLint core rules.
  { id: 'no-eval', severity: 'error', strictSeverity: 'error', reason: 'eval runs a string as code' },
  { id: 'no-implied-eval', severity: 'error', strictSeverity: 'error', reason: 'setTimeout/setInterval/execScript with a string are eval' },
  { id: 'no-new-func', severity: 'error', strictSeverity: 'error', reason: 'the Function constructor is eval' },
  { id: 'no-script-url', severity: 'warning', strictSeverity: 'warning', reason: 'a javascript: URL runs code where a link is expected (XSS)' },
  // eslint-plugin-security.
  { id: 'security/detect-child-process', severity: 'error', strictSeverity: 'error', reason: 'exec() of a built command string is command injection' },
  { id: 'security/detect-non-literal-require', severity: 'warning', strictSeverity: 'warning', reason: 'require() of a computed name loads code chosen by data' },
  { id: 'security/detect-non-literal-regexp', severity: 'info', strictSeverity: 'warning', reason: 'a RegExp built from data is a ReDoS risk only when the data is untrusted and unescaped' },
  { id: 'security/detect-buffer-noassert', severity: 'warning', strictSeverity: 'warning', reason: 'noAssert skips the bounds check' },
  { id: 'security/detect-new-buffer', severity: 'warning', strictSeverity: 'warning', reason: 'new Buffer(n) hands out uninitialised memory (deprecated)' },
  { id: 'security/detect-pseudoRandomBytes', severity: 'warning', strictSeverity: 'warning', reason: 'pseudoRandomBytes is not cryptographically strong' },
  { id: 'security/detect-no-csrf-before-method-override', severity: 'warning', strictSeverity: 'warning', reason: 'methodOverride before csrf lets a request skip the CSRF check' },
  { id: 'security/detect-disable-mustache-escape', severity: 'warning', strictSeverity: 'warning', reason: 'turning off template escaping is XSS' },
  { id: 'security/detect-bidi-characters', severity: 'error', strictSeverity: 'error', reason: 'bidirectional control characters make code read differently than it runs (Trojan Source)' },
  { id: 'security/detect-invisible-characters', severity: 'error', strictSeverity: 'error', reason: 'invisible characters hide identifiers from a reviewer' },
  // Threadwise's own rules (below, and unsafeRegex.ts).
  { id: 'threadwise/insecure-tls', severity: 'error', strictSeverity: 'error', reason: 'turning off certificate checks lets anyone on the path read and change the traffic' },
  { id: 'threadwise/exec-sync-non-literal', severity: 'error', strictSeverity: 'error', reason: 'execSync() of a built command string is command injection' },
  { id: 'threadwise/spawn-shell', severity: 'warning', strictSeverity: 'warning', reason: 'shell: true parses the arguments as a shell command line' },
  { id: 'threadwise/unsafe-html', severity: 'warning', strictSeverity: 'warning', reason: 'markup built from data and written into the page is XSS' },
  { id: 'threadwise/unsafe-regex', severity: 'warning', strictSeverity: 'warning', reason: 'nested unbounded quantifiers backtrack exponentially (ReDoS)' },
  { id: 'threadwise/weak-hash', severity: 'info', strictSeverity: 'warning', reason: 'MD5/SHA-1 are broken for security, yet fine for cache keys and checksums' },
];

/** One AST pattern (an ESLint selector) and what a hit means. */
interface SelectorCheck {
  selector: string;
  message: string;
}

/** Not a string or template literal without substitutions (text the code's author wrote, not data it received). */
const STATIC = (path: string): string => `:not([${path}.type='Literal']):not([${path}.type='TemplateLiteral'][${path}.expressions.length=0])`;
// `name` below is an esquery value: a quoted string (`'shell'`) or a regular expression (`/^x$/`).
/** A property `name: …` or `'name': …`. */
const PROPERTY_NAMED = (name: string): string => `:matches([key.name=${name}], [key.value=${name}])`;
/** An assignment to `x.name` or `x['name']`. */
const ASSIGNED_TO = (name: string): string => `:matches([left.property.name=${name}], [left.property.value=${name}])`;
/** A call of `name(…)` or `x.name(…)`. */
const CALL_OF = (name: string): string => `:matches([callee.name=${name}], [callee.property.name=${name}])`;

/** The `threadwise/*` rules: ESLint selectors, each reported with its message. */
const SELECTOR_RULES: Readonly<Record<string, readonly SelectorCheck[]>> = {
  'insecure-tls': [
    { selector: `Property${PROPERTY_NAMED("'rejectUnauthorized'")}[value.value=false]`, message: 'rejectUnauthorized: false turns off TLS certificate verification' },
    { selector: `AssignmentExpression${ASSIGNED_TO("'rejectUnauthorized'")}[right.value=false]`, message: 'rejectUnauthorized = false turns off TLS certificate verification' },
    { selector: `Property${PROPERTY_NAMED("'strictSSL'")}[value.value=false]`, message: 'strictSSL: false turns off TLS certificate verification' },
    { selector: `AssignmentExpression${ASSIGNED_TO("'NODE_TLS_REJECT_UNAUTHORIZED'")}[right.value='0']`, message: 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate verification for the whole process' },
    { selector: `Property${PROPERTY_NAMED("'NODE_TLS_REJECT_UNAUTHORIZED'")}[value.value='0']`, message: 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate verification for the whole process' },
  ],
  'exec-sync-non-literal': [
    { selector: `CallExpression${CALL_OF("'execSync'")}[arguments.length>0]${STATIC('arguments.0')}`, message: 'execSync() runs a command line built from data in a shell (command injection); use execFileSync with an argument array' },
  ],
  'spawn-shell': [
    { selector: `CallExpression${CALL_OF('/^(?:spawn|spawnSync|execFile|execFileSync)$/')} > ObjectExpression > Property${PROPERTY_NAMED("'shell'")}[value.value=true]`, message: 'shell: true runs the command through a shell, which parses its arguments' },
  ],
  'unsafe-html': [
    { selector: `AssignmentExpression${ASSIGNED_TO('/^(?:inner|outer)HTML$/')}${STATIC('right')}`, message: 'assigning markup built from data to innerHTML/outerHTML is XSS; use textContent or build elements' },
    { selector: `CallExpression[callee.property.name='insertAdjacentHTML']${STATIC('arguments.1')}`, message: 'insertAdjacentHTML with markup built from data is XSS' },
    { selector: `CallExpression[callee.property.name=/^write(?:ln)?$/]:matches([callee.object.name='document'], [callee.object.property.name='document'])`, message: 'document.write() writes markup into the page (XSS, and it blocks parsing)' },
    { selector: `JSXAttribute[name.name='dangerouslySetInnerHTML']`, message: 'dangerouslySetInnerHTML renders markup unescaped (XSS unless sanitised)' },
  ],
  'weak-hash': [
    { selector: `CallExpression${CALL_OF("'createHash'")}[arguments.0.value=/^(?:md5|sha1)$/i]`, message: 'MD5 and SHA-1 are broken: do not use them for passwords, signatures or tokens' },
  ],
};

/** The `threadwise` ESLint plugin: the rules built from SELECTOR_RULES, and `unsafe-regex`. */
export function threadwisePlugin(): { rules: Record<string, Rule.RuleModule> } {
  const rules: Record<string, Rule.RuleModule> = { 'unsafe-regex': unsafeRegexRule };
  for (const [name, checks] of Object.entries(SELECTOR_RULES)) {
    rules[name] = {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const listener: Record<string, (node: Rule.Node) => void> = {};
        for (const check of checks) listener[check.selector] = (node) => context.report({ node, message: check.message });
        return listener;
      },
    };
  }
  return { rules };
}

/**
 * Globals the rules look up by scope: `no-implied-eval` recognises `setTimeout("…")` only when
 * `setTimeout` is a known global. Code in a reply runs in Node or a browser, so both kinds are known.
 */
export const CHECKED_GLOBALS: Readonly<Record<string, 'readonly'>> = Object.fromEntries(
  ['setTimeout', 'setInterval', 'setImmediate', 'execScript', 'window', 'global', 'self', 'document'].map((name) => [name, 'readonly']),
);
