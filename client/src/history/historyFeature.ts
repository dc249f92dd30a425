import * as vscode from 'vscode';
import type { DaemonConnection } from '../daemon/daemonConnection';
import { DisposableStore } from '../util/disposableStore';
import { exportDataset, exportHistory } from './exportCommands';
import { ExplainPanels } from './explainPanel';
import type { ExplainPanel } from './explainPanel';
import { HistoryClient, toHistoryError } from './historyClient';
import { clearHistory, recordIdFromArgument } from './historyCommands';
import { HistoryCommands } from './historyIds';
import type { HistoryMoreNode } from './historyTreeModel';
import { HistoryView } from './historyView';
import { MetricsPanel } from './metricsPanel';

export interface HistoryFeatureOptions {
  log: vscode.LogOutputChannel;
  /** The workspace's GitHub repositories, offered by the dataset export (default none). */
  workspaceRepositories?: () => readonly string[];
}

/** What the history feature exposes to the extension-host tests and other extensions. */
export interface HistoryApi {
  client: HistoryClient;
  /** The History view: its provider (rows, filter) and tree view. */
  view: HistoryView;
  explainPanels: ExplainPanels;
  metrics: MetricsPanel;
  /** Opens the explain panel of a record; rejects with a HistoryRequestError (e.g. no such record). */
  explain(id: string): Promise<ExplainPanel>;
}

/**
 * Wires the history of suggestions into VS Code: the History view and its filters, "Explain this
 * suggestion", the metrics dashboard, the exports and Clear History. Everything it makes is added
 * to `context.subscriptions`. The commands live as long as the extension; the change
 * notifications are listened to per daemon session (HistoryClient), and every command says what
 * is wrong while the daemon is down.
 */
export function registerHistoryFeature(context: vscode.ExtensionContext, connection: DaemonConnection, options: HistoryFeatureOptions): HistoryApi {
  const { log } = options;
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const client = store.add(new HistoryClient(connection));
  const view = store.add(new HistoryView(client));
  const explainPanels = store.add(new ExplainPanels(client));
  const metrics = store.add(new MetricsPanel(client));
  const exportDeps = { client, log, workspaceRepositories: options.workspaceRepositories ?? (() => []) };

  const explain = async (arg: unknown): Promise<ExplainPanel | undefined> => {
    const id = await recordIdFromArgument(client, arg);
    if (id === undefined) return undefined;
    try {
      return await explainPanels.open(id);
    } catch (error) {
      const failure = toHistoryError(error);
      log.warn(`Explain suggestion ${id}: ${failure.text}`);
      const message = failure.reason === 'invalid-params' ? 'That suggestion is no longer in the history (it may have been cleared).' : `Threadwise could not open the suggestion: ${failure.text}`;
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };

  const register = (command: string, run: (...args: unknown[]) => unknown) => store.add(vscode.commands.registerCommand(command, run));
  register(HistoryCommands.refresh, () => view.refresh());
  register(HistoryCommands.filterOutcome, () => view.promptOutcome());
  register(HistoryCommands.filterThread, () => view.promptThread());
  register(HistoryCommands.clearFilter, () => view.setFilter({}));
  register(HistoryCommands.loadMore, (node) => {
    const more = node as Partial<HistoryMoreNode> | undefined;
    if (more?.kind !== 'more' || typeof more.repo !== 'string' || typeof more.before !== 'string') return undefined;
    return view.provider.loadMore(more.repo, more.before);
  });
  register(HistoryCommands.explain, (arg) => explain(arg));
  register(HistoryCommands.showMetrics, () => metrics.show());
  register(HistoryCommands.metricsRepository, () => metrics.pickRepository());
  register(HistoryCommands.exportHistory, (arg) => exportHistory(exportDeps, arg));
  register(HistoryCommands.exportDataset, (arg) => exportDataset(exportDeps, arg));
  register(HistoryCommands.clearHistory, async (arg) => {
    const deleted = await clearHistory(client, arg);
    if (deleted > 0) view.refresh();
    return deleted;
  });

  return {
    client,
    view,
    explainPanels,
    metrics,
    explain: async (id) => {
      try {
        return await explainPanels.open(id);
      } catch (error) {
        throw toHistoryError(error);
      }
    },
  };
}
