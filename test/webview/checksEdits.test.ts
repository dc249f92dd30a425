// The Checks section while a draft changes: a repair clearing the streamed draft (and surviving a
// reload), and the host's checks of the person's edited draft replacing the run's own.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { init } from './support/builders';
import { aBlock, CheckPages, checks, REPLY, rows, sent, text } from './support/checksPages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

const pages = new CheckPages();
afterEach(() => pages.close());

describe('repairing', () => {
  test('clears the streamed draft, shows the repair as the phase, and streams the new draft', async () => {
    const current = pages.open();
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'First draft with ```js\neval(x)\n```' });
    await waitFor(() => current.byId('draft').textContent.includes('First draft'), 'the first draft shown');

    current.send({ type: 'repairing', runId: 1, cycle: 1, maxCycles: 2, failures: 3 });
    await waitFor(() => current.byId('draft').textContent.trim() === '', 'the draft cleared');
    assert.equal(current.byId('status').textContent, 'Repairing (1/2): 3 findings fed back to the model');
    assert.equal(current.document.body.dataset.status, 'generating');

    current.send({ type: 'chunk', runId: 1, text: 'Second draft.' });
    await waitFor(() => current.byId('draft').textContent.trim() === 'Second draft.', 'the new draft alone');
    assert.equal(current.byId('status').textContent, 'Repairing (1/2): 3 findings fed back to the model', 'the repair line stays while it streams');

    current.send({ type: 'phase', runId: 1, message: 'Checking the reply…' });
    await waitFor(() => current.byId('status').textContent === 'Checking the reply…', 'a later phase shows');
    current.send({ type: 'repairing', runId: 1, cycle: 2, maxCycles: 2, failures: 1 });
    await waitFor(() => current.byId('status').textContent === 'Repairing (2/2): 1 finding fed back to the model', 'the second repair');
    await waitFor(() => current.byId('draft').textContent.trim() === '', 'cleared again');
  });

  test('a repair of another run, or after the run ended, changes nothing', async () => {
    const current = await pages.finished('Final text.', checks({ blocks: [], passed: true, failures: 0 }));
    current.send({ type: 'repairing', runId: 1, cycle: 1, maxCycles: 2, failures: 3 });
    current.send({ type: 'repairing', runId: 7, cycle: 1, maxCycles: 2, failures: 3 });
    await current.nextFrame();
    assert.equal(current.byId('draft').textContent.trim(), 'Final text.');
    assert.equal(current.byId('status').textContent, 'Reply ready');
  });

  test('the saved snapshot keeps the repair, so a reloaded page shows it', async () => {
    const current = pages.open();
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'Old draft' });
    current.send({ type: 'repairing', runId: 1, cycle: 1, maxCycles: 2, failures: 2 });
    current.send({ type: 'chunk', runId: 1, text: 'New draft' });
    await waitFor(() => current.saved.at(-1)?.run?.text === 'New draft', 'the snapshot saved');
    const saved = current.saved.at(-1);
    assert.deepEqual(saved?.run?.repair, { cycle: 1, maxCycles: 2, failures: 2 });

    const reloaded = loadWebview({ state: saved });
    pages.extra(reloaded);
    await waitFor(() => reloaded.byId('draft').textContent.trim() === 'New draft', 'the reloaded draft');
    assert.equal(reloaded.byId('status').textContent, 'Repairing (1/2): 2 findings fed back to the model');
  });
});

describe('checks of the edited draft', () => {
  const PROSE = 'Split the line on both separators and it works.';
  const EDITED = 'In src/parser.ts, split on both separators:\n\n```ts\nexport function split(line: string): string[] {\n  return eval(line);\n}\n```\n';
  const failingTs = aBlock(0, {
    failed: true,
    findings: [{ ruleId: 'no-eval', kind: 'security', severity: 'error', line: 2, message: 'eval can be harmful.' }],
  });
  const repairs = [
    { cycle: 0, failures: 2, passed: false },
    { cycle: 1, failures: 0, passed: true },
  ];
  /** The host's checks of EDITED: its one block fails; the run's repair history kept. */
  const editChecks = checks({ blocks: [failingTs], failures: 1, repairs });

  /** Opens the editor, types `value` and closes it again, as the person does. */
  async function editTo(current: LoadedWebview, value: string): Promise<void> {
    current.byId<HTMLButtonElement>('edit').click();
    await waitFor(() => !current.byId('editor').hidden, 'the editor open');
    const editor = current.byId<HTMLTextAreaElement>('editor');
    editor.value = value;
    editor.dispatchEvent(new current.window.Event('input', { bubbles: true }));
    current.byId<HTMLButtonElement>('edit').click();
    await waitFor(() => current.byId('editor').hidden, 'the editor closed');
    await current.nextFrame();
  }

  /** A page whose prose-only reply (checks passed, repaired once) the person edited to EDITED; the host's re-check not in yet. */
  async function editedProse(): Promise<LoadedWebview> {
    const current = await pages.finished(PROSE, checks({ blocks: [], passed: true, failures: 0, repairs }));
    await editTo(current, EDITED);
    await waitFor(() => !current.byId('checks-edited').hidden, 'the edited note');
    return current;
  }

  const previewButtons = (current: LoadedWebview): HTMLButtonElement[] => Array.from(current.document.querySelectorAll<HTMLButtonElement>('#checks .check-preview'));

  test('a prose reply edited to hold code gets the edit’s rows, a Preview button, the scope line and the block marks', async () => {
    const current = await editedProse();
    assert.deepEqual(sent(current, 'edited'), [{ type: 'edited', runId: 1, text: EDITED }]);
    assert.equal(rows(current).length, 0, 'the generated text had no code');
    assert.equal(current.byId('checks-scope').hidden, true);
    assert.equal(current.byId('checks-edited').textContent, 'You edited the draft: these checks are of the generated text. Posting checks your text again.');
    assert.equal(current.document.querySelectorAll('#draft pre.check-failed').length, 0, 'no marks from checks of another text');

    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: editChecks });
    await waitFor(() => rows(current).length === 1, 'the edit’s row');
    assert.equal(current.byId('checks-scope').hidden, false);
    assert.equal(current.byId('checks-scope').textContent, 'Checks of your edited draft');
    const following = current.window.Node.DOCUMENT_POSITION_FOLLOWING;
    assert.equal(current.byId('checks-scope').compareDocumentPosition(current.byId('checks-summary')) & following, following, 'just above the summary');
    assert.equal(current.byId('checks-summary').textContent, '1 of 1 code block fails');
    assert.equal(current.byId('checks-repair').textContent, 'Repaired in 1 cycle: 2 → 0 failing findings', 'the run’s repair history stays');
    assert.equal(current.byId('checks-edited').hidden, true, 'the checks are of the text on screen');
    assert.equal(text(rows(current)[0]?.querySelector('.check-block-head'))?.replace(' Preview in Editor', ''), 'Block 1 · typescript — syntax ok · 1 security finding');
    await waitFor(() => current.document.querySelectorAll('#draft pre.check-failed').length === 1, 'the edited draft’s failing block marked');
    assert.equal(current.document.querySelector<HTMLElement>('#draft pre.check-failed')?.title, 'Block 1 fails its checks (1 finding): see Checks below');

    previewButtons(current)[0]?.click();
    assert.deepEqual(sent(current, 'previewCode'), [{ type: 'previewCode', index: 0, text: EDITED }]);
  });

  test('the next draftChecked replaces the rows; an edit after it marks them as of an earlier text and drops the marks', async () => {
    const current = await editedProse();
    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: editChecks });
    await waitFor(() => current.document.querySelectorAll('#draft pre.check-failed').length === 1, 'marked');

    const fixed = EDITED.replace('eval(line)', 'line.split(/[,;]/)');
    await editTo(current, fixed);
    await waitFor(() => !current.byId('checks-edited').hidden, 'the note');
    assert.equal(current.byId('checks-edited').textContent, 'You edited the draft since these checks ran. Posting checks your text again.');
    assert.equal(current.byId('checks-scope').hidden, false);
    assert.equal(rows(current).length, 1, 'the last checks stay until new ones come');
    assert.equal(current.document.querySelectorAll('#draft pre.check-failed').length, 0, 'no marks from checks of another text');

    current.send({ type: 'draftChecked', runId: 1, text: fixed, checks: checks({ blocks: [aBlock(0), aBlock(1, { language: 'json' })], passed: true, failures: 0, repairs }) });
    await waitFor(() => current.byId('checks-summary').textContent === 'All checks passed', 'the new checks');
    assert.deepEqual(rows(current).map((row) => text(row.querySelector('.check-block-title'))), ['Block 1 · typescript', 'Block 2 · json']);
    assert.equal(current.byId('checks-edited').hidden, true);
    assert.equal(current.document.querySelectorAll('#draft pre.check-failed').length, 0);
  });

  test('editing back to the generated text shows the run’s own checks again', async () => {
    const current = await pages.finished(REPLY, checks());
    await editTo(current, EDITED);
    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: editChecks });
    await waitFor(() => rows(current).length === 1, 'the edit’s row');
    await editTo(current, REPLY);
    await waitFor(() => rows(current).length === 3, 'the run’s rows');
    assert.equal(current.byId('checks-scope').hidden, true);
    assert.equal(current.byId('checks-edited').hidden, true);
    await waitFor(() => current.document.querySelectorAll('#draft pre.check-failed').length === 1, 'the run’s marks back');
  });

  test('checks of another run, or of a run still streaming, are ignored', async () => {
    const current = await editedProse();
    current.send({ type: 'draftChecked', runId: 0, text: EDITED, checks: editChecks });
    current.send({ type: 'draftChecked', runId: 2, text: EDITED, checks: editChecks });
    await current.nextFrame();
    assert.equal(rows(current).length, 0);
    assert.equal(current.byId('checks-scope').hidden, true);
    assert.equal(current.saved.at(-1)?.run?.editChecks, undefined, 'nothing saved');

    // Run 2 starts: a late re-check of run 1's edit lands nowhere, and run 2 streams without checks.
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 2, text: 'New draft' });
    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: editChecks });
    current.send({ type: 'draftChecked', runId: 2, text: 'New draft', checks: editChecks });
    await waitFor(() => current.byId('draft').textContent.trim() === 'New draft', 'run 2 streams');
    // The messages arrived together: the snapshot saved after them holds all of them.
    await waitFor(() => current.saved.at(-1)?.run?.text === 'New draft', 'run 2 saved');
    assert.equal(current.byId('checks').hidden, true);
    assert.equal(current.saved.at(-1)?.run?.editChecks, undefined);
  });

  test('a malformed draftChecked is not taken', async () => {
    const current = await editedProse();
    current.sendRaw({ type: 'draftChecked', runId: 1, text: EDITED });
    current.sendRaw({ type: 'draftChecked', runId: 1, text: 7, checks: editChecks });
    current.sendRaw({ type: 'draftChecked', runId: '1', text: EDITED, checks: editChecks });
    current.sendRaw({ type: 'draftChecked', runId: 1, text: EDITED, checks: { ...editChecks, blocks: [{ index: 0, syntax: 'ok' }] } });
    current.sendRaw({ type: 'draftChecked', runId: 1, text: EDITED, checks: { ...editChecks, repairs: null } });
    await current.nextFrame();
    await current.nextFrame();
    assert.equal(rows(current).length, 0);
    assert.equal(current.byId('checks-scope').hidden, true);
  });

  test('hostile text in the edit’s checks stays text', async () => {
    const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const current = await editedProse();
    const hostile = checks({
      blocks: [aBlock(0, { language: HOSTILE, file: HOSTILE, failed: true, findings: [{ ruleId: HOSTILE, kind: 'security', severity: 'error', line: 1, message: HOSTILE }] })],
      secrets: [{ ruleId: HOSTILE, line: 1, masked: HOSTILE }],
      injection: { flagged: true, findings: [{ ruleId: HOSTILE, where: HOSTILE, message: HOSTILE, excerpt: HOSTILE }] },
    });
    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: hostile });
    await waitFor(() => rows(current).length === 1, 'the row');
    await current.nextFrame();
    assert.equal(current.pwned(), undefined);
    for (const root of [current.byId('checks'), current.byId('injection-banner')]) {
      for (const tag of ['img', 'script']) assert.equal(root.querySelectorAll(tag).length, 0, `no <${tag}> in #${root.id}`);
    }
    assert.equal(text(rows(current)[0]?.querySelector('.check-block-title')), `Block 1 · ${HOSTILE} · ${HOSTILE}`);
    assert.equal(text(rows(current)[0]?.querySelector('.finding-message')), HOSTILE);
    assert.equal(text(current.document.querySelector('#checks-secrets .secret-masked')), HOSTILE);
    assert.equal(text(current.document.querySelector('.injection-excerpt')), HOSTILE);
  });

  test('the saved snapshot and the host’s init keep the edit’s checks, so a reloaded page shows them', async () => {
    const current = await editedProse();
    current.send({ type: 'draftChecked', runId: 1, text: EDITED, checks: editChecks });
    await waitFor(() => current.saved.at(-1)?.run?.editChecks?.text === EDITED, 'saved');
    const saved = current.saved.at(-1);
    assert.deepEqual(saved?.run?.editChecks, { text: EDITED, checks: editChecks });

    const reloaded = loadWebview({ state: saved });
    pages.extra(reloaded);
    await waitFor(() => reloaded.document.querySelectorAll('#checks-blocks > li').length === 1, 'the reloaded row');
    assert.equal(reloaded.byId('checks-scope').hidden, false);

    // A fresh page (nothing saved) gets them from the host's snapshot in init.
    const fresh = loadWebview();
    pages.extra(fresh);
    const run = { runId: 1, status: 'done' as const, text: PROSE, checks: checks({ blocks: [], passed: true, failures: 0 }), editChecks: { text: EDITED, checks: editChecks } };
    fresh.send({ type: 'init', thread: { ref: 'acme/parser#42', title: 'Parser' }, run, edit: { runId: 1, text: EDITED } });
    await waitFor(() => fresh.document.querySelectorAll('#checks-blocks > li').length === 1, 'the row from init');
    assert.equal(fresh.byId('checks-scope').textContent, 'Checks of your edited draft');
    assert.equal(fresh.byId('checks-edited').hidden, true);
    await waitFor(() => fresh.document.querySelectorAll('#draft pre.check-failed').length === 1, 'marked from init');
  });
});
