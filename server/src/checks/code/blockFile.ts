import { languageOfPath, normalizeLanguage } from './languages';

/**
 * The workspace file a fenced block names, read from untrusted text (a model's reply). Forms:
 * - in the info string: `ts title="src/a.ts"` (also `file=`, `filename=`, `path=`, quoted or bare),
 *   `ts:src/a.ts`, a first word that is itself a path (```` ```src/a.ts ````, ```` ```package.json ````),
 *   or a later word that looks like a relative path with an extension (`ts src/a.ts`);
 * - on the code's first line: `// file: src/a.ts`, `# file: a.py`, `/* file: x *\/`,
 *   `<!-- file: x -->`, `-- file: x.sql` (`filename:` and `path:` too), or such a comment holding
 *   only a path with a well-known code extension (`// src/a.ts`, `# app.py`).
 *
 * A named file is kept only when it is a safe workspace-relative path (`normalizeBlockPath`).
 */

/** The fence's language word (null when the info string has none) and the file it names. */
export interface ParsedInfo {
  word: string | null;
  file?: string;
}

/** Attributes that name the block's file. */
const FILE_ATTRIBUTES = new Set(['title', 'file', 'filename', 'path']);

/** `key=value` (value quoted or bare), a quoted word, or a plain word. */
const INFO_TOKEN = /([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g;

/** A relative path whose last segment has an extension starting with a letter (`src/a.ts`, not `3.11`). */
const PATH_WORD = /^(?:\.\/)?(?:[\w@+.-]+\/)*[\w@+-][\w@+.-]*\.[A-Za-z][A-Za-z0-9]*$/;

/** Extensions a comment holding only a path may end with (so `// console.log` names no file). */
const CODE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'cfg',
  'py', 'pyi', 'sh', 'bash', 'zsh', 'ps1', 'md', 'mdx', 'html', 'htm', 'css', 'scss', 'sass', 'less', 'vue', 'svelte',
  'xml', 'rs', 'go', 'java', 'kt', 'kts', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'rb', 'php', 'sql', 'graphql', 'gql',
  'proto', 'gradle', 'swift', 'lua', 'dart', 'scala', 'ex', 'exs',
]);

export function parseInfoString(info: string): ParsedInfo {
  // In order of trust: attributes, then the first word's path, then later words that look like paths.
  const attributes: string[] = [];
  const firstWordPaths: string[] = [];
  const laterWords: string[] = [];
  let word: string | null = null;
  let first = true;
  for (const match of info.matchAll(INFO_TOKEN)) {
    const [, key, doubleQuoted, singleQuoted, bare, plain] = match;
    if (key !== undefined) {
      if (FILE_ATTRIBUTES.has(key.toLowerCase())) attributes.push(doubleQuoted ?? singleQuoted ?? bare ?? '');
    } else if (first) {
      word = plain!;
      const colon = /^([\w+#.-]+):(?!\/\/)(.+)$/.exec(word);
      if (colon !== null) {
        word = colon[1]!;
        firstWordPaths.push(colon[2]!);
      } else if (normalizeLanguage(word).checked === null && (word.includes('/') || languageOfPath(word) !== null) && PATH_WORD.test(word)) {
        firstWordPaths.push(word);
        word = null;
      }
    } else if (PATH_WORD.test(plain!)) {
      laterWords.push(plain!);
    }
    first = false;
  }
  const parsed: ParsedInfo = { word };
  const file = [...attributes, ...firstWordPaths, ...laterWords].map(normalizeBlockPath).find((path) => path !== undefined);
  if (file !== undefined) parsed.file = file;
  return parsed;
}

/** A comment on the first line: its marker, an optional `file:` label, the rest, an optional closer. */
const FIRST_LINE_COMMENT = /^[ \t]*(?:\/\/+|#+(?!!)|\/\*+|<!--|--)[ \t]*(?:(file(?:name)?|path)[ \t]*:[ \t]*)?(.*?)[ \t]*(?:\*+\/|-->)?[ \t]*$/i;

const MAX_COMMENT_LINE = 1100;

/** The file a `// file: src/a.ts` (or `// src/a.ts`) first line names, or undefined. */
export function fileFromFirstLine(code: string): string | undefined {
  const firstLine = /^[^\r\n]*/.exec(code)![0];
  // A path is at most 1,024 characters (normalizeBlockPath); a longer line is not a file comment.
  if (firstLine.length > MAX_COMMENT_LINE) return undefined;
  const comment = FIRST_LINE_COMMENT.exec(firstLine);
  if (comment === null) return undefined;
  const [, label, rest] = comment;
  if (label !== undefined) return normalizeBlockPath(rest!);
  if (!PATH_WORD.test(rest!)) return undefined;
  const extension = rest!.slice(rest!.lastIndexOf('.') + 1).toLowerCase();
  return CODE_EXTENSIONS.has(extension) ? normalizeBlockPath(rest!) : undefined;
}

/** Control, format (bidi overrides, zero-width) and line/paragraph separator characters. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * A path from untrusted text as a workspace-relative POSIX path, or undefined when it is not one:
 * surrounding quotes or backticks are dropped, `\` becomes `/`, `.` segments and repeated slashes go;
 * rejected are URLs and anything with a scheme or a drive (`https:`, `file:`, `C:`), absolute paths
 * (`/x`, `//host`, `~/x`), `..` segments, control and invisible characters, the characters Windows
 * forbids in names (`<>:"|?*`), segments with leading or trailing spaces, directories (a trailing
 * slash) and anything longer than 1,024 characters.
 */
export function normalizeBlockPath(raw: string): string | undefined {
  let path = raw.trim();
  const quoted = /^(["'`])(.*)\1$/.exec(path);
  if (quoted !== null) path = quoted[2]!;
  if (path === '' || path.length > 1024 || UNSAFE_CHARACTERS.test(path)) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return undefined;
  path = path.replace(/\\/g, '/');
  if (path.startsWith('/') || path.startsWith('~') || path.endsWith('/') || /[<>:"|?*]/.test(path)) return undefined;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || segment.trim() !== segment) return undefined;
    segments.push(segment);
  }
  return segments.length === 0 ? undefined : segments.join('/');
}
