import './shared.css';
import './render/highlight.css';
import './suggestion.css';
import { ChecksView } from './checksView';
import { FrameScheduler } from './frameScheduler';
import { isPersistedState, parseToWebview } from './incoming';
import { StatePersister } from './persister';
import { canEdit, finalText, postBusy, postButton } from './posting';
import { PostView } from './postView';
import type { FromWebview, PersistedState } from './protocol';
import { CheckMarks } from './render/checkMarks';
import { CitationMarks } from './render/citations';
import { DraftRenderer } from './render/draftRenderer';
import { SourcesView } from './sourcesView';
import { beginPost, editDraft, inProgress, reduce, setEditing } from './store';
import { acquireWebviewHost } from './vscodeApi';
import { shownChecks } from './shownChecks';
import { finishedSources, SuggestionView } from './view';

// Entry of the suggestion webview: wires the host's messages through the reducer to the view.
// Order on start (protocol.ts): render the persisted snapshot, then say `ready`; the host answers `init`.
// For bench:ui: when this page began (VS Code created its frame) and when this script started
// running, both epoch ms, so a fresh panel's wait splits into VS Code's webview boot and ours.
document.body.dataset.pageOriginAt = String(Math.round(performance.timeOrigin));
document.body.dataset.scriptStartedAt = String(Date.now());

const host = acquireWebviewHost<FromWebview, PersistedState>(isPersistedState);
let state: PersistedState = host.getState() ?? {};

const root = document.getElementById('root') ?? document.body;
const posting = new PostView(document, {
  toggleEdit,
  input: (text) => {
    state = editDraft(state, text);
    persister.updateSoon(state);
    scheduleEditReport();
    frames.request();
  },
  leaveEditor: () => {
    reportEdit();
    persister.flush();
  },
  post,
  openLink: (url) => host.post({ type: 'openExternal', url }),
});
const view = new SuggestionView(
  root,
  {
    stop: () => host.post({ type: 'stop' }),
    // The host asks before a regenerate throws edits away, so it must know the latest ones first.
    regenerate: () => {
      reportEdit();
      host.post({ type: 'regenerate' });
    },
    copy: () => {
      const text = finalText(state);
      if (text !== '') host.post({ type: 'copy', text });
    },
  },
  posting,
  // The host opens a source by its number, from its own copy of the reply's sources.
  new SourcesView(document, {
    open: (number) => host.post({ type: 'openSource', number }),
    openUrl: (number) => host.post({ type: 'openSourceUrl', number }),
  }),
  // The host checks the text again and previews the block it finds at `index` in it.
  new ChecksView(document, {
    preview: (index) => {
      reportEdit();
      const text = finalText(state);
      if (text !== '') host.post({ type: 'previewCode', index, text });
    },
  }),
);
const draft = new DraftRenderer(view.draft);
const citations = new CitationMarks(view.draft, (number) => host.post({ type: 'openSource', number }));
const checkMarks = new CheckMarks(view.draft);
const persister = new StatePersister((snapshot) => host.setState(snapshot));

/** While typing, the host hears of the edits at most this often (it keeps them for `init`). */
const EDIT_REPORT_MS = 300;
let editReportTimer: ReturnType<typeof setTimeout> | undefined;
/** The edit the host last heard of (or sent in `init`). */
let reportedEdit: { runId: number; text: string } | undefined;

/** The run the draft shows, and its repair cycle (a repair replaces the draft). */
let drawnRunId: number | undefined;
let drawnRepair: number | undefined;
/** The draft shows the person's edits rather than the run's text. */
let drawnEdited = false;
/** The run whose chunks arrived in this page (only those make a "first chunk visible" time). */
let chunkSeenRunId: number | undefined;
/** The run `data-first-chunk-visible-at` on #draft belongs to. */
let firstChunkRunId: number | undefined;

/** Draws the latest state; false while a long draft still has slices to render. */
function draw(): boolean {
  const run = state.run;
  if (run?.runId !== drawnRunId) {
    draft.clear();
    drawnRepair = undefined;
  }
  drawnRunId = run?.runId;
  // A repair's draft replaces the one before, even where it starts with the same text.
  const repair = run?.repair?.cycle;
  if (repair !== undefined && repair !== drawnRepair) {
    draft.clear();
    drawnRepair = repair;
  }
  // While the editor is open the rendered draft is hidden; it catches up when the editor closes.
  const editing = state.editing === true && canEdit(state);
  let complete = true;
  if (run && !editing) {
    const text = finalText(state);
    // An edited text is drawn afresh: it need not extend what is on screen, and its reference
    // definitions (`[x]: url`) may serve blocks drawn before.
    const edited = text !== run.text;
    if ((edited || drawnEdited) && text !== draft.text) draft.clear();
    drawnEdited = edited;
    complete = draft.update(text, !inProgress(run));
    // Marks once the whole text is on screen and the run is over (its sources are known then).
    if (complete) citations.apply(finishedSources(state), draft.revision);
    // The checks number the blocks of the text they ran on: the draft gets marks only while it is
    // that text (the generated one, or the edit the host checked again).
    if (complete) {
      const checks = shownChecks(state);
      checkMarks.apply(checks?.current ? checks.info : undefined, draft.revision);
    }
  }
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
  if (message.type === 'init') {
    // The host's copy of the edits may miss the last ones (this page was hidden before it heard).
    reportedEdit = message.edit;
    if (state.edit && state.edit.text !== message.edit?.text) reportEdit();
  }
  frames.request();
});

function toggleEdit(): void {
  if (!canEdit(state) || inProgress(state.run) || postBusy(state.post)) return;
  const opening = state.editing !== true;
  state = setEditing(state, opening);
  if (!opening) reportEdit();
  persister.update(state);
  // Drawn now, so the editor exists to take focus (and a closed one shows the edited draft).
  if (!draw()) frames.request();
  if (opening) posting.editor.focus();
}

/** Post or Update comment: the final text goes to the host, which confirms it with the person. */
function post(): void {
  const button = postButton(state);
  const comment = state.post?.comment;
  if (!button.enabled) return;
  reportEdit();
  const text = finalText(state);
  // Busy before anything is sent: a second click (or a keyboard repeat) finds Post disabled.
  state = beginPost(state);
  persister.update(state);
  view.render(state);
  if (button.action === 'post') host.post({ type: 'post', text });
  else if (button.action === 'update' && comment) host.post({ type: 'updatePosted', commentId: comment.commentId, text });
}

function scheduleEditReport(): void {
  editReportTimer ??= setTimeout(reportEdit, EDIT_REPORT_MS);
}

/** Sends the current edits to the host now, unless it has them already. */
function reportEdit(): void {
  clearTimeout(editReportTimer);
  editReportTimer = undefined;
  const edit = state.edit;
  if (!edit || edit.runId !== state.run?.runId) return;
  if (reportedEdit?.runId === edit.runId && reportedEdit.text === edit.text) return;
  reportedEdit = edit;
  host.post({ type: 'edited', runId: edit.runId, text: edit.text });
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && inProgress(state.run)) {
    event.preventDefault();
    host.post({ type: 'stop' });
  }
});
// A page being hidden or torn down saves the latest snapshot (streaming, or typed) instead of waiting
// for the throttle, and tells the host about the latest edits.
const saveNow = (): void => {
  reportEdit();
  persister.flush();
};
window.addEventListener('pagehide', saveNow);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') saveNow();
});

// The restored snapshot is drawn before `ready` (a long one finishes over the next frames).
view.render(state);
if (!draw()) frames.request();
host.post({ type: 'ready' });
