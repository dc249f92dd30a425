import type { CitedSource, SourcesInfo } from './protocol';

export interface SourcesActions {
  /** Open source [number]: the host opens its local file, else its web link. */
  open: (number: number) => void;
  /** Open source [number]'s web link. */
  openUrl: (number: number) => void;
}

export const NO_RELEVANT_SOURCES = 'No relevant docs or past issues were found; the model was told to say it does not know.';
export const NO_INDEX_HINT = 'No index for this repository yet — run Threadwise: Reindex Knowledge';

/**
 * The Sources section under the draft (#sources): the sources the reply cites, `[n] title` and
 * their lines, each a button that asks the host to open it (by number only), with "Open on GitHub"
 * when it has a web link; a warning listing possibly fabricated citations; and a note when
 * retrieval found nothing or did not run. All text from the host is set as text, never as HTML.
 */
export class SourcesView {
  /** #sources; hidden while there is nothing to show. */
  readonly element: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly warning: HTMLElement;
  private readonly list: HTMLOListElement;
  /** What the section shows now (null before the first render). */
  private shown: SourcesInfo | undefined | null = null;

  constructor(
    private readonly doc: Document,
    private readonly actions: SourcesActions,
  ) {
    this.element = doc.createElement('section');
    this.element.id = 'sources';
    this.element.className = 'sources';
    this.element.setAttribute('aria-labelledby', 'sources-heading');
    this.element.hidden = true;
    const heading = doc.createElement('h2');
    heading.id = 'sources-heading';
    heading.className = 'sources-heading';
    heading.textContent = 'Sources';
    this.notes = doc.createElement('div');
    this.notes.className = 'sources-notes';
    this.warning = doc.createElement('p');
    this.warning.id = 'sources-warning';
    this.warning.className = 'sources-warning';
    this.warning.hidden = true;
    this.list = doc.createElement('ol');
    this.list.id = 'sources-list';
    this.list.className = 'sources-list';
    this.element.append(heading, this.warning, this.notes, this.list);
  }

  /** Shows `info`: a finished run's sources, or undefined (running, failed, or an older daemon: hidden). */
  render(info: SourcesInfo | undefined): void {
    if (info === this.shown) return;
    this.shown = info;
    const notes = info ? sourcesNotes(info) : [];
    const warning = info ? flagsWarning(info) : undefined;
    const cited = info?.cited ?? [];

    this.notes.replaceChildren(
      ...notes.map((note) => {
        const line = this.doc.createElement('p');
        line.className = 'sources-note';
        line.textContent = note;
        return line;
      }),
    );
    this.warning.hidden = warning === undefined;
    this.warning.textContent = warning ?? '';
    this.list.hidden = cited.length === 0;
    this.list.replaceChildren(...cited.map((source) => this.item(source)));
    this.element.hidden = notes.length === 0 && warning === undefined && cited.length === 0;
  }

  private item(source: CitedSource): HTMLLIElement {
    const item = this.doc.createElement('li');
    item.className = 'source';
    item.dataset.number = String(source.number);
    const label = `[${source.number}] ${source.title}`;
    let title: HTMLElement;
    if (source.openable) {
      const button = this.doc.createElement('button');
      button.type = 'button';
      button.className = 'source-open';
      button.title = openDescription(source);
      button.addEventListener('click', () => this.actions.open(source.number));
      title = button;
    } else {
      title = this.doc.createElement('span');
      title.className = 'source-title';
    }
    title.textContent = label;
    item.append(title);

    const lines = lineRange(source);
    if (lines !== undefined) {
      const range = this.doc.createElement('span');
      range.className = 'source-lines';
      range.textContent = lines;
      item.append(' ', range);
    }
    if (source.url !== undefined) {
      const web = this.doc.createElement('button');
      web.type = 'button';
      web.className = 'source-web';
      web.textContent = 'Open on GitHub';
      web.title = source.url;
      web.setAttribute('aria-label', `Open source ${source.number} on GitHub`);
      web.addEventListener('click', () => this.actions.openUrl(source.number));
      item.append(' ', web);
    }
    return item;
  }
}

/** `L10–L42` (or `L10` for one line); undefined without a valid range. */
export function lineRange(source: Pick<CitedSource, 'startLine' | 'endLine'>): string | undefined {
  const { startLine, endLine } = source;
  if (startLine === undefined || startLine < 1) return undefined;
  return endLine === undefined || endLine <= startLine ? `L${startLine}` : `L${startLine}–L${endLine}`;
}

function openDescription(source: CitedSource): string {
  const lines = lineRange(source);
  if (source.kind === 'doc' && lines !== undefined) return `Open source [${source.number}] at ${lines}`;
  return source.url === undefined ? `Open source [${source.number}]` : `Open source [${source.number}] on GitHub`;
}

/**
 * The lines that say what retrieval did when it is worth saying: nothing relevant found, no index
 * (with how to make one), retrieval skipped or failed (its reason), or no source cited.
 */
export function sourcesNotes(info: SourcesInfo): string[] {
  const notes: string[] = [];
  const reason = info.skippedReason?.trim();
  if (!info.indexed && (reason === undefined || reason === '' || /\bno index\b/i.test(reason))) notes.push(NO_INDEX_HINT);
  else if (reason !== undefined && reason !== '') notes.push(`Sources were not used: ${reason}`);
  if (info.noRelevantSources) notes.push(NO_RELEVANT_SOURCES);
  if (info.cited.length === 0 && info.given.length > 0) {
    notes.push(`The reply cites none of the ${info.given.length} ${info.given.length === 1 ? 'source' : 'sources'} given to the model.`);
  }
  return notes;
}

/** "⚠ Possibly fabricated, not among the sources given to the model: [7], https://…"; undefined when nothing is flagged. */
export function flagsWarning(info: SourcesInfo): string | undefined {
  const texts = [...new Set(info.flags.map((flag) => flag.text))];
  if (texts.length === 0) return undefined;
  return `⚠ Possibly fabricated, not among the sources given to the model: ${texts.join(', ')}`;
}
