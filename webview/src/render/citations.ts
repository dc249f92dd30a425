import type { SourcesInfo } from '../protocol';

/** What a flagged mark or link says about itself (its tooltip), and what the Sources warning says. */
export const FABRICATED_NOTE = 'not among the sources given to the model — possibly fabricated';

/**
 * A citation mark: `[3]`, or a list `[1, 4]`, not glued to a word before it (`items[0]` is code,
 * not a citation). Numbers of at most three digits: a prompt has a few sources, not thousands.
 */
const MARK = String.raw`(?<!\w)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]`;
/** Text inside these is never marked: code stays exactly as written, links and our buttons are links already. */
const SKIP = 'pre, code, kbd, samp, a, button, .citation-flag';
/** Flagged URLs searched for in the text (bounded: each adds an alternative to the pattern). */
const MAX_FLAGGED_URLS = 50;
const MAX_URL_CHARS = 2000;
/**
 * Marks made per pass at most. A reply cites a handful of sources; a text with tens of thousands of
 * `[n]` is not citing, and marking all of them would hold up the page for seconds. The rest stays text.
 */
const MAX_MARKS = 1000;

/**
 * Turns the citation marks in the rendered draft into buttons that open their source, and flags the
 * citations the sources do not back: marks of numbers that were not given, and links (or text) with
 * a URL the daemon found in neither the sources nor the thread.
 *
 * Works on the DOM the sanitizer produced, on text nodes only, and inserts its own elements with
 * text content only, so nothing from the reply becomes markup. Text directly under the container is
 * left alone (the draft renderer keeps references to those nodes). `apply` first undoes its previous
 * pass, so it can run again on the same DOM (other sources, or more blocks rendered) without marking
 * twice; the page calls it whenever the draft or its sources change.
 */
export class CitationMarks {
  /** Elements inserted in place of text: put back as text by `undo`. */
  private inserted: HTMLElement[] = [];
  /** Links of the reply flagged in place, with the title each had before. */
  private flaggedLinks: { link: HTMLAnchorElement; title: string | null }[] = [];
  private appliedRevision: number | undefined;
  private appliedKey = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly open: (number: number) => void,
  ) {}

  /**
   * Marks the draft for `info` (undefined: no marks, e.g. a run in progress or an older daemon).
   * `revision`: the draft renderer's, so an unchanged draft with unchanged sources costs nothing.
   */
  apply(info: SourcesInfo | undefined, revision: number): void {
    const key = info ? marksKey(info) : '';
    if (revision === this.appliedRevision && key === this.appliedKey) return;
    this.undo();
    this.appliedRevision = revision;
    this.appliedKey = key;
    if (!info) return;

    const given = new Set(info.given);
    const titles = new Map(info.cited.map((source) => [source.number, source.title]));
    const urls = flaggedUrls(info);
    const hrefs = new Set([...urls].map(normalised).filter((href) => href !== undefined));
    for (const link of Array.from(this.container.querySelectorAll('a'))) {
      if (linksTo(link, urls, hrefs)) this.flagLink(link);
    }

    const pattern = new RegExp(urls.size === 0 ? MARK : `${MARK}|(${[...urls].map(escapeRegExp).join('|')})`, 'g');
    for (const node of this.textNodes()) {
      if (this.inserted.length >= MAX_MARKS) break;
      const text = node.data;
      const parts: (string | HTMLElement)[] = [];
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        const start = match.index;
        parts.push(text.slice(last, start));
        const [whole, numbers] = match;
        if (numbers !== undefined) parts.push(...this.citation(whole, numbers, given, titles));
        else parts.push(this.flaggedText(whole));
        last = start + whole.length;
      }
      if (last === 0) continue;
      parts.push(text.slice(last));
      node.replaceWith(...parts.filter((part) => part !== ''));
    }
  }

  /** Text nodes that may hold marks, collected before any is replaced. */
  private textNodes(): Text[] {
    const doc = this.container.ownerDocument;
    const walker = doc.createTreeWalker(this.container, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = (node as Text).data;
      if (!text.includes('[') && !text.includes('://')) continue;
      const parent = node.parentElement;
      if (!parent || parent === this.container || parent.closest(SKIP)) continue;
      nodes.push(node as Text);
    }
    return nodes;
  }

  /** `[1]` as one button; `[1, 7]` as brackets and separators around one element per number. */
  private citation(whole: string, numbers: string, given: ReadonlySet<number>, titles: ReadonlyMap<number, string>): (string | HTMLElement)[] {
    const pieces = numbers.split(/(\d+)/);
    if (pieces.length === 3) return [this.mark(Number(numbers.trim()), whole, given, titles)];
    const parts: (string | HTMLElement)[] = ['['];
    pieces.forEach((piece, index) => parts.push(index % 2 === 1 ? this.mark(Number(piece), piece, given, titles) : piece));
    parts.push(']');
    return parts;
  }

  private mark(number: number, label: string, given: ReadonlySet<number>, titles: ReadonlyMap<number, string>): HTMLElement {
    const doc = this.container.ownerDocument;
    let element: HTMLElement;
    if (given.has(number)) {
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'citation';
      const title = titles.get(number);
      button.title = title === undefined ? `Open source [${number}]` : `Open source [${number}]: ${title}`;
      button.setAttribute('aria-label', title === undefined ? `Source ${number}` : `Source ${number}: ${title}`);
      button.addEventListener('click', () => this.open(number));
      element = button;
    } else {
      element = doc.createElement('span');
      element.className = 'citation-flag';
      element.title = `[${number}] is ${FABRICATED_NOTE}`;
    }
    element.textContent = label;
    this.inserted.push(element);
    return element;
  }

  private flaggedText(url: string): HTMLElement {
    const span = this.container.ownerDocument.createElement('span');
    span.className = 'citation-flag';
    span.title = `This link is ${FABRICATED_NOTE}`;
    span.textContent = url;
    this.inserted.push(span);
    return span;
  }

  private flagLink(link: HTMLAnchorElement): void {
    this.flaggedLinks.push({ link, title: link.getAttribute('title') });
    link.classList.add('citation-flag');
    link.title = `This link is ${FABRICATED_NOTE}`;
  }

  /** Puts back what the last pass changed, where it is still in the draft. */
  private undo(): void {
    const parents = new Set<Element>();
    for (const element of this.inserted) {
      const parent = element.parentElement;
      if (!parent || !this.container.contains(parent)) continue;
      element.replaceWith(element.textContent);
      parents.add(parent);
    }
    // Merges the text pieces back into one node per run of text (never at the container's level).
    for (const parent of parents) if (parent !== this.container) parent.normalize();
    for (const { link, title } of this.flaggedLinks) {
      link.classList.remove('citation-flag');
      if (title === null) link.removeAttribute('title');
      else link.title = title;
    }
    this.inserted = [];
    this.flaggedLinks = [];
  }
}

/** Everything of `info` the marks depend on. */
function marksKey(info: SourcesInfo): string {
  return JSON.stringify([info.given, info.cited.map((source) => [source.number, source.title]), info.flags]);
}

function flaggedUrls(info: SourcesInfo): Set<string> {
  const urls = new Set<string>();
  for (const flag of info.flags) {
    if (urls.size >= MAX_FLAGGED_URLS) break;
    if (flag.kind === 'unknown-url' && flag.text !== '' && flag.text.length <= MAX_URL_CHARS) urls.add(flag.text);
  }
  return urls;
}

/** The link's target or its text is one of `urls` as written, or its target is one of `hrefs` (the same, normalised). */
function linksTo(link: HTMLAnchorElement, urls: ReadonlySet<string>, hrefs: ReadonlySet<string>): boolean {
  if (urls.size === 0) return false;
  return urls.has(link.getAttribute('href') ?? '') || hrefs.has(link.href) || urls.has(link.textContent.trim());
}

function normalised(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
