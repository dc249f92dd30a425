import type { PersistedState } from './protocol';
import { inProgress } from './store';

/** While a run streams, the snapshot is saved at most this often (it can be megabytes). */
const STREAMING_SAVE_INTERVAL_MS = 1000;

/**
 * Saves the snapshot with `setState` so a reloaded panel shows its draft before `init`. A snapshot
 * of a run in progress is saved throttled (trailing: the latest one always lands); any other — the
 * final state of a run — and an `init` are saved at once. Typing in the editor is throttled too
 * (`updateSoon`); the page flushes when it is hidden or torn down.
 */
export class StatePersister {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: PersistedState | undefined;

  constructor(private readonly save: (state: PersistedState) => void) {}

  /** `now`: save at once even mid-run (an `init`, which replaces everything). */
  update(state: PersistedState, now = false): void {
    this.latest = state;
    if (now || !inProgress(state.run)) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), STREAMING_SAVE_INTERVAL_MS);
  }

  /** A change the person is typing: saved throttled like a streaming run (the latest one lands). */
  updateSoon(state: PersistedState): void {
    this.latest = state;
    this.timer ??= setTimeout(() => this.flush(), STREAMING_SAVE_INTERVAL_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.latest === undefined) return;
    this.save(this.latest);
    this.latest = undefined;
  }
}
