import './suggestion.css';
import { FrameScheduler } from './frameScheduler';
import { parseToWebview } from './incoming';
import { StatePersister } from './persister';
import type { PersistedState } from './protocol';
import { DraftRenderer } from './render/draftRenderer';
import { inProgress, reduce } from './store';
import { acquireHost } from './vscodeApi';
import { SuggestionView } from './view';

// Entry of the suggestion webview: wires the host's messages through the reducer to the view.
// Order on start (protocol.ts): render the persisted snapshot, then say `ready`; the host answers `init`.
// For bench:ui: when this page began (VS Code created its frame) and when this script started
// running, both epoch ms, so a fresh panel's wait splits into VS Code's webview boot and ours.
document.body.dataset.pageOriginAt = String(Math.round(performance.timeOrigin));
document.body.dataset.scriptStartedAt = String(Date.now());

const host = acquireHost();
let state: PersistedState = host.getState() ?? {};

const root = document.getElementById('root') ?? document.body;
const view = new SuggestionView(root, {
  stop: () => host.post({ type: 'stop' }),
  regenerate: () => host.post({ type: 'regenerate' }),
  copy: () => {
    const text = state.run?.text ?? '';
    if (text !== '') host.post({ type: 'copy', text });
  },
});
const draft = new DraftRenderer(view.draft);
const persister = new StatePersister((snapshot) => host.setState(snapshot));

/** The run the draft shows. */
let drawnRunId: number | undefined;
/** The run whose chunks arrived in this page (only those make a "first chunk visible" time). */
let chunkSeenRunId: number | undefined;
/** The run `data-first-chunk-visible-at` on #draft belongs to. */
let firstChunkRunId: number | undefined;

/** Draws the latest state; false while a long draft still has slices to render. */
function draw(): boolean {
  const run = state.run;
  if (run?.runId !== drawnRunId) draft.clear();
  drawnRunId = run?.runId;
  const complete = run ? draft.update(run.text, !inProgress(run)) : true;
  markFirstChunk(complete);
  // The status, badge and body[data-status] follow the draft: "Reply ready" means it is on screen.
  if (complete) view.render(state);
  return complete;
}
const frames = new FrameScheduler(draw);

/** `drawn`: the draft now shows the current text (not a deferred or partial update). */
function markFirstChunk(drawn: boolean): void {
  const runId = state.run?.runId;
  if (firstChunkRunId !== undefined && firstChunkRunId !== runId) {
    delete view.draft.dataset.firstChunkVisibleAt;
    delete view.draft.dataset.firstChunkRunId;
    firstChunkRunId = undefined;
  }
  if (drawn && runId !== undefined && runId === chunkSeenRunId && firstChunkRunId !== runId && draft.text !== '') {
    view.draft.dataset.firstChunkVisibleAt = String(Date.now());
    view.draft.dataset.firstChunkRunId = String(runId);
    firstChunkRunId = runId;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToWebview(event.data);
  if (!message) return;
  if (message.type === 'copied') {
    view.showCopied(message.ok);
    return;
  }
  const next = reduce(state, message);
  if (next === state) return;
  if (message.type === 'chunk') chunkSeenRunId = message.runId;
  // A run this page has not shown before whose text arrives in `init` (it streamed, or even
  // finished, before the page was ready): that is when its first text became visible. A reload
  // after hiding restores the same run from getState first, so it does not count again.
  if (message.type === 'init' && message.run.text !== '' && state.run?.runId !== message.run.runId) chunkSeenRunId = message.run.runId;
  state = next;
  persister.update(state, message.type === 'init');
  frames.request();
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && inProgress(state.run)) {
    event.preventDefault();
    host.post({ type: 'stop' });
  }
});
// A page being torn down saves the latest streaming snapshot instead of waiting for the throttle.
window.addEventListener('pagehide', () => persister.flush());

// The restored snapshot is drawn before `ready` (a long one finishes over the next frames).
view.render(state);
if (!draw()) frames.request();
host.post({ type: 'ready' });
