import type { ChecksView } from './checksView';
import { actionButton, elementFactory, setText } from './dom';
import { badgeView, metricsText, metricsTitle, statusText } from './format';
import type { PostView } from './postView';
import type { PersistedState, SourcesInfo, ThreadInfo } from './protocol';
import { shownChecks } from './shownChecks';
import type { SourcesView } from './sourcesView';
import { inProgress } from './store';

export interface ViewActions {
  stop: () => void;
  regenerate: () => void;
  copy: () => void;
}

/** How long the Copy button says "Copied". */
const COPY_FEEDBACK_MS = 1500;

/**
 * The panel's DOM apart from the draft's content: header, actions, status, badge, error, metrics,
 * the posting controls of `posting` (Edit, Post, the editor, the post status) placed among them, the
 * injection banner of `checks` under the header, and its Checks section and the Sources section of
 * `sources` under the draft (shown once a run is over).
 * Every string from the host is set as text (`textContent`), never parsed as HTML; the draft's
 * Markdown goes through `render/` instead. The ids are a contract with the UI tests.
 */
export class SuggestionView {
  readonly draft: HTMLElement;
  private readonly title: HTMLElement;
  private readonly titleText: HTMLElement;
  private readonly ref: HTMLElement;
  private readonly link: HTMLAnchorElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly regenerateButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;
  private copyFeedbackTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    actions: ViewActions,
    private readonly posting: PostView,
    private readonly sources: SourcesView,
    private readonly checks: ChecksView,
  ) {
    const doc = root.ownerDocument;
    const make = elementFactory(doc);

    this.title = make('h1', { id: 'thread-title' });
    this.titleText = make('span', { className: 'title-text' });
    this.ref = make('span', { className: 'title-ref' });
    this.title.append(this.titleText, ' ', this.ref);
    this.link = make('a', { id: 'thread-link', className: 'thread-link' }, { rel: 'noopener noreferrer' });
    this.link.textContent = 'Open thread';
    this.link.hidden = true;
    const header = make('header', { className: 'header' });
    header.append(this.title, this.link);

    this.stopButton = actionButton(doc, 'stop', 'Stop', 'Stop generating (Escape)', actions.stop);
    this.stopButton.setAttribute('aria-keyshortcuts', 'Escape');
    this.regenerateButton = actionButton(doc, 'regenerate', 'Regenerate', 'Draft the reply again', actions.regenerate);
    this.copyButton = actionButton(doc, 'copy', 'Copy', 'Copy the draft as Markdown', actions.copy);
    this.badge = make('span', { id: 'badge', className: 'badge' }, { role: 'img' });
    this.badge.hidden = true;
    const actionsBar = make('div', { className: 'actions' });
    actionsBar.append(this.stopButton, this.regenerateButton, this.copyButton, posting.editButton, posting.postButton, this.badge);

    // Polite live regions announce state changes; the streaming draft itself is not live.
    this.status = make('p', { id: 'status', className: 'status' }, { role: 'status', 'aria-live': 'polite' });
    this.error = make('div', { id: 'error', className: 'error' }, { role: 'alert' });
    this.draft = make('article', { id: 'draft', className: 'draft markdown' }, { 'aria-label': 'Draft reply', 'aria-busy': 'false', tabindex: '0' });
    this.metrics = make('p', { id: 'metrics', className: 'metrics' });
    this.announcer = make('div', { className: 'visually-hidden' }, { role: 'status', 'aria-live': 'polite' });

    root.replaceChildren(
      header,
      checks.banner,
      actionsBar,
      this.status,
      posting.status,
      this.error,
      this.draft,
      posting.editor,
      checks.element,
      sources.element,
      this.metrics,
      this.announcer,
    );
  }

  /** Updates everything but the draft's content to `state`. Cheap; changes only what differs. */
  render(state: PersistedState): void {
    const { thread, run } = state;
    this.renderThread(thread);
    const body = this.root.ownerDocument.body;
    // Written only on change: attribute writes on <body> can restyle the whole (long) page.
    setData(body, 'status', run?.status ?? 'idle');
    setData(body, 'runId', run ? String(run.runId) : undefined);
    // For bench:ui: when the person asked (epoch ms) and the daemon's own share of the wait.
    setData(body, 'requestedAt', run?.requestedAt === undefined ? undefined : String(run.requestedAt));
    const daemonFirstChunk = run?.metrics?.requestToFirstChunkMs;
    setData(body, 'daemonFirstChunkMs', daemonFirstChunk === undefined || daemonFirstChunk === null ? undefined : String(Math.round(daemonFirstChunk)));

    // For UI tests: the post phase, and the id of the posted comment once there is one.
    setData(body, 'postPhase', state.post?.phase ?? 'idle');
    setData(body, 'commentId', state.post?.comment?.commentId);

    const busy = inProgress(run);
    setText(this.status, statusText(run));
    if (this.draft.getAttribute('aria-busy') !== String(busy)) this.draft.setAttribute('aria-busy', String(busy));
    const focused = this.root.ownerDocument.activeElement;
    this.posting.render(state);
    // The editor replaces the rendered draft while it is open.
    if (this.draft.hidden !== this.posting.editing) this.draft.hidden = this.posting.editing;
    this.setEnabled(
      {
        stop: busy,
        regenerate: thread !== undefined && !busy,
        copy: (run?.text ?? '') !== '',
      },
      focused,
    );

    // A failed run and a failed post can both be on screen; each shows its message and hint.
    const errors = [run?.status === 'error' ? run.error : undefined, state.post?.error].filter((error) => error !== undefined);
    const errorText = errors.map((error) => error.message + (error.hint ?? '')).join('');
    if (this.error.textContent !== errorText) this.error.replaceChildren(...errors.flatMap((error) => this.errorParts(error)));

    const safety = run?.status === 'done' || run?.status === 'cancelled' ? run.safety : undefined;
    this.badge.hidden = safety === undefined;
    if (safety) {
      const badge = badgeView(safety);
      setText(this.badge, badge.text);
      this.badge.title = badge.description;
      this.badge.setAttribute('aria-label', badge.description);
      this.badge.classList.toggle('unsafe', badge.unsafe);
      this.badge.classList.toggle('unchecked', badge.unchecked);
    }

    this.sources.render(finishedSources(state));
    this.checks.render(shownChecks(state));

    const metrics = run?.status === 'done' || run?.status === 'cancelled' ? run.metrics : undefined;
    setText(this.metrics, metrics ? metricsText(metrics) : '');
    this.metrics.title = metrics ? metricsTitle(metrics) : '';
  }

  /** Answer to `copied`: the button says so for a moment, and a live region announces it. */
  showCopied(ok: boolean): void {
    const text = ok ? 'Copied' : 'Copy failed';
    this.copyButton.textContent = text;
    this.announcer.textContent = ok ? 'Draft copied to the clipboard' : 'Could not copy the draft';
    clearTimeout(this.copyFeedbackTimer);
    this.copyFeedbackTimer = setTimeout(() => {
      this.copyButton.textContent = 'Copy';
      this.announcer.textContent = '';
    }, COPY_FEEDBACK_MS);
  }

  private errorParts(error: { message: string; hint?: string }): Node[] {
    const doc = this.error.ownerDocument;
    const message = doc.createElement('p');
    message.className = 'error-message';
    message.textContent = error.message;
    if (!error.hint) return [message];
    const hint = doc.createElement('p');
    hint.className = 'error-hint';
    hint.textContent = error.hint;
    return [message, hint];
  }

  private renderThread(thread: ThreadInfo | undefined): void {
    setText(this.titleText, thread?.title ?? '');
    setText(this.ref, thread?.ref ?? '');
    const href = thread?.url !== undefined ? safeHttpsUrl(thread.url) : undefined;
    this.link.hidden = href === undefined;
    if (href === undefined) this.link.removeAttribute('href');
    else if (this.link.getAttribute('href') !== href) this.link.href = href;
  }

  /**
   * Disabling the focused button (or hiding the focused editor) would drop focus to <body>: it
   * moves to the first enabled action. `focused`: the active element before this render.
   */
  private setEnabled(enabled: Record<'stop' | 'regenerate' | 'copy', boolean>, focused: Element | null): void {
    this.stopButton.disabled = !enabled.stop;
    this.regenerateButton.disabled = !enabled.regenerate;
    this.copyButton.disabled = !enabled.copy;
    const lost = (focused instanceof HTMLButtonElement && focused.disabled) || (focused instanceof HTMLTextAreaElement && focused.hidden);
    if (lost && this.root.contains(focused)) {
      const { editButton, postButton } = this.posting;
      const next = [this.regenerateButton, this.copyButton, this.stopButton, editButton, postButton].find((button) => !button.disabled);
      (next ?? this.draft).focus();
    }
  }
}

function setData(element: HTMLElement, key: string, value: string | undefined): void {
  if (element.dataset[key] === value) return;
  if (value === undefined) delete element.dataset[key];
  else element.dataset[key] = value;
}

/** The sources of the run when it is over (done or stopped); undefined while it runs, after a failure, or from an older daemon. */
export function finishedSources(state: PersistedState): SourcesInfo | undefined {
  const run = state.run;
  return run?.status === 'done' || run?.status === 'cancelled' ? run.sources : undefined;
}

/** The thread url is untrusted: only an absolute https URL becomes a link. */
export function safeHttpsUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
