import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CancellationTokenSource,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ProgressType,
  ResponseError,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { GetStatusRequest, StatusNotification, SuggestReplyRequest } from '../../server/src/protocol';
import type { DaemonSettings, DaemonStatus, Suggestion, SuggestReplyProgress, Thread, ThreadwiseErrorData } from '../../server/src/protocol';
import { SERVER_BUNDLE } from './paths';

export interface SuggestOutcome {
  /** Streamed pieces, in arrival order. */
  chunks: string[];
  phases: string[];
  /** The final Suggestion, or the error the daemon answered with. */
  result?: Suggestion;
  error?: ResponseError<ThreadwiseErrorData>;
}

export interface SuggestCall {
  outcome: Promise<SuggestOutcome>;
  /** Live view of what has streamed so far. */
  chunks: string[];
  cancel(): void;
}

let tokenCounter = 0;

/**
 * The built daemon (`dist/server.mjs`) in a child process, spoken to over a real stdio JSON-RPC
 * connection, the way VS Code's language client speaks to it.
 */
export class DaemonProcess {
  readonly statuses: DaemonStatus[] = [];
  readonly logs: string[] = [];
  private exited = false;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    readonly storageDir: string,
  ) {
    child.on('exit', () => (this.exited = true));
    connection.onNotification(StatusNotification.type, (status) => {
      this.statuses.push(status);
    });
    connection.onNotification(LogMessageNotification.type, (message) => {
      this.logs.push(message.message);
    });
  }

  /** `serverPath` defaults to the repository's dist/server.mjs; `cwd` to this process's. */
  static async start(
    settings: Partial<DaemonSettings>,
    options: { env?: NodeJS.ProcessEnv; serverPath?: string; cwd?: string } = {},
  ): Promise<DaemonProcess> {
    const storageDir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-daemon-'));
    const child = spawn(process.execPath, [options.serverPath ?? SERVER_BUNDLE, '--stdio'], {
      stdio: 'pipe',
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const connection = createProtocolConnection(child.stdout, child.stdin);
    const daemon = new DaemonProcess(child, connection, storageDir);
    connection.listen();
    try {
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { storageDir, settings },
      });
    } catch (error) {
      throw new Error(`daemon failed to initialize: ${(error as Error).message}\n${stderr}`, { cause: error });
    }
    await connection.sendNotification(InitializedNotification.type, {});
    return daemon;
  }

  get alive(): boolean {
    return !this.exited;
  }

  suggest(thread: unknown, options: { regenerate?: boolean; onChunk?: (text: string) => void } = {}): SuggestCall {
    const token = `suggest-${++tokenCounter}`;
    const chunks: string[] = [];
    const phases: string[] = [];
    const progress = this.connection.onProgress(new ProgressType<SuggestReplyProgress>(), token, (event) => {
      if (event.kind === 'chunk') {
        chunks.push(event.text);
        options.onChunk?.(event.text);
      }
      else if (event.kind === 'phase') phases.push(event.phase);
      else {
        // A repair starts a new draft: the chunks so far are replaced by the ones that follow.
        phases.push('repairing');
        chunks.length = 0;
      }
    });
    const cancellation = new CancellationTokenSource();
    const outcome = this.connection
      .sendRequest(SuggestReplyRequest.type, { thread: thread as Thread, regenerate: options.regenerate, partialResultToken: token }, cancellation.token)
      .then(
        (result): SuggestOutcome => ({ chunks, phases, result }),
        (error: unknown): SuggestOutcome => {
          if (error instanceof ResponseError) return { chunks, phases, error: error as ResponseError<ThreadwiseErrorData> };
          throw error;
        },
      )
      .finally(() => progress.dispose());
    return { outcome, chunks, cancel: () => cancellation.cancel() };
  }

  status(): Promise<DaemonStatus> {
    return this.connection.sendRequest(GetStatusRequest.type);
  }

  async changeSettings(settings: Partial<DaemonSettings>): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { threadwise: settings } });
  }

  /** Writes raw bytes to the daemon's stdin, bypassing the JSON-RPC writer (for malformed input tests). */
  writeRaw(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 3000))]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Already gone.
      }
      await Promise.race([new Promise((resolve) => this.child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!this.exited) this.child.kill('SIGKILL');
    }
    this.connection.dispose();
    await rm(this.storageDir, { recursive: true, force: true });
  }
}
