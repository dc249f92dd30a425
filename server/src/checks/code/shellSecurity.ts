import type { Node } from 'web-tree-sitter';
import type { CodeFinding } from '../../protocol';
import { type SecurityRule, quoteCode, securityFinding } from './findings';
import { type ShellCommand, commandsUnder, literalWord, shellCommand, substitutionsUnder } from './shellCommands';
import { SHELL_RULES as R } from './shellRules';
import { type LoadedGrammar, captured, groupMatches } from './treeSitter';

/**
 * Finds the shell rules of `shellRules.ts` in a tree-sitter-bash tree: queries pick commands,
 * pipelines and variable assignments, predicates here decide. Findings are in query order.
 */

/** Commands, pipelines and variable assignments, in one query (one walk of the tree). */
const SHELL_QUERY = `
(command) @command
(pipeline) @pipeline
(variable_assignment name: (variable_name)) @assignment
`;

const DOWNLOADERS = new Set(['curl', 'wget']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'fish']);
/** Interpreters and the options after which they run a given string or module instead of stdin. */
function interpreterKind(name: string | null): 'shell' | 'python' | 'script' | null {
  if (name === null) return null;
  if (SHELLS.has(name)) return 'shell';
  if (/^python[\d.]*$/.test(name)) return 'python';
  if (name === 'perl' || name === 'ruby' || name === 'node') return 'script';
  return null;
}

interface Hit {
  rule: SecurityRule;
  message: string;
}

export function prepareShellSecurity(grammar: LoadedGrammar): void {
  grammar.query(SHELL_QUERY);
}

export function shellSecurityFindings(grammar: LoadedGrammar, root: Node, strict: boolean): CodeFinding[] {
  const findings: CodeFinding[] = [];
  const report = (hit: Hit | null, where: Node): void => {
    if (hit) findings.push(securityFinding(hit.rule, where, hit.message, strict));
  };
  const groups = groupMatches(grammar.query(SHELL_QUERY).matches(root));
  for (const match of groups.get('pipeline') ?? []) {
    const pipeline = captured(match, 'pipeline');
    if (pipeline && !isInnerPipeline(pipeline)) report(pipedIntoInterpreter(pipeline), pipeline);
  }
  for (const match of groups.get('command') ?? []) {
    const node = captured(match, 'command');
    if (!node) continue;
    const command = shellCommand(node);
    report(downloadRunByCommand(command), node);
    report(rmRfVariable(command), node);
    report(chmodWorldWritable(command), node);
    report(evalVariable(command), node);
    report(disableTls(command), node);
  }
  for (const match of groups.get('assignment') ?? []) {
    const assignment = captured(match, 'assignment');
    if (assignment) report(tlsVariable(assignment), assignment);
  }
  return findings;
}

// --- shell.curl-pipe-shell -------------------------------------------------------------------

/** A pipeline nested in another (tree-sitter-bash nests them around redirects): the outer one reports. */
function isInnerPipeline(pipeline: Node): boolean {
  for (let parent = pipeline.parent; parent; parent = parent.parent) {
    if (parent.type === 'pipeline') return true;
    if (parent.type !== 'redirected_statement') return false;
  }
  return false;
}

/** The simple commands of a pipeline, in order, through nested pipelines and redirects. */
function pipelineCommands(node: Node): Node[] {
  if (node.type === 'command') return [node];
  if (node.type === 'redirected_statement') {
    const body = node.childForFieldName('body');
    return body ? pipelineCommands(body) : [];
  }
  if (node.type === 'pipeline') return node.namedChildren.flatMap((child) => (child ? pipelineCommands(child) : []));
  return [];
}

function pipedIntoInterpreter(pipeline: Node): Hit | null {
  const commands = pipelineCommands(pipeline).map(shellCommand);
  const download = commands.findIndex((command) => command.name !== null && DOWNLOADERS.has(command.name));
  if (download < 0) return null;
  const runner = commands.slice(download + 1).find(readsScriptFromStdin);
  if (!runner) return null;
  return {
    rule: R.curlPipeShell,
    message: `pipes a download from \`${commands[download]?.name ?? 'curl'}\` straight into \`${runner.name ?? 'sh'}\`: the script runs unreviewed, and so does a truncated or tampered download; save it to a file, check it (checksum or signature) and read it, then run it`,
  };
}

function readsScriptFromStdin(command: ShellCommand): boolean {
  const kind = interpreterKind(command.name);
  if (kind === null) return false;
  for (const word of command.words) {
    if (word === null) return false;
    if (word === '-s' || word === '-') return true;
    if (word === '-c' && (kind === 'shell' || kind === 'python')) return false;
    if (word === '-m' && kind === 'python') return false;
    if (word === '-e' && kind === 'script') return false;
    if (word === '--') continue;
    if (!word.startsWith('-')) return false;
  }
  return true;
}

/** `sh -c "$(curl …)"`, `bash <(curl …)`, `source <(wget …)`, `eval "$(curl …)"`, `bash <<< "$(curl …)"`. */
function downloadRunByCommand(command: ShellCommand): Hit | null {
  const runs = interpreterKind(command.name) !== null || command.name === 'eval' || command.name === 'source' || command.name === '.';
  if (!runs) return null;
  const downloader = downloadInSubstitution(command);
  if (downloader === null) return null;
  return {
    rule: R.curlPipeShell,
    message: `runs a script downloaded by \`${downloader}\` with \`${command.name ?? 'sh'}\`: the script runs unreviewed, and so does a truncated or tampered download; save it to a file, check it (checksum or signature) and read it, then run it`,
  };
}

function downloadInSubstitution(command: ShellCommand): string | null {
  const places = [...command.args, ...command.node.childrenForFieldName('redirect').filter((r): r is Node => r !== null)];
  for (const place of places) {
    for (const substitution of substitutionsUnder(place)) {
      for (const inner of commandsUnder(substitution)) {
        const name = shellCommand(inner).name;
        if (name !== null && DOWNLOADERS.has(name)) return name;
      }
    }
  }
  return null;
}

// --- shell.rm-rf-variable --------------------------------------------------------------------

function rmRfVariable(command: ShellCommand): Hit | null {
  if (command.name !== 'rm') return null;
  let recursive = false;
  let force = false;
  let options = true;
  let target: Node | undefined;
  command.args.forEach((arg, i) => {
    const word = command.words[i];
    if (options && word === '--') {
      options = false;
    } else if (options && word !== null && word !== undefined && word.startsWith('--')) {
      recursive ||= word === '--recursive';
      force ||= word === '--force';
    } else if (options && word !== null && word !== undefined && /^-[A-Za-z]+$/.test(word)) {
      recursive ||= /[rR]/.test(word);
      force ||= word.includes('f');
    } else if (!target && startsWithVariable(arg)) {
      target = arg;
    }
  });
  if (!recursive || !force || !target) return null;
  return {
    rule: R.rmRfVariable,
    message: `${quoteCode(command.node.text, 60)} deletes recursively from a variable: if it is empty or unset this becomes \`rm -rf /…\`; write \`"\${VAR:?}"\` (it stops when unset or empty) and check the path first`,
  };
}

/** Whether a word is, or begins with, a variable expansion that may be empty. */
function startsWithVariable(node: Node): boolean {
  switch (node.type) {
    case 'simple_expansion':
      return true;
    case 'expansion':
      return !cannotBeEmpty(node);
    case 'string': {
      const first = node.child(1);
      return first !== null && (first.type === 'simple_expansion' || first.type === 'expansion') && startsWithVariable(first);
    }
    case 'concatenation': {
      const first = node.namedChild(0);
      return first !== null && startsWithVariable(first);
    }
    default:
      return false;
  }
}

/** `${X:?}`, `${X?msg}`, and `${X:-default}` with a non-empty literal default. */
function cannotBeEmpty(expansion: Node): boolean {
  const operator = expansion.childForFieldName('operator')?.type;
  if (operator === ':?' || operator === '?') return true;
  if (operator === ':-' || operator === ':=') {
    const fallback = expansion.namedChildren.filter((child): child is Node => child !== null && child.type !== 'variable_name');
    return fallback.length > 0 && fallback.every((child) => (literalWord(child) ?? '') !== '');
  }
  return false;
}

// --- shell.chmod-777 -------------------------------------------------------------------------

function chmodWorldWritable(command: ShellCommand): Hit | null {
  if (command.name !== 'chmod') return null;
  const mode = command.words.find((word) => word === null || !word.startsWith('-'));
  if (typeof mode !== 'string' || !isWorldWritable(mode)) return null;
  return {
    rule: R.chmod777,
    message: `\`chmod ${mode}\` makes files world-writable: any user or process on the machine can change them; grant only what is needed (755 for directories and programs, 644 for files) or change the owner`,
  };
}

function isWorldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return [2, 3, 6, 7].includes(Number(mode[mode.length - 1]));
  return mode.split(',').some((clause) => {
    const parts = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!parts) return false;
    const [, who = '', op, perms = ''] = parts;
    return op !== '-' && perms.includes('w') && (who.includes('o') || who.includes('a'));
  });
}

// --- shell.eval-variable ---------------------------------------------------------------------

function evalVariable(command: ShellCommand): Hit | null {
  if (command.name !== 'eval' || downloadInSubstitution(command) !== null) return null;
  const variable = command.args.map(expandedVariable).find((name) => name !== null);
  if (variable === undefined || variable === null) return null;
  return {
    rule: R.evalVariable,
    message: `\`eval\` runs the contents of \`$${variable}\` as shell code: whoever controls it runs commands; call the command directly, with its arguments in an array if they vary`,
  };
}

/** The first variable an argument expands outside command substitutions, or null. */
function expandedVariable(node: Node): string | null {
  if (node.type === 'simple_expansion' || node.type === 'expansion') {
    return node.namedChildren.find((child) => child?.type === 'variable_name' || child?.type === 'special_variable_name')?.text ?? node.text;
  }
  if (node.type === 'command_substitution' || node.type === 'process_substitution') return null;
  for (const child of node.namedChildren) {
    const found = child ? expandedVariable(child) : null;
    if (found !== null) return found;
  }
  return null;
}

// --- shell.disable-tls -----------------------------------------------------------------------

/** curl short options that take a value: in a cluster, the rest of the cluster is that value. */
const CURL_VALUED_SHORT = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz');

function disableTls(command: ShellCommand): Hit | null {
  const words = command.words;
  const written = (flag: string): Hit => ({
    rule: R.disableTls,
    message: `${quoteCode(`${command.name ?? ''} ${flag}`)} turns off TLS certificate checking: anyone on the network path can read and change the traffic; fix the trust store instead (e.g. \`--cacert\`, \`http.sslCAInfo\`, \`NODE_EXTRA_CA_CERTS\`)`,
  });
  switch (command.name) {
    case 'curl':
      for (const word of words) {
        if (word === '--insecure') return written('--insecure');
        if (word !== null && /^-[A-Za-z]/.test(word) && !word.startsWith('--') && curlClusterHasK(word)) return written('-k');
      }
      return null;
    case 'wget':
      return words.includes('--no-check-certificate') ? written('--no-check-certificate') : null;
    case 'git': {
      const i = words.findIndex((word) => word !== null && /^http\.sslverify(?:=(?:false|0|no|off))?$/i.test(word));
      if (i < 0) return null;
      const word = words[i] ?? '';
      if (word.includes('=')) return written(`-c ${word}`);
      return /^(?:false|0|no|off)$/i.test(words[i + 1] ?? '') ? written(`config ${word} false`) : null;
    }
    case 'npm':
    case 'yarn':
    case 'pnpm': {
      const i = words.findIndex((word) => word === 'strict-ssl');
      return i >= 0 && words[i - 1] === 'set' && words[i + 1] === 'false' ? written('config set strict-ssl false') : null;
    }
    default:
      return null;
  }
}

function curlClusterHasK(cluster: string): boolean {
  for (const letter of cluster.slice(1)) {
    if (letter === 'k') return true;
    if (CURL_VALUED_SHORT.has(letter)) return false;
  }
  return false;
}

/** `NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY=1`, `PYTHONHTTPSVERIFY=0` (also after `export`). */
function tlsVariable(assignment: Node): Hit | null {
  const name = assignment.childForFieldName('name')?.text;
  const valueNode = assignment.childForFieldName('value');
  const value = valueNode ? literalWord(valueNode) : '';
  const off =
    ((name === 'NODE_TLS_REJECT_UNAUTHORIZED' || name === 'PYTHONHTTPSVERIFY') && value === '0') ||
    (name === 'GIT_SSL_NO_VERIFY' && value !== null && value !== '' && !/^(?:0|false)$/i.test(value));
  if (!off) return null;
  return {
    rule: R.disableTls,
    message: `${quoteCode(assignment.text)} turns off TLS certificate checking: anyone on the network path can read and change the traffic; fix the trust store instead (e.g. \`NODE_EXTRA_CA_CERTS\`, \`http.sslCAInfo\`)`,
  };
}
