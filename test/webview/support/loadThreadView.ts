import type { FromThreadView, ThreadViewState, ToThreadView } from '../../../webview/src/thread/protocol';
import { loadPage } from './loadWebview';
import type { LoadedPage } from './loadWebview';

/** The thread view page (`dist/threadView.js`) with a fake `acquireVsCodeApi`, as VS Code runs it. */
export type LoadedThreadView = LoadedPage<ToThreadView, FromThreadView, ThreadViewState>;

/** `state` is what `getState()` returns (any value: the page must survive a broken one). */
export function loadThreadView(options: { state?: unknown } = {}): LoadedThreadView {
  return loadPage<ToThreadView, FromThreadView, ThreadViewState>('threadView.js', 'Threadwise thread', options.state);
}
