import * as vscode from 'vscode';
import type { BlockReport, FindingSeverity, Thread } from '../../../server/src/protocol';
import { DisposableStore } from '../util/disposableStore';
import { checkSummaryMarkdown, previewFindings } from './checkSummary';
import { inferTarget, targetCandidates, textBeforeBlock, vscodeLanguageId } from './codeTarget';
import { placeBlock } from './placement';
import type { LinePosition, PlacedBlock } from './placement';
import { changedRange, codeLines, splitText } from './textLines';
import { existingFiles, foldersFor, pickWorkspaceFile } from './workspaceFiles';
import type { FolderRepository } from '../github/workspaceRepos';
import type { WorkspaceFile } from './workspaceFiles';

/** The scheme of the read-only documents that hold a file with a code answer placed in it. */
export const PREVIEW_SCHEME = 'threadwise-preview';
export const APPLY_COMMAND = 'threadwise.applyCodePreview';
export const COPY_COMMAND = 'threadwise.copyCodePreview';

/** Open one code block of a reply: its checks, the thread it answers, and the reply's text (to find the file it names). */
export interface CodePreviewRequest {
  report: BlockReport;
  thread: Thread;
  replyText: string;
}

export interface CodePreviewsDeps {
  log: vscode.LogOutputChannel;
  /**
   * The workspace folders and their GitHub repositories (`WorkspaceRepositories.folders`), read when
   * a block opens: a thread's files are looked up in its repository's folder first.
   */
  repositoryFolders?: () => readonly FolderRepository[];
}

/** One open preview: a diff against the target file, or an untitled document of the block alone. */
interface Preview {
  /** The preview document (`threadwise-preview:`) or the untitled document. */
  uri: vscode.Uri;
  request: CodePreviewRequest;
  code: string;
  /** Present for a diff preview: the file, its text when placed, and the placement. */
  target?: WorkspaceFile & { baseText: string; placed: PlacedBlock };
}

/** Previews kept at once; the oldest goes first (its document then says it is no longer available). */
const MAX_PREVIEWS = 32;
const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Code answers in the editor. A block that targets a workspace file (see codeTarget.ts) opens as a
 * diff of that file against a read-only preview of the file with the block placed in it (see
 * placement.ts); any other block opens as an untitled document in its language. The block's check
 * findings are diagnostics on the previewed code, a hover summarises its checks, and a CodeLens
 * (plus editor-title buttons, as diff editors hide CodeLens) offers Apply and Copy. Apply is an
 * ordinary, undoable edit of the file; Apply and Copy act on the code as the reply gave it.
 */
export class CodePreviews implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly previews = new Map<string, Preview>();
  private readonly diagnostics = this.store.add(vscode.languages.createDiagnosticCollection('threadwise-code-answers'));
  private readonly contentChanged = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  private readonly lensesChanged = this.store.add(new vscode.EventEmitter<void>());
  private sequence = 0;

  constructor(private readonly deps: CodePreviewsDeps) {
    const selector: vscode.DocumentSelector = [{ scheme: PREVIEW_SCHEME }, { scheme: 'untitled' }];
    this.store.add(
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
        onDidChange: this.contentChanged.event,
        provideTextDocumentContent: (uri) => this.previews.get(uri.toString())?.target?.placed.text ?? 'This code answer preview is no longer available.',
      }),
    );
    this.store.add(
      vscode.languages.registerCodeLensProvider(selector, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (document) => this.lenses(document) }),
    );
    this.store.add(vscode.languages.registerHoverProvider(selector, { provideHover: (document, position) => this.hover(document, position) }));
    this.store.add(vscode.commands.registerCommand(APPLY_COMMAND, (arg: unknown) => this.apply(arg)));
    this.store.add(vscode.commands.registerCommand(COPY_COMMAND, (arg: unknown) => this.copy(arg)));
    this.store.add(vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)));
  }

  /** Opens a block: as a diff preview when it targets a workspace file it fits, else as an untitled document. Never rejects. */
  async open(request: CodePreviewRequest): Promise<void> {
    try {
      const { report, thread, replyText } = request;
      const block = report.block;
      if (typeof block?.code !== 'string') throw new Error('the report has no code block');
      const query = { block, textBefore: textBeforeBlock(typeof replyText === 'string' ? replyText : '', block), prFiles: thread.files };
      const found = await existingFiles(targetCandidates(query), foldersFor(thread.repo, this.deps.repositoryFolders?.() ?? []));
      const target = inferTarget(query, new Set(found.keys()));
      const uri = target ? found.get(target.path) : undefined;
      if (target && uri) {
        this.deps.log.info(`Code block ${block.index + 1} targets ${target.path} (${target.rule}).`);
        const misfit = await this.openDiff(request, { path: target.path, uri });
        if (misfit === undefined) return;
        void vscode.window.showWarningMessage(`${misfit} It opens on its own instead.`);
      }
      await this.openUntitled(request);
    } catch (error) {
      this.fail(`Could not open code block ${(request.report?.block?.index ?? 0) + 1}`, error);
    }
  }

  /** Applies the preview at `arg` (a Uri), else the active one, to its file; a block without a file asks for one first. */
  async apply(arg?: unknown): Promise<void> {
    const preview = this.previewFor(arg);
    if (!preview) {
      void vscode.window.showWarningMessage('No Threadwise code answer preview is active.');
      return;
    }
    try {
      if (preview.target) await this.applyToFile(preview, preview.target);
      else {
        const picked = await pickWorkspaceFile(preview.request.report.block.language, `Apply code block ${preview.request.report.block.index + 1} to…`);
        const misfit = picked && (await this.openDiff(preview.request, picked));
        if (misfit) void vscode.window.showWarningMessage(misfit);
      }
    } catch (error) {
      this.fail('Could not apply the code answer', error);
    }
  }

  /** Copies the code of the preview at `arg` (a Uri), else of the active one. */
  async copy(arg?: unknown): Promise<void> {
    const preview = this.previewFor(arg);
    if (!preview) {
      void vscode.window.showWarningMessage('No Threadwise code answer preview is active.');
      return;
    }
    await vscode.env.clipboard.writeText(preview.code);
    vscode.window.setStatusBarMessage(`Copied code block ${preview.request.report.block.index + 1}.`, 4000);
  }

  dispose(): void {
    this.previews.clear();
    this.store.dispose();
  }

  /** Opens the diff preview of `request` placed in `file`; when the block does not fit the file, says why instead. */
  private async openDiff(request: CodePreviewRequest, file: WorkspaceFile): Promise<string | undefined> {
    const block = request.report.block;
    const document = await vscode.workspace.openTextDocument(file.uri);
    const baseText = document.getText();
    const placement = placeBlock({ fileText: baseText, code: block.code, language: block.language, path: file.path });
    if (!placement.ok) {
      const message = `Code block ${block.index + 1} does not fit ${file.path}: ${placement.reason}`;
      this.deps.log.warn(message);
      return message;
    }
    const { placed } = placement;
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.sequence}/${file.path}` });
    this.remember({ uri, request, code: block.code, target: { ...file, baseText, placed } });
    this.showFindings(uri, request.report, placed.lineMap, placed.text);
    for (const warning of placed.warnings) void vscode.window.showWarningMessage(`Code block ${block.index + 1}: ${warning}`);
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const title = `${name} ↔ Code Answer ${block.index + 1} (${placed.unchanged ? 'no change' : placed.description})`;
    await vscode.commands.executeCommand('vscode.diff', file.uri, uri, title, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return undefined;
  }

  private async openUntitled(request: CodePreviewRequest): Promise<void> {
    const block = request.report.block;
    const document = await vscode.workspace.openTextDocument({ language: vscodeLanguageId(block.language), content: block.code });
    this.remember({ uri: document.uri, request, code: block.code });
    const lines = codeLines(block.code);
    this.showFindings(document.uri, request.report, lines.map((_, i) => ({ line: i + 1, columnShift: 0 })), block.code);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  /**
   * Applies a placed block as one WorkspaceEdit of the changed range. The file is read again first:
   * when it changed since the preview the block is placed anew (and the preview follows); when it
   * no longer fits, nothing is applied.
   */
  private async applyToFile(preview: Preview, target: NonNullable<Preview['target']>): Promise<void> {
    const block = preview.request.report.block;
    const document = await vscode.workspace.openTextDocument(target.uri);
    const current = document.getText();
    let placed = target.placed;
    if (current !== target.baseText) {
      const again = placeBlock({ fileText: current, code: preview.code, language: block.language, path: target.path });
      if (!again.ok) {
        void vscode.window.showWarningMessage(`${target.path} changed since the preview and code block ${block.index + 1} no longer fits it: ${again.reason} Nothing was applied.`);
        return;
      }
      placed = again.placed;
      preview.target = { ...target, baseText: current, placed };
      this.contentChanged.fire(preview.uri);
      this.showFindings(preview.uri, preview.request.report, placed.lineMap, placed.text);
      this.lensesChanged.fire();
    }
    if (placed.text === current) {
      void vscode.window.showInformationMessage(`${target.path} already holds code block ${block.index + 1}; nothing to apply.`);
      return;
    }
    const change = changedRange(current, placed.text);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit of ${target.path}`);
    const message = `Applied code block ${block.index + 1} to ${target.path} (${placed.description}). Undo reverts it.`;
    this.deps.log.info(message);
    const selection = new vscode.Range(placed.startLine - 1, 0, placed.startLine - 1, 0);
    await vscode.window.showTextDocument(document, { preview: false, selection });
    void vscode.window.showInformationMessage(message);
  }

  private remember(preview: Preview): void {
    this.previews.set(preview.uri.toString(), preview);
    while (this.previews.size > MAX_PREVIEWS) {
      const oldest = this.previews.keys().next().value;
      if (oldest === undefined) break;
      this.forget(vscode.Uri.parse(oldest));
    }
    this.lensesChanged.fire();
  }

  private forget(uri: vscode.Uri): void {
    if (!this.previews.delete(uri.toString())) return;
    this.diagnostics.delete(uri);
    this.lensesChanged.fire();
  }

  private showFindings(uri: vscode.Uri, report: BlockReport, lineMap: readonly (LinePosition | null)[], text: string): void {
    const diagnostics = previewFindings(report.findings, lineMap, splitText(text).lines).map((finding) => {
      const range = new vscode.Range(finding.startLine, finding.startColumn, finding.endLine, finding.endColumn);
      const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
      diagnostic.source = 'Threadwise';
      diagnostic.code = finding.ruleId;
      return diagnostic;
    });
    this.diagnostics.set(uri, diagnostics);
  }

  /** The preview a command means: the Uri it was given, else the active editor's, else the only visible one. */
  private previewFor(arg: unknown): Preview | undefined {
    if (arg instanceof vscode.Uri) return this.previews.get(arg.toString());
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active !== undefined && this.previews.has(active)) return this.previews.get(active);
    const visible = vscode.window.visibleTextEditors.flatMap((editor) => {
      const preview = this.previews.get(editor.document.uri.toString());
      return preview ? [preview] : [];
    });
    return visible.length === 1 ? visible[0] : undefined;
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const preview = this.previews.get(document.uri.toString());
    if (!preview) return [];
    const line = preview.target ? preview.target.placed.startLine - 1 : 0;
    const range = new vscode.Range(line, 0, line, 0);
    const apply = preview.target ? `Apply to ${preview.target.path}` : 'Apply to File…';
    return [
      new vscode.CodeLens(range, { title: apply, command: APPLY_COMMAND, arguments: [document.uri] }),
      new vscode.CodeLens(range, { title: 'Copy', command: COPY_COMMAND, arguments: [document.uri] }),
    ];
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const preview = this.previews.get(document.uri.toString());
    if (!preview) return undefined;
    const target = preview.target;
    if (target && (position.line < target.placed.startLine - 1 || position.line > target.placed.endLine - 1)) return undefined;
    const summary = checkSummaryMarkdown(preview.request.report, target && { path: target.path, description: target.placed.description, warnings: target.placed.warnings });
    const markdown = new vscode.MarkdownString(summary);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return new vscode.Hover(markdown);
  }

  private fail(what: string, error: unknown): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.deps.log.warn(message);
    void vscode.window.showErrorMessage(message);
  }
}

/** Registers the code-answer previews (content provider, CodeLens, hover, the Apply and Copy commands); dispose the result to remove them. */
export function registerCodePreviews(deps: CodePreviewsDeps): CodePreviews {
  return new CodePreviews(deps);
}
