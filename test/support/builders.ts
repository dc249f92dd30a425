import type { CheckReport, CommentAuthorAssociation, Suggestion, Thread, ThreadAuthor, ThreadComment, KnowledgeSource } from '../../server/src/protocol';

/** The moment every fixture is anchored to; all timestamps are derived from it, never from the clock. */
export const BASE_TIME_MS = Date.UTC(2024, 0, 15, 9, 0, 0);

/** The ISO-8601 timestamp `minutes` after BASE_TIME_MS (deterministic). */
export function timestampAt(minutes: number): string {
  return new Date(BASE_TIME_MS + minutes * 60_000).toISOString();
}

export function anAuthor(login: string, association: CommentAuthorAssociation): ThreadAuthor {
  return { login, association };
}

/** A maintainer of the repository (OWNER, MEMBER or COLLABORATOR; MEMBER by default). */
export function maintainer(login: string, association: 'OWNER' | 'MEMBER' | 'COLLABORATOR' = 'MEMBER'): ThreadAuthor {
  return { login, association };
}

/** Someone with no role in the repository (NONE by default). */
export function stranger(
  login: string,
  association: 'CONTRIBUTOR' | 'FIRST_TIME_CONTRIBUTOR' | 'FIRST_TIMER' | 'MANNEQUIN' | 'NONE' = 'NONE',
): ThreadAuthor {
  return { login, association };
}

export function aComment(overrides: Partial<ThreadComment> = {}): ThreadComment {
  return {
    author: stranger('commenter'),
    body: 'I see the same problem here.',
    createdAt: timestampAt(60),
    ...overrides,
  };
}

export function aThread(overrides: Partial<Thread> = {}): Thread {
  return {
    repo: 'acme/widgets',
    number: 42,
    kind: 'issue',
    title: 'Crash when opening a large file',
    body: 'Opening a 2 GB file makes the app crash with an out-of-memory error.',
    author: stranger('reporter'),
    createdAt: timestampAt(0),
    comments: [],
    ...overrides,
  };
}

export interface ThreadWithCommentsOptions {
  /** Overrides for the thread itself (comments are always generated). */
  thread?: Partial<Omit<Thread, 'comments'>>;
  /** Author of comment i (0-based, oldest first); strangers `user<i>` by default. */
  author?: (i: number) => ThreadAuthor;
  /** Body of comment i; `comment <i>: …` by default, so each body is unique and its index readable. */
  body?: (i: number) => string;
}

/** A thread with `n` comments, oldest first, one minute apart starting an hour after the opening post. */
export function threadWithComments(n: number, opts: ThreadWithCommentsOptions = {}): Thread {
  const author = opts.author ?? ((i: number) => stranger(`user${i}`));
  const body = opts.body ?? ((i: number) => `comment ${i}: some words about the problem`);
  const comments: ThreadComment[] = Array.from({ length: n }, (_, i) => ({
    author: author(i),
    body: body(i),
    createdAt: timestampAt(60 + i),
  }));
  return aThread({ ...opts.thread, comments });
}

/** A finished Suggestion for a thread, with fixed ids, figures and timestamps. */
export function aSuggestion(overrides: Partial<Suggestion> = {}): Suggestion {
  return {
    id: 'suggestion-1',
    threadRef: 'acme/widgets#42',
    text: 'Thanks for the report! Could you share the log?',
    cancelled: false,
    stopReason: 'end',
    safety: { label: 'SAFE', score: 0.98, unsafeScore: 0.02, unsafe: false, threshold: 0.5, model: 'Xenova/toxic-bert' },
    model: { name: 'Llama 3.2 1B Instruct', file: '/models/llama.gguf', sizeBytes: 1_000_000, contextSize: 8192, gpu: false },
    sampling: { temperature: 0.7, seed: 42, maxTokens: 768, maxFixCycles: 2 },
    tokens: { prompt: 420, evaluated: 400, reused: 20, generated: 12 },
    timings: { loadMs: 0, timeToFirstTokenMs: 35, requestToFirstChunkMs: 60, generationMs: 300, tokensPerSecond: 40, guardrailMs: 12, retrievalMs: 0, checksMs: 3, totalMs: 350 },
    elision: { totalComments: 1, elidedComments: 0, truncatedBodyChars: 0 },
    chat: [
      { role: 'system', text: 'You are Threadwise.' },
      { role: 'user', text: '@reporter (NONE) opened issue acme/widgets#42 on 2024-01-15T09:00:00.000Z.\nTitle: Crash\n\nIt crashes.' },
      { role: 'user', text: '@commenter (NONE) commented on 2024-01-15T10:00:00.000Z:\n\nSame here.' },
    ],
    createdAt: timestampAt(120),
    sources: [],
    retrieval: { indexed: false, skippedReason: 'no index for acme/widgets yet', noRelevantSources: false, given: [], indexVersion: null, embeddingModel: null, ms: 0 },
    citationFindings: [],
    checks: aCheckReport(),
    checkCycles: [],
    screening: { flagged: false, findings: [] },
    ...overrides,
  };
}

/** A check report with nothing found; override blocks, secrets or sources (and `passed`/`failures` to match). */
export function aCheckReport(overrides: Partial<CheckReport> = {}): CheckReport {
  return { blocks: [], secrets: [], sources: [], strict: false, passed: true, failures: 0, externalTools: [], ms: 1, ...overrides };
}

/** A docs source as retrieval gives it, numbered; override for issues or other files. */
export function aKnowledgeSource(overrides: Partial<KnowledgeSource> = {}): KnowledgeSource {
  const number = overrides.number ?? 1;
  return {
    number,
    chunkId: `chunk-${number}`,
    kind: 'doc',
    title: 'docs/install.md › Install › Linux',
    headingPath: ['Install', 'Linux'],
    path: 'docs/install.md',
    startLine: 10,
    endLine: 24,
    commitSha: '0123456789abcdef0123456789abcdef01234567',
    url: 'https://github.com/acme/widgets/blob/0123456789abcdef0123456789abcdef01234567/docs/install.md#L10-L24',
    localPath: '/work/widgets/docs/install.md',
    text: '## Linux\n\nRun `make install` as root.',
    score: 0.032,
    ...overrides,
  };
}
