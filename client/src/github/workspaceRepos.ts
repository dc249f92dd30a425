import * as vscode from 'vscode';
import { readConfiguredRepositories, REPOSITORIES_SETTING } from '../settings';
import { DisposableStore } from '../util/disposableStore';
import { dedupeRepositories, isRepositoryName, parseGitConfig, parseGitDirFile, repositoriesFromConfig } from './gitRemotes';
import type { GitConfigRemotes } from './gitRemotes';

export interface WorkspaceRepositoriesDeps {
  log: vscode.LogOutputChannel;
  /** The web hosts of the configured GitHub (lower case): remotes elsewhere are not ours. */
  hosts(): readonly string[];
}

/** How far up from a workspace folder a `.git` is looked for (a folder inside a repository). */
const MAX_PARENT_LEVELS = 32;

/**
 * The GitHub repositories of the workspace: `threadwise.repositories` (window and folder settings)
 * first, then each folder's git remotes (upstream before origin), each repository once. Read from
 * the files themselves (`.git/config`, and `.git` files pointing to a worktree's or submodule's git
 * directory), so it needs neither the git binary nor the Git extension. Re-read when the folders or
 * the settings change, and on `refresh()`.
 */
/** A local workspace folder and its GitHub repository (null when it has none). */
export interface FolderRepository {
  path: string;
  repo: string | null;
}

export class WorkspaceRepositories implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly emitter = new vscode.EventEmitter<string[]>();
  /** The list changed (not fired when a re-read finds the same repositories). */
  readonly onDidChange = this.emitter.event;
  private repos: string[] = [];
  private folderRepos: FolderRepository[] = [];
  private readonly foldersEmitter = new vscode.EventEmitter<FolderRepository[]>();
  /** The folder → repository mapping changed (the knowledge index follows it). */
  readonly onDidChangeFolders = this.foldersEmitter.event;
  private generation = 0;
  private warned = new Set<string>();

  constructor(private readonly deps: WorkspaceRepositoriesDeps) {
    this.store.add(this.emitter);
    this.store.add(this.foldersEmitter);
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()));
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration(REPOSITORIES_SETTING)) void this.refresh();
      }),
    );
  }

  /** Each local workspace folder with its GitHub repository (its own setting, else its remote), by the last read. */
  get folders(): FolderRepository[] {
    return this.folderRepos.map((entry) => ({ ...entry }));
  }

  /** The repositories found by the last completed read. */
  get repositories(): string[] {
    return [...this.repos];
  }

  /** Reads the settings and remotes again; resolves with the result (a newer read's, when one overtook it). */
  async refresh(): Promise<string[]> {
    const generation = ++this.generation;
    let found: string[];
    let folders: FolderRepository[];
    try {
      ({ repos: found, folders } = await this.read());
    } catch (error) {
      this.deps.log.warn(`Reading the workspace's repositories failed: ${(error as Error).message}`);
      return this.repositories;
    }
    if (generation !== this.generation || this.store.isDisposed) return this.repositories;
    if (JSON.stringify(folders) !== JSON.stringify(this.folderRepos)) {
      this.folderRepos = folders;
      this.foldersEmitter.fire(this.folders);
    }
    if (found.join('\n') !== this.repos.join('\n')) {
      this.repos = found;
      this.deps.log.info(found.length > 0 ? `GitHub repositories: ${found.join(', ')}.` : 'No GitHub repositories in this workspace.');
      this.emitter.fire(this.repositories);
    }
    return this.repositories;
  }

  private async read(): Promise<{ repos: string[]; folders: FolderRepository[] }> {
    const hosts = this.deps.hosts();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const perFolder = folders.map((folder) => readConfiguredRepositories(folder.uri));
    const configured = [readConfiguredRepositories(), ...perFolder].flat();
    const remotes = await Promise.all(folders.map((folder) => this.remoteRepositories(folder.uri, hosts)));
    const mapping = folders
      .map((folder, i): FolderRepository | undefined => {
        if (folder.uri.scheme !== 'file') return undefined;
        // The folder's remote says which repository its files are (links are made from it); a folder
        // without one takes the first entry of threadwise.repositories as seen from that folder.
        const configuredHere = (perFolder[i] ?? []).filter((entry) => isRepositoryName(entry))[0];
        return { path: folder.uri.fsPath, repo: remotes[i]?.[0] ?? configuredHere ?? null };
      })
      .filter((entry): entry is FolderRepository => entry !== undefined);
    return { repos: dedupeRepositories([...configured.filter((entry) => this.validSetting(entry)), ...remotes.flat()]), folders: mapping };
  }

  private validSetting(entry: string): boolean {
    if (isRepositoryName(entry)) return true;
    if (!this.warned.has(entry)) {
      this.warned.add(entry);
      this.deps.log.warn(`${REPOSITORIES_SETTING}: "${entry}" is not owner/name; it is ignored.`);
    }
    return false;
  }

  private async remoteRepositories(folder: vscode.Uri, hosts: readonly string[]): Promise<string[]> {
    // A folder opened from GitHub itself (Remote Repositories: vscode-vfs://github/owner/name).
    if (folder.scheme === 'vscode-vfs' && folder.authority.startsWith('github') && hosts.includes('github.com')) {
      const [owner, name] = folder.path.split('/').filter(Boolean);
      const repo = `${owner ?? ''}/${name ?? ''}`;
      return isRepositoryName(repo) ? [repo] : [];
    }
    const gitDir = await findGitDir(folder);
    if (!gitDir) return [];
    const configs: GitConfigRemotes[] = [];
    const own = await readText(vscode.Uri.joinPath(gitDir, 'config'));
    if (own !== undefined) configs.push(parseGitConfig(own));
    // A linked worktree's git directory keeps its remotes in the main repository's ("commondir").
    const commonDir = (await readText(vscode.Uri.joinPath(gitDir, 'commondir')))?.trim();
    if (commonDir) {
      const common = await readText(vscode.Uri.joinPath(resolvePath(gitDir, commonDir), 'config'));
      if (common !== undefined) configs.push(parseGitConfig(common));
    }
    const merged: GitConfigRemotes = { remotes: configs.flatMap((c) => c.remotes), rewrites: configs.flatMap((c) => c.rewrites) };
    return repositoriesFromConfig(merged, hosts);
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** The git directory of the repository holding `folder`: a `.git` folder, or where a `.git` file points. */
async function findGitDir(folder: vscode.Uri): Promise<vscode.Uri | undefined> {
  let dir = folder;
  for (let level = 0; level <= MAX_PARENT_LEVELS; level++) {
    const dotGit = vscode.Uri.joinPath(dir, '.git');
    const type = await fileType(dotGit);
    if (type === vscode.FileType.Directory) return dotGit;
    if (type === vscode.FileType.File) {
      const target = parseGitDirFile((await readText(dotGit)) ?? '');
      return target ? resolvePath(dir, target) : undefined;
    }
    const parent = vscode.Uri.joinPath(dir, '..');
    if (parent.path === dir.path) return undefined;
    dir = parent;
  }
  return undefined;
}

/** `target` relative to `base`, or absolute (`/x`, `C:/x`, `C:\x`). */
function resolvePath(base: vscode.Uri, target: string): vscode.Uri {
  const normalized = target.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(normalized)) return base.scheme === 'file' ? vscode.Uri.file(normalized) : base.with({ path: `/${normalized}` });
  if (normalized.startsWith('/')) return base.with({ path: normalized });
  return vscode.Uri.joinPath(base, normalized);
}

async function fileType(uri: vscode.Uri): Promise<vscode.FileType | undefined> {
  try {
    // Symbolic links count as what they point to.
    return (await vscode.workspace.fs.stat(uri)).type & ~vscode.FileType.SymbolicLink;
  } catch {
    return undefined;
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
