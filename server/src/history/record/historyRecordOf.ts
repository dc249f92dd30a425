import type { HistoryRecord, Suggestion, Thread } from '../../protocol';
import { maskStrings } from './maskStrings';

export interface RecordInput {
  thread: Thread;
  suggestion: Suggestion;
  /** Who asked: `vscode`, `cli`, or the LSP client's name. */
  origin: string;
  /** The model file's SHA-256 when it is known already. */
  modelSha256: string | null;
  /** Exact values that must never be stored (the GitHub token), masked wherever they appear. */
  knownSecrets?: readonly string[];
}

/**
 * The record stored for a suggestion: the thread as it was (reference, title, `updatedAt`), the
 * suggestion with its whole lineage, and no outcome yet. Every string goes through `maskStrings`,
 * so a token a stranger pasted into the thread, or one the model wrote, is stored masked.
 */
export function historyRecordOf(input: RecordInput): HistoryRecord {
  const { thread, suggestion } = input;
  const reviewComments = (thread.reviewThreads ?? []).reduce((sum, review) => sum + review.comments.length, 0);
  const record: HistoryRecord = {
    id: suggestion.id,
    createdAt: suggestion.createdAt,
    origin: input.origin,
    thread: {
      repo: thread.repo,
      number: thread.number,
      kind: thread.kind,
      title: thread.title,
      url: thread.url ?? null,
      updatedAt: thread.updatedAt ?? null,
      commentCount: thread.comments.length + reviewComments,
    },
    modelSha256: input.modelSha256,
    suggestion,
    outcome: null,
  };
  return maskStrings(record, input.knownSecrets ?? []);
}
