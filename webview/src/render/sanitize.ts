import DOMPurify from 'dompurify';

/**
 * The only way HTML enters the page. Allow-lists what Markdown (plus GitHub's usual inline HTML)
 * produces; everything else goes, keeping its text. Rules, all required by the threat model
 * (thread text and model output are written by strangers):
 * - no scripts, event handlers, styles, forms, frames, embeds, SVG/MathML, `<base>`/`<meta>`/`<link>`;
 * - links only to http(s), mailto and `#` anchors, always `rel="noopener noreferrer"`;
 * - images never load: each `<img>` becomes the text "[image: alt]" (no `src`/`srcset` survives);
 * - no `id`/`name`/`data-*`/`aria-*` (they could clobber or spoof the panel's own elements);
 * - `class` keeps only highlight.js and `language-*` names (no borrowing the panel's classes).
 */
// `body` is the root DOMPurify parses into: not allowing it would make DOMPurify hoist deep clones of
// everything out of it (a copy of the whole render). A `<body>` in the text merges into that root.
const ALLOWED_TAGS = [
  'body', 'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre',
  'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var',
];
const ALLOWED_ATTR = ['href', 'title', 'alt', 'class', 'start', 'align', 'colspan', 'rowspan', 'open', 'reversed'];
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto):|#)/i;
const ALLOWED_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|[a-z]+_+|task)$/;

const purify = DOMPurify(window);
purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = data.attrValue.split(/\s+/).filter((name) => ALLOWED_CLASS.test(name)).join(' ');
    if (data.attrValue === '') data.keepAttr = false;
  }
});
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
});

/**
 * Sanitizes `html` into nodes of an inert document (nothing in them loads or runs until they are
 * inserted; images are already gone by then), to append where they belong. The HTML is wrapped in
 * one `<div>`, so a render is normally one node to move into the page, not one per block (moving
 * thousands of nodes one by one is what made a 2 MB reply slow). Stray end tags in the HTML can
 * close the wrapper early: then there are several nodes, all sanitized all the same.
 */
export function sanitizeToNodes(html: string): ChildNode[] {
  const body = purify.sanitize(`<div>${html}</div>`, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    RETURN_DOM: true,
  }) as HTMLElement; // RETURN_DOM: the <body> of DOMPurify's inert document
  replaceImages(body);
  return Array.from(body.childNodes);
}

function replaceImages(root: HTMLElement): void {
  for (const img of Array.from(root.getElementsByTagName('img'))) {
    const alt = img.getAttribute('alt')?.trim();
    const text = img.ownerDocument.createElement('span');
    text.className = 'image-alt';
    text.textContent = alt ? `[image: ${alt}]` : '[image]';
    img.replaceWith(text);
  }
}
