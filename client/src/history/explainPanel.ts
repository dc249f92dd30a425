import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HistoryRecord } from '../../../server/src/protocol';
import { DisposableStore } from '../util/disposableStore';
import type { HistoryClient } from './historyClient';
import { explainPage } from './explainPage';
import { EXPLAIN_VIEW_TYPE } from './historyIds';

/** A fresh nonce for a page's stylesheet. */
export function pageNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * One "Explain this suggestion" panel: the record's trace as a static page (explainPage). The
 * webview runs no script, loads nothing (no resource roots, a CSP with `default-src 'none'`), and
 * its links are https only, opened by VS Code in the browser.
 */
export class ExplainPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(private recordValue: HistoryRecord) {
    this.panel = vscode.window.createWebviewPanel(
      EXPLAIN_VIEW_TYPE,
      ExplainPanel.titleOf(recordValue),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: false, enableCommandUris: false, enableFindWidget: true, localResourceRoots: [] },
    );
    this.panel.onDidDispose(() => {
      this.disposeEmitter.fire();
      this.disposeEmitter.dispose();
    });
    this.render();
  }

  get record(): HistoryRecord {
    return this.recordValue;
  }

  /** The page shown now (for the extension-host tests). */
  get html(): string {
    return this.panel.webview.html;
  }

  update(record: HistoryRecord): void {
    this.recordValue = record;
    this.panel.title = ExplainPanel.titleOf(record);
    this.render();
  }

  private render(): void {
    this.panel.webview.html = explainPage(this.recordValue, { nonce: pageNonce() });
  }

  /** `Explain #42` (a number, never thread text). */
  static titleOf(record: HistoryRecord): string {
    const number = typeof record.thread?.number === 'number' ? record.thread.number : '?';
    return `Explain #${number}`;
  }

  dispose(): void {
    this.panel.dispose();
  }
}

/** One panel per record, revealed when asked again, read again when the daemon says the record (or its repository's records) changed. */
export class ExplainPanels implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly panels = new Map<string, ExplainPanel>();

  constructor(private readonly client: HistoryClient) {
    this.store.add(
      client.onDidChange((change) => {
        for (const [id, panel] of this.panels) {
          const affected = change.id !== undefined ? change.id === id : change.repo === undefined || change.repo === panel.record.thread?.repo;
          if (affected) void this.reload(id);
        }
      }),
    );
  }

  get(id: string): ExplainPanel | undefined {
    return this.panels.get(id);
  }

  /** Opens the record's panel (reading the record), or reveals it; rejects with a HistoryRequestError. */
  async open(id: string): Promise<ExplainPanel> {
    const existing = this.panels.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const record = await this.client.record(id);
    const again = this.panels.get(id);
    if (again) {
      again.panel.reveal();
      return again;
    }
    const panel = new ExplainPanel(record);
    this.panels.set(id, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(id) === panel) this.panels.delete(id);
    });
    return panel;
  }

  /** Reads the record again; a record deleted meanwhile leaves the page as it was. */
  private async reload(id: string): Promise<void> {
    try {
      const record = await this.client.record(id);
      this.panels.get(id)?.update(record);
    } catch {
      // Deleted (cleared) or the daemon is down: the page keeps what it showed.
    }
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    this.store.dispose();
  }
}
