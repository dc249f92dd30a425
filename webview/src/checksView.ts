import type { BlockCheck, CheckFindingInfo, ChecksInfo, InjectionFindingInfo, RepairCycleInfo, SecretInfo } from './protocol';
import type { ShownChecks } from './shownChecks';

export interface ChecksActions {
  /** Preview code block `index` (0-based) of the draft as it is now in the editor. */
  preview: (index: number) => void;
}

export const EDITED_NOTE = 'You edited the draft: these checks are of the generated text. Posting checks your text again.';
/** The note under checks of an earlier edit, when the draft changed again since they ran. */
export const EDITED_AGAIN_NOTE = 'You edited the draft since these checks ran. Posting checks your text again.';
/** Above the summary when the checks are the host's checks of the person's edited draft. */
export const EDIT_SCOPE = 'Checks of your edited draft';

/**
 * The Checks section under the draft (#checks) and the injection banner above it (#injection-banner):
 * a one-line summary, the repair history, possible secrets (masked), and one row per code block with
 * its language, file, syntax and security status, its findings, and a "Preview in Editor" button
 * that asks the host by the block's index only. A block nobody could check says so and never looks
 * like a passing one. The checks are the run's (of the generated text) or, once the person edited
 * the draft and the host checked it again, those of the edit, which the section says; a note says
 * when the draft on screen is no longer the text they ran on. All text from the host is set as
 * text, never as HTML.
 */
export class ChecksView {
  /** #checks; hidden while there is nothing to show. */
  readonly element: HTMLElement;
  /** #injection-banner; shown when the thread was flagged for prompt injection. */
  readonly banner: HTMLElement;
  private readonly bannerText: HTMLElement;
  private readonly bannerList: HTMLUListElement;
  /** "Checks of your edited draft", shown above the summary for an edit's checks. */
  private readonly scope: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly repair: HTMLElement;
  private readonly edited: HTMLElement;
  private readonly secrets: HTMLUListElement;
  private readonly blocks: HTMLOListElement;
  /** What the section shows now (null before the first render). */
  private shown: { shown: ShownChecks | undefined } | null = null;

  constructor(
    private readonly doc: Document,
    private readonly actions: ChecksActions,
  ) {
    this.banner = this.make('div', 'injection-banner', 'injection-banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.bannerText = this.make('p', 'injection-text');
    this.bannerList = this.make('ul', 'injection-findings');
    this.banner.append(this.bannerText, this.bannerList);

    this.element = this.make('section', 'checks', 'checks');
    this.element.setAttribute('aria-labelledby', 'checks-heading');
    this.element.hidden = true;
    const heading = this.make('h2', 'checks-heading', 'checks-heading');
    heading.textContent = 'Checks';
    this.scope = this.make('p', 'checks-scope', 'checks-scope');
    this.scope.textContent = EDIT_SCOPE;
    this.scope.hidden = true;
    this.summary = this.make('p', 'checks-summary', 'checks-summary');
    this.repair = this.make('p', 'checks-repair', 'checks-repair');
    this.edited = this.make('p', 'checks-note', 'checks-edited');
    this.edited.textContent = EDITED_NOTE;
    this.secrets = this.make('ul', 'checks-secrets', 'checks-secrets');
    this.blocks = this.make('ol', 'checks-blocks', 'checks-blocks');
    this.element.append(heading, this.scope, this.summary, this.repair, this.edited, this.secrets, this.blocks);
  }

  /**
   * Shows `shown` (shownChecks.ts): a finished run's checks or its edited draft's, or undefined
   * (running, failed, or an older daemon: all hidden).
   */
  render(shown: ShownChecks | undefined): void {
    const previous = this.shown?.shown;
    if (this.shown !== null && previous?.info === shown?.info && previous?.of === shown?.of && previous?.current === shown?.current) return;
    this.shown = { shown };
    const info = shown?.info;

    const injection = info?.injection.flagged ? info : undefined;
    this.banner.hidden = injection === undefined;
    this.bannerText.textContent = injection ? injectionText(injection.strict) : '';
    this.bannerList.replaceChildren(...(injection?.injection.findings ?? []).map((finding) => this.injectionItem(finding)));

    this.element.hidden = info === undefined;
    if (!info) {
      this.summary.textContent = '';
      this.repair.textContent = '';
      this.secrets.replaceChildren();
      this.blocks.replaceChildren();
      return;
    }
    const summary = checksSummary(info);
    this.summary.textContent = summary.text;
    this.summary.className = `checks-summary ${summary.state}`;
    const history = repairHistory(info.repairs);
    this.repair.hidden = history === undefined;
    this.repair.textContent = history ?? '';
    this.scope.hidden = shown?.of !== 'edit';
    this.edited.hidden = shown?.current !== false;
    this.edited.textContent = shown?.of === 'edit' ? EDITED_AGAIN_NOTE : EDITED_NOTE;
    this.secrets.hidden = info.secrets.length === 0;
    this.secrets.replaceChildren(...info.secrets.map((secret) => this.secretItem(secret)));
    this.blocks.hidden = info.blocks.length === 0;
    this.blocks.replaceChildren(...info.blocks.map((block) => this.blockItem(block)));
  }

  private blockItem(block: BlockCheck): HTMLLIElement {
    const item = this.make('li', `check-block ${blockState(block)}`);
    item.dataset.index = String(block.index);
    const head = this.make('p', 'check-block-head');
    const title = this.make('span', 'check-block-title');
    title.textContent = blockLabel(block);
    const status = this.make('span', 'check-block-status');
    status.textContent = blockStatus(block);
    const preview = this.make('button', 'check-preview');
    preview.type = 'button';
    preview.textContent = 'Preview in Editor';
    preview.title = `Open block ${block.index + 1} in the editor, with its findings`;
    preview.setAttribute('aria-label', `Preview block ${block.index + 1} in the editor`);
    preview.addEventListener('click', () => this.actions.preview(block.index));
    head.append(title, ' — ', status, ' ', preview);
    item.append(head);
    if (block.findings.length > 0) {
      const list = this.make('ul', 'check-findings');
      list.append(...block.findings.map((finding) => this.findingItem(finding)));
      item.append(list);
    }
    return item;
  }

  private findingItem(finding: CheckFindingInfo): HTMLLIElement {
    const item = this.make('li', `check-finding severity-${finding.severity}`);
    const line = this.make('span', 'finding-line');
    line.textContent = finding.line >= 1 ? `line ${finding.line}` : 'line ?';
    const rule = this.make('code', 'finding-rule');
    rule.textContent = finding.ruleId;
    const severity = this.make('span', 'finding-severity');
    severity.textContent = finding.severity;
    const message = this.make('span', 'finding-message');
    message.textContent = finding.message;
    item.append(line, ' ', rule, ' (', severity, '): ', message);
    return item;
  }

  private secretItem(secret: SecretInfo): HTMLLIElement {
    const item = this.make('li', 'check-secret');
    const masked = this.make('code', 'secret-masked');
    masked.textContent = secret.masked;
    item.append(`Possible secret (${secret.ruleId}) on line ${secret.line}: `, masked, ' — remove it before posting.');
    return item;
  }

  private injectionItem(finding: InjectionFindingInfo): HTMLLIElement {
    const item = this.make('li', 'injection-finding');
    const where = this.make('span', 'injection-where');
    where.textContent = finding.where;
    const message = this.make('span', 'injection-message');
    message.textContent = finding.message;
    item.append(where, ': ', message);
    if (finding.excerpt !== '') {
      const excerpt = this.make('q', 'injection-excerpt');
      excerpt.textContent = finding.excerpt;
      item.append(' ', excerpt);
    }
    item.title = finding.ruleId;
    return item;
  }

  private make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, id?: string): HTMLElementTagNameMap[K] {
    const element = this.doc.createElement(tag);
    element.className = className;
    if (id !== undefined) element.id = id;
    return element;
  }
}

/** The banner's words: the thread is data to the model, and (when so) the reply was checked strictly. */
export function injectionText(strict: boolean): string {
  const checked = strict ? '; the reply was checked strictly' : '';
  return `⚠ This thread contains text that tries to instruct the model (possible prompt injection). It was given to the model as data${checked}.`;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** `passed`: nothing fails and everything was checked; `unchecked`: nothing fails but some block was not checked. */
export type ChecksState = 'passed' | 'unchecked' | 'failed';

/**
 * "All checks passed", "No check failed · 1 of 2 code blocks not checked", or what fails:
 * "2 of 3 code blocks fail · 1 not checked · 1 possible secret · 1 unknown source".
 */
export function checksSummary(info: ChecksInfo): { text: string; state: ChecksState } {
  const total = info.blocks.length;
  const failed = info.blocks.filter((block) => block.failed).length;
  const notChecked = info.blocks.filter((block) => blockState(block) === 'not-checked').length;
  const blocks = (count: number): string => `${count} of ${plural(total, 'code block', 'code blocks')}`;
  // After "1 of 3 code blocks fails", "1 not checked" says enough.
  const unchecked = notChecked === 0 ? [] : [failed > 0 ? `${notChecked} not checked` : `${blocks(notChecked)} not checked`];
  if (info.passed && failed === 0) {
    return notChecked === 0 ? { text: 'All checks passed', state: 'passed' } : { text: ['No check failed', ...unchecked].join(' · '), state: 'unchecked' };
  }
  const parts: string[] = [];
  if (failed > 0) parts.push(`${blocks(failed)} ${failed === 1 ? 'fails' : 'fail'}`);
  parts.push(...unchecked);
  if (info.secrets.length > 0) parts.push(plural(info.secrets.length, 'possible secret', 'possible secrets'));
  if (info.unknownSources > 0) parts.push(plural(info.unknownSources, 'unknown source', 'unknown sources'));
  if (failed === 0 && info.secrets.length === 0 && info.unknownSources === 0) parts.unshift(plural(info.failures, 'failing finding', 'failing findings'));
  return { text: parts.join(' · '), state: 'failed' };
}

/** "Repaired in 1 cycle: 3 → 0 failing findings" or "Still failing after 2 repair cycles: 3 → 1 failing findings"; undefined when no repair ran. */
export function repairHistory(repairs: readonly RepairCycleInfo[]): string | undefined {
  const first = repairs[0];
  const last = repairs.at(-1);
  if (!first || !last || repairs.length < 2) return undefined;
  const cycles = repairs.length - 1;
  const figures = `${first.failures} → ${last.failures} failing ${last.failures === 1 ? 'finding' : 'findings'}`;
  return last.passed ? `Repaired in ${plural(cycles, 'cycle', 'cycles')}: ${figures}` : `Still failing after ${plural(cycles, 'repair cycle', 'repair cycles')}: ${figures}`;
}

/** "Block 2 · python · scripts/fix.py". */
export function blockLabel(block: BlockCheck): string {
  const parts = [`Block ${block.index + 1}`, block.language ?? 'no language'];
  if (block.file !== undefined && block.file !== '') parts.push(block.file);
  return parts.join(' · ');
}

/** "syntax ok · 2 security findings", "syntax error · no security findings", "not checked: unknown language `rust`". */
export function blockStatus(block: BlockCheck): string {
  const notChecked = `not checked${block.notCheckedReason ? `: ${block.notCheckedReason}` : ''}`;
  if (block.syntax === 'not-checked' && block.security === 'not-checked') return notChecked;
  const syntax = block.syntax === 'ok' ? 'syntax ok' : block.syntax === 'error' ? 'syntax error' : 'syntax not checked';
  const security = block.findings.filter((finding) => finding.kind === 'security').length;
  const securityText = block.security === 'not-checked' ? 'security not checked' : security === 0 ? 'no security findings' : plural(security, 'security finding', 'security findings');
  return `${syntax} · ${securityText}`;
}

/**
 * The row's class: `failed`, `not-checked` when no checker knows its language (never shown as
 * passing), or `passed` (its status line still says when only the security check did not apply).
 */
export function blockState(block: BlockCheck): 'failed' | 'not-checked' | 'passed' {
  if (block.failed) return 'failed';
  return block.syntax === 'not-checked' ? 'not-checked' : 'passed';
}
