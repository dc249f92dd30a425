import type { Thread, ThreadAuthor, ThreadComment } from '../../protocol';
import type { SourceDocument } from '../types';
import { cleanIssueBody, EarlierPosts } from './issueBody';

/** Comments by people who are not maintainers are kept only up to this length (after cleaning). */
export const MAX_OTHER_COMMENT_CHARS = 500;

const MAINTAINER_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * A resolved thread as a document for the index, or null when it teaches nothing: only a closed
 * issue or a merged pull request with at least one answer by a maintainer (OWNER, MEMBER or
 * COLLABORATOR, not a `[bot]`) counts.
 *
 * The text keeps question and answers together, as Markdown:
 *
 *   # <title>
 *   ## Question            the opening post, cleaned (see cleanIssueBody)
 *   ## Answer by @login    each maintainer's comment, in order
 *   ## Comment by @login   someone else's comment, kept only when it is short (≤ 500 characters
 *                          cleaned), comes before the last maintainer answer (so it is context the
 *                          answer may build on, such as the reporter's follow-up details), and is
 *                          not a "+1" / "same here" / "thanks" / reaction-only comment
 *
 * Bot comments are always dropped. Thread text is data: nothing in it is interpreted.
 */
export function issueToDocument(thread: Thread): SourceDocument | null {
  const resolved = thread.kind === 'pull' ? thread.state === 'merged' : thread.state === 'closed';
  if (!resolved) return null;

  const earlier = new EarlierPosts();
  const question = cleanIssueBody(thread.body ?? '', earlier);
  earlier.add(thread.body ?? '');
  const comments = thread.comments.map((comment) => {
    const body = cleanIssueBody(comment.body ?? '', earlier);
    earlier.add(comment.body ?? '');
    return { comment, body, answer: isMaintainerAnswer(comment, body) };
  });
  let lastAnswer = -1;
  comments.forEach((c, i) => {
    if (c.answer) lastAnswer = i;
  });
  if (lastAnswer < 0) return null;

  const title = thread.title.replace(/\s+/g, ' ').trim() || `${thread.kind === 'pull' ? 'Pull request' : 'Issue'} #${thread.number}`;
  const parts = [`# ${title}`, '## Question', question === '' ? '_(no description)_' : question];
  comments.forEach(({ comment, body, answer }, i) => {
    if (answer) parts.push(`## Answer by @${comment.author.login}`, body);
    else if (i < lastAnswer && isUsefulOtherComment(comment, body)) parts.push(`## Comment by @${comment.author.login}`, body);
  });

  return {
    id: `issue:${thread.number}`,
    kind: thread.kind === 'pull' ? 'pull' : 'issue',
    format: 'markdown',
    text: `${parts.join('\n\n')}\n`,
    issueNumber: thread.number,
    title,
    url: thread.url ?? `https://github.com/${thread.repo}/${thread.kind === 'pull' ? 'pull' : 'issues'}/${thread.number}`,
  };
}

export function isBot(author: ThreadAuthor): boolean {
  return author.login.toLowerCase().endsWith('[bot]');
}

function isMaintainerAnswer(comment: ThreadComment, cleanedBody: string): boolean {
  return MAINTAINER_ASSOCIATIONS.has(comment.author.association) && !isBot(comment.author) && !isNoise(cleanedBody);
}

function isUsefulOtherComment(comment: ThreadComment, cleanedBody: string): boolean {
  return !isBot(comment.author) && !isNoise(cleanedBody) && cleanedBody.length <= MAX_OTHER_COMMENT_CHARS;
}

const ME_TOO =
  /^(?:1 )?(?:1|me too|same|same here|same issue|same problem|same error|same for me|me too same|any updates?|any news|bump|up|thanks|thank you|thanks a lot|thank you so much|thanks so much|ty|thx|this|following|subscribe|subscribed|subscribing)$/;

/** Empty, reaction-only (emoji, `:shortcodes:`) or a "+1" / "same here" / "thanks" / "bump" comment. */
export function isNoise(body: string): boolean {
  const words = body
    .replace(/:[a-z0-9_+-]+:/gi, ' ')
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f/gu, ' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words === '' || ME_TOO.test(words);
}
