import * as vscode from 'vscode';
import type { HistoryEntry, HistoryListParams, HistoryListResult, HistoryRepository } from '../../../server/src/protocol';
import { HISTORY_ENTRY_CONTEXT, HISTORY_REPO_CONTEXT, HistoryCommands } from './historyIds';
import { HISTORY_MAX_LIMIT, HISTORY_PAGE_SIZE, isFiltered, listParams, pageNodes, repoNode, visibleRepositories } from './historyTreeModel';
import type { HistoryEntryNode, HistoryFilter, HistoryNode, HistoryNoticeNode, HistoryRepoNode } from './historyTreeModel';

/** The requests the tree needs (HistoryClient; a fake in tests). */
export interface HistoryTreeSource {
  repositories(): Promise<HistoryRepository[]>;
  list(params: HistoryListParams): Promise<HistoryListResult>;
}

interface RepoPage {
  entries: HistoryEntry[];
  hasMore: boolean;
}

/**
 * The History view's data: repositories (with their record counts) at the root, each with its
 * records newest first, a page at a time ("Load more…" asks for the next one). Rows are read from
 * the daemon when VS Code asks for them, and kept until `refresh` (the daemon said records changed)
 * or a new filter; a refresh reloads as many rows as were shown, so the list does not shrink.
 * A failed request shows as an error row, never as a rejection. Titles are shown only as text.
 */
export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private filterValue: HistoryFilter = {};
  private roots: HistoryNode[] | undefined;
  private readonly repoNodes = new Map<string, HistoryRepoNode>();
  private readonly pages = new Map<string, RepoPage>();
  /** Rows shown per repository before the last refresh: the next read asks for as many. */
  private readonly shown = new Map<string, number>();
  /** Counts resets: an answer read before the latest reset is shown but not kept. */
  private generation = 0;

  constructor(
    private readonly source: HistoryTreeSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get filter(): HistoryFilter {
    return { ...this.filterValue };
  }

  /** Sets the filter and reads everything again. */
  setFilter(filter: HistoryFilter): void {
    this.filterValue = { ...filter };
    this.shown.clear();
    this.reset();
  }

  /** Forgets what was read (keeping how many rows were shown) and redraws. */
  refresh(): void {
    for (const [repo, page] of this.pages) this.shown.set(repo, page.entries.length);
    this.reset();
  }

  private reset(): void {
    this.generation += 1;
    this.roots = undefined;
    this.pages.clear();
    this.emitter.fire(undefined);
  }

  /** The records shown under `repo` now (for the extension-host tests). */
  entries(repo: string): HistoryEntry[] {
    return [...(this.pages.get(repo)?.entries ?? [])];
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (!node) {
      if (this.roots) return this.roots;
      const generation = this.generation;
      const roots = await this.readRoots();
      if (generation === this.generation) this.roots = roots;
      return roots;
    }
    if (node.kind !== 'repo') return [];
    return await this.readRepo(node.repo);
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    if (node.kind === 'entry') return this.repoNodes.get(node.entry.repo);
    if (node.kind === 'more') return this.repoNodes.get(node.repo);
    return undefined;
  }

  /** Appends the next page of the repository the row belongs to. */
  async loadMore(repo: string, before: string): Promise<void> {
    const page = this.pages.get(repo);
    if (!page) return;
    const generation = this.generation;
    try {
      const next = await this.source.list(listParams(repo, this.filterValue, HISTORY_PAGE_SIZE, before));
      if (generation !== this.generation) return;
      const seen = new Set(page.entries.map((entry) => entry.id));
      page.entries.push(...next.entries.filter((entry) => !seen.has(entry.id)));
      page.hasMore = next.hasMore;
    } catch (error) {
      void vscode.window.showErrorMessage(`Threadwise could not read more history: ${(error as Error).message}`);
    }
    this.emitter.fire(this.repoNodes.get(repo));
  }

  private async readRoots(): Promise<HistoryNode[]> {
    this.repoNodes.clear();
    let repos: HistoryRepository[];
    try {
      repos = await this.source.repositories();
    } catch (error) {
      return [notice('history/error', 'error', `Could not read the history: ${(error as Error).message}`)];
    }
    const visible = visibleRepositories(repos, this.filterValue);
    if (visible.length === 0 && repos.length > 0) return [notice('history/nomatch', 'info', 'No recorded suggestion matches the filter.')];
    return visible.map((repo) => {
      const node = repoNode(repo);
      this.repoNodes.set(repo.repo, node);
      return node;
    });
  }

  private async readRepo(repo: string): Promise<HistoryNode[]> {
    let page = this.pages.get(repo);
    if (!page) {
      const limit = Math.min(HISTORY_MAX_LIMIT, Math.max(HISTORY_PAGE_SIZE, this.shown.get(repo) ?? 0));
      const generation = this.generation;
      try {
        const result = await this.source.list(listParams(repo, this.filterValue, limit));
        page = { entries: [...result.entries], hasMore: result.hasMore };
        if (generation === this.generation) this.pages.set(repo, page);
      } catch (error) {
        return [notice(`history/error/${repo}`, 'error', `Could not read the records of ${repo}: ${(error as Error).message}`)];
      }
    }
    if (page.entries.length === 0) {
      return [notice(`history/empty/${repo}`, 'info', isFiltered(this.filterValue) ? 'Nothing here matches the filter.' : 'No records.')];
    }
    return pageNodes(repo, page.entries, page.hasMore, this.now());
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'repo': {
        const item = new vscode.TreeItem(node.repo, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = `${node.repo}: ${node.description} recorded ${node.count === 1 ? 'suggestion' : 'suggestions'}`;
        item.iconPath = new vscode.ThemeIcon('repo');
        item.contextValue = HISTORY_REPO_CONTEXT;
        return item;
      }
      case 'entry':
        return entryItem(node);
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: HistoryCommands.loadMore, title: 'Load More', arguments: [node] };
        return item;
      }
      case 'notice': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'info', node.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
        if (node.severity === 'error') item.command = { command: 'threadwise.showLog', title: 'Show Log' };
        return item;
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function entryItem(node: HistoryEntryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  item.tooltip = entryTooltipMarkdown(node.tooltip);
  item.contextValue = HISTORY_ENTRY_CONTEXT;
  item.accessibilityInformation = { label: `${node.label}, ${node.description}` };
  item.command = { command: HistoryCommands.explain, title: 'Explain This Suggestion', arguments: [node] };
  return item;
}

/** The tooltip lines as escaped text (no HTML, links, command links or icons from the record); the first in bold. */
export function entryTooltipMarkdown(lines: readonly string[]): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString('', false);
  tooltip.supportHtml = false;
  tooltip.isTrusted = false;
  lines.forEach((line, index) => {
    if (index === 0) {
      tooltip.appendMarkdown('**');
      tooltip.appendText(line);
      tooltip.appendMarkdown('**');
    } else {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(line);
    }
  });
  return tooltip;
}

function notice(id: string, severity: HistoryNoticeNode['severity'], label: string): HistoryNoticeNode {
  return { kind: 'notice', id, severity, label, tooltip: label };
}
