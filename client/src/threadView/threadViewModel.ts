import type { Thread, ThreadComment } from '../../../server/src/protocol';
import type { ThreadViewComment, ThreadViewThread } from '../../../webview/src/thread/protocol';

/**
 * The part of a Thread the thread view shows (pure): no node ids, no timestamps it does not draw.
 * Review threads and files are passed only for pull requests that have them.
 */
export function toThreadView(thread: Thread): ThreadViewThread {
  return {
    ref: `${thread.repo}#${thread.number}`,
    kind: thread.kind,
    title: thread.title,
    ...(thread.url ? { url: thread.url } : {}),
    ...(thread.state ? { state: thread.state } : {}),
    labels: thread.labels ?? [],
    author: { login: thread.author.login, association: thread.author.association },
    createdAt: thread.createdAt,
    body: thread.body,
    comments: thread.comments.map(toComment),
    ...(thread.files && thread.files.length > 0
      ? { files: thread.files.map(({ path, additions, deletions, changeType }) => ({ path, additions, deletions, changeType })) }
      : {}),
    ...(thread.reviewThreads && thread.reviewThreads.length > 0
      ? {
          reviewThreads: thread.reviewThreads.map((review) => ({
            path: review.path,
            line: review.line,
            diffHunk: review.diffHunk,
            isResolved: review.isResolved,
            isOutdated: review.isOutdated,
            comments: review.comments.map(toComment),
          })),
        }
      : {}),
  };
}

function toComment(comment: ThreadComment): ThreadViewComment {
  return {
    author: { login: comment.author.login, association: comment.author.association },
    body: comment.body,
    createdAt: comment.createdAt,
    ...(comment.url ? { url: comment.url } : {}),
  };
}
