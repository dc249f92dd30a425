import type * as vscode from 'vscode';
import type { ThreadSource } from '../thread/threadSource';
import { SuggestionPanel } from './suggestionPanel';
import type { SuggestionPanelDeps } from './suggestionPanel';

/** One suggestion panel per thread (`owner/name#number`), forgotten when the person closes it. */
export class PanelRegistry implements vscode.Disposable {
  private readonly panels = new Map<string, SuggestionPanel>();

  constructor(private readonly deps: SuggestionPanelDeps) {}

  get(key: string): SuggestionPanel | undefined {
    return this.panels.get(key);
  }

  /** The panels open now, in the order they were opened. */
  all(): SuggestionPanel[] {
    return [...this.panels.values()];
  }

  create(thread: ThreadSource): SuggestionPanel {
    const panel = new SuggestionPanel(thread, this.deps);
    this.panels.set(thread.key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(thread.key) === panel) this.panels.delete(thread.key);
    });
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
