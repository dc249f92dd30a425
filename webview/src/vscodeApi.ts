import { isDraftEdit, isPostState, isRunSnapshot, isThreadInfo } from './incoming';
import type { FromWebview, PersistedState } from './protocol';

/** The object VS Code injects into a webview; callable once per page. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

/** Typed view of the webview API: only `FromWebview` goes out, only `PersistedState` is kept. */
export interface WebviewHost {
  post(message: FromWebview): void;
  /** The state a previous instance of this panel saved, or undefined (also when it is malformed). */
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

export function acquireHost(): WebviewHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      return isPersistedState(state) ? state : undefined;
    },
    setState: (state) => {
      api.setState(state);
    },
  };
}

/** Shape check only: the state was written by this script, possibly by an older version of it. */
function isPersistedState(value: unknown): value is PersistedState {
  if (typeof value !== 'object' || value === null) return false;
  const { thread, run, edit, editing, post } = value as Record<string, unknown>;
  return (
    (thread === undefined || isThreadInfo(thread)) &&
    (run === undefined || isRunSnapshot(run)) &&
    (edit === undefined || isDraftEdit(edit)) &&
    (editing === undefined || typeof editing === 'boolean') &&
    (post === undefined || isPostState(post))
  );
}
