import type { Node, QueryMatch } from 'web-tree-sitter';
import type { CodeFinding } from '../../protocol';
import { type SecurityRule, quoteCode, securityFinding } from './findings';
import {
  type CallArguments,
  type ImportBindings,
  argument,
  callArguments,
  collectImports,
  constantString,
  lastName,
  qualifiedName,
  unparenthesize,
} from './pythonNames';
import { PYTHON_RULES as R } from './pythonRules';
import { LazyAssignments, formattedString, prepareAssignments } from './pythonStrings';
import { type LoadedGrammar, captured } from './treeSitter';

/**
 * Finds the Python security rules of `pythonRules.ts` in a tree-sitter-python tree: query patterns
 * pick the candidate nodes (calls, string assignments and keywords, `'0.0.0.0'` literals, TLS
 * attributes), small predicates here decide. Findings are in query order; the checker sorts them.
 */

/**
 * The query patterns of the rules, run with the imports and the syntax check's pattern as the
 * checker's one query (one walk of the tree). Captures are prefixed by what they feed: `call`,
 * `secret` (places where a name meets a string literal: the name says whether it is a secret),
 * `tls` (TLS checks turned off through attributes), `exec` (Python 2's `exec code` statement).
 */
export const SECURITY_PATTERNS = `
(call function: [(identifier) (attribute)] @call.callee arguments: (argument_list) @call.args) @call
(assignment left: (identifier) @secret.name right: (string) @secret.value) @secret.site
(assignment left: (attribute attribute: (identifier) @secret.name) right: (string) @secret.value) @secret.site
(assignment left: (subscript subscript: (string) @secret.name) right: (string) @secret.value) @secret.site
(keyword_argument name: (identifier) @secret.name value: (string) @secret.value) @secret.site
(default_parameter name: (identifier) @secret.name value: (string) @secret.value) @secret.site
(typed_default_parameter name: (identifier) @secret.name value: (string) @secret.value) @secret.site
(comparison_operator (identifier) @secret.name (string) @secret.value) @secret.site
(comparison_operator (string) @secret.value (identifier) @secret.name) @secret.site
(comparison_operator (attribute attribute: (identifier) @secret.name) (string) @secret.value) @secret.site
(pair key: (string) @secret.name value: (string) @secret.value) @secret.site
((assignment left: (attribute attribute: (identifier) @tls.attribute) right: (false)) @tls.site
  (#any-of? @tls.attribute "verify" "check_hostname"))
((assignment left: (attribute attribute: (identifier) @tls.attribute) right: (attribute attribute: (identifier) @tls.value)) @tls.site
  (#eq? @tls.attribute "verify_mode") (#eq? @tls.value "CERT_NONE"))
(exec_statement) @exec
`;

/** Run on its own, and only when the text holds it: every string literal would otherwise be marshalled to JavaScript for the text test. */
const ALL_INTERFACES = '0.0.0.0';
const ALL_INTERFACES_QUERY = `((string (string_content) @content) @string (#eq? @content "${ALL_INTERFACES}"))`;

interface CallSite {
  call: Node;
  /** The callee as written, for messages. */
  written: string;
  args: CallArguments;
  /** The method or function name: `execute` in `cur.execute`. */
  method: string | null;
  /** The resolved dotted name, null for `f().g`. */
  name: string | null;
}

interface Hit {
  rule: SecurityRule;
  message: string;
}

type CallRule = (site: CallSite) => Hit | null;

const CALL_RULES = new Map<string, CallRule>();
function on(names: string[], rule: CallRule): void {
  for (const name of names) CALL_RULES.set(name, rule);
}
const isKnownCall = (name: string): boolean => CALL_RULES.has(name);
/** The callee as written, with the name it resolves to when an import renamed it: `` `sp.run()` (`subprocess.run`) ``. */
const called = (site: CallSite): string =>
  site.name !== null && site.name !== site.written ? `${quoteCode(`${site.written}()`)} (\`${site.name}\`)` : quoteCode(`${site.written}()`);

on(['exec', 'builtins.exec'], (site) => ({
  rule: R.exec,
  message: `${called(site)} runs a string as Python code: whoever controls the string controls the process; call the code directly`,
}));
on(['eval', 'builtins.eval'], (site) => ({
  rule: R.eval,
  message: `${called(site)} runs a string as Python code; use \`ast.literal_eval\` for literals or parse the input explicitly`,
}));

const PICKLE_MODULES = ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'];
on(
  [...PICKLE_MODULES.flatMap((module) => ['load', 'loads', 'Unpickler'].map((fn) => `${module}.${fn}`)), 'joblib.load', 'pandas.read_pickle', 'shelve.open'],
  (site) => ({
    rule: R.pickleLoad,
    message: `${called(site)} unpickles, and unpickling runs code chosen by whoever wrote the data: never load untrusted input; use JSON or another data-only format`,
  }),
);
on(['numpy.load'], (site) =>
  isTruthyLiteral(site.args.keywords.get('allow_pickle'))
    ? { rule: R.pickleLoad, message: `${called(site)} with \`allow_pickle=True\` unpickles object arrays, which runs code from the file: keep the default \`allow_pickle=False\` for untrusted files` }
    : null,
);
on(['marshal.load', 'marshal.loads'], (site) => ({
  rule: R.marshalLoad,
  message: `${called(site)} is not safe against malformed or crafted data; use JSON for data from outside`,
}));

/** Loaders that do not build arbitrary Python objects (FullLoader: since PyYAML 5.4). */
const SAFE_YAML_LOADER = /(?:SafeLoader|^C?BaseLoader|^C?FullLoader)$/;
on(['yaml.load', 'yaml.load_all'], (site) => {
  const loader = argument(site.args, 1, 'Loader');
  if (!loader) {
    return { rule: R.yamlLoad, message: `${called(site)} without a safe Loader can build arbitrary Python objects; use \`yaml.safe_load\` (or \`Loader=yaml.SafeLoader\`)` };
  }
  const loaderName = loader.type === 'attribute' || loader.type === 'identifier' ? lastName(loader) : null;
  if (loaderName !== null && SAFE_YAML_LOADER.test(loaderName)) return null;
  return { rule: R.yamlLoad, message: `${called(site)} with ${quoteCode(`Loader=${loader.text}`)} can build arbitrary Python objects; use \`yaml.safe_load\` (or \`Loader=yaml.SafeLoader\`)` };
});
on(['yaml.unsafe_load', 'yaml.unsafe_load_all'], (site) => ({
  rule: R.yamlLoad,
  message: `${called(site)} builds arbitrary Python objects from the document; use \`yaml.safe_load\``,
}));

on(['subprocess.call', 'subprocess.run', 'subprocess.Popen', 'subprocess.check_call', 'subprocess.check_output'], (site) =>
  isTruthyLiteral(site.args.keywords.get('shell'))
    ? { rule: R.subprocessShell, message: `${called(site)} with \`shell=True\` runs the command through the shell, where interpolated values can inject commands; pass a list of arguments without \`shell=True\`` }
    : null,
);
on(['subprocess.getoutput', 'subprocess.getstatusoutput', 'asyncio.create_subprocess_shell'], (site) => ({
  rule: R.subprocessShell,
  message: `${called(site)} always runs its command through the shell, where interpolated values can inject commands; use \`subprocess.run([...])\` (or \`asyncio.create_subprocess_exec\`) with a list of arguments`,
}));
on(['os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'commands.getoutput', 'commands.getstatusoutput'], (site) => ({
  rule: R.osSystem,
  message: `${called(site)} runs its command through the shell, where interpolated values can inject commands; use \`subprocess.run([...])\` with a list of arguments`,
}));
on(['tempfile.mktemp', 'os.tempnam', 'os.tmpnam'], (site) => ({
  rule: R.mktemp,
  message: `${called(site)} returns a name that another process can create first (a race); use \`tempfile.mkstemp()\` or \`tempfile.NamedTemporaryFile()\``,
}));

const WEAK_HASHES = new Set(['md5', 'sha1', 'md4', 'md2', 'sha']);
const weakHash = (site: CallSite, algorithm: string): Hit | null =>
  isFalseLiteral(site.args.keywords.get('usedforsecurity'))
    ? null
    : {
        rule: R.weakHash,
        message: `${called(site)} uses ${algorithm.toUpperCase()}, which is broken for security (passwords, signatures, tokens); use SHA-256 (or bcrypt/scrypt/argon2 for passwords), or pass \`usedforsecurity=False\` for a checksum`,
      };
on(['hashlib.md5', 'hashlib.sha1', 'hashlib.md4'], (site) => weakHash(site, site.name?.split('.').pop() ?? 'md5'));
on(['hashlib.new'], (site) => {
  const algorithm = argument(site.args, 0, 'name');
  const text = algorithm ? constantString(algorithm)?.toLowerCase() : undefined;
  return text !== undefined && WEAK_HASHES.has(text) ? weakHash(site, text) : null;
});
on(['ssl._create_unverified_context'], (site) => ({
  rule: R.verifyFalse,
  message: `${called(site)} makes a TLS context that accepts any certificate: anyone on the network path can read and change the traffic; use \`ssl.create_default_context()\``,
}));

/** Calls that take `verify=` for TLS (requests, httpx and their sessions and clients). */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'send', 'Client', 'AsyncClient', 'Session']);
const HTTP_MODULES = new Set(['requests', 'httpx']);

/** Methods that run SQL given as their first argument. */
const SQL_SINKS = new Set(['execute', 'executemany', 'executescript', 'exec_driver_sql', 'read_sql', 'read_sql_query', 'raw']);
const SQL_KEYWORDS =
  /\b(?:select\b[\s\S]*\bfrom|insert\s+(?:or\s+\w+\s+)?into|update\b[\s\S]*\bset|delete\s+from|(?:drop|alter|create|truncate)\s+table|where)\b/i;

/** Names of hosts and listen addresses (keywords, variables, dict keys, argparse options). */
const HOST_NAME = /host|bind|listen|addr|interface|^ip$/i;
/** Calls whose arguments are a listen address. */
const LISTEN_CALLS = new Set([
  'bind', 'listen', 'run', 'serve', 'run_simple', 'run_app', 'make_server', 'create_server', 'start_server',
  'HTTPServer', 'ThreadingHTTPServer', 'TCPServer', 'ThreadingTCPServer', 'UDPServer', 'WSGIServer',
]);

/** Compiles the queries the detector runs on its own (call once at load; the checker compiles SECURITY_PATTERNS). */
export function preparePythonSecurity(grammar: LoadedGrammar): void {
  grammar.query(ALL_INTERFACES_QUERY);
  prepareAssignments(grammar);
}

/** The security findings, given the checker's query matches grouped by capture prefix (`groupMatches`). */
export function pythonSecurityFindings(grammar: LoadedGrammar, root: Node, groups: ReadonlyMap<string, QueryMatch[]>, strict: boolean): CodeFinding[] {
  const findings: CodeFinding[] = [];
  const report = (hit: Hit | null, where: Node): void => {
    if (hit) findings.push(securityFinding(hit.rule, where, hit.message, strict));
  };
  const bindings = collectImports(groups.get('import') ?? []);
  const assignments = new LazyAssignments(grammar, root);

  for (const match of groups.get('call') ?? []) {
    const call = captured(match, 'call');
    const callee = captured(match, 'call.callee');
    const args = captured(match, 'call.args');
    if (!call || !callee || !args) continue;
    const site = callSite(call, callee, args, bindings);
    const rule = site.name === null ? undefined : CALL_RULES.get(site.name);
    if (rule) report(rule(site), call);
    report(verifyFalse(site), call);
    report(sqlFormatting(site, assignments), call);
  }
  for (const match of groups.get('exec') ?? []) {
    const statement = captured(match, 'exec');
    if (statement) report({ rule: R.exec, message: '`exec` runs a string as Python code: whoever controls the string controls the process; call the code directly' }, statement);
  }
  for (const match of groups.get('tls') ?? []) {
    const site = captured(match, 'tls.site');
    if (site) report({ rule: R.verifyFalse, message: `${quoteCode(site.text)} turns off TLS certificate checking: anyone on the network path can read and change the traffic` }, site);
  }
  for (const match of groups.get('secret') ?? []) {
    const name = captured(match, 'secret.name');
    const value = captured(match, 'secret.value');
    const site = captured(match, 'secret.site');
    if (name && value && site) report(hardcodedSecret(name, value, site), site);
  }
  if (root.text.includes(ALL_INTERFACES)) {
    for (const match of grammar.query(ALL_INTERFACES_QUERY).matches(root)) {
      const string = captured(match, 'string');
      if (string && isListenAddress(string)) {
        report({ rule: R.bindAllInterfaces, message: "`'0.0.0.0'` listens on every network interface; bind to `127.0.0.1` unless other machines must reach the service" }, string);
      }
    }
  }
  return findings;
}

function callSite(call: Node, callee: Node, args: Node, bindings: ImportBindings): CallSite {
  return {
    call,
    written: callee.text.replace(/\s+/g, ''),
    args: callArguments(args),
    method: lastName(callee),
    name: qualifiedName(callee, bindings, isKnownCall),
  };
}

function verifyFalse(site: CallSite): Hit | null {
  if (!isFalseLiteral(site.args.keywords.get('verify'))) return null;
  const module = site.name?.split('.')[0];
  if (!(module !== undefined && HTTP_MODULES.has(module)) && !(site.method !== null && HTTP_METHODS.has(site.method))) return null;
  return {
    rule: R.verifyFalse,
    message: `${called(site)} with \`verify=False\` turns off TLS certificate checking: anyone on the network path can read and change the traffic; remove it, or pass the path of a CA bundle`,
  };
}

function sqlFormatting(site: CallSite, assignments: LazyAssignments): Hit | null {
  if (site.method === null || !SQL_SINKS.has(site.method)) return null;
  let query = argument(site.args, 0, 'sql', 'query', 'statement', 'operation', 'stmt');
  if (!query) return null;
  query = unparenthesize(query);
  if (query.type === 'call' && lastName(query.childForFieldName('function') ?? query) === 'text') {
    const inner = query.childForFieldName('arguments');
    query = inner ? callArguments(inner).positional[0] : undefined;
    if (!query) return null;
  }
  const fix = 'use placeholders (`%s`, `?`, `:name`) and pass the values as parameters';
  if (query.type === 'identifier') {
    const built = assignments.builtBefore(query.text, site.call.startIndex);
    if (!built || !SQL_KEYWORDS.test(built.text)) return null;
    return { rule: R.sqlFormatting, message: `${quoteCode(query.text)} (built with ${built.how} on line ${built.line}) is passed to ${called(site)}: values in it can inject SQL; ${fix}` };
  }
  const built = formattedString(query);
  if (!built || !SQL_KEYWORDS.test(built.text)) return null;
  return { rule: R.sqlFormatting, message: `SQL built with ${built.how} is passed to ${called(site)}: values in it can inject SQL; ${fix}` };
}

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'authorization', 'apikey', 'secretkey', 'privatekey', 'accesskey', 'authtoken', 'accesstoken', 'apitoken']);
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'auth', 'signing', 'encryption', 'master']);
/** Values that stand for a secret rather than being one. */
const PLACEHOLDER = /^(?:<[^<>]*>|\$\{?[A-Za-z_]\w*\}?|\{\{.*\}\}|\{[\w.]*\}|%(?:\(\w+\))?s|(.)\1*|\.\.\.|your[\s_-].*|.*[\s_-]here|changeme)$/i;

const SECRET_VERBS: Record<string, string> = {
  keyword_argument: 'is passed',
  default_parameter: 'defaults to',
  typed_default_parameter: 'defaults to',
  comparison_operator: 'is compared with',
};

function hardcodedSecret(nameNode: Node, value: Node, site: Node): Hit | null {
  const name = nameNode.type === 'string' ? constantString(nameNode) : nameNode.text;
  if (name === null || !isSecretName(name)) return null;
  const text = constantString(value);
  if (text === null || text === '' || PLACEHOLDER.test(text)) return null;
  return {
    rule: R.hardcodedPassword,
    message: `${quoteCode(name)} ${SECRET_VERBS[site.type] ?? 'is set to'} a hard-coded string: a credential in code leaks with the code; read it from the environment or a secrets store`,
  };
}

/** Whether the last word of a name (snake_case, camelCase, kebab-case, dotted) names a credential. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
  const last = words[words.length - 1]?.replace(/\d+$/, '');
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const before = words[words.length - 2];
  return last === 'key' && before !== undefined && KEY_QUALIFIERS.has(before);
}

function isListenAddress(string: Node): boolean {
  const parent = string.parent;
  if (!parent) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('value')?.id === string.id) {
    const keyword = parent.childForFieldName('name')?.text ?? '';
    if (HOST_NAME.test(keyword)) return true;
    // argparse: add_argument("--host", default="0.0.0.0")
    const call = parent.parent?.parent;
    const option = call?.type === 'call' ? call.childForFieldName('arguments')?.namedChildren[0] : undefined;
    return keyword === 'default' && option !== undefined && option !== null && HOST_NAME.test(constantString(option) ?? '');
  }
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === string.id) {
    const left = parent.childForFieldName('left');
    return left !== null && HOST_NAME.test(lastName(left) ?? '');
  }
  if (parent.type === 'pair' && parent.childForFieldName('value')?.id === string.id) {
    const key = parent.childForFieldName('key');
    return key !== null && HOST_NAME.test(constantString(key) ?? '');
  }
  let container: Node | null = parent;
  while (container && (container.type === 'tuple' || container.type === 'list' || container.type === 'parenthesized_expression')) container = container.parent;
  if (container?.type !== 'argument_list') return false;
  const fn = container.parent?.childForFieldName('function');
  const method = fn ? lastName(fn) : null;
  return method !== null && LISTEN_CALLS.has(method);
}

function isTruthyLiteral(node: Node | undefined): boolean {
  if (!node) return false;
  return node.type === 'true' || (node.type === 'integer' && !/^0+$/.test(node.text.replace(/_/g, '')));
}

function isFalseLiteral(node: Node | undefined): boolean {
  return node?.type === 'false';
}
