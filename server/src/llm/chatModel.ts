import type { ChatTurn } from '../protocol';
import type { TokenCounter } from '../pipeline/threadToChat';
import type { Disposable } from '../util/disposable';

/** What a loaded chat model is, for the Suggestion and the history's lineage. */
export interface ChatModelInfo {
  /** Display name from the model's metadata, else the file name. */
  name: string;
  /** Absolute path of the model file. */
  file: string;
  sizeBytes: number;
  /** Largest context the daemon will create for this model (the setting capped by the model's training). */
  maxContextSize: number;
  /** GPU backend in use, or false on the CPU. */
  gpu: string | false;
  threads: number;
}

export interface GenerateRequest {
  turns: ChatTurn[];
  maxTokens: number;
  temperature: number;
  /** Sampling seed; the same seed and prompt give the same text on one machine. */
  seed: number;
  /** Aborting stops generation and resolves with the partial text (never rejects for the abort). */
  signal: AbortSignal;
  /** Called with each piece of text in generation order; the pieces joined equal `text`. */
  onChunk(text: string): void;
  /**
   * Tokens to keep room for beyond this request: a follow-up that extends this chat (a repair: the
   * draft and the findings) then fits the same context, so its KV cache — the prompt's prefix — is
   * reused rather than lost to a bigger context. Capped at the model's largest context.
   */
  reserveTokens?: number;
}

export interface GenerateResult {
  text: string;
  stopReason: 'end' | 'maxTokens' | 'cancelled';
  promptTokens: number;
  /** Prompt tokens evaluated for this request; the rest came from the KV cache. */
  evaluatedTokens: number;
  generatedTokens: number;
  contextSize: number;
  /** From the call to the first chunk; null when nothing was generated. */
  timeToFirstTokenMs: number | null;
  generationMs: number;
}

/**
 * A loaded chat model. Implementations keep the KV cache of earlier requests so a prompt that
 * starts like an earlier one (regenerate, a thread that grew) only evaluates what is new.
 * Concurrent `generate` calls are allowed; each has its own stream.
 */
export interface ChatModel extends Disposable {
  readonly info: ChatModelInfo;
  /** The model's own tokenizer, for prompt budgets. */
  readonly tokens: TokenCounter;
  /** Tokens a prompt may take so that `maxReplyTokens` still fit in the largest context. */
  maxPromptTokens(maxReplyTokens: number): number;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}
