import type { Thread, ThreadComment } from '../../protocol';

/**
 * Where a message sits: a top-level comment, the first comment of a review thread on the diff (it
 * starts a conversation about a line), or a later comment in a review thread (it answers there).
 */
export type TimelinePlace = 'comment' | 'review-start' | 'review-reply';

/** One message after the opening post. */
export interface TimelineEntry {
  /** The thread's own comment object: `threadBefore` keeps comments by identity. */
  comment: ThreadComment;
  place: TimelinePlace;
}

/**
 * The comments of a thread in the order Suggest Reply shows them to the model: top-level comments
 * and review comments in one timeline, oldest first, equal timestamps keeping top-level comments
 * before review comments and each list's own order. It is the order of `conversationOf` in
 * pipeline/pullRequestContext.ts (same key, same tie-break), kept as references to the thread's own
 * comment objects so that a prefix of it can be cut out of the thread.
 */
export function threadTimeline(thread: Thread): TimelineEntry[] {
  const entries: TimelineEntry[] = thread.comments.map((comment) => ({ comment, place: 'comment' }));
  for (const review of thread.reviewThreads ?? []) {
    review.comments.forEach((comment, i) => entries.push({ comment, place: i === 0 ? 'review-start' : 'review-reply' }));
  }
  return entries
    .map((entry, index) => ({ entry, index, at: Date.parse(entry.comment.createdAt) }))
    .sort((a, b) => (a.at - b.at) || (a.index - b.index))
    .map(({ entry }) => entry);
}

/**
 * The thread as it stood before `timeline[end]` was posted: the same thread with only the comments
 * and review comments of `timeline[0..end)`. Review threads keep their path, line and diff hunk, so
 * the hunk is shown with the first comment kept, as Suggest Reply shows it; a review thread left
 * with no comment shows nothing. Title, labels, state and files stay as the thread has them now:
 * the cached thread does not say what they were at the time.
 */
export function threadBefore(thread: Thread, timeline: readonly TimelineEntry[], end: number): Thread {
  const kept = new Set<ThreadComment>(timeline.slice(0, end).map((entry) => entry.comment));
  const before: Thread = { ...thread, comments: thread.comments.filter((comment) => kept.has(comment)) };
  if (thread.reviewThreads !== undefined) {
    before.reviewThreads = thread.reviewThreads.map((review) => ({ ...review, comments: review.comments.filter((comment) => kept.has(comment)) }));
  }
  return before;
}
