/**
 * Code answers in the editor, in a real extension host: a block that names a workspace file opens
 * as a diff of the file against a read-only preview with the block placed in it, its check
 * findings are diagnostics on the preview, a hover and CodeLens are offered, and Apply edits the
 * file as an ordinary, undoable edit. A block without a file opens untitled in its language.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CodePreviews } from '../../client/src/codePreview/codePreviews';
import type { ThreadwiseApi } from '../../client/src/extension';
import type { BlockReport, CodeFinding } from '../../server/src/protocol';
import { aThread, extension, waitFor } from './support';

const FIXTURE_DIR = 'code-preview-fixture';
const FIXTURE = `${FIXTURE_DIR}/parser.ts`;
const ORIGINAL = [
  'export function parse(text: string): string[] {',
  '  return text.split(",");',
  '}',
  '',
  'export function count(text: string): number {',
  '  return parse(text).length;',
  '}',
  '',
].join('\n');
/** The block: `parse` with a new body (its first and last lines anchor it at lines 1–3). */
const CODE = ['export function parse(text: string): string[] {', '  return eval(text);', '}', ''].join('\n');
const PLACED = ORIGINAL.replace('  return text.split(",");', '  return eval(text);');
const EVAL: CodeFinding = { ruleId: 'no-eval', kind: 'security', severity: 'error', line: 2, column: 10, endColumn: 20, message: 'eval can be harmful.', engine: 'eslint' };

function reportFor(code: string, replyText: string, language: string | null, findings: CodeFinding[]): BlockReport {
  return {
    block: { index: 0, language, languageFrom: 'fence', info: language ?? '', code, startLine: 1, offset: replyText.indexOf(code), unclosed: false },
    syntax: 'ok',
    security: 'checked',
    findings,
    failed: findings.some((finding) => finding.severity === 'error'),
  };
}

function previewDocument(): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'threadwise-preview' && document.uri.path.endsWith(`/${FIXTURE}`));
}

suite('Code answer previews', () => {
  let previews: CodePreviews;
  let folder: vscode.Uri;
  let fileUri: vscode.Uri;

  suiteSetup(async () => {
    await vscode.commands.executeCommand('threadwise.showLog');
    await waitFor(() => extension().isActive, 'activation');
    const api = extension().exports as ThreadwiseApi & { codePreviews?: CodePreviews };
    assert.ok(api.codePreviews, 'the extension API has no codePreviews (client/src/extension.ts must expose registerCodePreviews’ result)');
    previews = api.codePreviews;
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'no workspace folder');
    folder = vscode.Uri.joinPath(workspace.uri, FIXTURE_DIR);
    fileUri = vscode.Uri.joinPath(workspace.uri, ...FIXTURE.split('/'));
    await vscode.workspace.fs.writeFile(fileUri, new TextEncoder().encode(ORIGINAL));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (folder) await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
  });

  test('a block naming a workspace file opens as a diff preview with its findings as diagnostics', async () => {
    const replyText = `In \`${FIXTURE}\`, parse like this:\n\n\`\`\`ts\n${CODE}\`\`\`\n`;
    const thread = aThread(31, { kind: 'pull', files: [{ path: FIXTURE, additions: 1, deletions: 1, changeType: 'MODIFIED' }] });
    await previews.open({ report: reportFor(CODE, replyText, 'typescript', [EVAL]), thread, replyText });

    const preview = await waitFor(previewDocument, 'the preview document');
    assert.equal(preview.getText(), PLACED);
    const diffTab = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === preview.uri.toString()),
      'the diff editor',
    );
    assert.ok(diffTab.input instanceof vscode.TabInputTextDiff);
    assert.equal(diffTab.input.original.toString(), fileUri.toString());
    assert.equal(diffTab.label, 'parser.ts ↔ Code Answer 1 (replaces lines 1–3)');

    const diagnostics = vscode.languages.getDiagnostics(preview.uri);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.ok(diagnostic);
    assert.deepEqual(
      { line: diagnostic.range.start.line, start: diagnostic.range.start.character, end: diagnostic.range.end.character },
      { line: 1, start: 9, end: 19 },
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.source, 'Threadwise');
    assert.equal(diagnostic.code, 'no-eval');
    assert.equal(diagnostic.message, 'eval can be harmful.');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', preview.uri, new vscode.Position(0, 3));
    const hoverText = hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : part.value))).join('\n');
    assert.match(hoverText, /\*\*Threadwise checks\*\* of code block 1 \(typescript\)/);
    assert.match(hoverText, /error no\\-eval \(line 2\): eval can be harmful\\\./);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', preview.uri);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.title),
      [`Apply to ${FIXTURE}`, 'Copy'],
    );
  });

  test('Apply edits the file as an ordinary edit, and Undo restores it', async () => {
    const preview = previewDocument();
    assert.ok(preview, 'no preview open');
    await vscode.commands.executeCommand('threadwise.applyCodePreview', preview.uri);
    const file = await vscode.workspace.openTextDocument(fileUri);
    assert.equal(file.getText(), PLACED);
    assert.equal(file.isDirty, true, 'Apply saves nothing: the edit is the person’s to keep or undo');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === fileUri.toString(), 'the file shown after Apply');

    await vscode.commands.executeCommand('undo');
    await waitFor(() => file.getText() === ORIGINAL, 'undo to restore the file');
    assert.equal(file.isDirty, false);
  });

  test('Apply after the file changed places the block again in the new text', async () => {
    const preview = previewDocument();
    assert.ok(preview, 'no preview open');
    const file = await vscode.workspace.openTextDocument(fileUri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(fileUri, new vscode.Position(0, 0), '// header\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await vscode.commands.executeCommand('threadwise.applyCodePreview', preview.uri);
    assert.equal(file.getText(), `// header\n${PLACED}`);
    await waitFor(() => preview.getText() === `// header\n${PLACED}`, 'the preview to follow the file');
    assert.equal(vscode.languages.getDiagnostics(preview.uri)[0]?.range.start.line, 2);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => file.getText() === ORIGINAL, 'revert');
  });

  test('a block without a target opens as an untitled document in its language', async () => {
    const code = 'import os\nos.system(cmd)\n';
    const replyText = `Something like:\n\n\`\`\`python\n${code}\`\`\`\n`;
    const finding: CodeFinding = { ruleId: 'python.os-system', kind: 'security', severity: 'warning', line: 2, message: 'os.system runs a shell.', engine: 'tree-sitter' };
    await previews.open({ report: reportFor(code, replyText, 'python', [finding]), thread: aThread(32), replyText });

    const editor = await waitFor(() => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'untitled' && active.document.getText() === code ? active : undefined;
    }, 'the untitled document');
    assert.equal(editor.document.languageId, 'python');
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    assert.deepEqual(
      diagnostics.map((each) => [each.range.start.line, each.range.start.character, each.range.end.character, each.severity, each.code]),
      [[1, 0, 14, vscode.DiagnosticSeverity.Warning, 'python.os-system']],
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.title),
      ['Apply to File…', 'Copy'],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
