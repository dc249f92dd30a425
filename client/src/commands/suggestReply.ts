import * as vscode from 'vscode';
import type { Suggestion } from '../../../server/src/protocol';
import type { PanelRegistry } from '../suggestion/panelRegistry';
import { RunError } from '../suggestion/runSuggestion';
import { readThreadFile, resolveThreadFile, ThreadFileError } from '../thread/threadFile';

/**
 * "Threadwise: Suggest Reply": drafts a reply for a thread file — the Uri it is given (explorer
 * menu, API), else the active editor's thread file, else one picked from the workspace. Opens the
 * thread's suggestion panel, or reveals it when it is open already (it does not start another run;
 * Regenerate does). Resolves with the finished Suggestion, or undefined when nothing ran or the run
 * failed (the panel or a message says why); `throwOnFailure` makes failures reject instead (API).
 */
export async function suggestReply(
  panels: PanelRegistry,
  arg: unknown,
  options: { throwOnFailure?: boolean } = {},
): Promise<Suggestion | undefined> {
  try {
    const uri = await resolveThreadFile(arg);
    if (!uri) return undefined;
    // After the quick pick: the person's choosing time is not the extension's latency.
    const requestedAt = Date.now();
    const file = await readThreadFile(uri);
    const existing = panels.get(file.key);
    if (existing) {
      existing.updateThread(file);
      existing.reveal();
      const outcome = await existing.lastOutcome();
      return outcome instanceof RunError ? fail(outcome, options) : outcome;
    }
    const outcome = await panels.create(file).start(false, requestedAt);
    return outcome instanceof RunError ? fail(outcome, options) : outcome;
  } catch (error) {
    if (!(error instanceof ThreadFileError)) throw error;
    if (options.throwOnFailure) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
}

function fail(error: RunError, options: { throwOnFailure?: boolean }): undefined {
  if (options.throwOnFailure) throw error;
  return undefined;
}
