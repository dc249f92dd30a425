import * as vscode from 'vscode';
import { GitHubSetAuthRequest } from '../../../server/src/protocol';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';
import { DisposableStore } from '../util/disposableStore';
import { EndpointError } from './endpoint';
import type { GitHubEndpoint } from './endpoint';
import type { AuthGate } from './githubClient';
import { toGitHubError } from './githubClient';

/** Where sessions come from: `vscode.authentication`, or another provider of GitHub tokens (tests). */
export interface AuthenticationPort {
  getSession(providerId: string, scopes: readonly string[], options: vscode.AuthenticationGetSessionOptions): Thenable<vscode.AuthenticationSession | undefined>;
  readonly onDidChangeSessions: vscode.Event<vscode.AuthenticationSessionsChangeEvent>;
}

/** The sign-in as the sidebar, the context keys and the API see it. Never holds the token. */
export interface GitHubAuthStatus {
  /** `checking` until the first silent look-up ends; `refused`: GitHub rejected the token. */
  state: 'checking' | 'signedOut' | 'signedIn' | 'refused';
  /** The VS Code account's label. */
  account?: string;
  /** The login GitHub confirmed for the token (null until it did, or while GitHub is unreachable). */
  login?: string | null;
  /** The API root the daemon uses. */
  apiUrl?: string;
  /** Why it is signed out or refused, in words (a settings problem, GitHub's answer). */
  message?: string;
}

export interface GitHubAuthDeps {
  connection: DaemonConnection;
  log: vscode.LogOutputChannel;
  /** The endpoint for the current settings; throws EndpointError when they are unusable. */
  endpoint(): GitHubEndpoint;
  authentication?: AuthenticationPort;
}

/** `repo`: read issues, pull requests and their comments (private repositories included), and post. */
export const GITHUB_SCOPES: readonly string[] = ['repo'];

type LookupMode = 'silent' | 'create' | 'force';

/**
 * The GitHub sign-in. VS Code's authentication provider keeps the token; this class asks it for the
 * session silently at start and whenever sessions or settings change, interactively only when the
 * person asks (`signIn`), and hands the token to the daemon with GitHubSetAuthRequest — at every
 * daemon (re)start (the daemon keeps it in memory only) and on every change (`token: null` after a
 * sign-out). The token is never kept here, logged, or sent anywhere else.
 *
 * Look-ups run one at a time, in order; requests wait (`whenDelivered`) for the latest hand-over to
 * the daemon session they use.
 */
export class GitHubAuth implements AuthGate, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly stateEmitter = new vscode.EventEmitter<GitHubAuthStatus>();
  readonly onDidChangeState = this.stateEmitter.event;
  private status: GitHubAuthStatus = { state: 'checking' };
  private port: AuthenticationPort;
  private portListener: vscode.Disposable | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly delivered = new WeakMap<DaemonSession, Promise<void>>();

  constructor(private readonly deps: GitHubAuthDeps) {
    this.port = deps.authentication ?? vscode.authentication;
    this.store.add(this.stateEmitter);
    this.store.add(deps.connection.onDidStartSession((session) => this.deliverTo(session)));
    this.listen();
  }

  get state(): GitHubAuthStatus {
    return { ...this.status };
  }

  /** The first, silent look-up (never prompts). */
  start(): Promise<boolean> {
    return this.lookup('silent');
  }

  /** Settings or sessions changed: look again, silently. */
  reload(): Promise<boolean> {
    return this.lookup('silent');
  }

  /**
   * Signs in interactively (VS Code's account prompt); after GitHub refused the token, asks for a
   * new session. Resolves with whether a session is there at the end (false when the person cancels).
   */
  async signIn(): Promise<boolean> {
    if (!(await this.checkEnterpriseProvider())) return false;
    return await this.lookup(this.status.state === 'refused' ? 'force' : 'create');
  }

  /** Takes sessions from `port` from now on (another extension's tokens; the extension-host tests). */
  async useAuthentication(port: AuthenticationPort): Promise<boolean> {
    this.port = port;
    this.listen();
    return await this.lookup('silent');
  }

  whenDelivered(session: DaemonSession): Promise<void> {
    return this.delivered.get(session) ?? this.deliverTo(session);
  }

  private listen(): void {
    this.portListener?.dispose();
    this.portListener = this.store.add(
      this.port.onDidChangeSessions((change) => {
        if (change.provider.id === this.endpointOrUndefined()?.providerId) void this.lookup('silent');
      }),
    );
  }

  /** Queues a look-up that also hands the result to the running daemon, if one runs. */
  private lookup(mode: LookupMode): Promise<boolean> {
    const daemon = this.runningDaemon();
    const run = this.enqueue(() => this.lookupAndDeliver(mode, daemon));
    if (daemon) this.delivered.set(daemon, run.then(noop, noop));
    return run;
  }

  /** A daemon session started: it has no token yet. */
  private deliverTo(daemon: DaemonSession): Promise<void> {
    const run = this.enqueue(() => this.lookupAndDeliver('silent', daemon)).then(noop, noop);
    this.delivered.set(daemon, run);
    return run;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(noop);
    return run;
  }

  private async lookupAndDeliver(mode: LookupMode, daemon: DaemonSession | undefined): Promise<boolean> {
    let endpoint: GitHubEndpoint;
    try {
      endpoint = this.deps.endpoint();
    } catch (error) {
      if (!(error instanceof EndpointError)) throw error;
      this.setStatus({ state: 'signedOut', message: error.message });
      if (daemon) await this.send(daemon, null, undefined, undefined);
      if (mode !== 'silent') void vscode.window.showErrorMessage(error.message, 'Open Settings').then(openGitHubSettings);
      return false;
    }
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = await this.port.getSession(endpoint.providerId, GITHUB_SCOPES, options(mode));
    } catch (error) {
      const message = (error as Error).message;
      if (mode === 'silent') {
        this.deps.log.warn(`Looking up the GitHub sign-in failed: ${message}`);
      } else if (!/cancel|consent/i.test(message)) {
        void vscode.window.showErrorMessage(`Signing in to GitHub failed: ${message}`, 'Show Log').then((choice) => {
          if (choice === 'Show Log') this.deps.log.show();
        });
      }
      if (this.status.state === 'checking') this.setStatus({ state: 'signedOut', apiUrl: endpoint.apiUrl });
      return this.status.state === 'signedIn';
    }
    if (!session) {
      if (this.status.state !== 'signedOut') this.deps.log.info('Not signed in to GitHub.');
      this.setStatus({ state: 'signedOut', apiUrl: endpoint.apiUrl });
      if (daemon) await this.send(daemon, null, endpoint, undefined);
      return false;
    }
    const previous = this.status;
    if (previous.state !== 'signedIn' || previous.account !== session.account.label || previous.apiUrl !== endpoint.apiUrl) {
      this.setStatus({ state: 'signedIn', account: session.account.label, login: null, apiUrl: endpoint.apiUrl });
    }
    if (daemon) await this.send(daemon, session.accessToken, endpoint, session.account.label);
    return this.status.state === 'signedIn';
  }

  /** GitHubSetAuthRequest to `daemon`; the outcome updates the status (the token is only in the params). */
  private async send(daemon: DaemonSession, token: string | null, endpoint: GitHubEndpoint | undefined, account: string | undefined): Promise<void> {
    if (daemon.hasEnded) return;
    try {
      const result = await daemon.client.sendRequest(GitHubSetAuthRequest.type, { token, ...(endpoint ? { apiUrl: endpoint.apiUrl } : {}) });
      if (token === null || account === undefined) return;
      if (this.status.login !== result.login) this.deps.log.info(`Signed in to GitHub (${result.apiUrl}) as ${result.login ?? account}.`);
      this.setStatus({ state: 'signedIn', account, login: result.login, apiUrl: result.apiUrl });
    } catch (error) {
      if (daemon.hasEnded) return;
      const failure = toGitHubError(error);
      if (failure.reason === 'github-auth' && account !== undefined) {
        const message = `GitHub refused the sign-in of ${account}: ${failure.message}`;
        this.deps.log.warn(message);
        const wasRefused = this.status.state === 'refused';
        this.setStatus({ state: 'refused', account, message, ...(endpoint ? { apiUrl: endpoint.apiUrl } : {}) });
        if (!wasRefused) {
          void vscode.window.showErrorMessage(`${message}. Sign in again to give Threadwise a working token.`, 'Sign in to GitHub').then((choice) => {
            if (choice) void this.signIn();
          });
        }
        return;
      }
      // Offline or rate limited: the account stays; lists show their cached copies meanwhile.
      this.deps.log.warn(`Handing the GitHub sign-in to the daemon: ${failure.message}`);
    }
  }

  /**
   * VS Code's GitHub Enterprise provider signs in to the server in its own `github-enterprise.uri`
   * setting: offer to set it when it differs from `threadwise.github.enterpriseUri`.
   */
  private async checkEnterpriseProvider(): Promise<boolean> {
    const endpoint = this.endpointOrUndefined();
    if (endpoint?.providerId !== 'github-enterprise' || endpoint.enterpriseUri === undefined) return true;
    const config = vscode.workspace.getConfiguration('github-enterprise');
    const current = (config.get<string>('uri') ?? '').trim().replace(/\/+$/, '');
    if (current.toLowerCase() === endpoint.enterpriseUri.toLowerCase()) return true;
    const choice = await vscode.window.showWarningMessage(
      `VS Code's GitHub Enterprise sign-in uses the setting github-enterprise.uri (${current === '' ? 'not set' : current}); Threadwise is set to ${endpoint.enterpriseUri}.`,
      { modal: true },
      `Set github-enterprise.uri to ${endpoint.enterpriseUri}`,
    );
    if (!choice) return false;
    await config.update('uri', endpoint.enterpriseUri, vscode.ConfigurationTarget.Global);
    return true;
  }

  private endpointOrUndefined(): GitHubEndpoint | undefined {
    try {
      return this.deps.endpoint();
    } catch {
      return undefined;
    }
  }

  private runningDaemon(): DaemonSession | undefined {
    try {
      return this.deps.connection.session();
    } catch {
      return undefined;
    }
  }

  private setStatus(next: GitHubAuthStatus): void {
    const changed = JSON.stringify(next) !== JSON.stringify(this.status);
    this.status = next;
    if (changed) this.stateEmitter.fire(this.state);
  }

  dispose(): void {
    this.store.dispose();
  }
}

function options(mode: LookupMode): vscode.AuthenticationGetSessionOptions {
  switch (mode) {
    case 'silent':
      return { silent: true };
    case 'create':
      return { createIfNone: { detail: 'Threadwise lists the issues and pull requests of your repositories and drafts replies; it posts only when you click Post.' } };
    case 'force':
      return { forceNewSession: { detail: 'GitHub refused the token Threadwise had; sign in again.' } };
  }
}

function openGitHubSettings(choice: string | undefined): void {
  if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'threadwise.github');
}

function noop(): void {}
