import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { ChecksRunRequest, GitHubEditCommentRequest, GitHubPostCommentRequest, THREADWISE_ERROR_CODE } from '../../../server/src/protocol';
import type { ErrorReason, GitHubPostedComment, Thread, ThreadwiseErrorData } from '../../../server/src/protocol';
import type { DraftEdit, PostedComment, PostPhase, PostState, RunSnapshot, ToWebview } from '../../../webview/src/protocol';
import { DaemonUnavailableError } from '../daemon/daemonConnection';
import type { DaemonConnection } from '../daemon/daemonConnection';
import type { DaemonSession } from '../daemon/daemonSession';
import { GITHUB_WEB_HOST, httpsHost, openableUrl } from './externalUrl';
import { postConfirmation, secretBlock } from './postConfirmation';
import type { CheckOutcome, ConfirmationRequest } from './postConfirmation';

/** The command another part of the extension registers to sign in to GitHub. */
const SIGN_IN_COMMAND = 'threadwise.signIn';
const AUTH_HINT = 'Sign in to GitHub ("Threadwise: Sign In"), then try again.';
const MAYBE_SENT_HINT = 'The comment may have been saved: look at the thread on GitHub before you try again.';
const SECRET_HINT = 'Edit the draft to remove it, then post again; if it is a real credential, revoke it.';

export interface ReplyPosterDeps {
  connection: DaemonConnection;
  log: vscode.LogOutputChannel;
  /** The panel's thread now (the panel may reload it): `repo` and `number` name it on GitHub. */
  thread: () => Thread;
  /** The panel's current run. */
  run: () => RunSnapshot;
  /** The numbers and URLs of the sources given to the model for the run on screen (undefined: none known, sources are not checked). */
  sources: () => { number: number; url?: string }[] | undefined;
  /** To the webview; dropped while it is not ready (`snapshot` covers that). */
  send: (message: ToWebview) => void;
  /** A post or an update went through with `text` (the history records the outcome). */
  onPosted?: (text: string, url: string) => void;
}

/** Why a post or an update failed, in words for the panel; `reason` is the daemon's when it gave one. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly reason?: ErrorReason,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

/**
 * The posting side of one suggestion panel. Nothing reaches GitHub but through `post` and `update`,
 * which the panel calls only for the webview's Post / Update comment click, and each of which sends
 * only after the person chose the action in a modal that shows the exact text. Before the modal the
 * daemon checks that exact text: a possible secret stops the post there; failing checks (or checks
 * that could not run, or an unsafe guardrail verdict) make the modal's only action the override
 * "Post Anyway" / "Update Anyway" (postConfirmation.ts). One request at a
 * time (a second click while one is confirmed or sent is ignored), and at most one comment per
 * panel: once posted, `update` edits that comment and `post` refuses.
 *
 * It also keeps the person's edits of the draft (`edited`) and the post state, for the `init`
 * snapshot of a webview that reloads.
 */
export class ReplyPoster implements vscode.Disposable {
  private phase: PostPhase = 'idle';
  private comment: PostedComment | undefined;
  private updated = false;
  /** The last failure, and the run it happened in (a new run hides it, as in the webview). */
  private failure: { runId: number; message: string; hint?: string } | undefined;
  private edit: DraftEdit | undefined;
  /** `host[:port]`s whose https links the panel may open. */
  private readonly openableHosts = new Set<string>([GITHUB_WEB_HOST]);
  private disposed = false;

  constructor(private readonly deps: ReplyPosterDeps) {}

  /** The `edit` and `post` fields of `init`. */
  snapshot(): { edit?: DraftEdit; post?: PostState } {
    const runId = this.deps.run().runId;
    const result: { edit?: DraftEdit; post?: PostState } = {};
    if (this.edit?.runId === runId) result.edit = this.edit;
    const error = this.failure?.runId === runId ? this.failure : undefined;
    if (this.phase !== 'idle' || this.comment || error) {
      const post: PostState = { phase: this.phase };
      if (this.comment) post.comment = this.comment;
      if (this.updated) post.updated = true;
      if (error) post.error = error.hint === undefined ? { message: error.message } : { message: error.message, hint: error.hint };
      result.post = post;
    }
    return result;
  }

  /** The webview's `edited`: the person's text for run `runId` (ignored for any other run). */
  noteEdit(runId: number, text: string): void {
    if (runId === this.deps.run().runId) this.edit = { runId, text };
  }

  /**
   * Whether Regenerate may go ahead: at once when the draft is not edited (or its edits are what
   * was posted), else only when the person agrees, in a modal, to throw the edits away.
   */
  async confirmRegenerate(): Promise<boolean> {
    const run = this.deps.run();
    const edit = this.edit;
    if (edit?.runId !== run.runId || edit.text === run.text || edit.text === this.comment?.body) return true;
    const discard = 'Discard Edits and Regenerate';
    try {
      const choice = await vscode.window.showWarningMessage(
        'Discard your edits and draft the reply again?',
        { modal: true, detail: 'Regenerate replaces the draft, with the changes you made to it. Copy the text first to keep it.' },
        discard,
      );
      return choice === discard;
    } catch (error) {
      this.deps.log.warn(`Could not ask before regenerating: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** The webview's `post`: confirms `text` with the person, then posts it as a new comment. */
  async post(text: string): Promise<void> {
    if (this.phase !== 'idle') {
      this.ignoreSecond('post');
      return;
    }
    const thread = this.deps.thread();
    const ref = `${thread.repo}#${thread.number}`;
    if (this.comment) {
      this.fail(new PostError(`A reply is already posted to ${ref} from this panel.`, undefined, 'Change the draft and use Update comment.'), ref, 'post');
      return;
    }
    if (text.trim() === '') {
      this.fail(new PostError('There is no text to post.'), ref, 'post');
      return;
    }
    await this.confirmAndSend({ action: 'post', ref, text }, (session) =>
      session.client.sendRequest(GitHubPostCommentRequest.type, { repo: thread.repo, number: thread.number, body: text }),
    );
  }

  /** The webview's `updatePosted`: confirms `text`, then makes it the text of the posted comment. */
  async update(commentId: string, text: string): Promise<void> {
    if (this.phase !== 'idle') {
      this.ignoreSecond('update');
      return;
    }
    const thread = this.deps.thread();
    const ref = `${thread.repo}#${thread.number}`;
    // Only the comment this panel posted: the webview cannot name any other.
    if (commentId !== this.comment?.commentId) {
      this.fail(new PostError(`No comment posted from this panel has the id ${JSON.stringify(commentId.slice(0, 100))}.`), ref, 'update');
      return;
    }
    if (text.trim() === '') {
      this.fail(new PostError('There is no text to update the comment with.'), ref, 'update');
      return;
    }
    await this.confirmAndSend({ action: 'update', ref, text }, (session) =>
      session.client.sendRequest(GitHubEditCommentRequest.type, { commentId, body: text }),
    );
  }

  /** The webview's `openExternal`: opens the URL in the browser if it is an https URL on GitHub. */
  async openExternal(url: string): Promise<void> {
    const allowed = openableUrl(url, this.openableHosts);
    if (allowed === undefined) {
      this.deps.log.warn(`Did not open ${JSON.stringify(url.slice(0, 200))} from the suggestion panel: only https links on GitHub open from there.`);
      return;
    }
    try {
      await vscode.env.openExternal(vscode.Uri.parse(allowed, true));
    } catch (error) {
      this.deps.log.warn(`Could not open ${allowed}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Checks the text and, unless it holds a secret, shows the modal (phase `confirming`: busy from
   * here on); only when the person chose the action does it send `request`. Ends with the webview
   * told `postCancelled`, `posted`/`updated` or `postFailed`.
   */
  private async confirmAndSend(
    confirmation: Pick<ConfirmationRequest, 'action' | 'ref' | 'text'>,
    request: (session: DaemonSession) => Promise<GitHubPostedComment>,
  ): Promise<void> {
    const { action, ref, text } = confirmation;
    this.phase = 'confirming';
    let comment: GitHubPostedComment;
    try {
      const checks = await this.check(text);
      // The panel closed while the daemon checked: nothing to confirm any more.
      if (this.disposed) return;
      const secret = checks.ok ? secretBlock(checks.report, text) : undefined;
      if (secret !== undefined) {
        this.fail(new PostError(secret, undefined, SECRET_HINT), ref, action);
        return;
      }
      const safety = this.deps.run().safety;
      const { message, detail, button, override } = postConfirmation({ ...confirmation, checks, ...(safety ? { safety } : {}) });
      const options = { modal: true, detail };
      const choice = override ? await vscode.window.showWarningMessage(message, options, button) : await vscode.window.showInformationMessage(message, options, button);
      if (choice !== button) {
        this.phase = 'idle';
        this.sendToWebview({ type: 'postCancelled' });
        return;
      }
      if (override) this.deps.log.warn(`${action === 'post' ? 'Posting' : 'Updating'} a reply to ${ref} that did not pass its checks or the guardrail: the person chose "${button}".`);
      this.phase = action === 'post' ? 'posting' : 'updating';
      this.failure = undefined;
      this.edit = { runId: this.deps.run().runId, text };
      this.sendToWebview({ type: 'posting', action });
      comment = await this.onSession(request);
    } catch (error) {
      this.fail(toPostError(error), ref, action);
      return;
    }
    this.phase = 'idle';
    this.comment = { commentId: comment.commentId, url: comment.url, body: comment.body };
    this.updated = action === 'update';
    const host = httpsHost(comment.url);
    if (host !== undefined) this.openableHosts.add(host);
    this.deps.log.info(`${action === 'post' ? 'Posted a reply to' : 'Updated the comment on'} ${ref}: ${comment.url}`);
    this.sendToWebview({ type: action === 'post' ? 'posted' : 'updated', ...this.comment });
    this.deps.onPosted?.(text, comment.url);
    const done = action === 'post' ? `Posted your reply to ${ref}.` : `Updated your comment on ${ref}.`;
    void vscode.window.showInformationMessage(done, 'Open').then((choice) => {
      if (choice === 'Open') void this.openExternal(comment.url);
    });
  }

  /** The daemon's checks of `text` (with the thread and the run's sources), or why they could not run. */
  private async check(text: string): Promise<CheckOutcome> {
    try {
      const sources = this.deps.sources();
      const params = { text, thread: this.deps.thread(), ...(sources ? { sources } : {}) };
      const result = await this.onSession((session) => session.client.sendRequest(ChecksRunRequest.type, params), 'the checks ended');
      if (typeof result?.report !== 'object' || result.report === null) return { ok: false, error: 'the daemon answered without a report' };
      return { ok: true, report: result.report };
    } catch (error) {
      const message = toPostError(error).message;
      this.deps.log.warn(`Could not check the reply before posting: ${message}`);
      return { ok: false, error: message };
    }
  }

  /**
   * Runs `request` on the daemon session; fails at once (not hanging) if the daemon stops meanwhile.
   * `until`: what the daemon stopping interrupted, for the message.
   */
  private async onSession<T>(request: (session: DaemonSession) => Promise<T>, until = 'GitHub answered'): Promise<T> {
    const session = await this.deps.connection.whenRunning();
    return await new Promise<T>((resolve, reject) => {
      let settled = false;
      const stopped = (reason: string): PostError => new PostError(`The daemon stopped before ${until} (${reason}).`, undefined, MAYBE_SENT_HINT);
      void session.ended.then((reason) => {
        if (settled) return;
        settled = true;
        reject(stopped(reason));
      });
      request(session).then(
        (result) => {
          if (settled) return;
          settled = true;
          resolve(result);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(session.hasEnded ? stopped('the daemon process stopped') : toPostError(error));
        },
      );
    });
  }

  private fail(error: PostError, ref: string, action: 'post' | 'update'): void {
    this.phase = 'idle';
    const auth = error.reason === 'github-auth';
    const hint = error.hint ?? (auth ? AUTH_HINT : undefined);
    const message = `${action === 'post' ? `Could not post to ${ref}` : `Could not update the comment on ${ref}`}: ${error.message}`;
    this.failure = { runId: this.deps.run().runId, message, ...(hint === undefined ? {} : { hint }) };
    this.deps.log.warn(`${message}${hint === undefined ? '' : ` (${hint})`}`);
    this.sendToWebview({ type: 'postFailed', message, ...(hint === undefined ? {} : { hint }) });
    if (!auth) return;
    void vscode.window.showErrorMessage(message, 'Sign In').then((choice) => {
      if (choice !== 'Sign In') return;
      void vscode.commands.executeCommand(SIGN_IN_COMMAND).then(undefined, (reason: unknown) => {
        this.deps.log.warn(`Could not start the GitHub sign-in: ${reason instanceof Error ? reason.message : String(reason)}`);
      });
    });
  }

  /** A second Post while one is confirmed or sent: the first one answers the webview. */
  private ignoreSecond(action: 'post' | 'update'): void {
    this.deps.log.info(`Ignored a second ${action} from the suggestion panel while one is ${this.phase}.`);
  }

  private sendToWebview(message: ToWebview): void {
    if (!this.disposed) this.deps.send(message);
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** Maps what a post or edit request can fail with to a PostError. */
export function toPostError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  if (error instanceof DaemonUnavailableError) {
    return new PostError(error.message, undefined, 'Run "Threadwise: Restart Daemon", or "Threadwise: Show Log" to see why.');
  }
  if (error instanceof ResponseError) {
    const response = error as ResponseError<ThreadwiseErrorData | undefined>;
    if (response.code === THREADWISE_ERROR_CODE) return new PostError(response.message, response.data?.reason, response.data?.hint);
    return new PostError(`The daemon answered with an error: ${response.message}`, undefined, MAYBE_SENT_HINT);
  }
  return new PostError(error instanceof Error ? error.message : String(error));
}
