/**
 * Unified diffs in code answers (pure, no VS Code): parsing, and applying one file's hunks to a
 * file's lines the way `patch` does, by their context rather than their line numbers. Models write
 * diffs loosely, so the parser is lenient: `@@` headers without numbers, wrong counts, blank context
 * lines that lost their leading space, and lines without a prefix (taken as context) are accepted;
 * a hunk that does not match the file fails with a reason instead of being forced in.
 */
import { codeLines } from './textLines';

export interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
  /** 0-based line of the block's code this line came from (to map findings). */
  blockLine: number;
}

export interface DiffHunk {
  /** The `@@ … @@` line as written (for messages). */
  header: string;
  /** 1-based start in the old file from the header; null when the header has no numbers. */
  oldStart: number | null;
  lines: HunkLine[];
}

export interface DiffFile {
  /** Paths from the `---`/`+++` (or `diff --git`) headers, `a/` and `b/` removed; null for /dev/null or none. */
  oldPath: string | null;
  newPath: string | null;
  hunks: DiffHunk[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const BARE_HUNK_HEADER = /^@@(?:\s.*)?$/;

/**
 * Whether code that is not fenced as `diff` still reads as a unified diff: a `@@` hunk header
 * (numbered, or a bare `@@`) followed by added or removed lines.
 */
export function looksLikeUnifiedDiff(code: string): boolean {
  const files = parseUnifiedDiff(code);
  const hunks = files.flatMap((file) => file.hunks);
  return hunks.length > 0 && hunks.some((hunk) => hunk.lines.some((line) => line.op !== ' '));
}

/** The files of a unified diff, in order; a diff without file headers gives one file with null paths. */
export function parseUnifiedDiff(code: string): DiffFile[] {
  const lines = codeLines(code);
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let hunk: DiffHunk | undefined;
  const startFile = (oldPath: string | null, newPath: string | null): DiffFile => {
    const next: DiffFile = { oldPath, newPath, hunks: [] };
    files.push(next);
    hunk = undefined;
    return next;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const gitHeader = /^diff --git a\/(\S+) b\/(\S+)\s*$/.exec(line);
    if (gitHeader) {
      file = startFile(gitHeader[1] ?? null, gitHeader[2] ?? null);
      continue;
    }
    // `--- x` directly followed by `+++ y` is a file header, even inside a hunk (a removed line
    // starting with `-- ` is followed by anything else).
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) {
      const oldPath = headerPath(line.slice(4), 'a/');
      const newPath = headerPath((lines[i + 1] ?? '').slice(4), 'b/');
      // A `diff --git` line already opened this file: the headers complete it.
      if (file && file.hunks.length === 0 && hunk === undefined) {
        file.oldPath = oldPath;
        file.newPath = newPath;
      } else {
        file = startFile(oldPath, newPath);
      }
      i++;
      continue;
    }
    const numbered = HUNK_HEADER.exec(line);
    if (numbered || BARE_HUNK_HEADER.test(line)) {
      file ??= startFile(null, null);
      hunk = { header: line.trim(), oldStart: numbered ? Number(numbered[1]) : null, lines: [] };
      file.hunks.push(hunk);
      continue;
    }
    if (!hunk) continue; // `index …`, mode lines, prose before the first hunk
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    const op = line[0];
    if (op === '+' || op === '-' || op === ' ') hunk.lines.push({ op, text: line.slice(1), blockLine: i });
    else hunk.lines.push({ op: ' ', text: line, blockLine: i }); // a blank context line that lost its space, or unprefixed context
  }
  for (const each of files) for (const h of each.hunks) trimTrailingBlankContext(h, lines);
  return files.filter((each) => each.hunks.length > 0);
}

/** Blank lines at the end of a hunk that carry no prefix are the block's trailing space, not context. */
function trimTrailingBlankContext(hunk: DiffHunk, lines: readonly string[]): void {
  while (hunk.lines.length > 0) {
    const last = hunk.lines[hunk.lines.length - 1];
    if (!last || last.op !== ' ' || last.text.trim() !== '' || (lines[last.blockLine] ?? '').startsWith(' ')) break;
    hunk.lines.pop();
  }
}

function headerPath(raw: string, prefix: 'a/' | 'b/'): string | null {
  // `--- a/src/x.ts\t2024-01-01 00:00:00` — the timestamp follows a tab.
  let path = raw.split('\t')[0]?.trim() ?? '';
  if (path.startsWith('"') && path.endsWith('"') && path.length > 1) path = path.slice(1, -1);
  if (path === '' || path === '/dev/null') return null;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** The path a diff file changes: the new path, else the old one (a deletion). */
export function diffFilePath(file: DiffFile): string | null {
  return file.newPath ?? file.oldPath;
}

export interface AppliedHunks {
  lines: string[];
  /** Per output line: the ending it had in the file, or '' for a line the diff added. */
  eols: string[];
  /** 0-based output line of each block line that is in the output (added and context lines). */
  blockLineAt: Map<number, number>;
  /** 0-based output lines from the first hunk's start to the last hunk's end (inclusive). */
  first: number;
  last: number;
}

export type ApplyResult = { ok: true; applied: AppliedHunks } | { ok: false; reason: string };

/**
 * Applies `hunks` in order. Each hunk's old lines (context and removals) are looked for from the end
 * of the previous hunk, nearest to where its header (shifted by the offset of the hunks before it)
 * says; lines match exactly, else ignoring trailing whitespace, else ignoring all outer whitespace.
 * Context lines keep the file's text; added lines come from the diff.
 */
export function applyHunks(lines: readonly string[], eols: readonly string[], hunks: readonly DiffHunk[]): ApplyResult {
  const out: string[] = [];
  const outEols: string[] = [];
  const blockLineAt = new Map<number, number>();
  let cursor = 0;
  let offset = 0;
  let first = -1;
  let last = -1;
  for (const [k, hunk] of hunks.entries()) {
    const old = hunk.lines.filter((line) => line.op !== '+').map((line) => line.text);
    const name = `Hunk ${k + 1} of ${hunks.length} (${hunk.header})`;
    let at: number;
    if (old.length === 0) {
      // A pure insertion: only its line number says where (`-5,0` inserts after line 5).
      if (hunk.oldStart === null) return { ok: false, reason: `${name} only adds lines and has no context or line number to place them by.` };
      at = hunk.oldStart + offset;
      if (at < cursor || at > lines.length) return { ok: false, reason: `${name} adds lines after line ${hunk.oldStart}, which is not in the file.` };
    } else {
      const expected = hunk.oldStart === null ? cursor : hunk.oldStart - 1 + offset;
      const found = findLines(lines, old, cursor, expected);
      if (found === undefined) return { ok: false, reason: `${name} does not match the file: ${mismatch(lines, old, cursor)}` };
      at = found;
    }
    if (hunk.oldStart !== null) offset = at - (hunk.oldStart - (old.length === 0 ? 0 : 1));
    for (let i = cursor; i < at; i++) {
      out.push(lines[i] ?? '');
      outEols.push(eols[i] ?? '');
    }
    let fileLine = at;
    const hunkStart = out.length;
    for (const line of hunk.lines) {
      if (line.op === '-') {
        fileLine++;
        continue;
      }
      blockLineAt.set(line.blockLine, out.length);
      if (line.op === ' ') {
        out.push(lines[fileLine] ?? line.text);
        outEols.push(eols[fileLine] ?? '');
        fileLine++;
      } else {
        out.push(line.text);
        outEols.push('');
      }
    }
    if (first < 0) first = hunkStart;
    last = Math.max(hunkStart, out.length - 1);
    cursor = fileLine;
  }
  for (let i = cursor; i < lines.length; i++) {
    out.push(lines[i] ?? '');
    outEols.push(eols[i] ?? '');
  }
  return { ok: true, applied: { lines: out, eols: outEols, blockLineAt, first: Math.max(first, 0), last: Math.max(last, 0) } };
}

const COMPARISONS: ((line: string) => string)[] = [(line) => line, (line) => line.trimEnd(), (line) => line.trim()];

/** The start (≥ `from`) where `old` matches, nearest to `expected`, at the strictest comparison that finds one. */
function findLines(lines: readonly string[], old: readonly string[], from: number, expected: number): number | undefined {
  for (const normalize of COMPARISONS) {
    const want = old.map(normalize);
    let best: number | undefined;
    for (let start = from; start + want.length <= lines.length; start++) {
      if (!want.every((text, i) => normalize(lines[start + i] ?? '') === text)) continue;
      if (best === undefined || Math.abs(start - expected) < Math.abs(best - expected)) best = start;
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/** Why `old` is not in the file: the first of its lines that is nowhere after `from`, else that they are not together. */
function mismatch(lines: readonly string[], old: readonly string[], from: number): string {
  const rest = new Set(lines.slice(from).map((line) => line.trim()));
  const missing = old.find((text) => !rest.has(text.trim()));
  if (missing !== undefined) return `the line ${JSON.stringify(clip(missing.trim()))} is not in the file${from > 0 ? ` after line ${from}` : ''}.`;
  return `its context and removed lines are in the file, but not together in this order${from > 0 ? ` after line ${from}` : ''}.`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
