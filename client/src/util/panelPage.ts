import * as vscode from 'vscode';
import { webviewHtml, webviewResourceRoots } from '../suggestion/webviewHtml';
import type { WebviewPage } from '../suggestion/webviewHtml';

export interface PanelPageOptions {
  viewType: string;
  /** The tab's title. */
  title: string;
  viewColumn: vscode.ViewColumn;
  extensionUri: vscode.Uri;
  /** The bundle the page runs and its `<title>` (webviewHtml's defaults: the suggestion panel). */
  page?: WebviewPage;
  /** Every message the page posts, unchecked: the caller validates it. */
  onMessage(message: unknown): void;
  /** The panel was closed (by the person or by VS Code). */
  onClosed(): void;
}

/**
 * A webview panel running one of our bundles (scripts on, find widget, files only from dist/), and
 * whether its page listens. A page says `ready` once it listens (the caller then calls
 * `markReady`); a hidden page is torn down and says `ready` again when shown. `send` delivers only
 * to a listening page and drops everything else: the caller keeps the whole state and sends it on
 * every `ready`, so nothing is lost and nothing is posted into the void.
 */
export class PanelPage<To> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(options: PanelPageOptions) {
    this.panel = vscode.window.createWebviewPanel(
      options.viewType,
      options.title,
      { viewColumn: options.viewColumn, preserveFocus: false },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: webviewResourceRoots(options.extensionUri) },
    );
    this.subscriptions = [
      this.panel.webview.onDidReceiveMessage((message: unknown) => options.onMessage(message)),
      this.panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.ready = false;
      }),
      this.panel.onDidDispose(() => options.onClosed()),
    ];
    this.panel.webview.html = webviewHtml(this.panel.webview, options.extensionUri, options.page);
  }

  /** The page said `ready`: it listens until it is hidden. */
  markReady(): void {
    this.ready = true;
  }

  /** Posts `message` to a listening page; before `ready` (or while hidden) it is dropped. */
  send(message: To): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  /** Stops listening to the panel, then closes it. */
  dispose(): void {
    for (const subscription of this.subscriptions.splice(0).reverse()) subscription.dispose();
    this.panel.dispose();
  }
}
