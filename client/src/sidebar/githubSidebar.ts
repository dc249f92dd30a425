import * as vscode from 'vscode';
import type { GitHubRepoListing } from '../../../server/src/protocol';
import type { GitHubAuth } from '../github/auth';
import type { GitHubClient } from '../github/githubClient';
import { toGitHubError } from '../github/githubClient';
import type { WorkspaceRepositories } from '../github/workspaceRepos';
import { DisposableStore } from '../util/disposableStore';
import { IssuesTreeProvider } from './issuesTreeProvider';
import { buildTree } from './treeModel';
import type { RepoNode, RepoState, TreeNode } from './treeModel';

export const ISSUES_VIEW_ID = 'threadwise.issues';
/** Context key: a filter is on (shows "Clear Filter" in the view's title). */
export const FILTERED_CONTEXT = 'threadwise.issues.filtered';

export interface GitHubSidebarDeps {
  client: GitHubClient;
  auth: GitHubAuth;
  repos: WorkspaceRepositories;
  log: vscode.LogOutputChannel;
  /** `threadwise.github.refreshMinutes`, read when the schedule is set. */
  refreshMinutes(): number;
  now?: () => Date;
}

export interface RefreshOptions {
  /** The person asked (command, button): failures are always reported, and the remotes are re-read. */
  interactive?: boolean;
  /** Refetch everything instead of what changed since the last sync. */
  full?: boolean;
}

/**
 * The Issues and Pull Requests view: one node per workspace repository with the daemon's five
 * groups. A sync first asks for the cached lists (an instant paint), then for what changed on
 * GitHub. Syncs run when the view becomes visible (if the last one is older than the refresh
 * interval), every `threadwise.github.refreshMinutes` while it stays visible, and on request.
 * Failures show as an error row under the repository and as a notification (once per distinct
 * failure for background syncs), never as an unhandled rejection.
 */
export class GitHubSidebar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly provider: IssuesTreeProvider;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** The listings or the errors changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly states = new Map<string, RepoState>();
  private readonly now: () => Date;
  private filter = '';
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private queuedOptions: RefreshOptions | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSyncAt = 0;
  private lastReported = '';
  /** `account@apiUrl` while signed in, '' otherwise. */
  private account = '';

  constructor(private readonly deps: GitHubSidebarDeps) {
    this.now = deps.now ?? (() => new Date());
    this.provider = this.store.add(new IssuesTreeProvider(this.now));
    this.view = this.store.add(vscode.window.createTreeView(ISSUES_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true }));
    this.store.add(this.changeEmitter);
    this.store.add({ dispose: () => clearInterval(this.timer) });
    this.store.add(this.view.onDidChangeVisibility(() => this.schedule()));
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('threadwise.github.refreshMinutes')) this.schedule();
      }),
    );
    this.store.add(
      deps.auth.onDidChangeState((status) => {
        // A new account or GitHub starts from nothing; the login confirmed later changes nothing here.
        const account = status.state === 'signedIn' ? `${status.account ?? ''}@${status.apiUrl ?? ''}` : '';
        if (account === this.account) return;
        this.account = account;
        this.states.clear();
        this.reconcile();
        this.render();
        if (account !== '') this.syncNowIfVisible();
        else this.schedule();
      }),
    );
    this.store.add(
      deps.repos.onDidChange(() => {
        this.reconcile();
        this.render();
        this.syncNowIfVisible();
      }),
    );
    void this.setFilter('');
  }

  /** The listings shown, in repository order (repositories never synced are left out). */
  listings(): GitHubRepoListing[] {
    return [...this.states.values()].flatMap((state) => (state.listing ? [state.listing] : []));
  }

  /** Each repository's listing, last error and whether it is syncing. */
  repoStates(): RepoState[] {
    return [...this.states.values()].map((state) => ({ ...state }));
  }

  /** The rows as drawn now: repositories, groups (with the filter applied), items and notices. */
  tree(): RepoNode[] {
    return this.provider.tree;
  }

  get filterText(): string {
    return this.filter;
  }

  /** Asks for the filter text (an input box prefilled with the current one). */
  async promptFilter(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Filter Issues and Pull Requests',
      value: this.filter,
      prompt: 'Words that must all match a title, number (#12), label or author (@login); empty clears the filter.',
      placeHolder: 'e.g. crash @alice bug',
    });
    if (text !== undefined) await this.setFilter(text);
  }

  async setFilter(text: string): Promise<void> {
    this.filter = text.trim();
    this.render();
    await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, this.filter !== '');
  }

  /**
   * Syncs every repository. Asked while a sync runs, one more sync follows it (with the options of
   * every such request combined), so what changed meanwhile is not missed. Never rejects: failures
   * land in the tree and in a notification.
   */
  refresh(options: RefreshOptions = {}): Promise<void> {
    if (this.running) {
      const queued = this.queuedOptions ?? {};
      this.queuedOptions = { interactive: queued.interactive === true || options.interactive === true, full: queued.full === true || options.full === true };
      this.queued ??= this.running.then(() => {
        const next = this.queuedOptions ?? {};
        this.queued = undefined;
        this.queuedOptions = undefined;
        return this.refresh(next);
      });
      return this.queued;
    }
    const run = vscode.window
      .withProgress({ location: { viewId: ISSUES_VIEW_ID } }, () => this.sync(options))
      .then(undefined, (error: unknown) => this.deps.log.error(`Syncing the GitHub lists failed: ${(error as Error).message}`));
    this.running = Promise.resolve(run).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sync(options: RefreshOptions): Promise<void> {
    if (options.interactive) await this.deps.repos.refresh();
    this.reconcile();
    if (this.deps.auth.state.state !== 'signedIn') {
      this.render();
      return;
    }
    const mode = options.full ? 'full' : 'incremental';
    await Promise.all([...this.states.values()].map((state) => this.syncRepo(state, mode)));
    this.lastSyncAt = Date.now();
    this.report(options.interactive ?? false);
  }

  private async syncRepo(state: RepoState, mode: 'incremental' | 'full'): Promise<void> {
    state.loading = true;
    this.render();
    try {
      if (!state.listing) {
        // The cached copy first, for an instant paint; the sync below reports any failure.
        state.listing = await this.deps.client.list({ repo: state.repo, sync: 'cached' }).catch(() => undefined);
        this.render();
      }
      state.listing = await this.deps.client.list({ repo: state.repo, sync: mode });
      delete state.error;
    } catch (error) {
      const failure = toGitHubError(error);
      state.error = { message: failure.message, reason: failure.reason, ...(failure.hint ? { hint: failure.hint } : {}) };
      this.deps.log.warn(`Syncing ${state.repo} failed: ${failure.message}`);
    } finally {
      state.loading = false;
      if (this.states.get(state.repo.toLowerCase()) === state) this.render();
    }
  }

  /** Keeps a state per current repository, in the repositories' order; drops the others. */
  private reconcile(): void {
    const previous = new Map(this.states);
    this.states.clear();
    for (const repo of this.deps.repos.repositories) {
      const key = repo.toLowerCase();
      this.states.set(key, previous.get(key) ?? { repo, loading: false });
    }
  }

  /** A notification for the failures of this sync: always after a requested one, else once per distinct failure. */
  private report(interactive: boolean): void {
    const failed = [...this.states.values()].filter((state) => state.error !== undefined);
    const signature = failed.map((state) => `${state.repo}:${state.error?.message ?? ''}`).join('\n');
    if (failed.length === 0 || (!interactive && signature === this.lastReported)) {
      this.lastReported = signature;
      return;
    }
    this.lastReported = signature;
    const first = failed[0];
    if (!first?.error) return;
    const where = failed.length === 1 ? first.repo : `${failed.length} repositories (${failed.map((state) => state.repo).join(', ')})`;
    const hint = first.error.hint ? ` ${first.error.hint}` : '';
    const signIn = failed.some((state) => state.error?.reason === 'github-auth');
    const actions = signIn ? ['Sign in to GitHub', 'Show Log'] : ['Show Log'];
    void vscode.window.showErrorMessage(`Threadwise could not sync ${where}: ${first.error.message}${hint}`, ...actions).then((choice) => {
      if (choice === 'Sign in to GitHub') void vscode.commands.executeCommand('threadwise.signIn');
      if (choice === 'Show Log') this.deps.log.show();
    });
  }

  /** Syncs now if the view is visible, else as soon as it becomes visible. */
  private syncNowIfVisible(): void {
    this.lastSyncAt = 0;
    this.schedule();
  }

  /** Periodic syncs while the view is visible and signed in; a sync at once when the last is too old. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.view.visible || this.deps.auth.state.state !== 'signedIn' || this.store.isDisposed) return;
    const minutes = this.deps.refreshMinutes();
    const intervalMs = minutes * 60_000;
    if (this.lastSyncAt === 0 || (minutes > 0 && Date.now() - this.lastSyncAt >= intervalMs)) void this.refresh();
    if (minutes > 0) this.timer = setInterval(() => void this.refresh(), intervalMs);
  }

  private render(): void {
    if (this.store.isDisposed) return;
    const roots = buildTree([...this.states.values()], this.filter, this.now());
    this.provider.setRoots(this.deps.auth.state.state === 'signedIn' ? roots : []);
    if (this.filter === '') {
      this.view.message = undefined;
    } else {
      const matches = roots.some((repo) => repo.children.some((child) => child.kind === 'group' && child.children.length > 0));
      this.view.message = matches ? `Filtered: ${this.filter}` : `Filtered: ${this.filter} (nothing matches)`;
    }
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.store.dispose();
  }
}
