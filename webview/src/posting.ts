import type { PersistedState, PostState } from './protocol';
import { inProgress } from './store';

/**
 * What the person would post: their edits of the current run when there are some, else the run's
 * text. Edits of another run (a regenerated draft) do not count.
 */
export function finalText(state: PersistedState): string {
  const { run, edit } = state;
  if (!run) return '';
  return edit?.runId === run.runId ? edit.text : run.text;
}

/** The draft can be edited and posted: its run ended (done, or stopped) with some text. */
export function canEdit(state: PersistedState): boolean {
  const run = state.run;
  return run !== undefined && (run.status === 'done' || run.status === 'cancelled') && run.text !== '';
}

/** A post or update is being confirmed or sent: Post and Edit are disabled, the editor is read-only. */
export function postBusy(post: PostState | undefined): boolean {
  return post !== undefined && post.phase !== 'idle';
}

/**
 * The same comment text, up to line endings and trailing white space (GitHub may store `\r\n`, and
 * a final newline is not a change anyone sees).
 */
export function sameText(a: string, b: string): boolean {
  const normal = (text: string): string => text.replace(/\r\n?/g, '\n').trimEnd();
  return normal(a) === normal(b);
}

export interface PostButton {
  label: string;
  /** Tooltip. */
  description: string;
  enabled: boolean;
  /** What a click sends: a new comment, or an update of the posted one; none when it does nothing. */
  action?: 'post' | 'update';
}

/**
 * The #post button: "Post to GitHub" until a comment is posted, then "Posted ✓" while the draft is
 * the posted text and "Update comment" once it differs. Disabled while a run streams, while a post
 * is confirmed or sent, and for an empty text, so one click makes at most one comment.
 */
export function postButton(state: PersistedState): PostButton {
  const post = state.post;
  const comment = post?.comment;
  if (post?.phase === 'confirming' || post?.phase === 'posting') {
    return { label: comment ? 'Updating…' : 'Posting…', description: 'Posting the reply to GitHub', enabled: false };
  }
  if (post?.phase === 'updating') return { label: 'Updating…', description: 'Updating the posted comment', enabled: false };
  const text = finalText(state);
  const ready = canEdit(state) && !inProgress(state.run) && text.trim() !== '';
  if (!comment) return { label: 'Post to GitHub', description: 'Post this reply as a comment on GitHub (you confirm the text first)', enabled: ready, action: 'post' };
  if (sameText(text, comment.body)) return { label: 'Posted ✓', description: 'This text is posted; edit it to update the comment', enabled: false };
  return { label: 'Update comment', description: 'Replace the text of your posted comment with this draft (you confirm it first)', enabled: ready, action: 'update' };
}

/** What #post-status says (a polite live region); the link to the comment follows it. */
export function postStatusText(post: PostState | undefined): string {
  if (!post) return '';
  switch (post.phase) {
    case 'confirming':
      return post.comment ? 'Confirm the update in the dialog…' : 'Confirm the post in the dialog…';
    case 'posting':
      return 'Posting…';
    case 'updating':
      return 'Updating the comment…';
    case 'idle':
      if (!post.comment) return '';
      return post.updated ? 'Comment updated on GitHub:' : 'Posted to GitHub:';
  }
}
