// What every resolver of the fake GitHub receives as the GraphQL context.
import type { FixtureStore } from './fixtureStore';

/** `Query.rateLimit` as of this request (after its cost was taken). */
export interface RateLimitView {
  cost: number;
  limit: number;
  remaining: number;
  used: number;
  /** GitHub DateTime. */
  resetAt: string;
  nodeCount: number;
}

export interface FakeContext {
  readonly store: FixtureStore;
  /** Login of the token's user: `viewer`, `@me`, the author of posted comments. */
  readonly viewer: string;
  /** The clock of mutations (FakeGitHubOptions.now). */
  readonly now: () => Date;
  readonly rateLimit: RateLimitView;
}
