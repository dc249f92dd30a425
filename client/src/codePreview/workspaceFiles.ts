import * as vscode from 'vscode';
import type { FolderRepository } from '../github/workspaceRepos';
import { languageExtensions } from './codeTarget';

/** A workspace file a code answer may target. */
export interface WorkspaceFile {
  /** Relative to its workspace folder, POSIX separators. */
  path: string;
  uri: vscode.Uri;
}

/**
 * The workspace folders to look for a thread's files in: those whose GitHub repository is the
 * thread's (compared as GitHub does, ignoring case) first, then the others in workspace order.
 */
export function foldersFor(repo: string, repositoryFolders: readonly FolderRepository[]): vscode.WorkspaceFolder[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const wanted = String(repo).toLowerCase();
  const ofRepo = new Set(repositoryFolders.filter((entry) => entry.repo?.toLowerCase() === wanted).map((entry) => entry.path));
  const first = folders.filter((folder) => folder.uri.scheme === 'file' && ofRepo.has(folder.uri.fsPath));
  return [...first, ...folders.filter((folder) => !first.includes(folder))];
}

/**
 * Which of `paths` (workspace-relative, already normalised) are files, each in the first of
 * `folders` that holds it. Looked up in parallel; a path that cannot be read counts as missing.
 */
export async function existingFiles(paths: readonly string[], folders: readonly vscode.WorkspaceFolder[]): Promise<Map<string, vscode.Uri>> {
  const found = new Map<string, vscode.Uri>();
  const results = await Promise.all(
    paths.map(async (path) => {
      for (const folder of folders) {
        const uri = vscode.Uri.joinPath(folder.uri, ...path.split('/'));
        if (await isFile(uri)) return [path, uri] as const;
      }
      return undefined;
    }),
  );
  for (const result of results) if (result) found.set(result[0], result[1]);
  return found;
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

/** Most files offered by the "Apply to File…" pick. */
const MAX_PICK_FILES = 5000;

/**
 * Lets the person pick the workspace file a block without a target goes to: the files with the
 * block language's extensions (any file when the language has none), dependencies and build
 * output left out. Undefined when the pick is dismissed or there is nothing to pick.
 */
export async function pickWorkspaceFile(language: string | null, title: string): Promise<WorkspaceFile | undefined> {
  const extensions = languageExtensions(language);
  const glob = extensions.length === 0 ? '**/*' : extensions.length === 1 ? `**/*.${extensions[0] ?? ''}` : `**/*.{${extensions.join(',')}}`;
  const uris = await vscode.workspace.findFiles(glob, '**/{node_modules,.git,dist,out,build}/**', MAX_PICK_FILES);
  const files = uris.flatMap((uri) => {
    const file = workspaceFileOf(uri);
    return file ? [file] : [];
  });
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`No ${extensions.length > 0 ? `.${extensions.join('/.')} ` : ''}files in this workspace to apply the code answer to.`);
    return undefined;
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: file.path, description: multiRoot ? vscode.workspace.getWorkspaceFolder(file.uri)?.name : undefined, file })),
    { title, placeHolder: 'The file the code answer goes in (a diff preview opens first)', matchOnDescription: true },
  );
  return picked?.file;
}

/** `uri` as a file of its workspace folder, or undefined when it is in none. */
export function workspaceFileOf(uri: vscode.Uri): WorkspaceFile | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  return { path: uri.path.slice(base.length), uri };
}
