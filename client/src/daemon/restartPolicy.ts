/**
 * When to restart a daemon that died, as a pure policy (no timers, no VS Code): exponential backoff
 * from `initialDelayMs`, and giving up after `maxCrashes` crashes that each came within
 * `quickFailureWindowMs` of the previous start. A daemon that ran longer than that window before it
 * died starts a fresh count: one crash a day is bad luck, four in a minute is a broken setup.
 */
export interface RestartPolicyOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  maxCrashes: number;
  quickFailureWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxCrashes: 4,
  quickFailureWindowMs: 60_000,
};

export type RestartDecision = { action: 'restart'; delayMs: number; attempt: number } | { action: 'give-up'; crashes: number };

export class RestartPolicy {
  private quickCrashes = 0;
  private lastStartAt: number | undefined;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** The daemon (re)started at `now`. */
  started(now: number): void {
    this.lastStartAt = now;
  }

  /** The daemon died unexpectedly at `now`: restart after the returned delay, or give up. */
  crashed(now: number): RestartDecision {
    const ranFor = this.lastStartAt === undefined ? 0 : now - this.lastStartAt;
    this.quickCrashes = ranFor > this.options.quickFailureWindowMs ? 1 : this.quickCrashes + 1;
    if (this.quickCrashes >= this.options.maxCrashes) return { action: 'give-up', crashes: this.quickCrashes };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (this.quickCrashes - 1));
    return { action: 'restart', delayMs, attempt: this.quickCrashes };
  }

  /** A restart the person asked for: forget earlier crashes. */
  reset(): void {
    this.quickCrashes = 0;
  }
}
