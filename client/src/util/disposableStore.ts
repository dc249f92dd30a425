import type * as vscode from 'vscode';

/**
 * Owns child disposables and disposes them in reverse order of registration; disposing goes on
 * after one child throws. A child added after disposal is disposed at once. Used for the two
 * lifetimes of the client: the extension's and one daemon session's.
 */
export class DisposableStore implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) {
      child.dispose();
      return child;
    }
    this.children.push(child);
    return child;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const child of this.children.splice(0).reverse()) {
      try {
        child.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed`);
  }
}
