import * as vscode from 'vscode';
import type { GitHubListItem } from '../../../server/src/protocol';
import { formatThreadRef, looksLikeThreadRef, parseThreadRef } from '../github/threadRef';
import type { ThreadRef, ThreadRefContext } from '../github/threadRef';
import { itemIcon } from '../sidebar/treeModel';

export type PickedThread = { kind: 'file'; uri: vscode.Uri } | { kind: 'github'; ref: ThreadRef };

export interface ThreadPickerOptions {
  title: string;
  /** Thread files to offer (first). */
  files: vscode.Uri[];
  /** Issues and pull requests from the sidebar's lists to offer. */
  items: GitHubListItem[];
  context: ThreadRefContext;
  /** How the row for a typed reference starts, e.g. "Suggest a reply to". */
  action: string;
}

interface Row extends vscode.QuickPickItem {
  pick?: PickedThread;
}

/**
 * A quick pick of threads: the thread files, the sidebar's issues and pull requests, and whatever
 * the person pastes or types — an issue or pull request URL or `owner/repo#N` — as a row of its own
 * (first, selected). Text that looks like a reference but is not one shows a row saying why (choosing
 * it does nothing). Resolves with the choice, or undefined when the picker is dismissed.
 */
export function pickThread(options: ThreadPickerOptions): Promise<PickedThread | undefined> {
  const base: Row[] = [];
  if (options.files.length > 0) {
    base.push({ label: 'Thread files', kind: vscode.QuickPickItemKind.Separator });
    for (const uri of options.files) base.push({ label: vscode.workspace.asRelativePath(uri), pick: { kind: 'file', uri } });
  }
  if (options.items.length > 0) {
    base.push({ label: 'GitHub', kind: vscode.QuickPickItemKind.Separator });
    for (const item of options.items) {
      base.push({
        label: `$(${itemIcon(item).id}) #${item.number} ${item.title}`,
        description: item.repo,
        pick: { kind: 'github', ref: { repo: item.repo, number: item.number } },
      });
    }
  }

  const picker = vscode.window.createQuickPick<Row>();
  picker.title = options.title;
  picker.placeholder =
    options.files.length > 0 ? 'Pick a thread file, or paste an issue or pull request URL, or type owner/repo#123' : 'Paste an issue or pull request URL, or type owner/repo#123';
  picker.matchOnDescription = true;
  picker.items = base;

  const update = (): void => {
    const value = picker.value.trim();
    if (value === '') {
      picker.items = base;
      return;
    }
    const parsed = parseThreadRef(value, options.context);
    if (parsed.ok) {
      const row: Row = { label: `$(github) ${options.action} ${formatThreadRef(parsed.ref)}`, alwaysShow: true, pick: { kind: 'github', ref: parsed.ref } };
      picker.items = [row, ...base];
      picker.activeItems = [row];
    } else if (looksLikeThreadRef(value)) {
      picker.items = [{ label: '$(warning) Not an issue or pull request yet', detail: parsed.message, alwaysShow: true }, ...base];
    } else {
      picker.items = base;
    }
  };

  return new Promise<PickedThread | undefined>((resolve) => {
    let settled = false;
    const finish = (result: PickedThread | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      picker.dispose();
    };
    picker.onDidChangeValue(update);
    picker.onDidAccept(() => {
      const row = picker.selectedItems[0] ?? picker.activeItems[0];
      if (row?.pick) finish(row.pick);
    });
    picker.onDidHide(() => finish(undefined));
    picker.show();
  });
}
