import { injectionNotice, screenThread } from '../../checks/injection';
import { maskSecrets } from '../../checks/secrets';
import { cleanIssueBody, EarlierPosts } from '../../knowledge/clean/issueBody';
import { isBot, isNoise } from '../../knowledge/clean/issueDocument';
import { isMaintainer, threadToChat, type TokenCounter } from '../../pipeline/threadToChat';
import type { Thread, ThreadAuthor } from '../../protocol';
import { threadBefore, threadTimeline, type TimelineEntry } from './threadTimeline';

export type FineTuneRole = 'system' | 'user' | 'assistant';

export interface FineTuneMessage {
  role: FineTuneRole;
  content: string;
}

/** One line of the chat JSONL dataset: a thread up to a maintainer's reply, and that reply. */
export interface FineTuneExample {
  /** `${repo}#${number}/${reply comment's GitHub id, or its createdAt}`: the same reply gives the same id on every run. */
  id: string;
  repo: string;
  number: number;
  kind: 'issue' | 'pull';
  replyAuthor: string;
  /** ISO-8601, as GitHub gave it. */
  replyCreatedAt: string;
  /** The prompt exactly as Suggest Reply builds it (system, then the thread's turns), then the reply as the last, `assistant`, message. */
  messages: FineTuneMessage[];
}

export interface MaintainerExamplesOptions {
  /** Only replies posted at or after this moment. */
  since?: Date;
  /**
   * Replaces the system message. Default: what Suggest Reply uses with no sources, i.e.
   * `buildSystemPrompt(thread, 'none', notice)`; `notice` is set when the thread up to the reply was
   * flagged for prompt injection (Threadwise's words, never the thread's).
   */
  systemPrompt?: (thread: Pick<Thread, 'repo' | 'kind'>, notice: string | undefined) => string;
  /** Prompt budget handed to threadToChat. Default 1,000,000: generous, so no real thread is elided. */
  maxPromptTokens?: number;
  /** Default: one token per 4 characters (only the budget uses it). */
  tokens?: TokenCounter;
}

export const DEFAULT_DATASET_PROMPT_TOKENS = 1_000_000;

/** A stand-in tokenizer: 4 characters a token; a cut never splits a surrogate pair. */
const approximateTokens: TokenCounter = {
  count: (text) => Math.ceil(text.length / 4),
  truncate: (text, maxTokens) => {
    const cut = text.slice(0, Math.max(0, Math.floor(maxTokens)) * 4);
    return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  },
};

/**
 * The fine-tuning examples one thread gives: one per maintainer reply that answers someone.
 *
 * A reply counts when its author is a maintainer (OWNER, MEMBER, COLLABORATOR, as `isMaintainer`
 * says) and not a `[bot]`, its text is not empty nor noise ("+1", "thanks", reactions only: the
 * knowledge index's `isNoise` on the body cleaned as the index cleans it, quotes of earlier posts
 * removed), and the message just before it in Suggest Reply's timeline (the opening post for the
 * first comment) is by someone who is not a maintainer. A review comment counts only when it answers
 * inside its review thread: one that starts a review thread is about a line of the diff that the
 * prompt does not point at, and Suggest Reply drafts top-level comments. Review comments are always
 * part of the prompt, where Suggest Reply shows them.
 *
 * The prompt is `threadToChat` on the thread cut just before the reply, with no sources (grounding
 * 'none'), fenced as data with the injection notice when that cut is flagged: what the model is
 * given at inference for the same thread. Turns are not merged: Suggest Reply sends consecutive
 * user (and assistant) turns as they are, so training sees the same shape; the last prompt message
 * is always the `user` turn being answered. The target is the reply's body, surrounding whitespace
 * trimmed. Every content has its secrets masked (`maskSecrets`).
 *
 * Examples come in timeline order. Throws a RangeError for an invalid `since`.
 */
export function maintainerExamples(thread: Thread, options: MaintainerExamplesOptions = {}): FineTuneExample[] {
  const since = sinceMs(options.since);
  const timeline = threadTimeline(thread);
  // Screening reads each place on its own, so a cut of an unflagged thread is never flagged.
  const anyFlagged = screenThread(thread).flagged;
  const earlier = new EarlierPosts();
  earlier.add(thread.body);
  const ids = new Set<string>();
  // Each turn's text recurs in every later example of the thread: mask it once.
  const masked = new Map<string, string>();
  const mask = (text: string): string => {
    let done = masked.get(text);
    if (done === undefined) masked.set(text, (done = maskSecrets(text)));
    return done;
  };
  const examples: FineTuneExample[] = [];
  let previous: ThreadAuthor = thread.author;

  timeline.forEach((entry, i) => {
    const answered = previous;
    previous = entry.comment.author;
    const counts = isAnswer(entry, answered, since, earlier);
    earlier.add(entry.comment.body);
    if (!counts) return;
    const before = threadBefore(thread, timeline, i);
    const messages = promptFor(before, anyFlagged, options).map((m) => ({ role: m.role, content: mask(m.content) }));
    messages.push({ role: 'assistant', content: mask(entry.comment.body.trim()) });
    examples.push({
      id: uniqueId(ids, `${thread.repo}#${thread.number}/${entry.comment.id ?? entry.comment.createdAt}`),
      repo: thread.repo,
      number: thread.number,
      kind: thread.kind,
      replyAuthor: entry.comment.author.login,
      replyCreatedAt: entry.comment.createdAt,
      messages,
    });
  });
  return examples;
}

function isAnswer(entry: TimelineEntry, answered: ThreadAuthor, since: number | null, earlier: EarlierPosts): boolean {
  const { author, body, createdAt } = entry.comment;
  if (!isMaintainer(author) || isBot(author) || isMaintainer(answered) || entry.place === 'review-start') return false;
  if (since !== null && !(Date.parse(createdAt) >= since)) return false;
  return body.trim() !== '' && !isNoise(cleanIssueBody(body, earlier));
}

/** The chat Suggest Reply would give the model for `thread` (secrets not masked yet). */
function promptFor(thread: Thread, anyFlagged: boolean, options: MaintainerExamplesOptions): FineTuneMessage[] {
  const screening = anyFlagged ? screenThread(thread) : null;
  const notice = screening?.flagged ? injectionNotice(screening) : undefined;
  const chat = threadToChat(thread, {
    maxPromptTokens: options.maxPromptTokens ?? DEFAULT_DATASET_PROMPT_TOKENS,
    tokens: options.tokens ?? approximateTokens,
    ...(notice !== undefined ? { threadAsData: { notice } } : {}),
  });
  // threadToChat's own system turn is `buildSystemPrompt(thread, 'none', notice)`: replaced only on request.
  const system = options.systemPrompt?.(thread, notice);
  return chat.turns.map((turn) => ({ role: turn.role, content: turn.role === 'system' && system !== undefined ? system : turn.text }));
}

function sinceMs(since: Date | undefined): number | null {
  if (since === undefined) return null;
  const ms = since instanceof Date ? since.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError('since must be a valid date');
  return ms;
}

/** Comments from GitHub have unique ids; two id-less comments at the same moment get `~2`, `~3`, … in timeline order. */
function uniqueId(used: Set<string>, id: string): string {
  let unique = id;
  for (let n = 2; used.has(unique); n++) unique = `${id}~${n}`;
  used.add(unique);
  return unique;
}
