import type { HistoryRecord, OutcomeInfo, Suggestion } from '../../server/src/protocol';
import { aCheckReport, aKnowledgeSource, aSuggestion, timestampAt } from './builders';

export interface HistoryRecordOverrides extends Partial<Omit<HistoryRecord, 'suggestion' | 'thread'>> {
  /** Overrides for the suggestion (its id follows the record's unless given). */
  suggestion?: Partial<Suggestion>;
  thread?: Partial<HistoryRecord['thread']>;
}

/**
 * A stored history record around `aSuggestion()`: a thread reference, a model hash, no outcome.
 * `id` and `createdAt` are kept equal to the suggestion's, as the store keeps them.
 */
export function aHistoryRecord(overrides: HistoryRecordOverrides = {}): HistoryRecord {
  const id = overrides.id ?? overrides.suggestion?.id ?? 'suggestion-1';
  const suggestion = aSuggestion({ id, ...overrides.suggestion });
  return {
    id,
    createdAt: overrides.createdAt ?? suggestion.createdAt,
    origin: overrides.origin ?? 'vscode',
    thread: {
      repo: 'acme/widgets',
      number: 42,
      kind: 'issue',
      title: 'Crash when opening a large file',
      url: 'https://github.com/acme/widgets/issues/42',
      updatedAt: timestampAt(90),
      commentCount: 1,
      ...overrides.thread,
    },
    modelSha256: overrides.modelSha256 === undefined ? 'ab'.repeat(32) : overrides.modelSha256,
    suggestion,
    outcome: overrides.outcome ?? null,
  };
}

/** `items` as an async stream, one microtask per item, the way the store's cursor hands records over. */
export async function* streamOf<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

/** What the person did, at a fixed time. */
export function anOutcome(overrides: Partial<OutcomeInfo> = {}): OutcomeInfo {
  return { outcome: 'edited', editDistance: 7, finalLength: 52, at: timestampAt(180), commentUrl: 'https://github.com/acme/widgets/issues/42#issuecomment-1', ...overrides };
}

/**
 * A record with everything filled in: two sources given (one cited), a failed first draft with a
 * code finding and a secret, a repaired second draft, a flagged screening, an outcome.
 */
export function aFullHistoryRecord(overrides: HistoryRecordOverrides = {}): HistoryRecord {
  const cited = aKnowledgeSource({ number: 1, score: 0.0325 });
  const uncited = aKnowledgeSource({ number: 2, chunkId: 'chunk-2', kind: 'issue', title: '#7 Parser crashes on tabs', headingPath: [], issueNumber: 7, url: 'https://github.com/acme/widgets/issues/7', score: 0.0161 });
  const failing = aCheckReport({
    passed: false,
    failures: 2,
    blocks: [
      {
        block: { index: 0, language: 'javascript', languageFrom: 'fence', info: 'js', code: 'eval(x)', startLine: 3, offset: 10, unclosed: false },
        syntax: 'ok',
        security: 'checked',
        findings: [
          { ruleId: 'no-eval', kind: 'security', severity: 'error', line: 1, message: 'eval is evil', engine: 'eslint' },
          { ruleId: 'style.note', kind: 'security', severity: 'info', line: 1, message: 'fyi', engine: 'rules' },
        ],
        failed: true,
      },
    ],
    secrets: [{ ruleId: 'secret.github-token', message: 'a GitHub token', offset: 20, length: 40, line: 2, masked: 'ghp_****' }],
  });
  return aHistoryRecord({
    outcome: anOutcome(),
    ...overrides,
    suggestion: {
      sources: [cited],
      retrieval: { indexed: true, noRelevantSources: false, given: [cited, uncited], indexVersion: '17', embeddingModel: 'Xenova/all-MiniLM-L6-v2', ms: 12.5 },
      checkCycles: [
        { cycle: 0, text: 'first draft', report: failing, feedback: 'remove eval', generatedTokens: 30, generationMs: 800.25, stopReason: 'end' },
        { cycle: 1, text: 'Thanks for the report! Could you share the log?', report: aCheckReport(), feedback: '', generatedTokens: 12, generationMs: 300, stopReason: 'end' },
      ],
      screening: { flagged: true, findings: [{ ruleId: 'injection.ignore-instructions', message: 'asks to ignore instructions', where: 'body', excerpt: 'ignore all previous' }] },
      model: { name: 'Llama 3.2 1B Instruct', file: '/models/sub/llama-3.2-1b.Q4_K_M.gguf', sizeBytes: 8_123_456_789, contextSize: 8192, gpu: 'cuda' },
      ...overrides.suggestion,
    },
  });
}
