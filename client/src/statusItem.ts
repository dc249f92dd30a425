import * as vscode from 'vscode';
import type { DaemonStatus } from '../../server/src/protocol';

const ICONS: Record<DaemonStatus['state'], string> = {
  starting: '$(loading~spin)',
  idle: '$(comment-discussion)',
  downloading: '$(cloud-download)',
  loading: '$(loading~spin)',
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
    this.item.tooltip = `Threadwise: ${status.message}`;
    this.item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
