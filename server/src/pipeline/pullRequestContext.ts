import type { Thread, ThreadAuthor } from '../protocol';

/** Changed files listed in the opening turn at most; the rest are counted. */
const MAX_FILES_LISTED = 30;
/** Lines of a review thread's diff hunk kept (its end: the lines the comment is about). */
const HUNK_TAIL_LINES = 8;

/** A message in the conversation: a top-level comment or a review comment on the diff. */
export interface ConversationEntry {
  author: ThreadAuthor;
  createdAt: string;
  /** Where a review comment sits (`path:line`), undefined for top-level comments. */
  location?: string;
  body: string;
}

/**
 * The files a pull request changes, as the first lines of its opening turn ("Changed files (12):
 * src/a.ts (+3 −1), …"), or '' for issues and threads without files.
 */
export function changedFilesBlock(thread: Thread): string {
  const files = thread.files ?? [];
  if (files.length === 0) return '';
  const listed = files.slice(0, MAX_FILES_LISTED).map((f) => `${f.path} (+${f.additions} −${f.deletions}${f.changeType === 'MODIFIED' ? '' : `, ${f.changeType.toLowerCase()}`})`);
  const more = files.length > MAX_FILES_LISTED ? `, and ${files.length - MAX_FILES_LISTED} more` : '';
  return `Changed files (${files.length}): ${listed.join(', ')}${more}.`;
}

/**
 * Top-level comments and review comments in one timeline, oldest first, so the review discussion
 * on a pull request's diff reaches the model in order and goes through the same token budget.
 * The first comment of each review thread carries the end of its diff hunk, fenced so that text in
 * the hunk cannot close the fence.
 */
export function conversationOf(thread: Thread): ConversationEntry[] {
  const entries: ConversationEntry[] = thread.comments.map((c) => ({ author: c.author, createdAt: c.createdAt, body: c.body }));
  for (const review of thread.reviewThreads ?? []) {
    const location = `${review.path}${review.line === null ? ' (outdated)' : `:${review.line}`}`;
    review.comments.forEach((comment, i) => {
      const hunk = i === 0 ? fencedHunk(review.diffHunk) : '';
      entries.push({ author: comment.author, createdAt: comment.createdAt, location, body: hunk ? `${hunk}\n\n${comment.body}` : comment.body });
    });
  }
  // Stable: equal timestamps keep comments before review comments, and each thread's order.
  return entries
    .map((entry, index) => ({ entry, index, at: Date.parse(entry.createdAt) }))
    .sort((a, b) => (a.at - b.at) || (a.index - b.index))
    .map(({ entry }) => entry);
}

function fencedHunk(diffHunk: string): string {
  const lines = diffHunk.replace(/\r\n?/g, '\n').split('\n');
  const tail = lines.slice(-HUNK_TAIL_LINES).join('\n');
  if (tail.trim() === '') return '';
  const longestRun = Math.max(0, ...[...tail.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}diff\n${tail}\n${fence}`;
}
