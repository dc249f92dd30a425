import * as vscode from 'vscode';
import type { GitHubRepoListing, Thread } from '../../server/src/protocol';
import type { ThreadViewState } from '../../webview/src/thread/protocol';
import type { SuggestReplyDeps } from './commands/suggestReply';
import { pickThread } from './commands/threadPicker';
import type { DaemonConnection } from './daemon/daemonConnection';
import { GitHubAuth } from './github/auth';
import type { AuthenticationPort, GitHubAuthStatus } from './github/auth';
import { GITHUB_WEB_HOSTS, resolveEndpoint } from './github/endpoint';
import { GitHubClient, GitHubRequestError } from './github/githubClient';
import { formatThreadRef, parseThreadRef, threadRefFromArgument, ThreadRefError } from './github/threadRef';
import type { ThreadRef, ThreadRefContext } from './github/threadRef';
import { WorkspaceRepositories } from './github/workspaceRepos';
import { GITHUB_ENDPOINT_SETTINGS, readGitHubSettings } from './settings';
import { GitHubSidebar } from './sidebar/githubSidebar';
import { uniqueItems } from './sidebar/treeModel';
import type { RepoNode, RepoState } from './sidebar/treeModel';
import type { PanelRegistry } from './suggestion/panelRegistry';
import { threadSourceFromGitHub } from './thread/threadSource';
import type { ThreadSource } from './thread/threadSource';
import { ThreadViewRegistry } from './threadView/threadViewRegistry';
import { DisposableStore } from './util/disposableStore';

/** The GitHub side of ThreadwiseApi: for other extensions and the extension-host tests. */
export interface GitHubApi {
  /** The sidebar's listings, in repository order (repositories never synced are left out). */
  listings(): GitHubRepoListing[];
  /** Each repository's listing, last sync error and whether it is syncing. */
  repoStates(): RepoState[];
  /** The sidebar's rows as drawn now (repositories → groups → items, error and info rows), filter applied. */
  tree(): RepoNode[];
  /** Syncs every repository (incremental; `full` refetches); resolves when done, never rejects. */
  refresh(options?: { full?: boolean }): Promise<void>;
  /** The workspace's GitHub repositories (settings first, then remotes). */
  repositories(): string[];
  authState(): GitHubAuthStatus;
  /** Interactive sign-in; resolves with whether a session is there. */
  signIn(): Promise<boolean>;
  /** Takes GitHub sessions from `port` from now on instead of VS Code's accounts. */
  useAuthentication(port: AuthenticationPort): Promise<boolean>;
  /** Sets the sidebar's filter ('' clears it). */
  setFilter(text: string): Promise<void>;
  /** Opens the thread view of `owner/repo#N`, a URL or `{ repo, number }`; resolves with what it shows once fetched. */
  openThread(ref: string | ThreadRef): Promise<ThreadViewState>;
  /** What the open thread view of `owner/repo#N` shows, if one is open. */
  threadView(key: string): ThreadViewState | undefined;
  /** The listings, errors or sign-in changed. */
  readonly onDidChange: vscode.Event<void>;
}

export interface GitHubFeatureDeps {
  extensionUri: vscode.Uri;
  connection: DaemonConnection;
  panels: PanelRegistry;
  log: vscode.LogOutputChannel;
  /** Suggest Reply with these deps (the command owns argument handling and failures). */
  suggestReply(deps: SuggestReplyDeps, arg: unknown): Promise<unknown>;
}

/** Context keys for `when` clauses (viewsWelcome, menus). */
const AUTH_CONTEXT = 'threadwise.github.authState';
const REPOS_CONTEXT = 'threadwise.github.hasRepositories';

/**
 * Wires the GitHub surfaces: sign-in (token to the daemon), the workspace's repositories, the
 * Issues and Pull Requests view, thread views and their commands. Returns the deps Suggest Reply
 * needs for GitHub threads and the API object.
 */
export function registerGitHub(deps: GitHubFeatureDeps): { disposable: vscode.Disposable; suggestDeps: SuggestReplyDeps; api: GitHubApi; repos: WorkspaceRepositories } {
  const { connection, log } = deps;
  const store = new DisposableStore();
  const endpoint = () => resolveEndpoint(readGitHubSettings());
  const hosts = (): readonly string[] => {
    try {
      return endpoint().webHosts;
    } catch {
      return GITHUB_WEB_HOSTS;
    }
  };

  const auth = store.add(new GitHubAuth({ connection, log, endpoint }));
  const client = new GitHubClient(connection, auth);
  const repos = store.add(new WorkspaceRepositories({ log, hosts }));
  const sidebar = store.add(new GitHubSidebar({ client, auth, repos, log, refreshMinutes: () => readGitHubSettings().refreshMinutes }));

  const refContext = (): ThreadRefContext => {
    const list = repos.repositories;
    return { hosts: hosts(), ...(list.length === 1 && list[0] ? { defaultRepo: list[0] } : {}) };
  };
  const authStarted = auth.start();

  const fetchThread = async (ref: ThreadRef): Promise<Thread> => {
    await authStarted;
    if (auth.state.state !== 'signedIn' && !(await auth.signIn())) {
      throw new GitHubRequestError(`Sign in to GitHub to fetch ${formatThreadRef(ref)}.`, 'github-auth');
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fetching ${formatThreadRef(ref)} from GitHub…` },
      () => client.thread(ref),
    );
    return result.thread;
  };

  const threadViews = store.add(
    new ThreadViewRegistry({ extensionUri: deps.extensionUri, client, log, suggestReply: (source: ThreadSource) => deps.suggestReply(suggestDeps, source) }),
  );
  const suggestDeps: SuggestReplyDeps = {
    panels: deps.panels,
    fetchThread,
    activeThreadView: () => {
      const panel = threadViews.active();
      if (!panel) return undefined;
      return panel.thread ? threadSourceFromGitHub(panel.thread) : panel.ref;
    },
    listedItems: () => uniqueItems(sidebar.listings()),
    refContext,
  };

  /** The ref a command argument names, or one picked (sidebar items, a pasted URL, `owner/repo#N`). */
  const refFromArgument = async (arg: unknown, action: string): Promise<ThreadRef | undefined> => {
    const direct = threadRefFromArgument(arg);
    if (direct) return direct;
    if (typeof arg === 'string') {
      const parsed = parseThreadRef(arg, refContext());
      if (!parsed.ok) throw new ThreadRefError(parsed.message);
      return parsed.ref;
    }
    const picked = await pickThread({ title: 'Threadwise: Open Thread', files: [], items: uniqueItems(sidebar.listings()), context: refContext(), action });
    return picked?.kind === 'github' ? picked.ref : undefined;
  };

  const openThread = async (arg: unknown): Promise<ThreadViewState | undefined> => {
    await authStarted;
    const ref = await refFromArgument(arg, 'Open');
    if (!ref) return undefined;
    if (auth.state.state !== 'signedIn') await auth.signIn();
    return (await threadViews.open(ref)).viewState;
  };

  const setAuthContext = (status: GitHubAuthStatus) => void vscode.commands.executeCommand('setContext', AUTH_CONTEXT, status.state);
  const setReposContext = (list: string[]) => void vscode.commands.executeCommand('setContext', REPOS_CONTEXT, list.length > 0);
  setAuthContext(auth.state);
  setReposContext([]);
  const changeEmitter = store.add(new vscode.EventEmitter<void>());

  store.add(auth.onDidChangeState((status) => {
    setAuthContext(status);
    changeEmitter.fire();
  }));
  store.add(repos.onDidChange(setReposContext));
  store.add(sidebar.onDidChange(() => changeEmitter.fire()));
  store.add(
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (!GITHUB_ENDPOINT_SETTINGS.some((key) => change.affectsConfiguration(key))) return;
      void auth.reload();
      void repos.refresh();
    }),
  );
  void repos.refresh().then(setReposContext);

  const reportRefError = (error: unknown): undefined => {
    if (!(error instanceof ThreadRefError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  };

  store.add(vscode.commands.registerCommand('threadwise.signIn', () => auth.signIn()));
  store.add(vscode.commands.registerCommand('threadwise.refresh', () => sidebar.refresh({ interactive: true })));
  store.add(vscode.commands.registerCommand('threadwise.filter', () => sidebar.promptFilter()));
  store.add(vscode.commands.registerCommand('threadwise.clearFilter', () => sidebar.setFilter('')));
  store.add(vscode.commands.registerCommand('threadwise.openThread', (arg: unknown) => openThread(arg).catch(reportRefError)));
  store.add(
    vscode.commands.registerCommand('threadwise.openOnGitHub', async (arg: unknown) => {
      const url = (arg as { item?: { url?: unknown } } | undefined)?.item?.url;
      if (typeof url !== 'string' || !url.startsWith('https://')) {
        void vscode.window.showErrorMessage('Pick an issue or pull request in the Threadwise view to open it on GitHub.');
        return false;
      }
      return await vscode.env.openExternal(vscode.Uri.parse(url, true));
    }),
  );

  const api: GitHubApi = {
    listings: () => sidebar.listings(),
    repoStates: () => sidebar.repoStates(),
    tree: () => sidebar.tree(),
    refresh: async (options = {}) => {
      await authStarted;
      await repos.refresh();
      await sidebar.refresh({ ...options });
    },
    repositories: () => repos.repositories,
    authState: () => auth.state,
    signIn: () => auth.signIn(),
    useAuthentication: (port) => auth.useAuthentication(port),
    setFilter: (text) => sidebar.setFilter(text),
    openThread: async (ref) => {
      const state = await openThread(ref);
      if (!state) throw new ThreadRefError(`No thread view opened for ${typeof ref === 'string' ? ref : formatThreadRef(ref)}.`);
      return state;
    },
    threadView: (key) => threadViews.get(key)?.viewState,
    onDidChange: changeEmitter.event,
  };
  return { disposable: store, suggestDeps, api, repos };
}
