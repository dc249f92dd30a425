import { isThreadViewState } from './incoming';
import type { FromThreadView, ThreadViewState } from './protocol';

/** The object VS Code injects into a webview; callable once per page. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

/** Typed view of the webview API for the thread view: only `FromThreadView` goes out. */
export interface ThreadViewHost {
  post(message: FromThreadView): void;
  /** The state a previous instance of this panel saved, or undefined (also when it is malformed). */
  getState(): ThreadViewState | undefined;
  setState(state: ThreadViewState): void;
}

export function acquireThreadViewHost(): ThreadViewHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      return isThreadViewState(state) ? state : undefined;
    },
    setState: (state) => {
      api.setState(state);
    },
  };
}
