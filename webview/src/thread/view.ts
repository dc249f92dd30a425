import { actionButton, elementFactory } from '../dom';
import type { ElementFactory } from '../dom';
import { highlightCode } from '../render/highlight';
import { renderMarkdown } from '../render/markdown';
import { sanitizeToNodes } from '../render/sanitize';
import { safeHttpsUrl } from '../view';
import type { ThreadViewComment, ThreadViewFile, ThreadViewReviewThread, ThreadViewState, ThreadViewThread } from './protocol';

export interface ThreadViewActions {
  suggestReply: () => void;
  refresh: () => void;
}

const STATE_TEXT = { open: 'Open', closed: 'Closed', merged: 'Merged' } as const;

/**
 * The thread view's DOM. Titles, names, labels, paths and messages are set as text; comment bodies
 * are Markdown rendered by render/markdown and inserted only through render/sanitize (no script,
 * handler or remote image survives); diff hunks are highlighted (escaped) and sanitized too.
 * The ids are a contract with the tests.
 */
export class ThreadView {
  private readonly doc: Document;
  private readonly el: ElementFactory;
  private readonly titleText: HTMLElement;
  private readonly ref: HTMLElement;
  private readonly stateBadge: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly labels: HTMLElement;
  private readonly link: HTMLAnchorElement;
  private readonly suggestButton: HTMLButtonElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly conversation: HTMLElement;
  private readonly files: HTMLElement;
  private readonly reviewThreads: HTMLElement;
  /** The thread whose body is drawn (bodies are re-rendered only when the thread object changes). */
  private drawn: ThreadViewThread | undefined;

  constructor(root: HTMLElement, actions: ThreadViewActions) {
    this.doc = root.ownerDocument;
    this.el = elementFactory(this.doc);
    const title = this.el('h1', { id: 'thread-title' });
    this.titleText = this.el('span', { className: 'title-text' });
    this.ref = this.el('span', { className: 'title-ref' });
    title.append(this.titleText, ' ', this.ref);
    this.stateBadge = this.el('span', { id: 'thread-state', className: 'state' });
    this.meta = this.el('span', { id: 'thread-meta', className: 'meta' });
    this.labels = this.el('span', { id: 'thread-labels', className: 'labels' });
    this.link = this.el('a', { id: 'thread-link', className: 'thread-link' });
    this.link.rel = 'noopener noreferrer';
    this.link.textContent = 'Open on GitHub';
    this.link.hidden = true;
    const metaLine = this.el('p', { className: 'meta-line' });
    metaLine.append(this.stateBadge, this.meta, this.labels, this.link);
    const header = this.el('header', { className: 'header' });
    header.append(title, metaLine);

    this.suggestButton = actionButton(this.doc, 'suggest-reply', 'Suggest Reply', 'Draft a reply to this thread with the local model', actions.suggestReply);
    this.refreshButton = actionButton(this.doc, 'refresh', 'Refresh', 'Fetch the thread again from GitHub', actions.refresh);
    this.suggestButton.classList.add('primary');
    const actionsBar = this.el('div', { className: 'actions' });
    actionsBar.append(this.suggestButton, this.refreshButton);

    this.status = this.el('p', { id: 'status', className: 'status' });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.error = this.el('div', { id: 'error', className: 'error' });
    this.error.setAttribute('role', 'alert');
    this.conversation = this.el('section', { id: 'conversation', className: 'conversation' });
    this.conversation.setAttribute('aria-label', 'Conversation');
    this.files = this.el('section', { id: 'files', className: 'files' });
    this.files.hidden = true;
    this.reviewThreads = this.el('section', { id: 'review-threads', className: 'review-threads' });
    this.reviewThreads.hidden = true;
    root.replaceChildren(header, actionsBar, this.status, this.error, this.conversation, this.files, this.reviewThreads);
  }

  render(state: ThreadViewState): void {
    const { thread } = state;
    this.doc.body.dataset.status = state.loading ? 'loading' : state.error ? 'error' : thread ? 'ready' : 'empty';
    this.titleText.textContent = thread?.title ?? '';
    this.ref.textContent = thread?.ref ?? state.ref;
    this.renderHeader(thread);
    this.status.textContent = statusText(state);
    this.renderError(state.error);
    this.suggestButton.disabled = thread === undefined;
    this.refreshButton.disabled = state.loading;
    if (thread !== this.drawn) {
      this.drawn = thread;
      this.renderConversation(thread);
      this.renderFiles(thread?.files ?? []);
      this.renderReviewThreads(thread?.reviewThreads ?? []);
    }
  }

  private renderHeader(thread: ThreadViewThread | undefined): void {
    const state = thread?.state;
    this.stateBadge.hidden = state === undefined;
    this.stateBadge.textContent = state ? `${STATE_TEXT[state]} ${thread?.kind === 'pull' ? 'pull request' : 'issue'}` : '';
    this.stateBadge.className = `state${state ? ` state-${state}` : ''}`;
    this.meta.textContent = thread ? `${thread.author.login} opened this on ${formatDate(thread.createdAt)} · ${plural(thread.comments.length, 'comment')}` : '';
    this.labels.replaceChildren(
      ...(thread?.labels ?? []).map((label) => {
        const chip = this.el('span', { className: 'label' });
        chip.textContent = label;
        return chip;
      }),
    );
    const href = thread?.url === undefined ? undefined : safeHttpsUrl(thread.url);
    this.link.hidden = href === undefined;
    if (href === undefined) this.link.removeAttribute('href');
    else this.link.href = href;
  }

  private renderError(error: ThreadViewState['error']): void {
    if (!error) {
      this.error.replaceChildren();
      return;
    }
    const message = this.el('p', { className: 'error-message' });
    message.textContent = error.message;
    const parts: HTMLElement[] = [message];
    if (error.hint) {
      const hint = this.el('p', { className: 'error-hint' });
      hint.textContent = error.hint;
      parts.push(hint);
    }
    this.error.replaceChildren(...parts);
  }

  private renderConversation(thread: ThreadViewThread | undefined): void {
    if (!thread) {
      this.conversation.replaceChildren();
      return;
    }
    const opening = this.comment({ author: thread.author, body: thread.body, createdAt: thread.createdAt, ...(thread.url ? { url: thread.url } : {}) }, 'opened');
    opening.classList.add('opening');
    this.conversation.replaceChildren(opening, ...thread.comments.map((comment) => this.comment(comment, 'commented')));
  }

  private comment(comment: ThreadViewComment, verb: string): HTMLElement {
    const article = this.el('article', { className: 'comment' });
    const header = this.el('header', { className: 'comment-header' });
    const author = this.el('strong', { className: 'author' });
    author.textContent = comment.author.login;
    header.append(author);
    if (comment.author.association !== 'NONE') {
      const role = this.el('span', { className: 'association' });
      role.textContent = comment.author.association.toLowerCase().replace(/_/g, ' ');
      header.append(' ', role);
    }
    const when = this.el('span', { className: 'when' });
    when.textContent = `${verb} ${formatDate(comment.createdAt)}`;
    header.append(' ', when);
    const body = this.el('div', { className: 'markdown comment-body' });
    if (comment.body.trim() === '') {
      const empty = this.el('p', { className: 'empty' });
      empty.textContent = 'No description provided.';
      body.append(empty);
    } else {
      body.append(...sanitizeToNodes(renderMarkdown(comment.body)));
    }
    article.append(header, body);
    return article;
  }

  private renderFiles(files: ThreadViewFile[]): void {
    this.files.hidden = files.length === 0;
    if (files.length === 0) {
      this.files.replaceChildren();
      return;
    }
    const heading = this.el('h2', {});
    heading.textContent = `Changed files (${files.length})`;
    const list = this.el('ul', { className: 'file-list' });
    for (const file of files) {
      const item = this.el('li', { className: 'file' });
      const change = this.el('span', { className: `change change-${file.changeType.toLowerCase().replace(/[^a-z]/g, '')}` });
      change.textContent = file.changeType.toLowerCase();
      const path = this.el('code', { className: 'path' });
      path.textContent = file.path;
      const counts = this.el('span', { className: 'counts' });
      const added = this.el('span', { className: 'additions' });
      added.textContent = `+${file.additions}`;
      const deleted = this.el('span', { className: 'deletions' });
      deleted.textContent = `−${file.deletions}`;
      counts.append(added, ' ', deleted);
      item.append(change, ' ', path, ' ', counts);
      list.append(item);
    }
    this.files.replaceChildren(heading, list);
  }

  private renderReviewThreads(threads: ThreadViewReviewThread[]): void {
    this.reviewThreads.hidden = threads.length === 0;
    if (threads.length === 0) {
      this.reviewThreads.replaceChildren();
      return;
    }
    const heading = this.el('h2', {});
    heading.textContent = `Review threads (${threads.length})`;
    this.reviewThreads.replaceChildren(heading, ...threads.map((thread) => this.reviewThread(thread)));
  }

  private reviewThread(thread: ThreadViewReviewThread): HTMLElement {
    const section = this.el('section', { className: 'review-thread' });
    const header = this.el('header', { className: 'review-header' });
    const location = this.el('code', { className: 'location' });
    location.textContent = thread.line === null ? thread.path : `${thread.path}:${thread.line}`;
    header.append(location);
    for (const [flag, text] of [
      [thread.isOutdated, 'outdated'],
      [thread.isResolved, 'resolved'],
    ] as const) {
      if (!flag) continue;
      const tag = this.el('span', { className: `tag tag-${text}` });
      tag.textContent = text;
      header.append(' ', tag);
    }
    const pre = this.el('pre', { className: 'hunk' });
    const code = this.el('code', { className: 'hljs language-diff' });
    // highlight.js escapes the hunk; the result still goes through the sanitizer like all HTML.
    code.append(...sanitizeToNodes(highlightCode(thread.diffHunk, 'diff').html));
    pre.append(code);
    section.append(header, pre, ...thread.comments.map((comment) => this.comment(comment, 'commented')));
    return section;
  }

}

function statusText(state: ThreadViewState): string {
  if (state.loading) return state.thread ? 'Refreshing…' : `Loading ${state.ref}…`;
  if (state.stale) return `Offline (${state.stale.reason}): showing the copy fetched ${state.fetchedAt ? formatDate(state.fetchedAt) : 'earlier'}.`;
  if (state.thread && state.fetchedAt) return `Fetched ${formatDate(state.fetchedAt)}.`;
  return '';
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
