import '../shared.css';
import '../render/highlight.css';
import './thread.css';
import { acquireWebviewHost } from '../vscodeApi';
import { isThreadViewState, parseToThreadView } from './incoming';
import type { FromThreadView, ThreadViewState } from './protocol';
import { ThreadView } from './view';

// Entry of the thread view: draws the saved state at once (a reloaded panel), says `ready`, then
// draws every `state` the host sends and saves it for the next reload.
const host = acquireWebviewHost<FromThreadView, ThreadViewState>(isThreadViewState);
const root = document.getElementById('root') ?? document.body;
const view = new ThreadView(root, {
  suggestReply: () => host.post({ type: 'suggestReply' }),
  refresh: () => host.post({ type: 'refresh' }),
});

const saved = host.getState();
if (saved) view.render(saved);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToThreadView(event.data);
  if (!message) return;
  view.render(message.state);
  host.setState(message.state);
});

host.post({ type: 'ready' });
