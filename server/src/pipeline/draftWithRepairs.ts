import type { ChatModel, GenerateResult } from '../llm/chatModel';
import type { ChatTurn, CheckCycle, CheckReport, CodeFinding, SuggestReplyProgress } from '../protocol';
import { repairFeedback } from './repairFeedback';

export interface DraftWithRepairsRequest {
  model: ChatModel;
  /** The chat of the first draft; repairs extend it (draft, then findings), so its KV cache is reused. */
  turns: ChatTurn[];
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Repair cycles allowed after the first draft (`threadwise.maxFixCycles`). */
  maxCycles: number;
  /** Tokens a repair adds to the prompt at most (one draft and the feedback): reserved in the model's context from the first draft on, so the repair reuses its KV cache. */
  repairTokens: number;
  signal: AbortSignal;
  /** The checks of one draft. */
  check: (text: string) => Promise<CheckReport>;
  /** Whether a finding fails (the report's own rule, for the feedback to list only those). */
  findingFails: (finding: CodeFinding) => boolean;
  /** Cuts the feedback to the tokens held back for it in the prompt budget. */
  fitFeedback: (feedback: string) => string;
  onProgress: (progress: SuggestReplyProgress) => void;
  now: () => number;
}

export interface DraftWithRepairs {
  /** The last draft's generation: its text is the reply (a repair's draft replaces the one before). */
  last: GenerateResult;
  report: CheckReport;
  cycles: CheckCycle[];
  /** The first generation (time to first token, prompt tokens of the original chat). */
  first: GenerateResult;
  /** When the first chunk of the first draft was handed on; null when nothing was generated. */
  firstChunkAt: number | null;
  /** Summed over every cycle. */
  totals: { generationMs: number; generatedTokens: number; evaluatedTokens: number; promptTokens: number; checksMs: number };
}

/**
 * Generate → check → (repair → check)*: the first draft streams; when its checks fail and cycles
 * are left, a `repair` progress tells the client that the chunks that follow are a new draft, and
 * the model is asked again with the findings. Stops when a draft passes, the cycles run out, or the
 * request is cancelled (a cancelled draft is checked and kept as it is, never repaired). Every draft
 * and its report is kept in `cycles`, the trace of the Suggestion.
 */
export async function draftWithRepairs(request: DraftWithRepairsRequest): Promise<DraftWithRepairs> {
  const { model, now } = request;
  let turns = request.turns;
  let firstChunkAt: number | null = null;
  const cycles: CheckCycle[] = [];
  const totals = { generationMs: 0, generatedTokens: 0, evaluatedTokens: 0, promptTokens: 0, checksMs: 0 };
  let first: GenerateResult | undefined;

  for (let cycle = 0; ; cycle++) {
    const generated = await model.generate({
      turns,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      signal: request.signal,
      // The first draft sizes the context for a repair too; a repair then fits it as it is.
      ...(cycle === 0 && request.maxCycles > 0 ? { reserveTokens: request.repairTokens } : {}),
      onChunk: (text) => {
        firstChunkAt ??= now();
        request.onProgress({ kind: 'chunk', text });
      },
    });
    first ??= generated;
    totals.generationMs += generated.generationMs;
    totals.generatedTokens += generated.generatedTokens;
    totals.evaluatedTokens += generated.evaluatedTokens;
    totals.promptTokens += generated.promptTokens;

    request.onProgress({ kind: 'phase', phase: 'checking', message: cycle === 0 ? 'Checking the reply' : `Checking the repaired reply (${cycle}/${request.maxCycles})` });
    const checkStarted = now();
    const report = await request.check(generated.text);
    totals.checksMs += now() - checkStarted;
    const entry: CheckCycle = {
      cycle,
      text: generated.text,
      report,
      feedback: '',
      generatedTokens: generated.generatedTokens,
      generationMs: generated.generationMs,
      stopReason: generated.stopReason,
    };
    cycles.push(entry);

    const repairable = !report.passed && cycle < request.maxCycles && generated.stopReason !== 'cancelled' && !request.signal.aborted;
    if (!repairable) return { last: generated, report, cycles, first, firstChunkAt, totals };

    entry.feedback = request.fitFeedback(repairFeedback(report, request.findingFails));
    const next = cycle + 1;
    request.onProgress({
      kind: 'repair',
      cycle: next,
      maxCycles: request.maxCycles,
      failures: report.failures,
      message: `Repairing (${next}/${request.maxCycles}): ${report.failures} ${report.failures === 1 ? 'finding' : 'findings'} fed back to the model`,
    });
    request.onProgress({ kind: 'phase', phase: 'repairing', message: `Repairing (${next}/${request.maxCycles})` });
    // The first chat with the latest draft and its findings appended: the prefix is the cached one,
    // and the prompt grows by one draft and one feedback at most (the budget held that back).
    turns = [...request.turns, { role: 'assistant', text: generated.text }, { role: 'user', text: entry.feedback }];
  }
}
