import * as vscode from 'vscode';
import type { DaemonStatus } from '../../server/src/protocol';
import { healthLine } from './knowledge/knowledgeHealthText';

const ICONS: Record<DaemonStatus['state'], string> = {
  starting: '$(loading~spin)',
  idle: '$(comment-discussion)',
  downloading: '$(cloud-download)',
  loading: '$(loading~spin)',
  indexing: '$(sync~spin)',
  ready: '$(comment-discussion)',
  busy: '$(loading~spin)',
  error: '$(error)',
};

/** The daemon's health in the status bar; clicking it opens the log. */
export class DaemonStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('threadwise.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Threadwise';
    this.item.command = 'threadwise.showLog';
    this.show({ state: 'starting', message: 'Starting the daemon' });
    this.item.show();
  }

  show(status: DaemonStatus): void {
    const progress = status.state === 'downloading' && status.progress !== undefined ? ` ${status.progress}%` : '';
    this.item.text = `${ICONS[status.state]} Threadwise${progress}`;
    // One paragraph per line; the texts name files and repositories, so they are escaped (icons are ours).
    const lines = [
      `Threadwise: ${escapeMarkdown(status.message)}`,
      ...(status.knowledge ?? []).map((health) => `$(book) ${escapeMarkdown(healthLine(health, (iso) => new Date(iso).toLocaleString()))}`),
    ];
    this.item.tooltip = new vscode.MarkdownString(lines.join('\n\n'), true);
    this.item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Status messages name files and repositories: nothing in them may render as Markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}

