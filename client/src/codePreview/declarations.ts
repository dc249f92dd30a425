/**
 * Declarations and their extent in a file's lines (pure, no VS Code), for placing a code block that
 * redefines one function, class or key: brace-balanced for JavaScript/TypeScript (strings, template
 * literals, comments and regular expressions skipped), indentation for Python and YAML (brackets and
 * triple-quoted strings in Python do not end a block). Anything the scanners cannot follow gives no
 * extent, and the caller places the block another way.
 */
import { indentOf, indentWidth, isBlank } from './textLines';

export type DeclarationFamily = 'c' | 'python' | 'yaml';

export interface Declaration {
  /** Declarations of the same group with the same name are the same thing (`export const` ↔ `let`). */
  group: 'function' | 'class' | 'type' | 'variable' | 'method' | 'key';
  name: string;
}

/** The family whose scanner understands `language` (a normalised block language), if any. */
export function declarationFamily(language: string | null): DeclarationFamily | undefined {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
    case 'jsx':
      return 'c';
    case 'python':
      return 'python';
    case 'yaml':
      return 'yaml';
    default:
      return undefined;
  }
}

const C_DECLARATION =
  /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\s*\*?|class|interface|type|enum|const\s+enum|namespace|const|let|var)\s+([A-Za-z_$][\w$]*)/;
/** A class or object method on one line ending in `{`: parameters without quotes or nested parentheses (not a call with a callback). */
const C_METHOD =
  /^\s*(?:(?:public|private|protected|static|async|readonly|override|get|set)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^()'"`]*\)\s*(?::[^={}]*(?:\{[^{}]*\}[^={}]*)?)?\{\s*$/;
const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'else', 'do', 'try', 'new', 'typeof', 'await']);
const PY_DECLARATION = /^\s*(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/;
const YAML_KEY = /^\s*([A-Za-z0-9_][\w.-]*|"[^"\n]+"|'[^'\n]+')\s*:(?:\s|$)/;

export function declarationOf(line: string, family: DeclarationFamily): Declaration | undefined {
  if (family === 'python') {
    const match = PY_DECLARATION.exec(line);
    return match ? { group: match[1] === 'class' ? 'class' : 'function', name: match[2] ?? '' } : undefined;
  }
  if (family === 'yaml') {
    const match = YAML_KEY.exec(line);
    return match ? { group: 'key', name: (match[1] ?? '').replace(/^["']|["']$/g, '') } : undefined;
  }
  const match = C_DECLARATION.exec(line);
  if (match) {
    const keyword = (match[1] ?? '').replace(/\s+/g, ' ');
    const group: Declaration['group'] = keyword.startsWith('function')
      ? 'function'
      : keyword === 'class'
        ? 'class'
        : ['const', 'let', 'var'].includes(keyword)
          ? 'variable'
          : 'type';
    return { group, name: match[2] ?? '' };
  }
  const method = C_METHOD.exec(line);
  if (method && !NOT_METHODS.has(method[1] ?? '')) return { group: 'method', name: method[1] ?? '' };
  return undefined;
}

/** Lines that belong to the declaration below them: comments, and decorators. */
export function isLeadingLine(line: string, family: DeclarationFamily): boolean {
  const text = line.trim();
  if (family === 'c') return /^(\/\/|\/\*|\*|@[A-Za-z_$])/.test(text);
  if (family === 'python') return /^(#|@[A-Za-z_])/.test(text);
  return text.startsWith('#');
}

/**
 * The last line (0-based, inclusive) of the declaration that starts at `start`, or undefined when
 * the scanner cannot tell (an unclosed brace, a file that ends inside it).
 */
export function declarationEnd(lines: readonly string[], start: number, family: DeclarationFamily, declaration: Declaration): number | undefined {
  if (family === 'python') return indentedEnd(lines, start, true);
  if (family === 'yaml') return indentedEnd(lines, start, false);
  return braceEnd(lines, start, declaration.group !== 'variable' && declaration.group !== 'type');
}

/**
 * The extent of an indented block: the lines after `start` that are more indented (YAML: and `- `
 * items at its indent, a sequence under the key). A comment at the block's indent or less neither
 * ends it nor belongs to it unless indented code follows; trailing blank lines are left out.
 */
function indentedEnd(lines: readonly string[], start: number, python: boolean): number | undefined {
  const base = indentWidth(indentOf(lines[start] ?? ''));
  const scanner = python ? new PythonScanner() : undefined;
  scanner?.scan(lines[start] ?? '');
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const inside = scanner?.open ?? false;
    if (!inside && !isBlank(line)) {
      const width = indentWidth(indentOf(line));
      if (width <= base && line.trim().startsWith('#')) continue;
      const yamlItem = !python && width === base && /^\s*- /.test(line);
      if (width <= base && !yamlItem) break;
      if (!python && /^(---|\.\.\.)\s*$/.test(line)) break;
    }
    scanner?.scan(line);
    if (!isBlank(line)) end = i;
  }
  return scanner?.open ? undefined : end;
}

/** Python's bracket depth and triple-quoted strings across lines, so continuation lines do not end a block. */
class PythonScanner {
  private depth = 0;
  private triple: string | undefined;

  get open(): boolean {
    return this.depth > 0 || this.triple !== undefined;
  }

  scan(line: string): void {
    for (let i = 0; i < line.length; i++) {
      if (this.triple) {
        if (line[i] === '\\') i++;
        else if (line.startsWith(this.triple, i)) {
          i += 2;
          this.triple = undefined;
        }
        continue;
      }
      const char = line[i] ?? '';
      if (char === '#') return;
      if (char === '"' || char === "'") {
        if (line.startsWith(char.repeat(3), i)) {
          this.triple = char.repeat(3);
          i += 2;
          continue;
        }
        i = skipQuoted(line, i, char);
      } else if ('([{'.includes(char)) this.depth++;
      else if (')]}'.includes(char)) this.depth = Math.max(0, this.depth - 1);
    }
  }
}

/** The index of the closing quote of a one-line string opened at `i` (or the line's end). */
function skipQuoted(text: string, i: number, quote: string): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j;
  }
  return text.length;
}

/**
 * The end of a JavaScript/TypeScript declaration: with `needsBody` (functions, classes, methods,
 * interfaces) the first line that ends at depth 0 after a `{` opened at depth 0 (a return type's
 * `{ … }` closing on the signature's line does not end it); else (variables, types) the line
 * where a `;` at depth 0 ends it, or the first line ending at depth 0 that does not continue.
 */
function braceEnd(lines: readonly string[], start: number, needsBody: boolean): number | undefined {
  const lexer = new CLexer();
  for (let i = start; i < lines.length && i < start + 20_000; i++) {
    const line = lines[i] ?? '';
    const topSemicolon = lexer.scan(line);
    const closed = lexer.depth === 0 && !lexer.inside;
    if (needsBody) {
      if (closed && lexer.topBraceOpened) return i;
    } else if (topSemicolon || (closed && !continues(line, lines[i + 1]))) return i;
  }
  return undefined;
}

/** A statement line at depth 0 goes on when it ends in an operator or the next line starts with one. */
function continues(line: string, next: string | undefined): boolean {
  const code = line.replace(/\/\/.*$/, '').trimEnd();
  if (/(=>|[=,([{+\-*/%&|^?:<>.!])$/.test(code)) return true;
  return next !== undefined && /^\s*([.?:+\-*/%&|^=]|as\s|satisfies\s|extends\s|implements\s)/.test(next);
}

/** A small JavaScript lexer that tracks bracket depth through strings, templates, comments and regexes. */
class CLexer {
  depth = 0;
  /** A `{` was opened at depth 0 (a body started). */
  topBraceOpened = false;
  private mode: 'code' | 'block-comment' | 'template' = 'code';
  /** Bracket depths at which a template's `${` was opened (the matching `}` returns to the template). */
  private templates: number[] = [];
  /** The last significant character in code: a `/` after one of `(,=:[!&|?{};` (or nothing) starts a regex. */
  private previous = '';

  /** Inside a block comment or a template literal at the end of the last line scanned. */
  get inside(): boolean {
    return this.mode !== 'code' || this.templates.length > 0;
  }

  /** Scans one line; true when it holds a `;` at depth 0. */
  scan(line: string): boolean {
    let topSemicolon = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i] ?? '';
      if (this.mode === 'block-comment') {
        if (line.startsWith('*/', i)) {
          this.mode = 'code';
          i++;
        }
        continue;
      }
      if (this.mode === 'template') {
        if (char === '\\') i++;
        else if (char === '`') this.mode = 'code';
        else if (line.startsWith('${', i)) {
          this.templates.push(this.depth);
          this.depth++;
          this.mode = 'code';
          i++;
        }
        continue;
      }
      if (line.startsWith('//', i)) break;
      if (line.startsWith('/*', i)) {
        this.mode = 'block-comment';
        i++;
        continue;
      }
      if (char === '"' || char === "'") {
        i = skipQuoted(line, i, char);
        this.previous = 'x';
        continue;
      }
      if (char === '`') {
        this.mode = 'template';
        this.previous = 'x';
        continue;
      }
      if (char === '/' && /^$|[(,=:[!&|?{};+\-*%<>~^]$/.test(this.previous)) {
        i = skipRegex(line, i);
        this.previous = 'x';
        continue;
      }
      if ('([{'.includes(char)) {
        if (char === '{' && this.depth === 0) this.topBraceOpened = true;
        this.depth++;
      } else if (')]}'.includes(char)) {
        this.depth = Math.max(0, this.depth - 1);
        if (char === '}' && this.templates.length > 0 && this.templates[this.templates.length - 1] === this.depth) {
          this.templates.pop();
          this.mode = 'template';
        }
      } else if (char === ';' && this.depth === 0) topSemicolon = true;
      if (!/\s/.test(char)) this.previous = char;
    }
    return topSemicolon;
  }
}

/** The end of a regular expression literal starting at `i` (classes `[...]` may hold a `/`). */
function skipRegex(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const char = text[j];
    if (char === '\\') j++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) return j;
  }
  return text.length;
}
