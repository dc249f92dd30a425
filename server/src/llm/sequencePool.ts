/** What the pool needs of a context: its per-sequence size and a way to free it. */
export interface PoolContext {
  readonly contextSize: number;
  dispose(): Promise<void>;
}

export interface SequencePoolHooks<S, C extends PoolContext> {
  /** Creates a context whose sequences hold at least `contextSize` tokens each. */
  createContext(contextSize: number): Promise<C>;
  /** One slot (a sequence with its chat) of the context; called until the context has no sequences left. */
  createSlot(context: C): S;
  /** Tokens the slot's sequence holds in its KV cache now. */
  contextTokensOf(slot: S): readonly number[];
  disposeSlot(slot: S): void | Promise<void>;
}

export interface SequenceLease<S> {
  readonly slot: S;
  release(): void;
}

interface SlotState<S> {
  slot: S;
  busy: boolean;
}

/**
 * Hands out the sequences of one context, one request per sequence at a time.
 *
 * Ordering: a request takes the free sequence whose cached tokens share the longest prefix with its
 * prompt (so regenerate and a grown thread reuse the KV cache). A request that needs a larger context
 * waits until every sequence is free, then the context is replaced by a larger one. Waiters are
 * woken on every release; an aborted waiter leaves without a lease.
 */
export class SequencePool<S, C extends PoolContext = PoolContext> {
  private context: C | undefined;
  private slots: SlotState<S>[] = [];
  private replacing = false;
  private waiters = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly hooks: SequencePoolHooks<S, C>,
    private readonly sequences = 2,
  ) {}

  /** Per-sequence size of the current context, 0 before the first request. */
  get contextSize(): number {
    return this.context?.contextSize ?? 0;
  }

  /** Resolves with a lease, or with null when `signal` aborts first. */
  async acquire(promptTokens: readonly number[], neededTokens: number, signal: AbortSignal): Promise<SequenceLease<S> | null> {
    for (;;) {
      if (signal.aborted || this.disposed) return null;
      if (this.context && this.context.contextSize >= neededTokens) {
        const state = this.bestFreeSlot(promptTokens);
        if (state) {
          state.busy = true;
          let released = false;
          return {
            slot: state.slot,
            release: () => {
              if (released) return;
              released = true;
              state.busy = false;
              this.wake();
            },
          };
        }
      } else if (!this.replacing && this.slots.every((s) => !s.busy)) {
        await this.replaceContext(neededTokens);
        continue;
      }
      await this.nextChange(signal);
    }
  }

  private bestFreeSlot(promptTokens: readonly number[]): SlotState<S> | undefined {
    let best: SlotState<S> | undefined;
    let bestShared = -1;
    for (const state of this.slots) {
      if (state.busy) continue;
      const shared = sharedPrefixLength(this.hooks.contextTokensOf(state.slot), promptTokens);
      if (shared > bestShared) {
        best = state;
        bestShared = shared;
      }
    }
    return best;
  }

  private async replaceContext(neededTokens: number): Promise<void> {
    this.replacing = true;
    try {
      await this.disposeContext();
      const context = await this.hooks.createContext(neededTokens);
      if (this.disposed) {
        await context.dispose();
        return;
      }
      this.context = context;
      for (let i = 0; i < this.sequences; i++) this.slots.push({ slot: this.hooks.createSlot(context), busy: false });
    } finally {
      this.replacing = false;
      this.wake();
    }
  }

  private nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async disposeContext(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const state of slots) await this.hooks.disposeSlot(state.slot);
    const context = this.context;
    this.context = undefined;
    await context?.dispose();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.wake();
    await this.disposeContext();
  }
}

export function sharedPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
