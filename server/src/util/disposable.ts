/** Something that owns a resource. Native resources (models, contexts, classifiers) dispose asynchronously. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Owns child disposables and disposes them in reverse order of registration. Disposing goes on after
 * one child fails; the failures are reported together afterwards.
 */
export class DisposableStore implements Disposable {
  private readonly children: Disposable[] = [];
  private disposed = false;

  /** Registers a child and returns it; a child added after disposal is disposed at once. */
  add<T extends Disposable>(child: T): T {
    if (this.disposed) {
      // Nobody awaits this: a failure to free a resource that arrived too late is not actionable.
      void Promise.resolve()
        .then(() => child.dispose())
        .catch(() => undefined);
      return child;
    }
    this.children.push(child);
    return child;
  }

  /** Disposes one child now and forgets it. */
  async delete(child: Disposable): Promise<void> {
    const index = this.children.indexOf(child);
    if (index >= 0) this.children.splice(index, 1);
    await child.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const child of this.children.splice(0).reverse()) {
      try {
        await child.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} resources failed to dispose`);
  }
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  return { dispose };
}
