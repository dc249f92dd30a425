import type { ChatModel, GenerateRequest, GenerateResult } from '../../server/src/llm/chatModel';
import { wordCounter } from './tokenCounters';

/**
 * A ChatModel that answers with scripted replies in order (the last one repeats), streamed word by
 * word, and records every request: what the repair loop sent, turn by turn. Prompt tokens are the
 * words of the turns; the tokens shared with the previous request's prompt count as reused, as the
 * real model's KV cache would.
 */
export class ScriptedChatModel implements ChatModel {
  readonly requests: GenerateRequest[] = [];
  readonly info = { name: 'scripted', file: '/models/scripted.gguf', sizeBytes: 1, maxContextSize: 8192, gpu: false as const, threads: 1 };
  readonly tokens = wordCounter;
  private previousPrompt: string[] = [];

  constructor(private readonly replies: readonly string[], private readonly contextSize = 8192) {}

  maxPromptTokens(maxReplyTokens: number): number {
    return this.contextSize - maxReplyTokens;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(request);
    const reply = this.replies[Math.min(this.requests.length - 1, this.replies.length - 1)] ?? '';
    const prompt = request.turns.flatMap((turn) => [`<${turn.role}>`, ...wordCounter.count(turn.text) > 0 ? turn.text.split(/\s+/).filter(Boolean) : []]);
    let shared = 0;
    while (shared < prompt.length && shared < this.previousPrompt.length && prompt[shared] === this.previousPrompt[shared]) shared++;
    this.previousPrompt = prompt;
    const pieces = reply.match(/\S+\s*|\s+/g) ?? [];
    let text = '';
    let stopReason: GenerateResult['stopReason'] = 'end';
    for (const piece of pieces) {
      if (request.signal.aborted) {
        stopReason = 'cancelled';
        break;
      }
      text += piece;
      request.onChunk(piece);
      await Promise.resolve();
    }
    return {
      text,
      stopReason,
      promptTokens: prompt.length,
      evaluatedTokens: prompt.length - shared,
      generatedTokens: pieces.length,
      contextSize: this.contextSize,
      timeToFirstTokenMs: text === '' ? null : 1,
      generationMs: 2,
    };
  }

  dispose(): void {}
}
