import type * as vscode from 'vscode';
import { formatThreadRef } from '../github/threadRef';
import type { ThreadRef } from '../github/threadRef';
import { ThreadViewPanel } from './threadViewPanel';
import type { ThreadViewDeps } from './threadViewPanel';

/** One thread view per issue or pull request (`owner/name#number`), reused, forgotten when closed. */
export class ThreadViewRegistry implements vscode.Disposable {
  private readonly panels = new Map<string, ThreadViewPanel>();

  constructor(private readonly deps: ThreadViewDeps) {}

  get(key: string): ThreadViewPanel | undefined {
    return this.panels.get(key.toLowerCase());
  }

  /** The thread view that is the active editor, if one is. */
  active(): ThreadViewPanel | undefined {
    return [...this.panels.values()].find((panel) => panel.active);
  }

  /**
   * Shows the thread: reveals its open view and fetches it again (the cached copy when it is
   * current), or opens a new view and fetches it. Resolves once the fetch ended, with the panel.
   */
  async open(ref: ThreadRef, options: { refresh?: boolean } = {}): Promise<ThreadViewPanel> {
    const key = formatThreadRef(ref).toLowerCase();
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal();
    } else {
      const created = new ThreadViewPanel(ref, this.deps);
      panel = created;
      this.panels.set(key, created);
      created.onDidDispose(() => {
        if (this.panels.get(key) === created) this.panels.delete(key);
      });
    }
    await panel.load(options.refresh ?? false);
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
