import { randomInt, randomUUID } from 'node:crypto';
import { citationFindings, citedSources } from '../checks/citations';
import type { SafetyClassifier } from '../checks/safetyClassifier';
import type { ThreadRetrieval } from '../knowledge/knowledgeService';
import { ThreadwiseError } from '../errors';
import type { ChatModel } from '../llm/chatModel';
import type { DaemonSettings, SafetyVerdict, Suggestion, SuggestReplyProgress, Thread } from '../protocol';
import { isEmptyThread, threadRef } from '../thread/parseThread';
import { threadToChat } from './threadToChat';

export interface SuggestReplyInput {
  thread: Thread;
  regenerate?: boolean;
}

export interface SuggestReplyDeps {
  settings: DaemonSettings;
  /** Resolves with the loaded chat model, loading it first when needed. */
  chatModel(): Promise<ChatModel>;
  guardrail(): Promise<SafetyClassifier>;
  /** Sources for the thread from its repository's index (never rejects: no index gives no sources). */
  retrieve?(): Promise<ThreadRetrieval>;
  /** Phases and chunks, in order. */
  onProgress(progress: SuggestReplyProgress): void;
  signal: AbortSignal;
  now?: () => number;
}

/** Fewer prompt tokens than this cannot hold the system prompt and a useful part of a thread. */
const MIN_PROMPT_TOKENS = 512;

/** Seed of a first draft; regenerate draws a random one so a new draft differs. */
const FIRST_DRAFT_SEED = 1;

const NO_RETRIEVAL: ThreadRetrieval = { indexed: false, skippedReason: 'retrieval is not set up', candidates: [], indexVersion: null, embeddingModel: null };

/**
 * The suggest-reply dataflow of DESIGN.md as far as it is built: thread → retrieve → chat (sources
 * first, then the thread) → generate (streamed) → guardrail and citation check → Suggestion. Code
 * checks slot in before the Suggestion as a stage.
 * A cancelled request still resolves, with the text generated so far and `cancelled: true`.
 */
export async function suggestReply(input: SuggestReplyInput, deps: SuggestReplyDeps): Promise<Suggestion> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const { settings } = deps;
  if (isEmptyThread(input.thread)) {
    throw new ThreadwiseError('invalid-thread', `${threadRef(input.thread)} has no text to reply to: its title, body and comments are empty`);
  }

  // The guardrail loads while the model generates; its failure must not lose the draft.
  const guardrail = deps.guardrail();
  guardrail.catch(() => undefined);

  // Retrieval runs while the model loads: embedding the query does not need the chat model.
  deps.onProgress({ kind: 'phase', phase: 'retrieving', message: 'Searching the docs and past issues' });
  const retrievalStarted = now();
  const retrieval = (deps.retrieve ? deps.retrieve() : Promise.resolve(NO_RETRIEVAL)).then((result) => ({ result, ms: now() - retrievalStarted }));
  retrieval.catch(() => undefined);

  deps.onProgress({ kind: 'phase', phase: 'loading-model', message: 'Loading the model' });
  const model = await deps.chatModel();
  const loadMs = now() - started;
  const retrieved = await retrieval;

  deps.onProgress({ kind: 'phase', phase: 'building-prompt', message: 'Building the prompt' });
  const maxPromptTokens = model.maxPromptTokens(settings.maxReplyTokens);
  if (maxPromptTokens < MIN_PROMPT_TOKENS) {
    throw new ThreadwiseError(
      'not-configured',
      `threadwise.maxReplyTokens (${settings.maxReplyTokens}) leaves ${Math.max(0, maxPromptTokens)} tokens of the model's context for the thread; at least ${MIN_PROMPT_TOKENS} are needed`,
      'lower threadwise.maxReplyTokens or raise threadwise.contextSize',
    );
  }
  const chat = threadToChat(input.thread, {
    maxPromptTokens,
    tokens: model.tokens,
    sources: { candidates: retrieved.result.candidates, indexed: retrieved.result.indexed && retrieved.result.skippedReason === undefined },
  });

  deps.onProgress({ kind: 'phase', phase: 'generating', message: 'Generating' });
  let firstChunkAt: number | null = null;
  const generated = await model.generate({
    turns: chat.turns,
    maxTokens: settings.maxReplyTokens,
    temperature: settings.temperature,
    seed: input.regenerate ? randomInt(2 ** 31) : FIRST_DRAFT_SEED,
    signal: deps.signal,
    onChunk: (text) => {
      firstChunkAt ??= now();
      deps.onProgress({ kind: 'chunk', text });
    },
  });

  deps.onProgress({ kind: 'phase', phase: 'checking', message: 'Checking the reply' });
  const guardStarted = now();
  const safety = await classify(guardrail, generated.text, settings);
  const guardrailMs = now() - guardStarted;

  const decodeMs = generated.timeToFirstTokenMs === null ? 0 : generated.generationMs - generated.timeToFirstTokenMs;
  return {
    id: randomUUID(),
    threadRef: threadRef(input.thread),
    text: generated.text,
    cancelled: generated.stopReason === 'cancelled',
    stopReason: generated.stopReason,
    safety,
    model: {
      name: model.info.name,
      file: model.info.file,
      sizeBytes: model.info.sizeBytes,
      contextSize: generated.contextSize,
      gpu: model.info.gpu,
    },
    tokens: {
      prompt: generated.promptTokens,
      evaluated: generated.evaluatedTokens,
      reused: generated.promptTokens - generated.evaluatedTokens,
      generated: generated.generatedTokens,
    },
    timings: {
      loadMs,
      timeToFirstTokenMs: generated.timeToFirstTokenMs,
      requestToFirstChunkMs: firstChunkAt === null ? null : firstChunkAt - started,
      generationMs: generated.generationMs,
      // Decode speed: tokens after the first over the time after the first.
      tokensPerSecond: generated.generatedTokens > 1 && decodeMs > 0 ? ((generated.generatedTokens - 1) * 1000) / decodeMs : 0,
      guardrailMs,
      retrievalMs: retrieved.ms,
      totalMs: now() - started,
    },
    elision: chat.elision,
    chat: chat.turns,
    createdAt: new Date().toISOString(),
    sources: citedSources(generated.text, chat.given),
    retrieval: {
      indexed: retrieved.result.indexed,
      ...(retrieved.result.skippedReason !== undefined ? { skippedReason: retrieved.result.skippedReason } : {}),
      noRelevantSources: chat.noRelevantSources,
      given: chat.given,
      indexVersion: retrieved.result.indexVersion,
      embeddingModel: retrieved.result.embeddingModel,
      ms: retrieved.ms,
    },
    citationFindings: citationFindings(generated.text, chat.given, input.thread),
  };
}

async function classify(guardrail: Promise<SafetyClassifier>, text: string, settings: DaemonSettings): Promise<SafetyVerdict> {
  try {
    const classifier = await guardrail;
    return await classifier.classify(text, settings.guardrailThreshold);
  } catch (error) {
    // Unchecked is not safe: the verdict says so and carries the reason, and the draft is kept.
    const message = error instanceof ThreadwiseError ? error.describe() : (error as Error).message;
    return {
      label: 'UNCHECKED',
      score: 0,
      unsafeScore: 1,
      unsafe: true,
      threshold: settings.guardrailThreshold,
      model: settings.guardrailModel,
      error: message,
    };
  }
}
