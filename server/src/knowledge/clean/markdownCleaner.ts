import { closesFence, isBlank, openingFence, type Fence } from './markdownFence';

/**
 * Markdown (md, markdown, mdx) → the Markdown the chunker reads, line for line: front matter, MDX
 * `import`/`export` blocks and HTML comments become empty lines. Code fences are left alone: a
 * comment or an `import` inside code is code.
 */
export function cleanMarkdownLines(lines: readonly string[]): string[] {
  const out = lines.slice();
  const bodyStart = blankFrontMatter(out);
  let fence: Fence | null = null;
  for (let i = bodyStart; i < out.length; i++) {
    const line = out[i]!;
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    fence = openingFence(line);
    if (fence !== null) continue;
    const startsBlock = i === bodyStart || isBlank(out[i - 1]!);
    if (startsBlock && isMdxEsmLine(line)) {
      // An MDX ESM block runs to the next blank line.
      while (i < out.length && !isBlank(out[i]!)) out[i++] = '';
      continue;
    }
  }
  return blankHtmlComments(out);
}

/**
 * Removes HTML comments (`<!-- … -->`, on one line or across lines) outside code fences and code
 * spans; lines wholly inside a comment become empty. A comment that is never closed is left as it is
 * rather than swallowing the rest of the document.
 */
export function blankHtmlComments(lines: readonly string[]): string[] {
  const out = lines.slice();
  let lastCloseLine = -1;
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]!.includes('-->')) {
      lastCloseLine = i;
      break;
    }
  }
  let fence: Fence | null = null;
  let inComment = false;
  for (let i = 0; i < out.length; i++) {
    let line = out[i]!;
    let kept = '';
    if (inComment) {
      const close = line.indexOf('-->');
      if (close < 0) {
        out[i] = '';
        continue;
      }
      inComment = false;
      line = line.slice(close + 3);
    } else if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      continue;
    } else {
      fence = openingFence(line);
      if (fence !== null) continue;
    }
    // Remove the comments that start on this line; `scan`/`ticks` count backticks to skip code spans.
    let pos = 0;
    let scan = 0;
    let ticks = 0;
    for (;;) {
      let open = line.indexOf('<!--', pos);
      while (open >= 0) {
        for (; scan < open; scan++) if (line.charCodeAt(scan) === 96) ticks++;
        if (ticks % 2 === 0) break;
        open = line.indexOf('<!--', open + 4);
      }
      if (open < 0) break;
      const close = line.indexOf('-->', open + 4);
      if (close >= 0) {
        kept += line.slice(pos, open);
        pos = scan = close + 3;
        continue;
      }
      if (lastCloseLine > i) {
        kept += line.slice(pos, open);
        pos = line.length;
        inComment = true;
      }
      break;
    }
    const cleaned = kept + line.slice(pos);
    out[i] = cleaned.trim() === '' ? '' : cleaned;
  }
  return out;
}

/**
 * Blanks YAML (`---` … `---` or `...`) or TOML (`+++` … `+++`) front matter at the very top and
 * returns the index of the first line after it (0 when there is none). An opening line that is never
 * closed is not front matter.
 */
function blankFrontMatter(out: string[]): number {
  const first = out[0]?.trimEnd();
  if (first !== '---' && first !== '+++') return 0;
  for (let j = 1; j < out.length; j++) {
    const line = out[j]!.trimEnd();
    if (line === first || (first === '---' && line === '...')) {
      for (let k = 0; k <= j; k++) out[k] = '';
      return j + 1;
    }
  }
  return 0;
}

/** MDX's top-level ESM: `import … from '…'`, `import '…'`, `export const …`, `export default …`. */
function isMdxEsmLine(line: string): boolean {
  return (
    /^import\s+(?:['"]|[\w$]+\s*(?:,|from\b)|[{*])/.test(line) ||
    /^export\s+(?:(?:const|let|var|function|async|class|default|type|interface)\b|[{*])/.test(line)
  );
}
