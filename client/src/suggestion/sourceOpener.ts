import * as vscode from 'vscode';
import type { SourceTarget } from './sourceTarget';

export interface SourceOpenerDeps {
  log: vscode.LogOutputChannel;
  /** The column of the suggestion panel: a file opens in another one, so the panel stays in view. */
  panelColumn: () => vscode.ViewColumn | undefined;
}

/**
 * Opens what `sourceTarget` resolved for a click in the suggestion panel: a local file in a preview
 * editor with the source's lines selected and in view, or a web link in the browser. Failures (the
 * file is gone, is a folder, cannot be read) are shown as an error message that names the source;
 * nothing throws.
 */
export async function openSourceTarget(target: SourceTarget, deps: SourceOpenerDeps): Promise<void> {
  try {
    switch (target.kind) {
      case 'file':
        await openFile(target, deps);
        return;
      case 'url':
        if (!(await vscode.env.openExternal(vscode.Uri.parse(target.url, true)))) deps.log.info(`Did not open ${target.url} (declined).`);
        return;
      case 'none':
        deps.log.info(target.reason);
        void vscode.window.showWarningMessage(target.reason);
        return;
    }
  } catch (error) {
    const what = target.kind === 'none' ? `source [${target.number}]` : `source [${target.number}] (${target.title})`;
    const message = `Could not open ${what}: ${error instanceof Error ? error.message : String(error)}`;
    deps.log.warn(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function openFile(target: Extract<SourceTarget, { kind: 'file' }>, deps: SourceOpenerDeps): Promise<void> {
  const uri = vscode.Uri.file(target.path);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new Error(`${target.path} was not found. Run "Threadwise: Reindex Knowledge" to bring the index up to date.`);
  }
  if ((stat.type & vscode.FileType.File) === 0) throw new Error(`${target.path} is not a file.`);
  const document = await vscode.workspace.openTextDocument(uri);
  // The file may have changed since it was indexed: keep the range inside it.
  const last = Math.max(0, document.lineCount - 1);
  const start = Math.min(target.startLine - 1, last);
  const end = Math.min(Math.max(target.endLine - 1, start), last);
  const selection = new vscode.Range(start, 0, end, document.lineAt(end).range.end.character);
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: deps.panelColumn() === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
    preview: true,
    preserveFocus: false,
    selection,
  });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
