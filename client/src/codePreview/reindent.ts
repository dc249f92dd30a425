/**
 * Re-indenting a code block to where it lands in a file (pure, no VS Code). Models answer with a
 * method or a branch at column 0; placed inside a class it must take the file's indentation.
 */
import { indentOf, indentWidth, isBlank } from './textLines';

export interface Reindented {
  lines: string[];
  /** Per line: how many characters its indentation grew by (to shift finding columns). */
  shifts: number[];
}

/**
 * Gives `block` the indentation `target` at its first non-blank line, when the block is uniformly
 * less indented: every non-blank line starts with the first one's indentation, which is narrower
 * than `target`. Deeper indentation is kept relative; when `target` uses tabs and the block's deeper
 * indentation is spaces, each step of the block's smallest indentation step becomes a tab. A block
 * indented as much as the file or more, or not uniformly, is returned as it is.
 */
export function reindent(block: readonly string[], target: string): Reindented {
  const unchanged = { lines: [...block], shifts: block.map(() => 0) };
  const firstLine = block.find((line) => !isBlank(line));
  if (firstLine === undefined) return unchanged;
  const base = indentOf(firstLine);
  if (indentWidth(base) >= indentWidth(target)) return unchanged;
  if (!block.every((line) => isBlank(line) || line.startsWith(base))) return unchanged;
  const tabs = target.includes('\t');
  const steps = block
    .filter((line) => !isBlank(line))
    .map((line) => indentOf(line.slice(base.length)))
    .filter((rest) => rest.length > 0 && !rest.includes('\t'))
    .map((rest) => rest.length);
  const step = steps.length > 0 ? Math.min(...steps) : 4;
  const lines: string[] = [];
  const shifts: number[] = [];
  for (const line of block) {
    if (isBlank(line)) {
      lines.push(line);
      shifts.push(0);
      continue;
    }
    const rest = line.slice(base.length);
    let deeper = indentOf(rest);
    if (tabs && deeper.length > 0 && !deeper.includes('\t')) deeper = '\t'.repeat(Math.floor(deeper.length / step)) + ' '.repeat(deeper.length % step);
    const next = target + deeper + rest.slice(indentOf(rest).length);
    lines.push(next);
    shifts.push(next.length - line.length);
  }
  return { lines, shifts };
}
