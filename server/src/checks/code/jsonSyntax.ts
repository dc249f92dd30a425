/**
 * Where strict JSON (RFC 8259) first goes wrong, and why. `JSON.parse` says whether a text is JSON,
 * but its messages and positions differ between Node versions, so the position comes from this
 * scanner. It keeps an explicit stack (no recursion), so deeply nested input cannot overflow it.
 */

export interface JsonSyntaxError {
  /** UTF-16 offset in the text. */
  offset: number;
  message: string;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;
/** What the text should have gone on with, by state (`comma-or-close`: the open container's closer). */
const END_EXPECTED: Partial<Record<Expect, string>> = { value: 'a value', 'value-or-close': 'a value', key: 'a property name', 'key-or-close': 'a property name', colon: '`:`' };
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first error in `text` as strict JSON, or null when it is one JSON value (whitespace around it allowed). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: Array<'{' | '['> = [];
  let expect: Expect = 'value';
  let lastComma = -1;
  let at = 0;
  const closer = (): string => (stack[stack.length - 1] === '{' ? '}' : ']');
  const afterValue = (): Expect => (stack.length > 0 ? 'comma-or-close' : 'end');
  for (;;) {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
    if (at >= text.length) {
      if (expect === 'end') return null;
      return { offset: text.length, message: `unexpected end of JSON: ${END_EXPECTED[expect] ?? `\`${closer()}\``} expected` };
    }
    const char = text[at]!;
    if (char === '/' && (text[at + 1] === '/' || text[at + 1] === '*')) return { offset: at, message: 'comments are not allowed in JSON' };
    switch (expect) {
      case 'end':
        return { offset: at, message: `unexpected ${describe(text, at)} after the JSON value` };
      case 'colon':
        if (char !== ':') return { offset: at, message: `\`:\` expected after a property name, found ${describe(text, at)}` };
        at++;
        expect = 'value';
        continue;
      case 'comma-or-close':
        if (char === ',') {
          lastComma = at;
          at++;
          expect = stack[stack.length - 1] === '{' ? 'key' : 'value';
          continue;
        }
        if (char === closer()) {
          stack.pop();
          at++;
          expect = afterValue();
          continue;
        }
        return { offset: at, message: `\`,\` or \`${closer()}\` expected, found ${describe(text, at)}` };
      case 'key-or-close':
      case 'key': {
        if (char === '}' && expect === 'key-or-close') {
          stack.pop();
          at++;
          expect = afterValue();
          continue;
        }
        if (char === '}') return { offset: lastComma, message: 'trailing commas are not allowed in JSON' };
        if (char === "'") return { offset: at, message: 'property names must be in double quotes, not single quotes' };
        if (char !== '"') return { offset: at, message: `a property name in double quotes expected, found ${describe(text, at)}` };
        const error = scanString(text, at);
        if (typeof error !== 'number') return error;
        at = error;
        expect = 'colon';
        continue;
      }
      case 'value-or-close':
      case 'value': {
        if (char === ']' && expect === 'value-or-close') {
          stack.pop();
          at++;
          expect = afterValue();
          continue;
        }
        if (char === ']' && lastComma !== -1 && stack[stack.length - 1] === '[') return { offset: lastComma, message: 'trailing commas are not allowed in JSON' };
        if (char === '{' || char === '[') {
          stack.push(char);
          at++;
          expect = char === '{' ? 'key-or-close' : 'value-or-close';
          continue;
        }
        const end = scanScalar(text, at);
        if (typeof end !== 'number') return end;
        at = end;
        expect = afterValue();
        continue;
      }
    }
  }
}

/** The offset after a string, number or literal starting at `at`, or the error. */
function scanScalar(text: string, at: number): number | JsonSyntaxError {
  const char = text[at]!;
  if (char === '"') return scanString(text, at);
  if (char === "'") return { offset: at, message: 'strings must be in double quotes, not single quotes' };
  if (char === '-' || (char >= '0' && char <= '9')) {
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) return { offset: at, message: `invalid number ${describe(text, at)}` };
    const end = at + number[0].length;
    if (/[\d.eE]/.test(text[end] ?? '')) return { offset: at, message: 'invalid number (leading zeros, a lone `.` or a bad exponent)' };
    return end;
  }
  WORD.lastIndex = at;
  const word = WORD.exec(text)?.[0];
  if (word === 'true' || word === 'false' || word === 'null') return at + word.length;
  if (word !== undefined) return { offset: at, message: `unexpected word \`${word.slice(0, 20)}\`: JSON values are strings in double quotes, numbers, true, false, null, objects and arrays` };
  return { offset: at, message: `a value expected, found ${describe(text, at)}` };
}

/** The offset after the string opening at `at`, or the error. */
function scanString(text: string, at: number): number | JsonSyntaxError {
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') return i + 1;
    if (char === '\\') {
      const next = text[i + 1];
      if (next !== undefined && ESCAPES.has(next)) {
        i++;
        continue;
      }
      if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
        i += 5;
        continue;
      }
      return { offset: i, message: 'invalid escape in a string' };
    }
    if (char.charCodeAt(0) < 0x20) {
      return { offset: i, message: char === '\n' || char === '\r' ? 'unterminated string (a line break in a string must be written \\n)' : 'control character in a string' };
    }
  }
  return { offset: at, message: 'unterminated string' };
}

/** A character for a message: `x`, or "end of line". */
function describe(text: string, at: number): string {
  const char = text[at]!;
  if (char === '\n' || char === '\r') return 'end of line';
  const codePoint = text.codePointAt(at)!;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return `control character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${String.fromCodePoint(codePoint).replace('`', "'")}\``;
}
