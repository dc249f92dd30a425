/**
 * Which workspace file a code answer targets (pure, no VS Code). Every path comes from untrusted
 * text (the reply, the thread), so each is normalised to a workspace-relative POSIX path, and one
 * that could leave the workspace folder (absolute, `..`, a drive, a URL, `~`) or reach into `.git`
 * is dropped. The rules, first match wins:
 *   1. the block names a file (fence `title=`/`file=`, a first-line `// file:` comment) or, for a
 *      diff, its `+++`/`---` header does: that file when it exists, else the one existing
 *      candidate (a pull-request file, a path in the reply) whose path ends with it; else no target
 *      (an explicit name is never swapped for a guess);
 *   2. a path mentioned in the paragraph just before the block that exists, one with the block's
 *      language extension first, then in order of mention;
 *   3. a pull-request file with the block's language extension, when exactly one exists, else the
 *      one of them whose file name the reply mentions before the block.
 * Existence is the caller's: `targetCandidates` lists the paths worth checking, `inferTarget` takes
 * the ones that exist.
 */
import type { CodeBlock, PullRequestFile } from '../../../server/src/protocol';
import { diffFilePath, looksLikeUnifiedDiff, parseUnifiedDiff } from './unifiedDiff';

export interface TargetQuery {
  block: Pick<CodeBlock, 'file' | 'language' | 'code'>;
  /** The reply's text before the block's opening fence (`textBeforeBlock`). */
  textBefore: string;
  /** The thread's pull-request files (none for an issue). */
  prFiles?: readonly Pick<PullRequestFile, 'path'>[];
}

export interface InferredTarget {
  /** Workspace-relative, POSIX separators. */
  path: string;
  /** Which rule found it. */
  rule: 'named' | 'mentioned' | 'pull-request';
}

/** Most paths taken from one paragraph or pull request (a hostile reply cannot make thousands of look-ups). */
const MAX_CANDIDATES = 64;

/** The reply's text before the block: up to `block.offset`, without the opening fence line. */
export function textBeforeBlock(replyText: string, block: Pick<CodeBlock, 'offset'>): string {
  const offset = Number.isInteger(block.offset) ? Math.max(0, Math.min(block.offset, replyText.length)) : 0;
  return replyText.slice(0, offset).replace(/(^|\n)[ \t]*(`{3,}|~{3,})[^\n]*\n?$/, '$1');
}

/**
 * `raw` as a workspace-relative POSIX path, or undefined when it is not one: empty, absolute
 * (`/x`, `\x`, `C:`), a URL or `~` path, with `..` or a `.git` segment, control characters, or
 * longer than 1,024 characters. `./` and repeated slashes are removed; backslashes become `/`.
 */
export function normalizeWorkspacePath(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '' || text.length > 1024 || [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return undefined;
  const slashed = text.replace(/\\/g, '/');
  if (slashed.startsWith('/') || slashed.startsWith('~') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(slashed)) return undefined;
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) return undefined;
  if (segments.some((segment) => segment === '..' || segment.toLowerCase() === '.git' || /^\.+$/.test(segment))) return undefined;
  return segments.join('/');
}

/** File extensions (without the dot) of a block language; none for an unknown or missing one. */
export function languageExtensions(language: string | null): string[] {
  switch (language) {
    case 'typescript':
      return ['ts', 'mts', 'cts', 'tsx'];
    case 'tsx':
      return ['tsx'];
    case 'javascript':
      return ['js', 'mjs', 'cjs', 'jsx'];
    case 'jsx':
      return ['jsx'];
    case 'json':
      return ['json', 'jsonc'];
    case 'yaml':
      return ['yaml', 'yml'];
    case 'python':
      return ['py', 'pyi'];
    case 'shell':
      return ['sh', 'bash', 'zsh'];
    default:
      return [];
  }
}

/** The VS Code language id for an untitled document of the block's language. */
export function vscodeLanguageId(language: string | null): string {
  switch (language) {
    case 'typescript':
    case 'json':
    case 'yaml':
    case 'python':
    case 'javascript':
    case 'diff':
      return language;
    case 'tsx':
      return 'typescriptreact';
    case 'jsx':
      return 'javascriptreact';
    case 'shell':
      return 'shellscript';
    default:
      return 'plaintext';
  }
}

/** The file a block names itself: its `file`, else (a diff) its header path. Raw, not normalised. */
function namedFile(block: TargetQuery['block']): string | undefined {
  if (typeof block.file === 'string' && block.file.trim() !== '') return block.file;
  if (block.language === 'diff' || block.language === 'patch' || looksLikeUnifiedDiff(block.code)) {
    for (const part of parseUnifiedDiff(block.code)) {
      const path = diffFilePath(part);
      if (path !== null) return path;
    }
  }
  return undefined;
}

/** The paragraph just before the block: the text after the last blank line (or fence) of `textBefore`. */
function lastParagraph(textBefore: string): string {
  const trimmed = textBefore.replace(/\s+$/, '');
  const parts = trimmed.split(/\n[ \t]*\n|\n[ \t]*(?:`{3,}|~{3,})[^\n]*\n/);
  return parts[parts.length - 1] ?? '';
}

/** Path-like words of a text, in order: `code spans` first, then bare words with a `/` or an extension. */
function mentionedPaths(text: string): string[] {
  const raw: string[] = [];
  for (const match of text.matchAll(/`([^`\n]{1,300})`/g)) raw.push(match[1] ?? '');
  const plain = text.replace(/`[^`\n]*`/g, ' ');
  for (const match of plain.matchAll(/(?:^|[\s(["'<])((?:\.\/)?[\w@+-][\w.@+-]*(?:\/[\w.@+-]+)*)/g)) raw.push(match[1] ?? '');
  const paths: string[] = [];
  for (const word of raw) {
    // `src/a.ts:12`, `src/a.ts#L3-L9`, trailing punctuation of a sentence.
    const cleaned = word
      .trim()
      .replace(/#L\d+(?:-L?\d+)?$/, '')
      .replace(/(?::\d+){1,2}$/, '')
      .replace(/[.,;:!?)\]]+$/, '');
    const last = cleaned.split('/').pop() ?? '';
    if (!cleaned.includes('/') && !/\.[A-Za-z0-9]+$/.test(last)) continue;
    if (/\s/.test(cleaned)) continue;
    const path = normalizeWorkspacePath(cleaned);
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths.slice(0, MAX_CANDIDATES);
}

function prPaths(query: TargetQuery): string[] {
  const paths: string[] = [];
  for (const file of query.prFiles ?? []) {
    const path = typeof file?.path === 'string' ? normalizeWorkspacePath(file.path) : undefined;
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

function hasExtension(path: string, extensions: readonly string[]): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && extensions.includes(path.slice(dot + 1).toLowerCase());
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every path `inferTarget` may pick, each once (the caller checks which exist). */
export function targetCandidates(query: TargetQuery): string[] {
  const out: string[] = [];
  const add = (path: string | undefined) => {
    if (path !== undefined && !out.includes(path)) out.push(path);
  };
  const named = namedFile(query.block);
  if (named !== undefined) add(normalizeWorkspacePath(named));
  for (const path of mentionedPaths(lastParagraph(query.textBefore))) add(path);
  const extensions = languageExtensions(query.block.language);
  const pr = prPaths(query);
  // With a named file any pull-request file may be the one it abbreviates; else only those of the language.
  for (const path of pr.filter((each) => named !== undefined || hasExtension(each, extensions)).slice(0, MAX_CANDIDATES)) add(path);
  return out;
}

export function inferTarget(query: TargetQuery, existing: ReadonlySet<string>): InferredTarget | undefined {
  const named = namedFile(query.block);
  if (named !== undefined) {
    const path = normalizeWorkspacePath(named);
    if (path === undefined) return undefined;
    if (existing.has(path)) return { path, rule: 'named' };
    const endings = targetCandidates(query).filter((each) => existing.has(each) && each.endsWith(`/${path}`));
    return endings.length === 1 && endings[0] !== undefined ? { path: endings[0], rule: 'named' } : undefined;
  }
  const extensions = languageExtensions(query.block.language);
  const mentioned = mentionedPaths(lastParagraph(query.textBefore)).filter((path) => existing.has(path));
  const mention = mentioned.find((path) => hasExtension(path, extensions)) ?? mentioned[0];
  if (mention !== undefined) return { path: mention, rule: 'mentioned' };
  const ofLanguage = prPaths(query).filter((path) => hasExtension(path, extensions) && existing.has(path));
  if (ofLanguage.length === 1 && ofLanguage[0] !== undefined) return { path: ofLanguage[0], rule: 'pull-request' };
  const byName = ofLanguage.filter((path) => mentionsName(query.textBefore, basename(path)));
  if (byName.length === 1 && byName[0] !== undefined) return { path: byName[0], rule: 'pull-request' };
  return undefined;
}

/** Whether `text` mentions the file name `name` as a word of its own. */
function mentionsName(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.-])${escaped}($|[^\\w-]|\\.(?![\\w]))`).test(text);
}
