import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { StatusNotification } from '../../server/src/protocol';
import type { InitializationOptions } from '../../server/src/protocol';
import { readDaemonSettings } from './settings';
import { DaemonStatusItem } from './statusItem';

let client: LanguageClient | undefined;

/**
 * Starts the daemon (dist/server.mjs) in its own process with the Node that VS Code ships, over
 * IPC, and shows its health. The extension host loads no model, index or native module itself.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Threadwise', { log: true });
  const status = new DaemonStatusItem();
  context.subscriptions.push(log, status);

  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.mjs').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    storageDir: context.globalStorageUri.fsPath,
    settings: readDaemonSettings(),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [],
    outputChannel: log,
    initializationOptions,
    synchronize: { configurationSection: 'threadwise' },
  };
  client = new LanguageClient('threadwise', 'Threadwise', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(StatusNotification.type, (next) => status.show(next)),
    vscode.commands.registerCommand('threadwise.showLog', () => log.show()),
    vscode.commands.registerCommand('threadwise.restartDaemon', async () => {
      await client?.restart();
    }),
  );
  try {
    await client.start();
  } catch (error) {
    status.show({ state: 'error', message: `the daemon did not start: ${(error as Error).message}` });
    log.error(`the daemon did not start: ${(error as Error).message}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
