/** The object VS Code injects into a webview; callable once per page. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

/** Typed view of the webview API for one page: only `Out` messages go out, only `State` is kept. */
export interface WebviewHost<Out, State> {
  post(message: Out): void;
  /** The state a previous instance of this panel saved, or undefined (also when it is malformed). */
  getState(): State | undefined;
  setState(state: State): void;
}

/**
 * Acquires the page's webview API (once per page). The saved state was written by this page's
 * script, possibly an older version of it: `isState` checks its shape before the page trusts it.
 */
export function acquireWebviewHost<Out, State>(isState: (value: unknown) => value is State): WebviewHost<Out, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      return isState(state) ? state : undefined;
    },
    setState: (state) => {
      api.setState(state);
    },
  };
}
