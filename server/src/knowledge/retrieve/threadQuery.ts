import type { Thread } from '../../protocol';

/** Characters of the opening post and of the newest comment that go into the query. */
const BODY_CHARS = 1500;
const COMMENT_CHARS = 600;

/**
 * What retrieval searches for a thread: the title, the start of the opening post and the newest
 * comment (often the open question). Code blocks stay: error messages and option names in them are
 * what BM25 matches best. HTML comments (issue templates' instructions) are dropped.
 */
export function threadQuery(thread: Thread): string {
  const clean = (text: string): string => text.replace(/<!--[\s\S]*?-->/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = [thread.title, clean(thread.body).slice(0, BODY_CHARS)];
  const newest = thread.comments.at(-1);
  if (newest) parts.push(clean(newest.body).slice(0, COMMENT_CHARS));
  return parts.filter((part) => part !== '').join('\n');
}
