import type { RepairState, RunMetrics, RunSnapshot, SafetyBadge } from './protocol';

/** What `#status` announces for a run (a polite live region: it changes only on state changes). */
export function statusText(run: RunSnapshot | undefined): string {
  if (!run) return 'Waiting for the thread…';
  switch (run.status) {
    case 'idle':
      return 'No draft yet';
    case 'waiting':
      return run.phase ?? 'Waiting for the model…';
    case 'generating':
      return run.phase ?? (run.repair ? repairText(run.repair) : 'Generating…');
    case 'done':
      return 'Reply ready';
    case 'cancelled':
      return 'Stopped';
    case 'error':
      return `Error: ${run.error?.message ?? 'the draft failed'}`;
  }
}

/** "Repairing (1/2): 3 findings fed back to the model": the phase line while a repaired draft streams. */
export function repairText(repair: RepairState): string {
  const findings = `${repair.failures} ${repair.failures === 1 ? 'finding' : 'findings'}`;
  return `Repairing (${repair.cycle}/${repair.maxCycles}): ${findings} fed back to the model`;
}

/** "First token 120 ms · 31.4 tok/s · 256 tokens (reused 812 prompt tokens)". */
export function metricsText(metrics: RunMetrics): string {
  const firstToken = metrics.timeToFirstTokenMs === null ? 'No tokens' : `First token ${Math.round(metrics.timeToFirstTokenMs)} ms`;
  const parts = [firstToken, `${formatRate(metrics.tokensPerSecond)} tok/s`, `${metrics.generatedTokens} ${metrics.generatedTokens === 1 ? 'token' : 'tokens'}`];
  const reused = metrics.reusedTokens > 0 ? ` (reused ${metrics.reusedTokens} prompt tokens)` : '';
  return parts.join(' · ') + reused;
}

/** Longer figures for the metrics tooltip. */
export function metricsTitle(metrics: RunMetrics): string {
  const request = metrics.requestToFirstChunkMs === null ? 'no chunk' : `${Math.round(metrics.requestToFirstChunkMs)} ms`;
  return `Request to first chunk: ${request} (includes model load and prompt). Total: ${Math.round(metrics.totalMs)} ms.`;
}

export interface BadgeView {
  text: string;
  /** Tooltip and accessible name. */
  description: string;
  unsafe: boolean;
  unchecked: boolean;
}

export function badgeView(safety: SafetyBadge): BadgeView {
  if (safety.error !== undefined) {
    return {
      text: 'UNCHECKED',
      description: `Guardrail could not check this reply: ${safety.error}. Treat it as unsafe and review it before posting.`,
      unsafe: true,
      unchecked: true,
    };
  }
  const score = safety.score.toFixed(2);
  const text = `${safety.label.toUpperCase()} ${score}`;
  const description = safety.unsafe
    ? `Guardrail flagged this reply as unsafe (${safety.label}, score ${score}). Review it before posting.`
    : `Guardrail: ${safety.label} (score ${score}).`;
  return { text, description, unsafe: safety.unsafe, unchecked: false };
}

function formatRate(tokensPerSecond: number): string {
  return tokensPerSecond >= 100 ? tokensPerSecond.toFixed(0) : tokensPerSecond.toFixed(1);
}
