import { actionButton, setText } from './dom';
import { canEdit, finalText, postBusy, postButton, postStatusText } from './posting';
import type { PersistedState } from './protocol';
import { inProgress } from './store';
import { safeHttpsUrl } from './view';

export interface PostActions {
  /** The Edit toggle was pressed. */
  toggleEdit: () => void;
  /** The person typed in the editor (`input`). */
  input: (text: string) => void;
  /** The editor lost focus: a good moment to tell the host about the edits. */
  leaveEditor: () => void;
  post: () => void;
  /** The posted comment's link was activated; `url` is the https URL it shows. */
  openLink: (url: string) => void;
}

/**
 * The posting part of the panel: the Edit toggle and Post button (placed in the actions bar by the
 * caller), the editor that replaces the rendered draft while editing, and the post status with the
 * link to the posted comment. Texts are set as text and as the textarea's value, never as HTML; the
 * link's href is set only for an https URL, and activating it asks the host instead of navigating.
 */
export class PostView {
  readonly editButton: HTMLButtonElement;
  readonly postButton: HTMLButtonElement;
  readonly editor: HTMLTextAreaElement;
  /** #post-status: a polite live region with the status line and the link. */
  readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly link: HTMLAnchorElement;
  /** The https URL the link opens; undefined while it is hidden. */
  private linkUrl: string | undefined;

  constructor(doc: Document, actions: PostActions) {
    this.editButton = actionButton(doc, 'edit', 'Edit', 'Edit the draft before posting (Markdown)', actions.toggleEdit);
    this.editButton.setAttribute('aria-pressed', 'false');
    this.editButton.setAttribute('aria-controls', 'editor');
    this.postButton = actionButton(doc, 'post', 'Post to GitHub', '', actions.post);
    this.postButton.classList.add('primary');

    this.editor = doc.createElement('textarea');
    this.editor.id = 'editor';
    this.editor.className = 'editor';
    this.editor.hidden = true;
    this.editor.spellcheck = true;
    this.editor.setAttribute('aria-label', 'Edit the reply (Markdown)');
    this.editor.addEventListener('input', () => actions.input(this.editor.value));
    this.editor.addEventListener('blur', actions.leaveEditor);

    this.status = doc.createElement('p');
    this.status.id = 'post-status';
    this.status.className = 'post-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.statusText = doc.createElement('span');
    this.link = doc.createElement('a');
    this.link.id = 'posted-link';
    this.link.className = 'posted-link';
    this.link.rel = 'noopener noreferrer';
    this.link.hidden = true;
    this.link.title = 'Open the comment on GitHub';
    // The host opens the URL (and only a GitHub one); the webview never navigates by itself.
    const open = (event: MouseEvent): void => {
      event.preventDefault();
      if (this.linkUrl !== undefined) actions.openLink(this.linkUrl);
    };
    this.link.addEventListener('click', open);
    this.link.addEventListener('auxclick', (event) => event.preventDefault());
    this.status.append(this.statusText, ' ', this.link);
  }

  /** The editor is open (the rendered draft is hidden meanwhile). */
  get editing(): boolean {
    return !this.editor.hidden;
  }

  render(state: PersistedState): void {
    const editable = canEdit(state) && !inProgress(state.run);
    const busy = postBusy(state.post);
    const editing = editable && state.editing === true;

    this.editButton.disabled = !editable || busy;
    setAttribute(this.editButton, 'aria-pressed', String(editing));
    setAttribute(this.editButton, 'title', editing ? 'Show the draft as it will look' : 'Edit the draft before posting (Markdown)');
    this.editor.hidden = !editing;
    this.editor.readOnly = busy;
    const text = finalText(state);
    // The state follows every keystroke, so this only writes text that came from elsewhere (init).
    if (editing && this.editor.value !== text) this.editor.value = text;

    const button = postButton(state);
    setText(this.postButton, button.label);
    setAttribute(this.postButton, 'title', button.description);
    this.postButton.disabled = !button.enabled;

    setText(this.statusText, postStatusText(state.post));
    const comment = state.post?.phase === 'idle' ? state.post.comment : undefined;
    this.linkUrl = comment ? safeHttpsUrl(comment.url) : undefined;
    this.link.hidden = this.linkUrl === undefined;
    if (this.linkUrl === undefined) {
      this.link.removeAttribute('href');
      setText(this.link, '');
    } else {
      if (this.link.getAttribute('href') !== this.linkUrl) this.link.href = this.linkUrl;
      setText(this.link, this.linkUrl);
    }
  }
}

function setAttribute(element: HTMLElement, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}
