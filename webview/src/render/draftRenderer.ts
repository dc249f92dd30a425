import type { Links, Token } from 'marked';
import { countFinalBlocks } from './blockBoundaries';
import { lex, referenceLinks, renderTokens } from './markdown';
import { sanitizeToNodes } from './sanitize';

/** A streaming re-render of the trailing blocks may use at most this share of wall time. */
const STREAMING_DUTY_CYCLE = 0.25;
/** A long text not yet on screen (a restored or `done` 2 MB reply) is committed in slices this big… */
const SLICE_CHARS = 16 * 1024;
/** …for at most this long per update; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 12;

/**
 * Renders a growing Markdown text into a container without re-rendering what is already final.
 *
 * The text is cut into top-level blocks (marked's tokens). Blocks that later text cannot change
 * (`countFinalBlocks`) are rendered once and kept; each update lexes and renders only the text after them. So an
 * update costs about the size of the new text, and a 2 MB reply streams without the O(n²) of
 * re-rendering everything per frame. A long text that arrives at once is committed in slices over
 * several frames.
 *
 * A text that does not extend the rendered one (a new run, or a `done` whose authoritative text
 * differs) rebuilds the container; so does the final render of a text with reference definitions
 * (`[x]: url`), whose links may sit in blocks rendered before the definition arrived: that render
 * lexes every slice with all of the text's definitions.
 */
export class DraftRenderer {
  /** Source of the final blocks, which are the container's children before `tailNodes`. */
  private committed = '';
  private tailNodes: ChildNode[] = [];
  /** The text last passed to a completed update. */
  private rendered: string | undefined;
  private renderedFinal = false;
  private nextTailRenderAt = 0;
  /** `committed.length` at which a slice held no final block (one huge block): stop slicing there. */
  private stuckAt = -1;
  /** The whole text's reference definitions, for a final render that has them. */
  private links: Links | undefined;
  private referencesChecked = false;
  private changes = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Grows whenever the container's content may have changed (an update that did work, a clear), so
   * a pass over the rendered DOM (the citation marks) knows when it must run again.
   */
  get revision(): number {
    return this.changes;
  }

  /** The text of the last completed update ('' after `clear`). */
  get text(): string {
    return this.rendered ?? '';
  }

  /**
   * Shows `text` (`final`: the run is over, so this is the last update). Returns false when it did
   * only part of the work to keep the frame short, or deferred a costly streaming re-render; the
   * caller calls again on a later frame.
   */
  update(rawText: string, final: boolean): boolean {
    if (rawText === this.rendered && (this.renderedFinal || !final)) return true;
    const start = this.now();
    const text = rawText.includes('\r') ? rawText.replace(/\r\n?/g, '\n') : rawText;
    const extends_ = text.startsWith(this.committed);
    if (!final && extends_ && start < this.nextTailRenderAt) return false;
    this.changes++;
    if (!extends_) this.clear();
    if (final && !this.referencesChecked) {
      const links = referenceLinks(text);
      if (links) {
        this.clear();
        this.links = links;
      }
      this.referencesChecked = true;
    }

    while (text.length - this.committed.length > SLICE_CHARS && this.committed.length !== this.stuckAt) {
      if (this.now() - start > FRAME_BUDGET_MS) return false;
      const slice = text.slice(this.committed.length, this.committed.length + SLICE_CHARS);
      if (this.commitFinalBlocks(slice, lex(slice, this.links)) === 0) this.stuckAt = this.committed.length;
    }

    const tail = text.slice(this.committed.length);
    const tokens = lex(tail, this.links);
    const committedCount = this.commitFinalBlocks(tail, tokens);
    this.removeTail();
    this.tailNodes = renderBlocks(tokens.slice(committedCount));
    this.container.append(...this.tailNodes);

    this.rendered = rawText;
    this.renderedFinal = final;
    const cost = this.now() - start;
    this.nextTailRenderAt = this.now() + cost / STREAMING_DUTY_CYCLE - cost;
    return true;
  }

  clear(): void {
    this.changes++;
    this.container.replaceChildren();
    this.committed = '';
    this.tailNodes = [];
    this.rendered = undefined;
    this.renderedFinal = false;
    this.nextTailRenderAt = 0;
    this.stuckAt = -1;
    this.links = undefined;
    this.referencesChecked = false;
  }

  /**
   * Renders and keeps the final blocks among `tokens`, lexed from `source` (the text right after
   * `committed`). Returns how many tokens it committed.
   */
  private commitFinalBlocks(source: string, tokens: Token[]): number {
    const count = countFinalBlocks(tokens);
    if (count === 0) return 0;
    const blocks = tokens.slice(0, count);
    const raw = blocks.map((token) => token.raw).join('');
    // Commit only when marked's blocks map back onto the text exactly.
    if (!source.startsWith(raw)) return 0;
    this.removeTail();
    this.container.append(...renderBlocks(blocks));
    this.committed += raw;
    return count;
  }

  private removeTail(): void {
    for (const node of this.tailNodes) node.remove();
    this.tailNodes = [];
  }
}

/** One wrapper `<div>` (normally) holding the blocks' sanitized HTML; none for no tokens. */
function renderBlocks(tokens: Token[]): ChildNode[] {
  return tokens.length === 0 ? [] : sanitizeToNodes(renderTokens(tokens));
}
