import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { GetStatusRequest, StatusNotification } from '../../../server/src/protocol';
import type { DaemonSettings, DaemonStatus, InitializationOptions } from '../../../server/src/protocol';
import { DaemonSession } from './daemonSession';
import { redactingLog } from './redactingLog';
import { RestartPolicy } from './restartPolicy';

export interface DaemonConnectionOptions {
  /** Absolute path of dist/server.mjs. */
  serverModule: string;
  log: vscode.LogOutputChannel;
  /** Read at every (re)start, so a changed storage folder or setting applies to the next session. */
  storageDir(): string;
  settings(): Partial<DaemonSettings>;
  /** Watchers whose events reach the daemon as `workspace/didChangeWatchedFiles` (made per session). */
  fileWatchers?(): vscode.FileSystemWatcher[];
  policy?: RestartPolicy;
  now?: () => number;
}

/** Thrown to callers that need the daemon while it is not running; the message says what to do. */
export class DaemonUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonUnavailableError';
  }
}

const LANGUAGE_CLIENT_ID = 'threadwise'; // also the prefix of the `threadwise.trace.server` setting

/**
 * Owns the daemon process across its lifetime: starts it with the Node that VS Code ships (the
 * language client forks `serverModule` with VS Code's own runtime over IPC), restarts it with
 * backoff when it dies, and gives up after a few quick failures with a message that offers the log.
 * Each run is a DaemonSession; listeners tied to a run die with it, while this object and the
 * commands that use it live as long as the extension.
 */
export class DaemonConnection implements vscode.Disposable {
  private readonly statusEmitter = new vscode.EventEmitter<DaemonStatus>();
  private readonly sessionEmitter = new vscode.EventEmitter<DaemonSession>();
  /** Every status change: the daemon's own reports while it runs, the connection's otherwise. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** A new daemon session is running (first start and every restart). */
  readonly onDidStartSession = this.sessionEmitter.event;

  private readonly policy: RestartPolicy;
  private readonly now: () => number;
  private current: DaemonSession | undefined;
  private generation = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatus: DaemonStatus = { state: 'starting', message: 'Starting the daemon' };
  private unavailableReason: string | undefined = 'the daemon is starting';
  private disposed = false;

  constructor(private readonly options: DaemonConnectionOptions) {
    this.policy = options.policy ?? new RestartPolicy();
    this.now = options.now ?? Date.now;
  }

  get status(): DaemonStatus {
    return this.lastStatus;
  }

  /** The running session, or a DaemonUnavailableError that says why there is none and what to do. */
  session(): DaemonSession {
    if (this.current && !this.current.hasEnded && this.current.client.state === State.Running) return this.current;
    throw new DaemonUnavailableError(`The Threadwise daemon is not running: ${this.unavailableReason ?? 'it is starting'}.`);
  }

  /** The running session, waiting for a start or restart that is under way (up to `timeoutMs`). */
  async whenRunning(timeoutMs = 30_000): Promise<DaemonSession> {
    try {
      return this.session();
    } catch (error) {
      if (this.restartTimer === undefined && this.lastStatus.state !== 'starting') throw error;
    }
    return await new Promise<DaemonSession>((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new DaemonUnavailableError(`The Threadwise daemon did not start within ${Math.round(timeoutMs / 1000)} s; see the log.`));
      }, timeoutMs);
      const listener = this.onDidStartSession((session) => {
        clearTimeout(timer);
        listener.dispose();
        resolve(session);
      });
    });
  }

  /** Starts the first session. */
  async start(): Promise<void> {
    await this.startSession();
  }

  /** A restart the person asked for: stops the running daemon, forgets earlier crashes, starts anew. */
  async restart(): Promise<void> {
    this.policy.reset();
    this.cancelScheduledRestart();
    await this.stopSession('restarted on request');
    await this.startSession();
  }

  private async startSession(): Promise<void> {
    if (this.disposed) return;
    const generation = ++this.generation;
    this.unavailableReason = 'the daemon is starting';
    this.publish({ state: 'starting', message: generation === 1 ? 'Starting the daemon' : 'Restarting the daemon' });

    const watchers = this.options.fileWatchers?.() ?? [];
    const session = new DaemonSession(this.createClient(watchers), generation);
    for (const watcher of watchers) session.store.add(watcher);
    this.current = session;
    session.store.add(session.client.onNotification(StatusNotification.type, (status) => this.publish(status)));
    session.store.add(
      session.client.onDidChangeState((change) => {
        if (change.newState === State.Stopped) this.onSessionStopped(session);
      }),
    );
    this.policy.started(this.now());
    try {
      await session.client.start();
    } catch (error) {
      this.options.log.error(`The daemon did not start: ${(error as Error).message}`);
      this.onSessionStopped(session);
      return;
    }
    if (session.hasEnded) return;
    this.unavailableReason = undefined;
    this.options.log.info(`Daemon running (pid ${session.pid ?? '?'}, session ${generation}).`);
    this.sessionEmitter.fire(session);
    try {
      this.publish(await session.client.sendRequest(GetStatusRequest.type));
    } catch (error) {
      this.options.log.warn(`Could not read the daemon's status: ${(error as Error).message}`);
    }
  }

  private createClient(fileWatchers: vscode.FileSystemWatcher[]): LanguageClient {
    const { serverModule, log } = this.options;
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6019'] } },
    };
    const initializationOptions: InitializationOptions = { storageDir: this.options.storageDir(), settings: this.options.settings(), origin: 'vscode' };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: log,
      // The verbose trace logs request params; GitHubSetAuthRequest's hold the token.
      traceOutputChannel: redactingLog(log),
      // Failures are shown where they happen (the panel, the status item); the client only logs them.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions,
      synchronize: { configurationSection: 'threadwise', ...(fileWatchers.length > 0 ? { fileEvents: fileWatchers } : {}) },
      // Restarts are ours (with backoff and a give-up rule), so the client itself never restarts.
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        closed: () => ({ action: CloseAction.DoNotRestart, handled: true }),
      },
    };
    return new LanguageClient(LANGUAGE_CLIENT_ID, 'Threadwise', serverOptions, clientOptions);
  }

  /** A session stopped: on our request (already ended) or by itself (a crash: restart or give up). */
  private onSessionStopped(session: DaemonSession): void {
    if (session.hasEnded) return;
    session.end('the daemon process stopped unexpectedly');
    void session.client.dispose().catch(() => undefined);
    if (this.current !== session || this.disposed) return;
    const decision = this.policy.crashed(this.now());
    if (decision.action === 'give-up') {
      this.unavailableReason = `it stopped ${decision.crashes} times in quick succession, so it is not restarted`;
      const message = `The Threadwise daemon stopped ${decision.crashes} times in quick succession and will not be restarted. Check the log, fix the cause, then run "Threadwise: Restart Daemon".`;
      this.options.log.error(message);
      this.publish({ state: 'error', message, error: { reason: 'internal', message } });
      void vscode.window.showErrorMessage(message, 'Show Log', 'Restart Daemon').then((choice) => {
        if (choice === 'Show Log') this.options.log.show();
        if (choice === 'Restart Daemon') void this.restart();
      });
      return;
    }
    const seconds = (decision.delayMs / 1000).toFixed(1);
    this.unavailableReason = `it stopped unexpectedly and restarts in ${seconds} s`;
    this.options.log.warn(`The daemon stopped unexpectedly; restarting in ${seconds} s (attempt ${decision.attempt}).`);
    this.publish({ state: 'starting', message: `The daemon stopped; restarting in ${seconds} s` });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.startSession();
    }, decision.delayMs);
  }

  private async stopSession(reason: string): Promise<void> {
    const session = this.current;
    if (!session) return;
    session.end(reason);
    try {
      if (session.client.needsStop()) await session.client.stop(5_000);
    } catch (error) {
      this.options.log.warn(`Stopping the daemon: ${(error as Error).message}`);
    }
    await session.client.dispose().catch(() => undefined);
  }

  private cancelScheduledRestart(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private publish(status: DaemonStatus): void {
    this.lastStatus = status;
    this.statusEmitter.fire(status);
  }

  /** Stops the daemon; resolves when it is down (deactivate awaits it). */
  async shutdown(): Promise<void> {
    this.disposed = true;
    this.cancelScheduledRestart();
    this.unavailableReason = 'the extension is shutting down';
    await this.stopSession('shutdown');
  }

  dispose(): void {
    void this.shutdown();
    this.statusEmitter.dispose();
    this.sessionEmitter.dispose();
  }
}
