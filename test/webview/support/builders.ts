import type { RunMetrics, RunSnapshot, SafetyBadge, ThreadInfo, ToWebview } from '../../../webview/src/protocol';

export function aThread(overrides: Partial<ThreadInfo> = {}): ThreadInfo {
  return { ref: 'acme/parser#42', title: 'Parser crashes on empty input', url: 'https://github.com/acme/parser/issues/42', ...overrides };
}

export function aRun(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return { runId: 1, status: 'idle', text: '', ...overrides };
}

export function safeBadge(overrides: Partial<SafetyBadge> = {}): SafetyBadge {
  return { label: 'safe', score: 0.981, unsafe: false, ...overrides };
}

export function someMetrics(overrides: Partial<RunMetrics> = {}): RunMetrics {
  return {
    timeToFirstTokenMs: 120.4,
    requestToFirstChunkMs: 950,
    tokensPerSecond: 31.42,
    generatedTokens: 256,
    reusedTokens: 0,
    totalMs: 8300,
    ...overrides,
  };
}

export function init(run: Partial<RunSnapshot> = {}, thread: Partial<ThreadInfo> = {}): ToWebview {
  return { type: 'init', thread: aThread(thread), run: aRun(run) };
}

export function done(runId: number, text: string, overrides: Partial<Extract<ToWebview, { type: 'done' }>> = {}): ToWebview {
  return { type: 'done', runId, text, cancelled: false, safety: safeBadge(), metrics: someMetrics(), ...overrides };
}

/** Splits `text` into chunks of 1..maxSize characters, deterministically (a fixed-seed LCG). */
export function chunksOf(text: string, maxSize: number, seed = 7): string[] {
  const chunks: string[] = [];
  let state = seed;
  for (let at = 0; at < text.length; ) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const size = 1 + (state % maxSize);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}
