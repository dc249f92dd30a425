import type { Node } from 'web-tree-sitter';

/**
 * Simple commands in a tree-sitter-bash tree as the shell rules see them: the command that really
 * runs (through `sudo`, `env`, `nohup`, … and by base name) and its arguments, with the literal
 * text of each argument where it has one.
 */

export interface ShellCommand {
  node: Node;
  /** Base name of the command that runs (`curl` for `sudo -E /usr/bin/curl`), null when not literal (`$CURL`). */
  name: string | null;
  /** Its arguments after the wrappers, as nodes. */
  args: Node[];
  /** Each argument's literal text, null where it expands something. */
  words: (string | null)[];
}

/** Wrappers that run the command after their own options, with the options that take a value. */
const WRAPPERS: Record<string, { valued: Set<string>; positionals?: number }> = {
  sudo: { valued: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']) },
  doas: { valued: new Set(['-u', '-C']) },
  env: { valued: new Set(['-u', '-C', '-S']) },
  command: { valued: new Set() },
  exec: { valued: new Set(['-a']) },
  nohup: { valued: new Set() },
  time: { valued: new Set(['-f', '-o']) },
  nice: { valued: new Set(['-n']) },
  timeout: { valued: new Set(['-s', '-k']), positionals: 1 },
};

export function shellCommand(node: Node): ShellCommand {
  const nameNode = node.childForFieldName('name');
  let args = node.childrenForFieldName('argument').filter((arg): arg is Node => arg !== null);
  let name = nameNode ? commandBaseName(literalWord(nameNode)) : null;
  for (let hops = 0; name !== null && hops < 5; hops++) {
    const wrapper = WRAPPERS[name];
    if (!wrapper) break;
    let i = 0;
    let positionals = wrapper.positionals ?? 0;
    while (i < args.length) {
      const word = literalWord(args[i] as Node);
      if (word === null) break;
      if (word === '--') {
        i++;
        break;
      }
      if (word.startsWith('-')) {
        i += wrapper.valued.has(word) ? 2 : 1;
      } else if (name === 'env' && /^[A-Za-z_]\w*=/.test(word)) {
        i++;
      } else if (positionals > 0) {
        positionals--;
        i++;
      } else {
        break;
      }
    }
    const next = args[i];
    name = next ? commandBaseName(literalWord(next)) : null;
    args = args.slice(i + 1);
    if (!next) break;
  }
  return { node, name, args, words: args.map(literalWord) };
}

function commandBaseName(word: string | null): string | null {
  if (word === null || word === '') return null;
  return word.slice(word.lastIndexOf('/') + 1);
}

/** The literal text of a word, quotes and backslashes removed; null when it expands anything. */
export function literalWord(node: Node): string | null {
  switch (node.type) {
    case 'command_name': {
      const inner = node.namedChild(0);
      return inner ? literalWord(inner) : null;
    }
    case 'word':
      return node.text.replace(/\\(.)/g, '$1');
    case 'number':
      return node.text;
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string': {
      let text = '';
      for (const part of node.namedChildren) {
        if (part?.type !== 'string_content') return null;
        text += part.text;
      }
      return text;
    }
    case 'concatenation': {
      let text = '';
      for (const part of node.namedChildren) {
        const literal = part ? literalWord(part) : null;
        if (literal === null) return null;
        text += literal;
      }
      return text;
    }
    default:
      return null;
  }
}

/** Every simple command under `node` (itself included), through substitutions, in tree order. */
export function commandsUnder(node: Node): Node[] {
  return node.type === 'command' ? [node, ...node.descendantsOfType('command').filter((n): n is Node => n !== null && n.id !== node.id)] : node.descendantsOfType('command').filter((n): n is Node => n !== null);
}

/** `$( … )`, `` ` … ` ``, `<( … )` and `>( … )` under `node`, including `node` itself. */
export function substitutionsUnder(node: Node): Node[] {
  const types = ['command_substitution', 'process_substitution'];
  const found = node.descendantsOfType(types).filter((n): n is Node => n !== null);
  return types.includes(node.type) && !found.some((n) => n.id === node.id) ? [node, ...found] : found;
}
