import type { Disposable } from './disposable';

export type EngineState<T> =
  | { kind: 'unloaded' }
  | { kind: 'loading' }
  | { kind: 'ready'; engine: T }
  | { kind: 'failed'; error: unknown };

/**
 * One engine (a model, a classifier) loaded on first use and shared by every request. Concurrent
 * callers share one load; a failed load is remembered for status but retried by the next caller,
 * so fixing a setting or a file needs no restart. `reset` unloads it (a settings change).
 */
export class LazyEngine<T extends Disposable> implements Disposable {
  private current: Promise<T> | undefined;
  private state: EngineState<T> = { kind: 'unloaded' };
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly onStateChange: (state: EngineState<T>) => void = () => {},
  ) {}

  get snapshot(): EngineState<T> {
    return this.state;
  }

  get(): Promise<T> {
    if (!this.current) {
      const generation = this.generation;
      this.setState({ kind: 'loading' });
      this.current = this.load().then(
        (engine) => {
          if (generation !== this.generation) {
            // Loaded for settings that are gone: free it; a failure here is not actionable.
            void Promise.resolve()
              .then(() => engine.dispose())
              .catch(() => undefined);
            throw new Error('the engine was reset while it loaded');
          }
          this.setState({ kind: 'ready', engine });
          return engine;
        },
        (error: unknown) => {
          if (generation === this.generation) {
            this.current = undefined;
            this.setState({ kind: 'failed', error });
          }
          throw error;
        },
      );
    }
    return this.current;
  }

  /** Unloads the engine; the next `get` loads it again with whatever the loader reads then. */
  async reset(): Promise<void> {
    this.generation++;
    const previous = this.current;
    this.current = undefined;
    this.setState({ kind: 'unloaded' });
    if (previous) {
      const engine = await previous.catch(() => undefined);
      await engine?.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.reset();
  }

  private setState(state: EngineState<T>): void {
    this.state = state;
    this.onStateChange(state);
  }
}
