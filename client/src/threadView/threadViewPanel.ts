import * as vscode from 'vscode';
import type { Thread } from '../../../server/src/protocol';
import type { FromThreadView, ThreadViewState, ToThreadView } from '../../../webview/src/thread/protocol';
import type { GitHubClient } from '../github/githubClient';
import { toGitHubError } from '../github/githubClient';
import { formatThreadRef } from '../github/threadRef';
import type { ThreadRef } from '../github/threadRef';
import { threadSourceFromGitHub } from '../thread/threadSource';
import type { ThreadSource } from '../thread/threadSource';
import { DisposableStore } from '../util/disposableStore';
import { PanelPage } from '../util/panelPage';
import { toThreadView } from './threadViewModel';

export const THREAD_VIEW_TYPE = 'threadwise.threadView';

export interface ThreadViewDeps {
  extensionUri: vscode.Uri;
  client: GitHubClient;
  log: vscode.LogOutputChannel;
  /** Runs Suggest Reply on the thread (the view's button). */
  suggestReply(source: ThreadSource): Promise<unknown>;
}

/**
 * A read-only webview panel showing one GitHub issue or pull request: title, state, labels, every
 * comment as sanitized Markdown, and for pull requests the changed files and review threads. The
 * host holds the state and sends all of it after every `ready` and on every change.
 */
export class ThreadViewPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly page: PanelPage<ToThreadView>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly key: string;
  private state: ThreadViewState;
  private current: Thread | undefined;
  private loading: Promise<Thread | undefined> | undefined;

  constructor(
    readonly ref: ThreadRef,
    private readonly deps: ThreadViewDeps,
  ) {
    this.key = formatThreadRef(ref);
    this.state = { ref: this.key, loading: false };
    this.page = this.store.add(
      new PanelPage<ToThreadView>({
        viewType: THREAD_VIEW_TYPE,
        title: this.key,
        viewColumn: vscode.ViewColumn.Active,
        extensionUri: deps.extensionUri,
        page: { bundle: 'threadView', title: 'Threadwise thread' },
        onMessage: (message) => this.onMessage(message),
        onClosed: () => this.dispose(),
      }),
    );
  }

  /** The thread shown, once fetched. */
  get thread(): Thread | undefined {
    return this.current;
  }

  /** Whether this panel is the active editor (the editor-title Suggest Reply acts on it). */
  get active(): boolean {
    return this.page.panel.active;
  }

  /** What the page is given (for tests and the API). */
  get viewState(): ThreadViewState {
    return this.state;
  }

  reveal(): void {
    this.page.panel.reveal(undefined, false);
  }

  /**
   * Fetches the thread (`refresh`: from GitHub even when the cached copy is current). A load under
   * way is joined. Resolves with the thread, or undefined when it failed (the page shows why).
   */
  load(refresh = false): Promise<Thread | undefined> {
    this.loading ??= this.fetch(refresh).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(refresh: boolean): Promise<Thread | undefined> {
    this.update({ ...this.state, loading: true });
    try {
      const result = await this.deps.client.thread(this.ref, { refresh });
      if (this.store.isDisposed) return result.thread;
      this.current = result.thread;
      this.page.panel.title = `#${result.thread.number} ${result.thread.title}`;
      this.update({
        ref: this.key,
        thread: toThreadView(result.thread),
        loading: false,
        fetchedAt: result.fetchedAt,
        ...(result.stale ? { stale: { reason: result.staleReason ?? 'GitHub could not be reached' } } : {}),
      });
      return result.thread;
    } catch (error) {
      const failure = toGitHubError(error);
      this.deps.log.warn(`Fetching ${this.key} failed: ${failure.message}`);
      this.update({ ...this.state, loading: false, error: { message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) } });
      if (failure.reason === 'github-auth') {
        void vscode.window.showErrorMessage(`Threadwise could not fetch ${this.key}: ${failure.message}`, 'Sign in to GitHub').then((choice) => {
          if (choice) void vscode.commands.executeCommand('threadwise.signIn');
        });
      }
      return undefined;
    }
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
      this.deps.log.warn('Ignored a malformed message from the thread view.');
      return;
    }
    const message = raw as FromThreadView;
    switch (message.type) {
      case 'ready':
        this.page.markReady();
        this.post({ type: 'state', state: this.state });
        return;
      case 'refresh':
        void this.load(true);
        return;
      case 'suggestReply':
        if (this.current) void this.deps.suggestReply(threadSourceFromGitHub(this.current));
        return;
      default: {
        const unknown: never = message;
        this.deps.log.warn(`Ignored an unknown message from the thread view: ${JSON.stringify(unknown).slice(0, 200)}`);
      }
    }
  }

  private update(state: ThreadViewState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }

  private post(message: ToThreadView): void {
    // Before `ready` (or while hidden) nothing is sent: the next `ready` gets the whole state.
    this.page.send(message);
  }

  dispose(): void {
    if (this.store.isDisposed) return;
    this.store.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
