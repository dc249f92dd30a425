import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { KnowledgeReindexRequest, KnowledgeSearchRequest, KnowledgeSetFoldersRequest, THREADWISE_ERROR_CODE } from '../../../server/src/protocol';
import type { KnowledgeHealth, KnowledgeSearchHit, ThreadwiseErrorData } from '../../../server/src/protocol';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';
import type { FolderRepository, WorkspaceRepositories } from '../github/workspaceRepos';
import { DisposableStore } from '../util/disposableStore';
import { healthLine, indexName } from './knowledgeHealthText';

export interface KnowledgeFeatureDeps {
  connection: DaemonConnection;
  repos: WorkspaceRepositories;
  log: vscode.LogOutputChannel;
}

/** For the extension-host tests and other extensions. */
export interface KnowledgeApi {
  /** The indexes' health as the daemon last reported it. */
  health(): KnowledgeHealth[];
  /** Updates (or, with `full`, rebuilds) every index, or the one named by `key`; resolves when done. */
  reindex(options?: { key?: string; full?: boolean }): Promise<KnowledgeHealth[]>;
  search(key: string, query: string, k?: number): Promise<KnowledgeSearchHit[]>;
}

/**
 * Tells the daemon which folders to index (at every daemon start and whenever the folders or their
 * repositories change) and adds "Reindex Knowledge" and "Search Knowledge". The daemon follows
 * file changes itself through the watcher the connection registers.
 */
export function registerKnowledge(deps: KnowledgeFeatureDeps): { disposable: vscode.Disposable; api: KnowledgeApi } {
  const { connection, repos, log } = deps;
  const store = new DisposableStore();

  // What each session was last sent: the first repository read and the session start both send, once.
  const sent = new WeakMap<DaemonSession, string>();
  const sendFolders = async (session: DaemonSession, folders: FolderRepository[]): Promise<void> => {
    const key = JSON.stringify(folders);
    if (sent.get(session) === key) return;
    sent.set(session, key);
    try {
      await session.client.sendRequest(KnowledgeSetFoldersRequest.type, { folders });
      if (folders.length > 0) log.info(`Knowledge: indexing ${folders.map((f) => f.repo ?? f.path).join(', ')} in the background.`);
    } catch (error) {
      sent.delete(session);
      if (!session.hasEnded) log.warn(`Knowledge: could not hand the workspace folders to the daemon: ${messageOf(error)}`);
    }
  };
  let lastSession: DaemonSession | undefined;
  // Folders go to each new daemon once the repositories have been read at least once; requests that
  // need them (Reindex, Search) wait for that delivery, so they never run against an empty list.
  const repositoriesRead = repos.refresh();
  const deliveries = new WeakMap<DaemonSession, Promise<void>>();
  store.add(
    connection.onDidStartSession((session) => {
      lastSession = session;
      deliveries.set(session, repositoriesRead.then(() => sendFolders(session, repos.folders)));
    }),
  );
  store.add(
    repos.onDidChangeFolders((folders) => {
      if (lastSession && !lastSession.hasEnded) deliveries.set(lastSession, sendFolders(lastSession, folders));
    }),
  );
  const sessionWithFolders = async (): Promise<DaemonSession> => {
    const session = await connection.whenRunning();
    await repositoriesRead;
    let delivery = deliveries.get(session);
    if (!delivery) {
      delivery = sendFolders(session, repos.folders);
      deliveries.set(session, delivery);
    }
    await delivery;
    return session;
  };

  const health = (): KnowledgeHealth[] => connection.status.knowledge ?? [];

  const reindex = async (options: { key?: string; full?: boolean } = {}, token?: vscode.CancellationToken): Promise<KnowledgeHealth[]> => {
    const session = await sessionWithFolders();
    return session.client.sendRequest(KnowledgeReindexRequest.type, { ...(options.key ? { key: options.key } : {}), ...(options.full ? { full: true } : {}) }, token);
  };

  const search = async (key: string, query: string, k?: number): Promise<KnowledgeSearchHit[]> => {
    const session = await sessionWithFolders();
    return session.client.sendRequest(KnowledgeSearchRequest.type, { key, query, ...(k !== undefined ? { k } : {}) });
  };

  store.add(
    vscode.commands.registerCommand('threadwise.reindex', async (arg?: { key?: string; full?: boolean }) => {
      await sessionWithFolders().catch(() => undefined);
      const indexes = health();
      if (indexes.length === 0 && repos.folders.length === 0) {
        void vscode.window.showInformationMessage('Open a folder with docs to build a Threadwise knowledge index.');
        return undefined;
      }
      const choice = arg ?? (await pickReindexTarget(indexes));
      if (!choice) return undefined;
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Threadwise: indexing', cancellable: true },
          async (progress, token) => {
            const listener = connection.onDidChangeStatus((status) => {
              if (status.state === 'indexing') progress.report({ message: status.message });
            });
            try {
              return await reindex(choice, token);
            } finally {
              listener.dispose();
            }
          },
        );
        const lines = result.filter((h) => choice.key === undefined || h.key === choice.key).map((h) => healthLine(h, (iso) => new Date(iso).toLocaleString()));
        void vscode.window.showInformationMessage(`Indexed ${lines.join('; ')}`);
        return result;
      } catch (error) {
        if (isCancellation(error)) {
          void vscode.window.showInformationMessage('Indexing stopped. The last index stays in use; what was embedded is kept for the next run.');
          return undefined;
        }
        void vscode.window.showErrorMessage(`Threadwise could not index: ${messageOf(error)}`, 'Show Log').then((picked) => {
          if (picked) log.show();
        });
        return undefined;
      }
    }),
  );

  store.add(
    vscode.commands.registerCommand('threadwise.searchKnowledge', async () => {
      const indexes = health().filter((h) => h.state !== 'empty');
      if (indexes.length === 0) {
        void vscode.window.showInformationMessage('No knowledge index yet: run "Threadwise: Reindex Knowledge" first.');
        return;
      }
      const target = indexes.length === 1 ? indexes[0] : (await vscode.window.showQuickPick(indexes.map((h) => ({ label: indexName(h), health: h })), { title: 'Search which index?' }))?.health;
      if (!target) return;
      const query = await vscode.window.showInputBox({ title: `Search ${indexName(target)}`, prompt: 'Words or a question, as in an issue' });
      if (!query?.trim()) return;
      let hits: KnowledgeSearchHit[];
      try {
        hits = await search(target.key, query);
      } catch (error) {
        void vscode.window.showErrorMessage(`Threadwise search failed: ${messageOf(error)}`);
        return;
      }
      if (hits.length === 0) {
        void vscode.window.showInformationMessage(`Nothing relevant in ${indexName(target)} for "${query.slice(0, 80)}".`);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        hits.map((hit) => ({
          label: `[${hit.number}] ${hit.title}`,
          description: hit.startLine !== undefined ? `L${hit.startLine}–L${hit.endLine ?? hit.startLine}` : undefined,
          detail: hit.text.replace(/\s+/g, ' ').slice(0, 200),
          hit,
        })),
        { title: `${hits.length} results in ${indexName(target)}`, matchOnDetail: true },
      );
      if (picked) await openHit(picked.hit);
    }),
  );

  return { disposable: store, api: { health, reindex: (options) => reindex(options), search } };
}

async function pickReindexTarget(indexes: KnowledgeHealth[]): Promise<{ key?: string; full?: boolean } | undefined> {
  const items: Array<vscode.QuickPickItem & { value: { key?: string; full?: boolean } }> = [
    { label: 'Update all indexes', description: 'only what changed', value: {} },
    ...indexes.map((h) => ({ label: `Update ${indexName(h)}`, description: healthLine(h).slice(indexName(h).length + 2), value: { key: h.key } })),
    { label: 'Rebuild all indexes from scratch', description: 're-chunk and re-embed everything', value: { full: true } },
  ];
  if (indexes.length <= 1) return (await vscode.window.showQuickPick([items[0]!, items.at(-1)!], { title: 'Threadwise: Reindex Knowledge' }))?.value;
  return (await vscode.window.showQuickPick(items, { title: 'Threadwise: Reindex Knowledge' }))?.value;
}

/** Opens a hit: the local file at its lines, else its link on GitHub. */
async function openHit(hit: KnowledgeSearchHit): Promise<void> {
  if (hit.localPath && hit.startLine !== undefined) {
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(hit.localPath));
      const start = new vscode.Position(Math.max(0, hit.startLine - 1), 0);
      const end = new vscode.Position(Math.max(0, (hit.endLine ?? hit.startLine) - 1), 0);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end), preview: true });
      return;
    } catch {
      // Moved or deleted since it was indexed: fall back to the link.
    }
  }
  if (hit.url?.startsWith('https://') || hit.url?.startsWith('http://')) await vscode.env.openExternal(vscode.Uri.parse(hit.url, true));
}

function isCancellation(error: unknown): boolean {
  return error instanceof ResponseError && (error.code === -32800 /* RequestCancelled */ || /cancel/i.test(error.message));
}

function messageOf(error: unknown): string {
  if (error instanceof ResponseError && error.code === THREADWISE_ERROR_CODE) {
    const data = (error as ResponseError<ThreadwiseErrorData | undefined>).data;
    return data?.hint && !error.message.includes(data.hint) ? `${error.message}. ${data.hint}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
