import * as vscode from 'vscode';
import { DisposableStore } from '../util/disposableStore';
import type { HistoryClient } from './historyClient';
import { HISTORY_ENABLED_SETTING, HISTORY_FILTERED_CONTEXT, HISTORY_VIEW_ID } from './historyIds';
import { filterDescription, isFiltered, OUTCOME_FILTERS, parseThreadFilter } from './historyTreeModel';
import type { HistoryFilter, HistoryNode } from './historyTreeModel';
import { HistoryTreeProvider } from './historyTreeProvider';

export interface HistoryViewOptions {
  /** Quiet time after the daemon's last change notification before the view reloads (default 300 ms). */
  debounceMs?: number;
  now?: () => Date;
}

/**
 * The History view: the tree, its filter (shown as the view's description, with the
 * `threadwise.history.filtered` context key for the Clear Filter button), a message while
 * recording is off, and its reloads. A burst
 * of change notifications (a suggestion recorded, then its outcome) reloads once, after a short
 * quiet time.
 */
export class HistoryView implements vscode.Disposable {
  private readonly store = new DisposableStore();
  readonly provider: HistoryTreeProvider;
  readonly view: vscode.TreeView<HistoryNode>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: HistoryClient, options: HistoryViewOptions = {}) {
    const debounceMs = options.debounceMs ?? 300;
    this.provider = this.store.add(new HistoryTreeProvider(client, options.now));
    this.view = this.store.add(vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true }));
    this.store.add({ dispose: () => clearTimeout(this.timer) });
    this.store.add(
      client.onDidChange(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.provider.refresh();
        }, debounceMs);
      }),
    );
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration(HISTORY_ENABLED_SETTING)) this.showRecordingState();
      }),
    );
    this.showRecordingState();
    void this.setFilter({});
  }

  /** While recording is off, the view says so above its rows (the welcome text says it when there are none). */
  private showRecordingState(): void {
    const enabled = vscode.workspace.getConfiguration().get<boolean>(HISTORY_ENABLED_SETTING, true);
    this.view.message = enabled ? undefined : 'Recording is off (threadwise.history.enabled): new suggestions are not kept.';
  }

  get filter(): HistoryFilter {
    return this.provider.filter;
  }

  /** Reloads now. */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.provider.refresh();
  }

  async setFilter(filter: HistoryFilter): Promise<void> {
    this.provider.setFilter(filter);
    const text = filterDescription(filter);
    this.view.description = text === '' ? undefined : `Filtered: ${text}`;
    await vscode.commands.executeCommand('setContext', HISTORY_FILTERED_CONTEXT, isFiltered(filter));
  }

  /** Quick pick of the outcome to show; the thread filter stays. */
  async promptOutcome(): Promise<void> {
    const current = this.filter;
    const items = OUTCOME_FILTERS.map((choice) => ({
      label: choice.label,
      detail: choice.detail,
      value: choice.value,
      ...(choice.value === current.outcome ? { description: '(current)' } : {}),
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Show Suggestions by Outcome', placeHolder: 'Which outcome?' });
    if (!picked) return;
    const next: HistoryFilter = { ...current };
    if (picked.value === undefined) delete next.outcome;
    else next.outcome = picked.value;
    await this.setFilter(next);
  }

  /** Input box for the thread (`#123`, `123`, `owner/name#123`), validated as it is typed; empty clears it. */
  async promptThread(): Promise<void> {
    const current = this.filter;
    const value = current.thread ? `${current.thread.repo ?? ''}#${current.thread.number}` : '';
    const text = await vscode.window.showInputBox({
      title: 'Show Suggestions for a Thread',
      prompt: 'An issue or pull request: #123, 123 or owner/name#123. Empty shows every thread.',
      placeHolder: 'owner/name#123',
      value,
      validateInput: (input) => {
        if (input.trim() === '') return undefined;
        const parsed = parseThreadFilter(input);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (text === undefined) return;
    const next: HistoryFilter = { ...current };
    if (text.trim() === '') {
      delete next.thread;
    } else {
      const parsed = parseThreadFilter(text);
      if (!parsed.ok) return;
      next.thread = parsed.thread;
    }
    await this.setFilter(next);
  }

  dispose(): void {
    this.store.dispose();
  }
}
