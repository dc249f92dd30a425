import path from 'node:path';
import { LlamaChat, resolveChatWrapper } from 'node-llama-cpp';
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { ThreadwiseError } from '../errors';
import type { ChatTurn } from '../protocol';
import type { TokenCounter } from '../pipeline/threadToChat';
import type { ChatModel, ChatModelInfo, GenerateRequest, GenerateResult } from './chatModel';
import { assertGgufFile } from './ggufFile';
import { SequencePool } from './sequencePool';

export interface LlamaCppLoadOptions {
  llama: Llama;
  modelPath: string;
  /** Upper bound from settings; capped by the model's training context. */
  maxContextSize: number;
  threads: number;
  /** Independent sequences, so this many requests generate at once. */
  parallelSequences?: number;
  onLoadProgress?(fraction: number): void;
  signal?: AbortSignal;
}

/** Smallest context created, so that a short thread followed by a longer one rarely forces a new context. */
const MIN_CONTEXT_SIZE = 4096;

/** Loads a GGUF chat model with node-llama-cpp; every failure becomes a ThreadwiseError naming the file. */
export async function loadLlamaCppChatModel(options: LlamaCppLoadOptions): Promise<LlamaCppChatModel> {
  const modelPath = path.resolve(options.modelPath);
  const sizeBytes = await assertGgufFile(modelPath);
  let model: LlamaModel;
  try {
    model = await options.llama.loadModel({
      modelPath,
      onLoadProgress: (fraction) => options.onLoadProgress?.(fraction),
      loadSignal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ThreadwiseError(
      'model-invalid',
      `could not load the model file ${modelPath}: ${(error as Error).message}`,
      'the file may be truncated or not a llama.cpp GGUF model; download it again or set threadwise.model to another file',
      { cause: error },
    );
  }
  const maxContextSize = Math.max(256, Math.min(options.maxContextSize, model.trainContextSize));
  const metadataName = model.fileInfo.metadata.general?.name;
  const info: ChatModelInfo = {
    name: typeof metadataName === 'string' && metadataName !== '' ? metadataName : path.basename(modelPath),
    file: modelPath,
    sizeBytes,
    maxContextSize,
    gpu: options.llama.gpu,
    threads: options.threads,
  };
  return new LlamaCppChatModel(model, info, options.parallelSequences ?? 2);
}

/**
 * A node-llama-cpp model with a context of a few sequences. Each sequence keeps its KV cache
 * between requests; a request takes the free sequence whose cached tokens share the longest
 * prefix with its prompt, so LlamaChat only evaluates the part of the prompt that changed.
 */
export class LlamaCppChatModel implements ChatModel {
  readonly tokens: TokenCounter;
  private readonly pool: SequencePool<LlamaChat>;
  private readonly inFlight = new Set<AbortController>();
  private readonly chatWrapper: ChatWrapper;
  private disposed = false;

  constructor(
    private readonly model: LlamaModel,
    readonly info: ChatModelInfo,
    parallelSequences: number,
  ) {
    this.tokens = {
      count: (text) => model.tokenize(text).length,
      truncate: (text, maxTokens) => model.detokenize(model.tokenize(text).slice(0, Math.max(0, maxTokens))),
    };
    // The model's own chat template (Llama 3's for Llama 3 models), as LlamaChat itself would pick it.
    this.chatWrapper = resolveChatWrapper(model);
    this.pool = new SequencePool<LlamaChat, LlamaContext>({
      createContext: (contextSize) => this.createContext(contextSize, parallelSequences),
      createSlot: (context) => new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: this.chatWrapper, autoDisposeSequence: true }),
      contextTokensOf: (chat) => chat.sequence.contextTokens,
      disposeSlot: (chat) => chat.dispose(),
    }, parallelSequences);
  }

  maxPromptTokens(maxReplyTokens: number): number {
    return this.info.maxContextSize - maxReplyTokens;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed) throw new ThreadwiseError('internal', 'the chat model was unloaded', 'try again');
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    if (request.signal.aborted) abort.abort();
    this.inFlight.add(abort);
    try {
      return await this.generateOnSequence(request, abort.signal);
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(abort);
    }
  }

  private async generateOnSequence(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const history = toChatHistory(request.turns);
    const promptTokens = this.renderPromptTokens(history);
    const needed = promptTokens.length + request.maxTokens;
    if (needed > this.info.maxContextSize) {
      throw new ThreadwiseError(
        'prompt-too-large',
        `the prompt needs ${needed} tokens but the model's context holds ${this.info.maxContextSize}`,
        'raise threadwise.contextSize or lower threadwise.maxReplyTokens',
      );
    }
    // The context is sized for the follow-ups the caller announced too (never past the largest).
    const sized = Math.min(this.info.maxContextSize, needed + Math.max(0, request.reserveTokens ?? 0));
    const lease = await this.pool.acquire(promptTokens, sized, signal);
    if (!lease) return cancelledBeforeStart(promptTokens.length, this.pool.contextSize);
    try {
      const chat = lease.slot;
      const meterBefore = chat.sequence.tokenMeter.getState();
      const started = performance.now();
      let firstChunkAt: number | null = null;
      const chunks: string[] = [];
      const response = await chat.generateResponse(history, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        seed: request.seed,
        signal,
        stopOnAbortSignal: true,
        onTextChunk: (text) => {
          if (text === '') return;
          firstChunkAt ??= performance.now();
          chunks.push(text);
          request.onChunk(text);
        },
      });
      const meterAfter = chat.sequence.tokenMeter.getState();
      const stop = response.metadata.stopReason;
      return {
        // The streamed pieces are the reply: the client has already shown exactly these.
        text: chunks.join(''),
        stopReason: stop === 'abort' ? 'cancelled' : stop === 'maxTokens' ? 'maxTokens' : 'end',
        promptTokens: promptTokens.length,
        evaluatedTokens: Math.min(promptTokens.length, meterAfter.usedInputTokens - meterBefore.usedInputTokens),
        generatedTokens: meterAfter.usedOutputTokens - meterBefore.usedOutputTokens,
        contextSize: chat.sequence.contextSize,
        timeToFirstTokenMs: firstChunkAt === null ? null : firstChunkAt - started,
        generationMs: performance.now() - started,
      };
    } finally {
      lease.release();
    }
  }

  /** The prompt's tokens as LlamaChat will lay them out, with the same chat wrapper it resolves. */
  private renderPromptTokens(history: ChatHistoryItem[]): Token[] {
    return this.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(this.model.tokenizer);
  }

  private async createContext(contextSize: number, sequences: number): Promise<LlamaContext> {
    const size = Math.min(this.info.maxContextSize, Math.max(contextSize, Math.min(MIN_CONTEXT_SIZE, this.info.maxContextSize)));
    return this.model.createContext({
      contextSize: roundUp(size, 256),
      sequences,
      threads: this.info.threads,
      batchSize: Math.min(512, roundUp(size, 256)),
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const abort of this.inFlight) abort.abort();
    await this.pool.dispose();
    await this.model.dispose();
  }
}

/** Maps our chat turns to node-llama-cpp's history; thread text is passed as plain text, never as special tokens. */
export function toChatHistory(turns: readonly ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn): ChatHistoryItem => {
    switch (turn.role) {
      case 'system':
        return { type: 'system', text: turn.text };
      case 'user':
        return { type: 'user', text: turn.text };
      case 'assistant':
        return { type: 'model', response: [turn.text] };
    }
  });
  history.push({ type: 'model', response: [] });
  return history;
}

function cancelledBeforeStart(promptTokens: number, contextSize: number): GenerateResult {
  return {
    text: '',
    stopReason: 'cancelled',
    promptTokens,
    evaluatedTokens: 0,
    generatedTokens: 0,
    contextSize,
    timeToFirstTokenMs: null,
    generationMs: 0,
  };
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
