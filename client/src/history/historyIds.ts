/**
 * The ids the history feature contributes (pure): the view, the webview panels, the commands and
 * the context keys. package.json's `contributes` names the same strings; the extension-host tests
 * import them from here.
 */

/** The History view, in the Threadwise activity-bar container. */
export const HISTORY_VIEW_ID = 'threadwise.history';
/** Webview panels: "Explain this suggestion" and the metrics dashboard. */
export const EXPLAIN_VIEW_TYPE = 'threadwise.explain';
export const METRICS_VIEW_TYPE = 'threadwise.metrics';

/** Context key: a filter is on in the History view (shows "Clear Filter" in its title). */
export const HISTORY_FILTERED_CONTEXT = 'threadwise.history.filtered';

/** Tree item context values (`viewItem` in `when` clauses). */
export const HISTORY_REPO_CONTEXT = 'threadwise.historyRepo';
export const HISTORY_ENTRY_CONTEXT = 'threadwise.historyEntry';

export const HistoryCommands = {
  /** Re-reads the repositories and the records shown. */
  refresh: 'threadwise.history.refresh',
  /** Quick pick: all outcomes, posted, edited, copied, discarded, pending. */
  filterOutcome: 'threadwise.history.filterOutcome',
  /** Input: `#123`, `123` or `owner/name#123`. */
  filterThread: 'threadwise.history.filterThread',
  clearFilter: 'threadwise.history.clearFilter',
  /** The next page of a repository's records (the "Load more…" row; not in the palette). */
  loadMore: 'threadwise.history.loadMore',
  /** Arg: a HistoryEntry, a record row, or an id; none: a quick pick of the latest 50. */
  explain: 'threadwise.explainSuggestion',
  /** Opens (or reveals) the metrics dashboard. */
  showMetrics: 'threadwise.showMetrics',
  /** The dashboard's scope: all repositories or one (quick pick). */
  metricsRepository: 'threadwise.history.metricsRepository',
  /** Arg (optional): a repository row, whose repository is then preselected. */
  exportHistory: 'threadwise.exportHistory',
  exportDataset: 'threadwise.exportDataset',
  /** Arg (optional): a repository row, which offers deleting only that repository's records. */
  clearHistory: 'threadwise.clearHistory',
} as const;

/** `threadwise.history.enabled`: whether new suggestions are recorded (the daemon reads it). */
export const HISTORY_ENABLED_SETTING = 'threadwise.history.enabled';
