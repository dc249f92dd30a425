import type { PersistedState, RunSnapshot, ToWebview } from './protocol';

/**
 * The webview's whole state is the host's snapshot (`PersistedState`), advanced by each message.
 * Pure: returns the same object when a message changes nothing (a dropped stale-run message, `copied`),
 * so callers can skip rendering and persisting by identity.
 *
 * Ordering rules (protocol.ts): `init` replaces everything; `started` opens a run whose id is not older
 * than the current one; `phase`/`chunk`/`done`/`error` apply only to the current run, and chunks only
 * while it is still in progress (a late chunk after `done` or `error` is dropped).
 */
export function reduce(state: PersistedState, message: ToWebview): PersistedState {
  switch (message.type) {
    case 'init':
      return { thread: message.thread, run: message.run };
    case 'started': {
      if (state.run && message.runId < state.run.runId) return state;
      const run: RunSnapshot = { runId: message.runId, status: 'waiting', text: '', requestedAt: message.requestedAt };
      return { ...state, run };
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
        },
      };
    }
    case 'error': {
      const run = currentRun(state, message.runId);
      if (!run) return state;
      const error = message.hint === undefined ? { message: message.message } : { message: message.message, hint: message.hint };
      return { ...state, run: { ...run, status: 'error', phase: undefined, error } };
    }
    case 'copied':
      return state;
    default:
      return assertNever(message);
  }
}

export function inProgress(run: RunSnapshot | undefined): boolean {
  return run !== undefined && (run.status === 'waiting' || run.status === 'generating');
}

function currentRun(state: PersistedState, runId: number): RunSnapshot | undefined {
  return state.run?.runId === runId ? state.run : undefined;
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
