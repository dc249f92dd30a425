import * as vscode from 'vscode';
import type { GitHubListItem, Suggestion, Thread } from '../../../server/src/protocol';
import { GitHubRequestError } from '../github/githubClient';
import { parseThreadRef, threadRefFromArgument, ThreadRefError } from '../github/threadRef';
import type { ThreadRef, ThreadRefContext } from '../github/threadRef';
import type { PanelRegistry } from '../suggestion/panelRegistry';
import { RunError } from '../suggestion/runSuggestion';
import { findThreadFiles, isThreadFileName, readThreadFile, ThreadFileError } from '../thread/threadFile';
import { threadSourceFromGitHub } from '../thread/threadSource';
import type { ThreadSource } from '../thread/threadSource';
import { pickThread } from './threadPicker';

export interface SuggestReplyDeps {
  panels: PanelRegistry;
  /** Fetches a thread from GitHub (signing in first when needed); rejects with GitHubRequestError. */
  fetchThread(ref: ThreadRef): Promise<Thread>;
  /** The thread of the thread view that is the active editor: its loaded thread, or its ref. */
  activeThreadView(): ThreadSource | ThreadRef | undefined;
  /** Issues and pull requests from the sidebar, offered in the quick pick. */
  listedItems(): GitHubListItem[];
  refContext(): ThreadRefContext;
}

type Target = { kind: 'file'; uri: vscode.Uri } | { kind: 'github'; ref: ThreadRef } | { kind: 'source'; source: ThreadSource };

/**
 * "Threadwise: Suggest Reply": drafts a reply for a thread — the one it is given (a thread file's
 * Uri from the explorer or the API; a sidebar item; `{ repo, number }`; an issue URL or
 * `owner/repo#N` string), else the active thread view's, else the active editor's thread file, else
 * one picked in a quick pick that also takes a pasted issue or pull request URL or `owner/repo#N`.
 * GitHub threads are fetched by the daemon first. Opens the thread's suggestion panel, or reveals it
 * when it is open already (it does not start another run; Regenerate does). Resolves with the
 * finished Suggestion, or undefined when nothing ran or the run failed (the panel or a message says
 * why); `throwOnFailure` makes failures reject instead (API).
 */
export async function suggestReply(deps: SuggestReplyDeps, arg: unknown, options: { throwOnFailure?: boolean } = {}): Promise<Suggestion | undefined> {
  try {
    const target = await resolveTarget(deps, arg);
    if (!target) return undefined;
    // After the quick pick: the person's choosing time is not the extension's latency.
    const requestedAt = Date.now();
    const source = await readSource(deps, target);
    return await openSuggestion(deps.panels, source, requestedAt, options);
  } catch (error) {
    if (!(error instanceof ThreadFileError || error instanceof ThreadRefError || error instanceof GitHubRequestError)) throw error;
    if (options.throwOnFailure) throw error;
    showFailure(error);
    return undefined;
  }
}

/** Opens (or reveals) the suggestion panel of `source` and resolves with its run's outcome. */
export async function openSuggestion(
  panels: PanelRegistry,
  source: ThreadSource,
  requestedAt: number,
  options: { throwOnFailure?: boolean } = {},
): Promise<Suggestion | undefined> {
  const existing = panels.get(source.key);
  if (existing) {
    existing.updateThread(source);
    existing.reveal();
    const outcome = await existing.lastOutcome();
    return outcome instanceof RunError ? fail(outcome, options) : outcome;
  }
  const outcome = await panels.create(source).start(false, requestedAt);
  return outcome instanceof RunError ? fail(outcome, options) : outcome;
}

async function resolveTarget(deps: SuggestReplyDeps, arg: unknown): Promise<Target | undefined> {
  const threadView = deps.activeThreadView();
  if (arg instanceof vscode.Uri && (isThreadFileName(arg) || !threadView)) return { kind: 'file', uri: arg };
  const ref = threadRefFromArgument(arg);
  if (ref) return { kind: 'github', ref };
  if (typeof arg === 'string') {
    const parsed = parseThreadRef(arg, deps.refContext());
    if (!parsed.ok) throw new ThreadRefError(parsed.message);
    return { kind: 'github', ref: parsed.ref };
  }
  if (threadView) return 'key' in threadView ? { kind: 'source', source: threadView } : { kind: 'github', ref: threadView };
  const active = vscode.window.activeTextEditor?.document;
  if (active && isThreadFileName(active.uri)) return { kind: 'file', uri: active.uri };
  const picked = await pickThread({
    title: 'Threadwise: Suggest Reply',
    files: await findThreadFiles(),
    items: deps.listedItems(),
    context: deps.refContext(),
    action: 'Suggest a reply to',
  });
  return picked;
}

async function readSource(deps: SuggestReplyDeps, target: Target): Promise<ThreadSource> {
  switch (target.kind) {
    case 'file':
      return await readThreadFile(target.uri);
    case 'source':
      return target.source;
    case 'github':
      return threadSourceFromGitHub(await deps.fetchThread(target.ref));
  }
}

/** A failure before any panel opened: a message with what to do (sign in, the log). */
function showFailure(error: ThreadFileError | ThreadRefError | GitHubRequestError): void {
  if (!(error instanceof GitHubRequestError)) {
    void vscode.window.showErrorMessage(error.message);
    return;
  }
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  const action = error.reason === 'github-auth' ? 'Sign in to GitHub' : 'Show Log';
  void vscode.window.showErrorMessage(message, action).then((choice) => {
    if (choice === 'Sign in to GitHub') void vscode.commands.executeCommand('threadwise.signIn');
    if (choice === 'Show Log') void vscode.commands.executeCommand('threadwise.showLog');
  });
}

function fail(error: RunError, options: { throwOnFailure?: boolean }): undefined {
  if (options.throwOnFailure) throw error;
  return undefined;
}
