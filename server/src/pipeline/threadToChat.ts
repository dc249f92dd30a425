import type { ChatRole, ChatTurn, CommentAuthorAssociation, ElisionReport, KnowledgeSource, Thread, ThreadAuthor } from '../protocol';
import { changedFilesBlock, conversationOf } from './pullRequestContext';
import { fenceFor, numberSources, type SourceCandidate } from './sourcesTurn';
import { buildSystemPrompt, type PromptGrounding } from './systemPrompt';

/** Counts and cuts text in the model's own tokens. */
export interface TokenCounter {
  count(text: string): number;
  /** The longest prefix of `text` that is at most `maxTokens` tokens. */
  truncate(text: string, maxTokens: number): string;
}

/** What retrieval found for the thread. */
export interface ThreadToChatSources {
  /** Candidate sources, best first; possibly none. */
  candidates: ReadonlyArray<SourceCandidate>;
  /** Whether an index exists for the thread's repository (so that finding nothing means something). */
  indexed: boolean;
  /** Most share of `maxPromptTokens` the sources turn may take, 0..1; default 0.4. */
  maxShare?: number;
}

export interface ThreadToChatOptions {
  /** Most tokens the whole chat may take, template overhead included. */
  maxPromptTokens: number;
  tokens: TokenCounter;
  /** Retrieved sources to ground the reply in; without them the chat is exactly the thread's. */
  sources?: ThreadToChatSources;
  /**
   * The thread was flagged for prompt injection: `notice` (Threadwise's words, never the thread's)
   * joins the system prompt, and every message's text, the title included, goes inside a fence
   * longer than any backtick run in it, so it reads as quoted data and cannot pose as a header.
   */
  threadAsData?: { notice: string };
}

export interface ThreadChat {
  turns: ChatTurn[];
  elision: ElisionReport;
  /** The sources in the sources turn, numbered 1..k; empty when none was given. */
  given: KnowledgeSource[];
  /** An index was searched and no source was given: the system prompt told the model so. */
  noRelevantSources: boolean;
}

/** Template tokens around each turn (`<|start_header_id|>role<|end_header_id|>\n\n … <|eot_id|>`), rounded up. */
export const TURN_OVERHEAD_TOKENS = 8;
/** Slack for tokenizer merges across the places where texts are joined. */
const JOIN_SLACK_TOKENS = 4;
/** When there are comments too, the opening post gets at most this share of the thread's budget. */
const OPENING_SHARE_WITH_COMMENTS = 0.5;
/** Characters per token above which no tokenizer goes; lets huge texts be cut before tokenizing. */
const MAX_CHARS_PER_TOKEN = 12;
/** Fewer tokens than this left for the thread is no room for it at all. */
const MIN_THREAD_TOKENS = 64;
/** Default most share of the prompt the sources may take; the thread gets the rest. */
const DEFAULT_SOURCES_SHARE = 0.4;

const MAINTAINERS: ReadonlySet<CommentAuthorAssociation> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function isMaintainer(author: ThreadAuthor): boolean {
  return MAINTAINERS.has(author.association);
}

/**
 * Turns a GitHub thread into the chat a Llama 3 model is given (the GitHub-bot articles'
 * GithubIssueToChat): the system prompt, then the opening post and the comments in order,
 * maintainers as the assistant's side and everyone else as users, each under a header naming
 * its author. When the thread does not fit `maxPromptTokens`, the opening post and the newest
 * comments are kept and the middle is replaced by one explicit note.
 *
 * With `sources`, the numbered sources go in one user turn between the system turn and the thread
 * (a stable prefix, so a regenerate reuses the model's KV cache). They take at most `maxShare` of the
 * budget, and never so much that the thread is left less than its minimum; the thread gets the rest.
 * When an index was searched but no source is given, the system prompt says so instead.
 *
 * Thread and source text never reach the system turn, and each author's words stay inside their own turn.
 */
export function threadToChat(thread: Thread, options: ThreadToChatOptions): ThreadChat {
  const { tokens } = options;
  const cost = (text: string): number => tokens.count(text) + TURN_OVERHEAD_TOKENS;
  // The notes are written after the budget is spent, so their cost is held back first: the closing
  // note as it is, the elision note at its largest (every comment elided, the real dates).
  // Top-level comments and, on pull requests, review comments on the diff, in time order.
  const comments = conversationOf(thread);
  const elisionReserve = comments.length > 0 ? cost(elisionNote(comments.length, comments[0]!.createdAt, comments.at(-1)!.createdAt)) + JOIN_SLACK_TOKENS : 0;
  const notesReserve = cost(CLOSING_NOTE) + elisionReserve;
  const notice = options.threadAsData?.notice;
  const fenced = options.threadAsData !== undefined;
  const grounded = groundThread(thread, options, notesReserve);
  const system = buildSystemPrompt(thread, grounded.grounding, notice);
  let budget = options.maxPromptTokens - cost(system) - notesReserve - (grounded.turn === null ? 0 : cost(grounded.turn.text));
  if (budget < MIN_THREAD_TOKENS) {
    throw new RangeError(`a prompt budget of ${options.maxPromptTokens} tokens leaves no room for the thread`);
  }

  // The opening post always stays; cut its body when it alone is too large.
  const openingHeader = openingHeaderLine(thread, !fenced);
  const openingCap = comments.length > 0 ? Math.floor(budget * OPENING_SHARE_WITH_COMMENTS) : budget;
  const files = changedFilesBlock(thread);
  // Fenced as data, the title moves into the fence with the body: strangers wrote it too.
  const body = fenced ? `Title: ${thread.title}\n\n${thread.body}` : thread.body;
  const openingBody = files ? `${files}\n\n${body}` : body;
  const opening = fitMessage(openingHeader, openingBody, openingCap - TURN_OVERHEAD_TOKENS, tokens, fenced);
  budget -= cost(opening.text);

  // Newest comments first, while they fit; the newest is cut rather than dropped.
  const kept: ChatTurn[] = [];
  let oldestKept = comments.length;
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i]!;
    const header = commentHeaderLine(comment.author, comment.createdAt, comment.location);
    let text = messageText(header, comment.body, fenced);
    if (cost(text) > budget) {
      if (kept.length > 0) break;
      text = fitMessage(header, comment.body, budget - TURN_OVERHEAD_TOKENS, tokens, fenced).text;
    }
    budget -= cost(text);
    kept.unshift({ role: roleOf(comment.author), text });
    oldestKept = i;
  }

  const turns: ChatTurn[] = [{ role: 'system', text: system }];
  if (grounded.turn !== null) turns.push(grounded.turn);
  turns.push({ role: roleOf(thread.author), text: opening.text });
  const elided = oldestKept;
  if (elided > 0) {
    const first = comments[0]!.createdAt;
    const last = comments[elided - 1]!.createdAt;
    turns.push({ role: 'user', text: elisionNote(elided, first, last) });
  }
  turns.push(...kept);
  if (turns[turns.length - 1]!.role === 'assistant') {
    turns.push({ role: 'user', text: CLOSING_NOTE });
  }
  return {
    turns,
    elision: { totalComments: comments.length, elidedComments: elided, truncatedBodyChars: Math.min(opening.cutChars, thread.body.length) },
    given: grounded.given,
    noRelevantSources: grounded.grounding === 'no-relevant-sources',
  };
}

interface Grounded {
  grounding: PromptGrounding;
  turn: ChatTurn | null;
  given: KnowledgeSource[];
}

/**
 * Numbers the sources that fit their share of the budget. The share is measured against the system
 * prompt that cites sources; when no source fits, the prompt falls back to saying that nothing
 * relevant was found (when an index was searched) or to the plain prompt.
 */
function groundThread(thread: Thread, options: ThreadToChatOptions, notesReserve: number): Grounded {
  const { sources, tokens, maxPromptTokens } = options;
  if (sources === undefined) return { grounding: 'none', turn: null, given: [] };
  const fallback: Grounded = { grounding: sources.indexed ? 'no-relevant-sources' : 'none', turn: null, given: [] };
  if (sources.candidates.length === 0) return fallback;

  const systemCost = tokens.count(buildSystemPrompt(thread, 'sources', options.threadAsData?.notice)) + TURN_OVERHEAD_TOKENS;
  const share = sourcesShare(sources.maxShare);
  const forSources = Math.min(Math.floor(maxPromptTokens * share), maxPromptTokens - systemCost - notesReserve - MIN_THREAD_TOKENS);
  const budgetTokens = forSources - TURN_OVERHEAD_TOKENS;
  if (budgetTokens <= 0) return fallback;
  const { turn, given } = numberSources(sources.candidates, budgetTokens, tokens);
  return turn === null ? fallback : { grounding: 'sources', turn, given };
}

function sourcesShare(maxShare: number | undefined): number {
  return maxShare !== undefined && Number.isFinite(maxShare) ? Math.min(1, Math.max(0, maxShare)) : DEFAULT_SOURCES_SHARE;
}

/** Ends a thread whose last word is a maintainer's, so the model drafts a new turn instead of continuing theirs. */
const CLOSING_NOTE =
  '[Threadwise note: the last message above is from a maintainer. Draft a follow-up from the maintainers only if something is left to say; otherwise say briefly that nothing needs to be added.]';

function elisionNote(count: number, first: string, last: string): string {
  return `[Threadwise note: ${count} earlier ${count === 1 ? 'comment' : 'comments'} (${first} to ${last}) left out here to fit the model's context window.]`;
}

function roleOf(author: ThreadAuthor): ChatRole {
  return isMaintainer(author) ? 'assistant' : 'user';
}

function openingHeaderLine(thread: Thread, withTitle = true): string {
  const what = thread.kind === 'pull' ? 'pull request' : 'issue';
  const facts = [`@${thread.author.login} (${thread.author.association}) opened ${what} ${thread.repo}#${thread.number} on ${thread.createdAt}`];
  if (thread.state) facts.push(`state: ${thread.state}`);
  if (thread.labels && thread.labels.length > 0) facts.push(`labels: ${thread.labels.join(', ')}`);
  return withTitle ? `${facts.join('; ')}.\nTitle: ${thread.title}` : `${facts.join('; ')}.`;
}

function commentHeaderLine(author: ThreadAuthor, createdAt: string, location?: string): string {
  return location === undefined
    ? `@${author.login} (${author.association}) commented on ${createdAt}:`
    : `@${author.login} (${author.association}) commented on the diff at ${location} on ${createdAt}:`;
}

/** A message: its header line, then its body (fenced as quoted data when `fenced`). */
function messageText(header: string, body: string, fenced: boolean): string {
  if (!fenced) return `${header}\n\n${body}`;
  const fence = fenceFor(body);
  return `${header}\n\n${fence}text\n${body}\n${fence}`;
}

/** Header plus as much of the body as fits `maxTokens`, with a note saying how much was cut. */
function fitMessage(header: string, body: string, maxTokens: number, tokens: TokenCounter, fenced = false): { text: string; cutChars: number } {
  const whole = messageText(header, body, fenced);
  // A text longer than maxTokens * MAX_CHARS_PER_TOKEN cannot fit, so huge bodies skip the count.
  if (whole.length <= maxTokens * MAX_CHARS_PER_TOKEN && tokens.count(whole) <= maxTokens) return { text: whole, cutChars: 0 };
  const noteFor = (cut: number): string => `\n\n[Threadwise note: ${cut} more characters of this message cut to fit the model's context window.]`;
  // Fenced, the frame (both fence lines) is paid for first; the fence fits the whole body, so it fits any cut of it.
  const fence = fenced ? fenceFor(body) : '';
  const frameCost = fenced ? tokens.count(`${fence}text\n\n${fence}`) + JOIN_SLACK_TOKENS : 0;
  const room = maxTokens - tokens.count(`${header}\n\n`) - tokens.count(noteFor(body.length)) - frameCost - JOIN_SLACK_TOKENS;
  const kept = room > 0 ? tokens.truncate(body.slice(0, room * MAX_CHARS_PER_TOKEN), room) : '';
  const cutChars = body.length - kept.length;
  return { text: `${messageText(header, kept, fenced)}${noteFor(cutChars)}`, cutChars };
}
