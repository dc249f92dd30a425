import type { Token, Tokens } from 'marked';

/** Elements without an end tag, or whose end tag is optional (the parser closes them itself). */
const NEVER_OPEN = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'colgroup', 'caption', 'rb', 'rt', 'rp',
]);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)\b[^>]*?(\/?)>/g;

/**
 * How many leading top-level tokens are final, i.e. render the same whatever text is appended:
 * - all tokens before the last two non-blank ones: the one right after a final block has ended too,
 *   so nothing appended can merge into it (a paragraph turning into a setext heading, "2" growing
 *   into the next item of a list);
 * - and only up to a point where every raw HTML element opened so far is closed: `<details>`, a
 *   paragraph, `</details>` are three blocks that the browser must parse as one.
 */
export function countFinalBlocks(tokens: readonly Token[]): number {
  let limit = 0;
  let nonBlank = 0;
  for (let index = tokens.length - 1; index >= 0; index--) {
    if (tokens[index]?.type !== 'space' && ++nonBlank === 2) {
      limit = index;
      break;
    }
  }
  let depth = 0;
  let final = 0;
  for (let index = 0; index < limit; index++) {
    const token = tokens[index];
    if (token) depth = Math.max(0, depth + htmlDepthChange(token));
    if (depth === 0) final = index + 1;
  }
  return final;
}

/** Elements opened minus closed by the raw HTML in `token` and its children (inline tags included). */
function htmlDepthChange(token: Token): number {
  if (token.type === 'html') return countTags(token.raw);
  let change = 0;
  for (const child of childTokens(token)) change += htmlDepthChange(child);
  return change;
}

function childTokens(token: Token): Token[] {
  const children: Token[] = [];
  const nested: unknown = (token as { tokens?: unknown }).tokens;
  if (Array.isArray(nested)) children.push(...(nested as Token[]));
  if (token.type === 'list') children.push(...(token as Tokens.List).items);
  if (token.type === 'table') {
    const table = token as Tokens.Table;
    for (const cell of table.header) children.push(...cell.tokens);
    for (const row of table.rows) for (const cell of row) children.push(...cell.tokens);
  }
  return children;
}

function countTags(html: string): number {
  let change = 0;
  for (const [, closing, name = '', selfClosing] of html.matchAll(TAG)) {
    if (selfClosing || NEVER_OPEN.has(name.toLowerCase())) continue;
    change += closing ? -1 : 1;
  }
  return change;
}
