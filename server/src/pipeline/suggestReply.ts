import { randomInt, randomUUID } from 'node:crypto';
import { citedSources } from '../checks/citations';
import { checkText, externalToolsOption, findingFails } from '../checks/checkText';
import type { CodeCheckers } from '../checks/code/codeCheckers';
import { injectionNotice, screenThread } from '../checks/injection';
import type { SafetyClassifier } from '../checks/safetyClassifier';
import type { ThreadRetrieval } from '../knowledge/knowledgeService';
import { ThreadwiseError } from '../errors';
import type { ChatModel } from '../llm/chatModel';
import type { DaemonSettings, SafetyVerdict, Suggestion, SuggestReplyProgress, Thread } from '../protocol';
import { isEmptyThread, threadRef } from '../thread/parseThread';
import { draftWithRepairs } from './draftWithRepairs';
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
  /** The code checkers (loaded on first use, shared by every request). */
  checkers: CodeCheckers;
  /** Phases and chunks, in order. */
  onProgress(progress: SuggestReplyProgress): void;
  signal: AbortSignal;
  now?: () => number;
}

/** Fewer prompt tokens than this cannot hold the system prompt and a useful part of a thread. */
const MIN_PROMPT_TOKENS = 512;

/** Tokens held back for a repair's feedback turn (its findings are cut to fit). */
const FEEDBACK_TOKENS = 400;

/** Seed of a first draft; regenerate draws a random one so a new draft differs. */
const FIRST_DRAFT_SEED = 1;

const NO_RETRIEVAL: ThreadRetrieval = { indexed: false, skippedReason: 'retrieval is not set up', candidates: [], indexVersion: null, embeddingModel: null };

/**
 * The suggest-reply dataflow of DESIGN.md up to the Suggestion: screen the thread → retrieve → chat
 * (sources first, then the thread; fenced as data when flagged) → generate (streamed) → check (code
 * blocks, secrets, sources) ↺ repair while checks fail and cycles are left → guardrail → Suggestion.
 * A cancelled request still resolves, with the text generated so far and `cancelled: true`.
 */
export async function suggestReply(input: SuggestReplyInput, deps: SuggestReplyDeps): Promise<Suggestion> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const { settings } = deps;
  if (isEmptyThread(input.thread)) {
    throw new ThreadwiseError('invalid-thread', `${threadRef(input.thread)} has no text to reply to: its title, body and comments are empty`);
  }

  // The thread is screened before anything reads it: a flagged thread is fenced as data in the
  // prompt and its reply is checked strictly.
  const screening = screenThread(input.thread);

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
  // A repair appends the draft and its findings to the same chat: hold their room back when it fits.
  const withRepairRoom = model.maxPromptTokens(settings.maxReplyTokens * 2 + FEEDBACK_TOKENS);
  const maxCycles = settings.maxFixCycles > 0 && withRepairRoom >= MIN_PROMPT_TOKENS ? settings.maxFixCycles : 0;
  const maxPromptTokens = maxCycles > 0 ? withRepairRoom : model.maxPromptTokens(settings.maxReplyTokens);
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
    ...(screening.flagged ? { threadAsData: { notice: injectionNotice(screening) } } : {}),
  });

  const checkOptions = {
    checkers: deps.checkers,
    failOn: settings.checksFailOn,
    strict: screening.flagged,
    sources: { given: chat.given, thread: input.thread },
    ...externalToolsOption(settings),
    signal: deps.signal,
  };
  deps.onProgress({ kind: 'phase', phase: 'generating', message: 'Generating' });
  const sampling = {
    temperature: settings.temperature,
    seed: input.regenerate ? randomInt(2 ** 31) : FIRST_DRAFT_SEED,
    maxTokens: settings.maxReplyTokens,
    maxFixCycles: maxCycles,
  };
  const drafted = await draftWithRepairs({
    model,
    turns: chat.turns,
    maxTokens: sampling.maxTokens,
    temperature: sampling.temperature,
    seed: sampling.seed,
    maxCycles,
    repairTokens: settings.maxReplyTokens + FEEDBACK_TOKENS,
    signal: deps.signal,
    check: (text) => checkText(text, checkOptions),
    findingFails: (finding) => findingFails(finding, checkOptions),
    fitFeedback: (feedback) => model.tokens.truncate(feedback, FEEDBACK_TOKENS),
    onProgress: (event) => deps.onProgress(event),
    now,
  });
  const generated = drafted.last;
  const { first, firstChunkAt, totals } = drafted;

  // Still the 'checking' phase the repair loop announced: the guardrail reads the final draft.
  const guardStarted = now();
  const safety = await classify(guardrail, generated.text, settings);
  const guardrailMs = now() - guardStarted;

  const decodeMs = first.timeToFirstTokenMs === null ? 0 : first.generationMs - first.timeToFirstTokenMs;
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
    sampling,
    // Summed over the first draft and its repairs (each cycle's own figures are in checkCycles).
    tokens: {
      prompt: totals.promptTokens,
      evaluated: totals.evaluatedTokens,
      reused: totals.promptTokens - totals.evaluatedTokens,
      generated: totals.generatedTokens,
    },
    timings: {
      loadMs,
      timeToFirstTokenMs: first.timeToFirstTokenMs,
      requestToFirstChunkMs: firstChunkAt === null ? null : firstChunkAt - started,
      generationMs: totals.generationMs,
      // Decode speed of the first draft: tokens after the first over the time after the first.
      tokensPerSecond: first.generatedTokens > 1 && decodeMs > 0 ? ((first.generatedTokens - 1) * 1000) / decodeMs : 0,
      guardrailMs,
      retrievalMs: retrieved.ms,
      checksMs: totals.checksMs,
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
    citationFindings: drafted.report.sources,
    checks: drafted.report,
    checkCycles: drafted.cycles,
    screening,
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
