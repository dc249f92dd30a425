import * as vscode from 'vscode';
import type { GitHubListItem } from '../../../server/src/protocol';
import { itemStateText, timeAgo } from './treeModel';
import type { ItemNode, NoticeNode, RepoNode, TreeNode } from './treeModel';

/** Expanded at first when they hold something: what a maintainer looks at first. */
const OPEN_GROUPS = new Set(['needsReply', 'assigned']);

/**
 * Draws the tree built by treeModel. Text from GitHub goes into labels, descriptions and plain
 * tooltips (shown as text), or into Markdown tooltips through `appendText` (escaped), with HTML,
 * command links and theme icons off.
 */
export class IssuesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: RepoNode[] = [];

  constructor(private readonly now: () => Date) {}

  /** The rows as drawn now (plain data). */
  get tree(): RepoNode[] {
    return this.roots;
  }

  setRoots(roots: RepoNode[]): void {
    this.roots = roots;
    this.emitter.fire();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots;
    return node.kind === 'repo' || node.kind === 'group' ? node.children : [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'repo':
        return this.repoItem(node);
      case 'group': {
        const state =
          node.children.length === 0
            ? vscode.TreeItemCollapsibleState.None
            : OPEN_GROUPS.has(node.groupId)
              ? vscode.TreeItemCollapsibleState.Expanded
              : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(node.label, state);
        item.id = node.id;
        item.description = node.description;
        item.contextValue = 'threadwise.group';
        return item;
      }
      case 'item':
        return this.itemItem(node);
      case 'notice':
        return this.noticeItem(node);
    }
  }

  private repoItem(node: RepoNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.repo, vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.stale ? 'cloud-offline' : 'repo');
    item.contextValue = node.stale ? 'threadwise.repo.stale' : 'threadwise.repo';
    return item;
  }

  private itemItem(node: ItemNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, new vscode.ThemeColor(node.icon.color));
    item.tooltip = itemTooltip(node.item, this.now());
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: `${itemStateText(node.item)} ${node.item.number}: ${node.item.title}, ${node.description}` };
    item.command = { command: 'threadwise.openThread', title: 'Open Thread', arguments: [node] };
    return item;
  }

  private noticeItem(node: NoticeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.tooltip = node.tooltip;
    item.contextValue = `threadwise.notice.${node.severity}`;
    if (node.severity === 'error') {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.command =
        node.reason === 'github-auth'
          ? { command: 'threadwise.signIn', title: 'Sign in to GitHub' }
          : { command: 'threadwise.showLog', title: 'Show Log' };
    } else {
      item.iconPath = new vscode.ThemeIcon(node.label === 'Loading…' ? 'loading~spin' : 'info');
    }
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Title, state, author, labels and activity, all as escaped text (no HTML, links or icons from the item). */
export function itemTooltip(item: GitHubListItem, now: Date): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString('', false);
  tooltip.supportHtml = false;
  tooltip.isTrusted = false;
  tooltip.appendMarkdown('**');
  tooltip.appendText(item.title.trim());
  tooltip.appendMarkdown('**\n\n');
  tooltip.appendText(`${item.repo}#${item.number} · ${itemStateText(item)} · by ${item.author.login}`);
  if (item.labels.length > 0) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`Labels: ${item.labels.join(', ')}`);
  }
  if (item.assignees.length > 0) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`Assigned to ${item.assignees.join(', ')}`);
  }
  tooltip.appendMarkdown('\n\n');
  const comments = `${item.commentCount} comment${item.commentCount === 1 ? '' : 's'}`;
  const last = item.lastCommenter ? `, the last by ${item.lastCommenter.login}` : '';
  tooltip.appendText(`${comments}${last} · updated ${timeAgo(item.updatedAt, now)}`);
  return tooltip;
}
