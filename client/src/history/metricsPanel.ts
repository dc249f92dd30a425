import * as vscode from 'vscode';
import type { HistoryMetrics } from '../../../server/src/protocol';
import { DisposableStore } from '../util/disposableStore';
import { pageNonce } from './explainPanel';
import type { HistoryClient } from './historyClient';
import { escapeHtml } from './htmlText';
import { historyPage } from './historyPage';
import { HistoryCommands, METRICS_VIEW_TYPE } from './historyIds';
import { metricsPage } from './metricsPage';

/**
 * The metrics dashboard: one panel, rendered on the host as a static page (metricsPage) for all
 * repositories or one. It runs no script; its only link is the command that changes the
 * repository (the one command URI the webview allows). It renders again when the scope changes and,
 * after a quiet time, when the daemon says records changed.
 */
export class MetricsPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private panel: vscode.WebviewPanel | undefined;
  private repoValue: string | undefined;
  private lastMetrics: HistoryMetrics | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts renders: only the latest one's answer is drawn. */
  private renders = 0;

  constructor(
    private readonly client: HistoryClient,
    private readonly debounceMs = 500,
  ) {
    this.store.add({ dispose: () => clearTimeout(this.timer) });
    this.store.add(
      client.onDidChange(() => {
        if (!this.panel) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.render(), this.debounceMs);
      }),
    );
  }

  /** The repository shown (undefined: all). */
  get repo(): string | undefined {
    return this.repoValue;
  }

  /** The numbers last drawn (for the extension-host tests). */
  get metrics(): HistoryMetrics | undefined {
    return this.lastMetrics;
  }

  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  /** Opens or reveals the dashboard, then draws it; `repo` changes the scope when given (null: all). */
  async show(repo?: string | null): Promise<void> {
    if (repo !== undefined) this.repoValue = repo ?? undefined;
    if (this.panel) {
      this.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        METRICS_VIEW_TYPE,
        'Threadwise Metrics',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: false, enableCommandUris: [HistoryCommands.metricsRepository], enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel = panel;
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
    }
    await this.render();
  }

  /** Quick pick of the scope: all repositories or one with records; then draws it. */
  async pickRepository(): Promise<void> {
    let repos: Awaited<ReturnType<HistoryClient['repositories']>>;
    try {
      repos = await this.client.repositories();
    } catch (error) {
      void vscode.window.showErrorMessage(`Threadwise could not read the history: ${(error as Error).message}`);
      return;
    }
    const items: Array<vscode.QuickPickItem & { repo: string | undefined }> = [
      { label: 'All repositories', description: this.repoValue === undefined ? '(current)' : '', repo: undefined },
      ...repos.map((repo) => ({ label: repo.repo, description: `${repo.count} recorded${this.repoValue === repo.repo ? ' (current)' : ''}`, repo: repo.repo })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Metrics for Which Repository?' });
    if (!picked) return;
    await this.show(picked.repo ?? null);
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const render = ++this.renders;
    const scope = this.repoValue ?? 'all repositories';
    try {
      const metrics = await this.client.metrics(this.repoValue === undefined ? {} : { repo: this.repoValue });
      if (render !== this.renders || this.panel !== panel) return;
      this.lastMetrics = metrics;
      panel.title = this.repoValue ? `Metrics: ${this.repoValue}` : 'Threadwise Metrics';
      panel.webview.html = metricsPage(metrics, { nonce: pageNonce(), scope, pickCommand: HistoryCommands.metricsRepository });
    } catch (error) {
      if (render !== this.renders || this.panel !== panel) return;
      const message = `Could not read the metrics of ${scope}: ${(error as Error).message}`;
      panel.webview.html = historyPage({ nonce: pageNonce(), title: 'Threadwise metrics' }, `<h1>Suggestion metrics</h1><p class="bad">${escapeHtml(message)}</p>`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.store.dispose();
  }
}
