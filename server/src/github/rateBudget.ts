/**
 * GitHub's GraphQL rate limit as the client last saw it, and the decision before each request:
 * go, wait (pace out the rest of the window, or sit out a short block), or refuse (the budget is
 * gone for longer than is worth waiting).
 *
 * The policy, in order:
 * 1. A block (a secondary rate limit's `retry-after`, or a used-up primary limit) holds every
 *    request until it ends: wait when it ends within `maxWaitMs`, else refuse.
 * 2. No budget known, or its window has reset: go.
 * 3. Fewer points left than one request costs: wait for the reset when it is within `maxWaitMs`,
 *    else refuse ("rate limited until HH:MM").
 * 4. Fewer points left than `max(lowFraction × limit, lowCostMultiple × cost)`: spread what is left
 *    evenly over the rest of the window (one request per `(resetAt − now) / (remaining / cost)`,
 *    at most `maxPaceMs` apart), so a long sync slows down instead of running dry.
 * 5. Otherwise go.
 * Each request that goes takes its cost off `remaining` at once, so concurrent requests see it.
 */

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window resets. */
  resetAtMs: number;
  /** Points the last query cost (1 for most). */
  cost: number;
}

export interface BudgetPolicy {
  /** Below this share of the limit the client paces itself. Default 0.1. */
  lowFraction: number;
  /** …or below this many requests' worth of points. Default 10. */
  lowCostMultiple: number;
  /** Longest gap pacing puts between two requests. Default 10 s. */
  maxPaceMs: number;
  /** Longest the client waits for a block or a reset before refusing. Default 60 s. */
  maxWaitMs: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = { lowFraction: 0.1, lowCostMultiple: 10, maxPaceMs: 10_000, maxWaitMs: 60_000 };

export type BudgetDecision =
  | { kind: 'go' }
  | { kind: 'wait'; ms: number; why: 'blocked' | 'exhausted' | 'pacing' }
  | { kind: 'refuse'; untilMs: number; why: 'blocked' | 'exhausted' };

export class RateBudget {
  private snapshot: RateLimitSnapshot | null = null;
  private blockedUntilMs = 0;
  private nextSlotMs = 0;

  constructor(private readonly policy: BudgetPolicy = DEFAULT_BUDGET_POLICY) {}

  get current(): Readonly<RateLimitSnapshot> | null {
    return this.snapshot;
  }

  /** Records what GitHub said (the body's `rateLimit`, or the `x-ratelimit-*` headers). */
  observe(next: { limit: number; remaining: number; resetAtMs: number; cost?: number }): void {
    if (!Number.isFinite(next.limit) || !Number.isFinite(next.remaining) || !Number.isFinite(next.resetAtMs)) return;
    this.snapshot = {
      limit: next.limit,
      remaining: next.remaining,
      resetAtMs: next.resetAtMs,
      cost: Math.max(1, next.cost ?? this.snapshot?.cost ?? 1),
    };
  }

  /** Reads `x-ratelimit-limit/remaining/reset` (reset in epoch seconds); ignores other resources' limits. */
  observeHeaders(headers: Headers): void {
    const resource = headers.get('x-ratelimit-resource');
    if (resource !== null && resource !== 'graphql') return;
    const limit = headerNumber(headers, 'x-ratelimit-limit');
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    const reset = headerNumber(headers, 'x-ratelimit-reset');
    if (limit === null || remaining === null || reset === null) return;
    this.observe({ limit, remaining, resetAtMs: reset * 1000 });
  }

  /** Holds every request until `untilMs` (a secondary rate limit, or the primary one used up). */
  block(untilMs: number): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, untilMs);
  }

  /** Whether a request may go now; when it may, its cost is taken off at once. */
  decide(nowMs: number): BudgetDecision {
    const { maxWaitMs } = this.policy;
    if (this.blockedUntilMs > nowMs) {
      const ms = this.blockedUntilMs - nowMs;
      return ms <= maxWaitMs ? { kind: 'wait', ms, why: 'blocked' } : { kind: 'refuse', untilMs: this.blockedUntilMs, why: 'blocked' };
    }
    const s = this.snapshot;
    if (s === null || s.resetAtMs <= nowMs) {
      if (s !== null) this.snapshot = null; // a new window: its size is learnt from the next answer
      return { kind: 'go' };
    }
    if (s.remaining < s.cost) {
      const ms = s.resetAtMs - nowMs;
      return ms <= maxWaitMs ? { kind: 'wait', ms, why: 'exhausted' } : { kind: 'refuse', untilMs: s.resetAtMs, why: 'exhausted' };
    }
    const low = Math.max(Math.ceil(s.limit * this.policy.lowFraction), s.cost * this.policy.lowCostMultiple);
    if (s.remaining < low) {
      const requestsLeft = Math.max(1, Math.floor(s.remaining / s.cost));
      const gap = Math.min(this.policy.maxPaceMs, (s.resetAtMs - nowMs) / requestsLeft);
      const slot = Math.max(nowMs, this.nextSlotMs);
      if (slot > nowMs) return { kind: 'wait', ms: slot - nowMs, why: 'pacing' };
      this.nextSlotMs = slot + gap;
    }
    s.remaining -= s.cost;
    return { kind: 'go' };
  }
}

function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
