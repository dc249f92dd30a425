/**
 * Where a code answer goes in the file it targets (pure, no VS Code), tried in this order:
 *   (a) a unified diff (fenced `diff`/`patch`, or code that reads as one) is applied hunk by hunk
 *       by its context, tolerating shifted line numbers; a hunk that does not match fails the
 *       placement with a reason (nothing else is tried: the diff says exactly what it changes);
 *   (b) the block's first and last non-blank lines (trimmed) match lines of the file in order,
 *       with the same relative indentation: the block replaces that span (the nearest pair, the
 *       smallest span), re-indented to the file's indentation at the first anchor when the block
 *       is uniformly less indented;
 *   (c) the block is one declaration (function, class, method, interface, type, variable; Python
 *       `def`/`class`; a YAML key) declared exactly once in the file: it replaces that declaration's
 *       extent (braces for JavaScript/TypeScript, indentation for Python and YAML), with the file's
 *       comments and decorators above it when the block brings its own;
 *   (d) else the block replaces the whole file.
 * The new text keeps the file's line endings (CRLF stays CRLF) and its final newline or lack of one.
 */
import { declarationEnd, declarationFamily, declarationOf, isLeadingLine } from './declarations';
import type { Declaration, DeclarationFamily } from './declarations';
import { reindent } from './reindent';
import { codeLines, indentOf, indentWidth, isBlank, joinText, lineSpan, splitText } from './textLines';
import type { TextLines } from './textLines';
import { applyHunks, diffFilePath, looksLikeUnifiedDiff, parseUnifiedDiff } from './unifiedDiff';
import type { DiffFile } from './unifiedDiff';

export interface PlacementInput {
  /** The target file's current text, as the editor holds it. */
  fileText: string;
  /** The block's code (`CodeBlock.code`). */
  code: string;
  /** The block's normalised language (`CodeBlock.language`). */
  language: string | null;
  /** The target's workspace-relative path: picks the file's part of a diff that changes several. */
  path?: string;
}

/** Where one line of the block's code sits in the placed text. */
export interface LinePosition {
  /** 1-based line in `PlacedBlock.text`. */
  line: number;
  /** Characters the line's indentation grew by (finding columns move right by this much). */
  columnShift: number;
}

export interface PlacedBlock {
  kind: 'diff' | 'span' | 'declaration' | 'whole-file';
  /** The file's whole new text. */
  text: string;
  /** What the placement does, for titles and messages: "replaces lines 10–24", "applies 2 hunks". */
  description: string;
  /** 1-based lines of `text`, inclusive, holding the block's code. */
  startLine: number;
  endLine: number;
  /** Per line of the block's code (0-based index): where it sits in `text`, or null (a removed diff line, a header, a dropped blank line). */
  lineMap: (LinePosition | null)[];
  /** The file already holds exactly this. */
  unchanged: boolean;
  /** Things the person should know before applying (code the block leaves out). */
  warnings: string[];
}

export type Placement = { ok: true; placed: PlacedBlock } | { ok: false; reason: string };

export function placeBlock(input: PlacementInput): Placement {
  const file = splitText(input.fileText);
  const isDiff = input.language === 'diff' || input.language === 'patch' || looksLikeUnifiedDiff(input.code);
  if (isDiff) return placeDiff(input, file);
  const block = codeLines(input.code);
  const nonBlank = block.flatMap((line, i) => (isBlank(line) ? [] : [i]));
  const from = nonBlank[0];
  const to = nonBlank[nonBlank.length - 1];
  if (from === undefined || to === undefined) return { ok: false, reason: 'The code block is empty.' };
  const warnings = elisionWarnings(block);

  const anchored = anchorSpan(file.lines, block, from, to);
  if (anchored) return replaceSpan(input, file, block, { ...anchored, from, to, kind: 'span', description: `replaces ${lineSpan(anchored.start + 1, anchored.end + 1)}`, warnings });

  const family = declarationFamily(input.language);
  const declared = family ? declarationSpan(file.lines, block, family) : undefined;
  if (declared) {
    const description = `replaces ${declared.declaration.group} ${declared.declaration.name} (${lineSpan(declared.start + 1, declared.end + 1)})`;
    return replaceSpan(input, file, block, { ...declared, kind: 'declaration', description, warnings });
  }

  const lines = [...block];
  const text = joinText(lines, [], file.eol, file.finalNewline || file.lines.length === 0);
  return {
    ok: true,
    placed: {
      kind: 'whole-file',
      text,
      description: 'replaces the whole file',
      startLine: 1,
      endLine: Math.max(1, lines.length),
      lineMap: block.map((_, i) => ({ line: i + 1, columnShift: 0 })),
      unchanged: text === input.fileText,
      warnings,
    },
  };
}

function placeDiff(input: PlacementInput, file: TextLines): Placement {
  const parts = parseUnifiedDiff(input.code);
  if (parts.length === 0) return { ok: false, reason: 'The diff has no hunks (no `@@` lines followed by changed lines).' };
  const part = diffPartFor(parts, input.path);
  if (!part) return { ok: false, reason: `The diff changes ${parts.length} files, none of them ${input.path ?? 'this file'}.` };
  const result = applyHunks(file.lines, file.eols, part.hunks);
  if (!result.ok) return result;
  const { applied } = result;
  const text = joinText(applied.lines, applied.eols, file.eol, file.finalNewline || file.lines.length === 0);
  const count = part.hunks.length;
  return {
    ok: true,
    placed: {
      kind: 'diff',
      text,
      description: `applies ${count} ${count === 1 ? 'hunk' : 'hunks'}`,
      startLine: applied.first + 1,
      endLine: applied.last + 1,
      lineMap: codeLines(input.code).map((_, i) => {
        const at = applied.blockLineAt.get(i);
        return at === undefined ? null : { line: at + 1, columnShift: 0 };
      }),
      unchanged: text === input.fileText,
      warnings: [],
    },
  };
}

/** The part of a diff for `path`: the only part, else the one whose path is `path` (or ends with it). */
function diffPartFor(parts: readonly DiffFile[], path: string | undefined): DiffFile | undefined {
  if (parts.length === 1) return parts[0];
  if (path === undefined) return undefined;
  return parts.find((part) => {
    const named = diffFilePath(part);
    return named !== null && (named === path || named.endsWith(`/${path}`) || path.endsWith(`/${named}`));
  });
}

interface SpanPlan {
  /** File lines replaced, 0-based inclusive. */
  start: number;
  end: number;
  /** Block lines placed, 0-based inclusive. */
  from: number;
  to: number;
  kind: 'span' | 'declaration';
  description: string;
  warnings: string[];
}

function replaceSpan(input: PlacementInput, file: TextLines, block: readonly string[], plan: SpanPlan): Placement {
  const placedLines = block.slice(plan.from, plan.to + 1);
  const { lines: newLines, shifts } = reindent(placedLines, indentOf(file.lines[plan.start] ?? ''));
  const lines = [...file.lines.slice(0, plan.start), ...newLines, ...file.lines.slice(plan.end + 1)];
  const eols = [...file.eols.slice(0, plan.start), ...newLines.map(() => ''), ...file.eols.slice(plan.end + 1)];
  const text = joinText(lines, eols, file.eol, file.finalNewline);
  return {
    ok: true,
    placed: {
      kind: plan.kind,
      text,
      description: plan.description,
      startLine: plan.start + 1,
      endLine: plan.start + newLines.length,
      lineMap: block.map((_, i) => (i < plan.from || i > plan.to ? null : { line: plan.start + 1 + i - plan.from, columnShift: shifts[i - plan.from] ?? 0 })),
      unchanged: text === input.fileText,
      warnings: plan.warnings,
    },
  };
}

/**
 * (b): file lines `start..end` whose trimmed text equals the block's first and last non-blank lines.
 * The first anchor must hold a word character (a lone `}` or `)` anchors nothing), and the pair's
 * indentation difference, in indentation steps, must be the block's (so a function's closing `}`
 * is taken, not an inner block's; tabs in the file and spaces in the block still agree). Of those,
 * the smallest span, then the earliest.
 */
function anchorSpan(file: readonly string[], block: readonly string[], from: number, to: number): { start: number; end: number } | undefined {
  const first = block[from] ?? '';
  const last = block[to] ?? '';
  const firstKey = first.trim();
  const lastKey = last.trim();
  if (!/\w/.test(firstKey)) return undefined;
  const blockSteps = (indentWidth(indentOf(last)) - indentWidth(indentOf(first))) / indentStep(block);
  const fileStep = indentStep(file);
  let best: { start: number; end: number } | undefined;
  for (let start = 0; start < file.length; start++) {
    if ((file[start] ?? '').trim() !== firstKey) continue;
    for (let end = from === to ? start : start + 1; end < file.length; end++) {
      if ((file[end] ?? '').trim() !== lastKey) continue;
      if ((indentWidth(indentOf(file[end] ?? '')) - indentWidth(indentOf(file[start] ?? ''))) / fileStep !== blockSteps) continue;
      if (!best || end - start < best.end - best.start) best = { start, end };
      break; // later ends only make this start's span longer
    }
  }
  return best;
}

/** The smallest indentation change between successive non-blank lines (columns; 1 when there is none). */
function indentStep(lines: readonly string[]): number {
  let step = Infinity;
  let previous: number | undefined;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const width = indentWidth(indentOf(line));
    if (previous !== undefined && width !== previous) step = Math.min(step, Math.abs(width - previous));
    previous = width;
  }
  return Number.isFinite(step) ? step : 1;
}

/** (c): the file's span of the one declaration the block redefines. */
function declarationSpan(
  file: readonly string[],
  block: readonly string[],
  family: DeclarationFamily,
): { start: number; end: number; from: number; to: number; declaration: Declaration } | undefined {
  const from = block.findIndex((line) => !isBlank(line));
  let at = from;
  while (at < block.length && (isBlank(block[at] ?? '') || isLeadingLine(block[at] ?? '', family))) at++;
  const declaration = declarationOf(block[at] ?? '', family);
  if (!declaration || declaration.name === '') return undefined;
  const blockEnd = declarationEnd(block, at, family, declaration);
  // The block must be this one declaration: nothing but blank lines after its extent.
  if (blockEnd === undefined || block.slice(blockEnd + 1).some((line) => !isBlank(line))) return undefined;
  const matches = file.flatMap((line, i) => {
    const found = declarationOf(line, family);
    return found && found.group === declaration.group && found.name === declaration.name ? [i] : [];
  });
  const match = matches.length === 1 ? matches[0] : undefined;
  if (match === undefined) return undefined;
  const end = declarationEnd(file, match, family, declaration);
  if (end === undefined) return undefined;
  let start = match;
  // The block's own comments and decorators replace the file's; without them the file keeps its own.
  if (at > from) while (start > 0 && !isBlank(file[start - 1] ?? '') && isLeadingLine(file[start - 1] ?? '', family)) start--;
  return { start, end, from, to: blockEnd, declaration };
}

const ELISION = [
  /^\s*(\/\/|#|\/\*|<!--|--)\s*(\.\.\.|…)/,
  /^\s*(\/\/|#|\/\*|<!--|--).*\b(existing|rest of( the)?|remaining|other|unchanged|omitted)\s+(code|implementation|body|methods?|functions?|lines|logic|fields|cases)\b/i,
  /^\s*(\/\/|#|\/\*|<!--|--).*\b(code|implementation|body|logic)\s+(stays\s+|remains\s+|is\s+)?(unchanged|the same|omitted|as before)\b/i,
];

/** Comments like `// ... existing code` stand for code the block leaves out: applying deletes it. */
function elisionWarnings(block: readonly string[]): string[] {
  const at = block.findIndex((line) => ELISION.some((pattern) => pattern.test(line)));
  if (at < 0) return [];
  const text = (block[at] ?? '').trim();
  return [`The block leaves code out (line ${at + 1}: "${text.length > 60 ? `${text.slice(0, 57)}…` : text}"); applying it replaces that code with the comment.`];
}
