import type { CheckedLanguage } from '../../protocol';

/**
 * Which checker a piece of code goes to: a fence's language word, a file's extension, or (for an
 * unlabelled fence) a conservative guess from the code itself. A guess that is not clear is no guess:
 * such a block is reported "not checked", never as passing.
 *
 * JSON with comments (`jsonc`, `json5`) is deliberately not mapped to `json`: the JSON checker is
 * strict (RFC 8259), and a `jsonc` block's comments and trailing commas are not errors. Those
 * blocks stay unchecked under their own names.
 */

/** Fence words (lower-case, GitHub Linguist names and aliases) of the checked languages. */
const FENCE_WORDS: ReadonlyMap<string, CheckedLanguage> = new Map<string, CheckedLanguage>([
  ...words('typescript', ['ts', 'typescript', 'mts', 'cts']),
  ...words('tsx', ['tsx']),
  ...words('javascript', ['js', 'javascript', 'mjs', 'cjs', 'node', 'nodejs']),
  ...words('jsx', ['jsx']),
  ...words('json', ['json']),
  ...words('yaml', ['yaml', 'yml']),
  ...words('python', ['py', 'python', 'python3', 'py3']),
  ...words('shell', ['sh', 'bash', 'shell', 'zsh', 'console', 'shell-session', 'sh-session', 'shellscript']),
]);

/** File extensions (lower-case, without the dot) of the checked languages. */
const EXTENSIONS: ReadonlyMap<string, CheckedLanguage> = new Map<string, CheckedLanguage>([
  ...words('typescript', ['ts', 'mts', 'cts']),
  ...words('tsx', ['tsx']),
  ...words('javascript', ['js', 'mjs', 'cjs']),
  ...words('jsx', ['jsx']),
  ...words('json', ['json']),
  ...words('yaml', ['yaml', 'yml']),
  ...words('python', ['py', 'pyi', 'pyw']),
  ...words('shell', ['sh', 'bash', 'zsh']),
]);

function words(language: CheckedLanguage, names: readonly string[]): Array<[string, CheckedLanguage]> {
  return names.map((name) => [name, language]);
}

/**
 * A fence word (or a file extension with its dot, `.ts`) as a language: `{ language: 'typescript',
 * checked: 'typescript' }` for `ts`; an unknown word comes back trimmed and lower-cased with
 * `checked: null` (`Rust` → `rust`).
 */
export function normalizeLanguage(word: string): { language: string; checked: CheckedLanguage | null } {
  const lower = word.trim().toLowerCase();
  const bare = lower.startsWith('.') ? lower.slice(1) : lower;
  const checked = FENCE_WORDS.get(bare) ?? null;
  return { language: checked ?? lower, checked };
}

/** The checked language of a file by its extension (`src/a.test.ts` → typescript), or null. */
export function languageOfPath(path: string): CheckedLanguage | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot === -1) return null;
  return EXTENSIONS.get(name.slice(dot + 1).toLowerCase()) ?? null;
}

/** Commands a maintainer's unlabelled one-liners usually start with: every line starting so is shell. */
const SHELL_COMMANDS = new Set([
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'node', 'deno', 'git', 'gh', 'cd', 'ls', 'mkdir', 'rm', 'cp', 'mv', 'cat', 'echo',
  'export', 'curl', 'wget', 'pip', 'pip3', 'python', 'python3', 'docker', 'kubectl', 'make', 'sudo', 'apt', 'apt-get',
  'brew', 'chmod', 'chown', 'tar', 'unzip', 'source', 'cargo', 'go', 'poetry', 'uv', 'conda',
]);

/**
 * A guess at an unlabelled fence's language, or null when unsure. In order: a shebang; JSON that
 * parses and opens with `{` or `[`; a `$ ` prompt on the first line; Python or JavaScript/TypeScript
 * by their tell-tale lines (both kinds of signal at once is unsure); YAML when every line is YAML
 * structure; shell when every line starts with a common command. Only the first SAMPLE_LINES lines
 * are read (each cut at SAMPLE_LINE_CHARS), so a guess costs little whatever the input.
 */
export function detectLanguage(code: string): CheckedLanguage | null {
  const trimmed = code.trim();
  if (trimmed === '') return null;
  const lines = code
    .split(/\r\n|\r|\n/, SAMPLE_LINES)
    .map((line) => (line.length > SAMPLE_LINE_CHARS ? line.slice(0, SAMPLE_LINE_CHARS) : line));
  const firstLine = lines.find((line) => line.trim() !== '')?.trim() ?? '';

  if (firstLine.startsWith('#!')) return shebangLanguage(firstLine);
  if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && parsesAsJson(trimmed)) return 'json';
  if (/^\$ \S/.test(firstLine)) return 'shell';

  const any = (signals: readonly LineSignal[]): boolean => lines.some((line) => signals.some((signal) => signal(line)));
  const python = any(PYTHON_SIGNALS);
  const script = any(SCRIPT_SIGNALS);
  if (python && !script) return 'python';
  if (script && !python) {
    const typed = any(TYPESCRIPT_SIGNALS);
    const jsx = any([JSX_SIGNAL]);
    if (typed) return jsx ? 'tsx' : 'typescript';
    return jsx ? 'jsx' : 'javascript';
  }
  if (python || script) return null;
  if (looksLikeYaml(lines)) return 'yaml';
  if (looksLikeShellCommands(lines)) return 'shell';
  return null;
}

/** `#!/bin/bash`, `#!/usr/bin/env -S node --flag`, `#!/usr/bin/python3`: the interpreter's name decides. */
function shebangLanguage(line: string): CheckedLanguage | null {
  const words = line.slice(2).trim().split(/\s+/);
  let program = words[0]?.split('/').pop() ?? '';
  if (program === 'env') program = words.slice(1).find((word) => !word.startsWith('-') && !word.includes('=')) ?? '';
  if (program === 'node' || program === 'deno' || program === 'bun') return 'javascript';
  if (/^python[0-9.]*$/.test(program)) return 'python';
  if (/^(?:ba|z|k|da)?sh$/.test(program)) return 'shell';
  return null;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A line of code in a guess: the first SAMPLE_LINES lines, each cut at SAMPLE_LINE_CHARS, so any input is quick. */
const SAMPLE_LINES = 200;
const SAMPLE_LINE_CHARS = 400;

type LineSignal = (line: string) => boolean;

const endsWithColon = (line: string): boolean => line.trimEnd().endsWith(':');
const matches =
  (pattern: RegExp): LineSignal =>
  (line) =>
    pattern.test(line);

/** Lines only Python writes this way (no braces, no semicolons). */
const PYTHON_SIGNALS: readonly LineSignal[] = [
  (line) => /^\s*(?:async\s+)?def\s+\w+\s*\(/.test(line) && endsWithColon(line),
  (line) => /^\s*class\s+\w+\s*[(:]/.test(line) && endsWithColon(line) && !line.includes('{'),
  matches(/^from\s+[\w.]+\s+import\s+[\w*(]/),
  matches(/^import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*$/),
  matches(/^if\s+__name__\s*==/),
  (line) => /^\s*(?:else|try|finally)\s*:\s*$/.test(line) || (/^\s*(?:elif|except)\b/.test(line) && endsWithColon(line)),
  (line) => /^\s*print\(/.test(line) && line.trimEnd().endsWith(')') && !line.includes(';'),
];

/** Lines only JavaScript/TypeScript write this way. */
const SCRIPT_SIGNALS: readonly LineSignal[] = [
  /^\s*(?:export\s+)?(?:const|let|var)\s+[\w$[{]/,
  /^\s*(?:export\s+(?:default\s+)?)?(?:async\s+)?function\b/,
  /=>\s*[{(\w]/,
  /\brequire\(\s*['"`]/,
  /\bmodule\.exports\b/,
  /^\s*import\b.*\bfrom\s+['"]/,
  /^\s*import\s+['"]/,
  /\bconsole\.(?:log|error|warn|info)\(/,
  /^\s*(?:export\s+)?(?:interface|enum)\s+\w+/,
  /^\s*(?:export\s+)?type\s+\w+(?:<[^>]{0,80}>)?\s*=/,
].map(matches);

/**
 * Type syntax: interfaces, aliases, annotated parameters and variables, access modifiers. Generous on
 * purpose: JavaScript read as TypeScript parses the same, while TypeScript read as JavaScript is full
 * of syntax errors (an object literal `f(a, { b: Foo })` may pass for TypeScript, harmlessly).
 */
const TYPESCRIPT_SIGNALS: readonly LineSignal[] = [
  /^\s*(?:export\s+)?(?:interface|enum)\s+\w+/,
  /^\s*(?:export\s+)?type\s+\w+(?:<[^>]{0,80}>)?\s*=/,
  /[(,]\s*\w+\??\s*:\s*(?:(?:string|number|boolean|unknown|any|never|void)(?:\[\])?\s*[,)=|]|Record<|Promise<|Array<|readonly\s|[A-Z]\w*(?:<[^>]{0,80}>)?(?:\[\])?\s*[,)=|])/,
  /\)\s*:\s*(?:string|number|boolean|void|unknown|never|Promise<|[A-Z]\w*(?:<[^>]{0,80}>)?)\s*(?:\{|=>)/,
  /^\s*(?:const|let|var)\s+\w+\s*:\s*[\w<[{]/,
  /^\s*(?:private|protected|public)\s+(?:readonly\s+)?\w+/,
  /\bas\s+(?:const|string|number|unknown)\b/,
].map(matches);

/** An element with a closing tag or a self-closing component: `</div>`, `<Button />`. */
const JSX_SIGNAL: LineSignal = matches(/<\/[A-Za-z][\w.]*>|<[A-Z][\w.]*(?:\s[^<>]*)?\/>/);

/** `key: value`, `key:`, `- item`, a comment, a document marker, or a flow/quoted continuation. */
const YAML_LINE = /^[ \t]*(?:-[ \t]+)?(?:[\w.\-/]+|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]+\S.*)?$|^[ \t]*-(?:[ \t]+\S.*)?$|^[ \t]*#.*$|^(?:---|\.\.\.)[ \t]*$/;
const YAML_BLOCK_SCALAR = /:[ \t]+[|>][-+]?[0-9]?[ \t]*$/;

/**
 * Every line is YAML structure (more-indented lines under `key: |` or `key: >` are free text), at
 * least two lines carry a `key:`, one of them at the margin, and no line ends like code (`;`, `{`).
 */
function looksLikeYaml(lines: readonly string[]): boolean {
  let keys = 0;
  let marginKey = false;
  let scalarIndent = -1;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (scalarIndent !== -1 && indent > scalarIndent) continue;
    scalarIndent = -1;
    if (!YAML_LINE.test(line) || /[;{]\s*$/.test(line)) return false;
    if (/^[ \t]*(?:-[ \t]+)?(?:[\w.\-/]+|"[^"\n]*"|'[^'\n]*')[ \t]*:/.test(line)) {
      keys++;
      if (indent === 0) marginKey = true;
    }
    if (YAML_BLOCK_SCALAR.test(line)) scalarIndent = indent;
  }
  return keys >= 2 && marginKey;
}

/** Every line is a comment, the continuation of a line ending in `\`, or starts with a common command; one at least does. */
function looksLikeShellCommands(lines: readonly string[]): boolean {
  let commands = 0;
  let continued = false;
  for (const line of lines) {
    const trimmed = line.trim();
    const continuation = continued;
    continued = trimmed.endsWith('\\');
    if (continuation || trimmed === '' || trimmed.startsWith('#')) continue;
    const command = /^[\w.-]+/.exec(trimmed)?.[0];
    if (command === undefined || !SHELL_COMMANDS.has(command)) return false;
    if (trimmed.length > command.length && !/\s/.test(trimmed[command.length]!)) return false;
    commands++;
  }
  return commands > 0;
}
