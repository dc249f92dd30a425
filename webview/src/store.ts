import type { DraftEdit, PersistedState, PostState, RunSnapshot, ToWebview } from './protocol';

/**
 * The webview's whole state is the host's snapshot (`PersistedState`), advanced by each message.
 * Pure: returns the same object when a message changes nothing (a dropped stale-run message, `copied`),
 * so callers can skip rendering and persisting by identity.
 *
 * Ordering rules (protocol.ts): `init` replaces everything but this page's own edits of the same run;
 * `started` opens a run whose id is not older than the current one (dropping the old run's edits and
 * post error); `phase`/`chunk`/`repairing`/`done`/`error` apply only to the current run, and chunks
 * and repairs only while it is still in progress (a late chunk after `done` or `error` is dropped).
 * `repairing` empties the draft: the chunks after it are a new draft. `draftChecked` applies only
 * to the current run once it is over, and replaces the checks of an earlier edit (the host sends
 * the latest edit's last). Post messages change only `post`, whatever the run.
 */
export function reduce(state: PersistedState, message: ToWebview): PersistedState {
  switch (message.type) {
    case 'init': {
      const next: PersistedState = { thread: message.thread, run: message.run };
      // This page's edits of the run it shows are at least as fresh as the host's copy, which
      // hears of them through debounced `edited` messages; those of another run are stale.
      const sameRun = state.run?.runId === message.run.runId;
      const edit = [sameRun ? state.edit : undefined, message.edit].find((candidate) => candidate?.runId === message.run.runId);
      if (edit) next.edit = edit;
      if (sameRun && state.editing) next.editing = true;
      if (message.post) next.post = message.post;
      return next;
    }
    case 'started': {
      if (state.run && message.runId < state.run.runId) return state;
      const run: RunSnapshot = { runId: message.runId, status: 'waiting', text: '', requestedAt: message.requestedAt };
      const next: PersistedState = { ...state, run };
      delete next.edit;
      delete next.editing;
      if (state.post?.error) next.post = withoutError(state.post);
      return next;
    }
    case 'phase': {
      const run = currentRun(state, message.runId);
      if (!run || !inProgress(run)) return state;
      return { ...state, run: { ...run, phase: message.message } };
    }
    case 'chunk': {
      const run = currentRun(state, message.runId);
      if (!run || !inProgress(run) || message.text === '') return state;
      // The first chunk ends the waiting phase: its phase line ("Loading model…") is over. A later
      // `phase` (e.g. "Checking the reply…") shows again.
      const phase = run.status === 'waiting' ? undefined : run.phase;
      return { ...state, run: { ...run, status: 'generating', phase, text: run.text + message.text } };
    }
    case 'repairing': {
      const run = currentRun(state, message.runId);
      if (!run || !inProgress(run)) return state;
      // The phase line gives way to the repair's (format.ts); a later `phase` ("Checking…") shows again.
      const repair = { cycle: message.cycle, maxCycles: message.maxCycles, failures: message.failures };
      return { ...state, run: { ...run, status: 'generating', text: '', phase: undefined, repair } };
    }
    case 'done': {
      const run = currentRun(state, message.runId);
      if (!run) return state;
      return {
        ...state,
        run: {
          runId: run.runId,
          requestedAt: run.requestedAt,
          status: message.cancelled ? 'cancelled' : 'done',
          text: message.text,
          safety: message.safety,
          metrics: message.metrics,
          ...(message.sources ? { sources: message.sources } : {}),
          ...(message.checks ? { checks: message.checks } : {}),
        },
      };
    }
    case 'draftChecked': {
      const run = currentRun(state, message.runId);
      if (!run || (run.status !== 'done' && run.status !== 'cancelled')) return state;
      return { ...state, run: { ...run, editChecks: { text: message.text, checks: message.checks } } };
    }
    case 'error': {
      const run = currentRun(state, message.runId);
      if (!run) return state;
      const error = message.hint === undefined ? { message: message.message } : { message: message.message, hint: message.hint };
      return { ...state, run: { ...run, status: 'error', phase: undefined, error } };
    }
    case 'copied':
      return state;
    case 'posting':
      return { ...state, post: { ...withoutError(state.post), phase: message.action === 'post' ? 'posting' : 'updating' } };
    case 'postCancelled':
      return state.post ? { ...state, post: { ...state.post, phase: 'idle' } } : state;
    case 'posted':
    case 'updated': {
      const comment = { commentId: message.commentId, url: message.url, body: message.body };
      return { ...state, post: { phase: 'idle', comment, ...(message.type === 'updated' ? { updated: true } : {}) } };
    }
    case 'postFailed': {
      const error = message.hint === undefined ? { message: message.message } : { message: message.message, hint: message.hint };
      return { ...state, post: { ...state.post, phase: 'idle', error } };
    }
    default:
      return assertNever(message);
  }
}

/** The person typed in the editor: `text` becomes the current run's draft. */
export function editDraft(state: PersistedState, text: string): PersistedState {
  if (!state.run) return state;
  const edit: DraftEdit = { runId: state.run.runId, text };
  return { ...state, edit };
}

/** The Edit toggle. */
export function setEditing(state: PersistedState, editing: boolean): PersistedState {
  if (Boolean(state.editing) === editing) return state;
  const next = { ...state };
  if (editing) next.editing = true;
  else delete next.editing;
  return next;
}

/** The person clicked Post or Update comment: the host's confirmation is pending. */
export function beginPost(state: PersistedState): PersistedState {
  return { ...state, post: { ...withoutError(state.post), phase: 'confirming' } };
}

export function inProgress(run: RunSnapshot | undefined): boolean {
  return run !== undefined && (run.status === 'waiting' || run.status === 'generating');
}

function currentRun(state: PersistedState, runId: number): RunSnapshot | undefined {
  return state.run?.runId === runId ? state.run : undefined;
}

function withoutError(post: PostState | undefined): PostState {
  if (!post) return { phase: 'idle' };
  const next = { ...post };
  delete next.error;
  return next;
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
