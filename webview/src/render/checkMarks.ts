import type { BlockCheck, ChecksInfo } from '../protocol';
import { FENCE_CLASS } from './markdown';

/** Classes this pass puts on a fenced block's `<pre>` (never names the sanitizer lets the reply use). */
export const FAILED_BLOCK_CLASS = 'check-failed';
export const NOT_CHECKED_BLOCK_CLASS = 'check-not-checked';

/**
 * Marks the fenced code blocks of the rendered draft that fail their checks (or were not checked),
 * by their order among the fenced blocks, as the checks number them. Only attributes the panel owns
 * are set (a class and a tooltip, as text); nothing of the reply becomes markup.
 *
 * The marks are only as good as the numbering: when the draft shows another text than the checked
 * one (the person's edits), or its fenced blocks do not match the checked blocks in number (raw HTML
 * dressed as a code block, a fence the checker read otherwise), no block is marked rather than the
 * wrong one. `apply` undoes its previous pass first, so it can run again on the same DOM.
 */
export class CheckMarks {
  private marked: { element: HTMLElement; title: string | null }[] = [];
  private appliedRevision: number | undefined;
  private appliedChecks: ChecksInfo | undefined;

  constructor(private readonly container: HTMLElement) {}

  /**
   * Marks the draft for `checks` (undefined: no marks). `revision`: the draft renderer's, so an
   * unchanged draft with the same checks costs nothing.
   */
  apply(checks: ChecksInfo | undefined, revision: number): void {
    if (revision === this.appliedRevision && checks === this.appliedChecks) return;
    this.undo();
    this.appliedRevision = revision;
    this.appliedChecks = checks;
    if (!checks || checks.blocks.length === 0) return;
    const fences = Array.from(this.container.querySelectorAll<HTMLElement>(`pre.${FENCE_CLASS}`));
    if (fences.length !== checks.blocks.length) return;
    checks.blocks.forEach((block, position) => {
      const element = fences[position];
      const mark = blockMark(block);
      if (!element || !mark) return;
      this.marked.push({ element, title: element.getAttribute('title') });
      element.classList.add(mark.className);
      element.title = mark.title;
    });
  }

  private undo(): void {
    for (const { element, title } of this.marked) {
      element.classList.remove(FAILED_BLOCK_CLASS, NOT_CHECKED_BLOCK_CLASS);
      if (title === null) element.removeAttribute('title');
      else element.title = title;
    }
    this.marked = [];
  }
}

/** A failing block's mark, or a not-checked one's; none for a block that passed. */
function blockMark(block: BlockCheck): { className: string; title: string } | undefined {
  const name = `Block ${block.index + 1}`;
  if (block.failed) {
    const count = block.findings.filter((finding) => finding.severity !== 'info').length;
    const what = count > 0 ? `${count} ${count === 1 ? 'finding' : 'findings'}` : 'not checked';
    return { className: FAILED_BLOCK_CLASS, title: `${name} fails its checks (${what}): see Checks below` };
  }
  if (block.syntax === 'not-checked') return { className: NOT_CHECKED_BLOCK_CLASS, title: `${name} was not checked: see Checks below` };
  return undefined;
}
