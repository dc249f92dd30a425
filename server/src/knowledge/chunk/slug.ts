/**
 * GitHub's heading anchors, so that a chunk can link to `file.md#its-heading` exactly as GitHub
 * renders it. The algorithm is github-slugger's (the one GitHub uses): take the heading's rendered
 * text, lowercase it, drop every character that is not a letter, mark, number, connector punctuation
 * (`_`), space or `-`, and turn each space into `-`. A slug seen before in the same document gets
 * `-1`, `-2`, … appended.
 */
export function githubSlug(heading: string, seen: Map<string, number>): string {
  return githubSlugOfText(inlineMarkdownToText(heading), seen);
}

/** githubSlug for a heading already reduced to its text (see inlineMarkdownToText). */
export function githubSlugOfText(text: string, seen: Map<string, number>): string {
  const lower = text.toLowerCase();
  const base = (/^[a-z0-9_ -]*$/.test(lower) ? lower : lower.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')).replace(/ /g, '-');
  let slug = base;
  while (seen.has(slug)) {
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    slug = `${base}-${count}`;
  }
  seen.set(slug, 0);
  return slug;
}

/**
 * The plain text of one line of inline Markdown, roughly as rendered: code spans keep their content,
 * links and images become their text, emphasis markers, HTML tags and backslash escapes go. Spaces
 * are kept as they are (GitHub's anchors count them), only the ends are trimmed.
 */
export function inlineMarkdownToText(markdown: string): string {
  const parts: string[] = [];
  // Code spans first: what is inside them is literal (no emphasis, no links).
  const codeSpan = /(`+)(.+?)\1(?!`)/g;
  let last = 0;
  for (let m = codeSpan.exec(markdown); m !== null; m = codeSpan.exec(markdown)) {
    parts.push(proseToText(markdown.slice(last, m.index)), stripCodeSpanPadding(m[2]!));
    last = m.index + m[0].length;
  }
  parts.push(proseToText(markdown.slice(last)));
  return parts.join('').trim();
}

function stripCodeSpanPadding(code: string): string {
  return code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code;
}

/** Escaped punctuation is parked on private-use characters while the markup around it is removed. */
const ESCAPE_BASE = 0xe100;

function proseToText(text: string): string {
  if (!/[\\!*_~[<]/.test(text)) return text; // nothing to reduce (most headings)
  return text
    .replace(/\\([!-/:-@[-`{-~])/g, (_m, ch: string) => String.fromCharCode(ESCAPE_BASE + ch.charCodeAt(0)))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // inline links
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1') // reference links
    .replace(/<((?:https?|mailto):[^<>\s]*)>/g, '$1') // autolinks
    .replace(/<\/?[A-Za-z][^<>]*>/g, '') // inline HTML
    .replace(/(\*{1,3}|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2') // *em*, **strong**, ~~strike~~
    .replace(/(^|[^\p{L}\p{N}_])(_{1,3})(?=\S)(.+?)(?<=\S)\2(?![\p{L}\p{N}_])/gu, '$1$3') // _em_, not snake_case
    .replace(/[\ue121-\ue17e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - ESCAPE_BASE)); // escaped punctuation, back
}
