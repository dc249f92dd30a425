/**
 * The modal that stands between the Post (or Update comment) click and GitHub (pure, no VS Code).
 * It names the thread and shows the exact text that will be sent, cut for display when it is long,
 * with a note of its length: what is posted is always the whole text.
 */

/** The modal shows at most this much of the text… */
export const PREVIEW_MAX_CHARS = 1500;
/** …and at most this many lines of it. */
export const PREVIEW_MAX_LINES = 30;

export interface ConfirmationRequest {
  /** `post`: a new comment; `update`: replace the text of the comment posted from the panel. */
  action: 'post' | 'update';
  /** `owner/name#number`. */
  ref: string;
  /** The exact text that will be sent. */
  text: string;
  /** The guardrail flagged the generated draft (or could not check it). */
  unsafe?: boolean;
}

export interface Confirmation {
  message: string;
  /** The text (or its start) and a line with its length. */
  detail: string;
  /** The modal's one action: only this choice sends anything (Cancel, Escape and closing do not). */
  button: 'Post' | 'Update';
}

export function postConfirmation(request: ConfirmationRequest): Confirmation {
  const warning = request.unsafe ? ' The guardrail flagged the generated draft as unsafe: read it before you send it.' : '';
  const message =
    request.action === 'post'
      ? `Post this reply to ${request.ref} on GitHub?${warning}`
      : `Update your comment on ${request.ref} on GitHub with this text?${warning}`;
  return { message, detail: previewText(request.text), button: request.action === 'post' ? 'Post' : 'Update' };
}

/** `text` for the modal: whole when short, else its start; then a line that says how long it is. */
export function previewText(text: string, maxChars = PREVIEW_MAX_CHARS, maxLines = PREVIEW_MAX_LINES): string {
  const total = text.length;
  let shown = text.length > maxChars ? text.slice(0, maxChars) : text;
  const lines = shown.split('\n');
  if (lines.length > maxLines) shown = lines.slice(0, maxLines).join('\n');
  // Never end on half of a surrogate pair (an emoji cut in two).
  if (shown.length < total && /[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
  const count = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'character' : 'characters'}`;
  if (shown.length === total) return `${text}\n\n(${count(total)})`;
  return `${shown}\n…\n\n(Showing the first ${shown.length.toLocaleString('en-US')} of ${count(total)}; the whole text is sent.)`;
}
