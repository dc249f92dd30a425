import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FromWebview, PersistedState, ToWebview } from '../../webview/src/protocol';
import { waitFor } from '../support/waitFor';
import { aThread, done, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
const extraPages: LoadedWebview[] = [];
afterEach(() => {
  closeCheckingErrors(page, extraPages.splice(0));
  page = undefined;
});

const URL_42 = 'https://github.com/acme/parser/issues/42#issuecomment-1001';
const posted = (body: string, url = URL_42): ToWebview => ({ type: 'posted', commentId: 'IC_1001', url, body });

/** A page whose run 1 ended with `text`. */
async function finished(text = 'Thanks for the report.'): Promise<LoadedWebview> {
  const current = (page = loadWebview());
  current.send(init());
  current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
  current.send({ type: 'chunk', runId: 1, text });
  current.send(done(1, text));
  await waitFor(() => current.document.body.dataset.status === 'done' && !button(current, 'post').disabled, 'the run done, Post enabled');
  return current;
}

function button(current: LoadedWebview, id: 'edit' | 'post' | 'regenerate' | 'copy'): HTMLButtonElement {
  return current.byId<HTMLButtonElement>(id);
}

function editor(current: LoadedWebview): HTMLTextAreaElement {
  return current.byId<HTMLTextAreaElement>('editor');
}

/** Types `text` as the whole content of the editor (one `input` event, as a paste would). */
function type(current: LoadedWebview, text: string): void {
  const area = editor(current);
  area.value = text;
  area.dispatchEvent(new current.window.Event('input', { bubbles: true }));
}

const sent = (current: LoadedWebview, kind: FromWebview['type']): FromWebview[] => current.posted.filter((message) => message.type === kind);

async function openEditor(current: LoadedWebview): Promise<void> {
  button(current, 'edit').click();
  await waitFor(() => !editor(current).hidden, 'the editor open');
}

async function closeEditor(current: LoadedWebview): Promise<void> {
  button(current, 'edit').click();
  await waitFor(() => editor(current).hidden, 'the editor closed');
}

describe('editing', () => {
  test('Edit switches the rendered draft to a labelled textarea with the draft, and back', async () => {
    const current = await finished('Thanks for the **report**.');
    const edit = button(current, 'edit');
    assert.equal(edit.tagName, 'BUTTON');
    assert.equal(edit.getAttribute('type'), 'button');
    assert.equal(edit.textContent, 'Edit');
    assert.equal(edit.getAttribute('aria-pressed'), 'false');
    assert.equal(editor(current).hidden, true);

    await openEditor(current);
    assert.equal(edit.getAttribute('aria-pressed'), 'true');
    assert.equal(editor(current).tagName, 'TEXTAREA');
    assert.equal(editor(current).getAttribute('aria-label'), 'Edit the reply (Markdown)');
    assert.equal(editor(current).value, 'Thanks for the **report**.');
    assert.equal(current.byId('draft').hidden, true);
    assert.equal(current.document.activeElement, editor(current), 'the editor takes focus');

    type(current, 'Thanks, this is *fixed* now.');
    await closeEditor(current);
    assert.equal(edit.getAttribute('aria-pressed'), 'false');
    assert.equal(current.byId('draft').hidden, false);
    await waitFor(() => current.byId('draft').querySelector('em')?.textContent === 'fixed', 'the edited draft rendered');
    assert.equal(current.byId('draft').textContent.trim(), 'Thanks, this is fixed now.');
  });

  test('Edit is disabled until a run ends with text; a new run drops the edits and closes the editor', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'Partial' });
    await waitFor(() => current.document.body.dataset.status === 'generating', 'generating');
    assert.equal(button(current, 'edit').disabled, true, 'no editing while generating');
    current.send(done(1, 'Partial', { cancelled: true }));
    await waitFor(() => !button(current, 'edit').disabled, 'Edit enabled once stopped with text');

    await openEditor(current);
    type(current, 'Partial, edited');
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    await waitFor(() => editor(current).hidden, 'the editor closed by the new run');
    assert.equal(button(current, 'edit').disabled, true);
    current.send(done(2, 'Second draft'));
    await waitFor(() => current.byId('draft').textContent.trim() === 'Second draft', 'the new draft, not the old edits');
    assert.equal(current.saved.at(-1)?.edit, undefined);
  });

  test('edits reach the host as `edited` (debounced), and before Regenerate', async () => {
    const current = await finished();
    await openEditor(current);
    type(current, 'One');
    type(current, 'One two');
    await waitFor(() => sent(current, 'edited').length === 1, 'the debounced edited message');
    assert.deepEqual(sent(current, 'edited'), [{ type: 'edited', runId: 1, text: 'One two' }]);

    type(current, 'One two three');
    button(current, 'regenerate').click();
    assert.deepEqual(current.posted.slice(-2), [{ type: 'edited', runId: 1, text: 'One two three' }, { type: 'regenerate' }]);
  });

  test('Copy copies the edited text', async () => {
    const current = await finished('Original');
    await openEditor(current);
    type(current, 'Edited **text**');
    button(current, 'copy').click();
    assert.deepEqual(current.posted.at(-1), { type: 'copy', text: 'Edited **text**' });
  });
});

describe('posting', () => {
  test('a real, labelled button; enabled only after the run, not while generating, not for empty text', async () => {
    const current = (page = loadWebview());
    const post = button(current, 'post');
    assert.equal(post.tagName, 'BUTTON');
    assert.equal(post.getAttribute('type'), 'button');
    assert.equal(post.textContent, 'Post to GitHub');
    assert.equal(post.disabled, true, 'before init');
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    await waitFor(() => current.document.body.dataset.status === 'waiting', 'waiting');
    assert.equal(post.disabled, true, 'while waiting');
    current.send({ type: 'chunk', runId: 1, text: 'Hello' });
    await waitFor(() => current.document.body.dataset.status === 'generating', 'generating');
    assert.equal(post.disabled, true, 'while generating');
    post.click();
    assert.deepEqual(sent(current, 'post'), [], 'a click while generating posts nothing');
    current.send(done(1, 'Hello'));
    await waitFor(() => !post.disabled, 'Post enabled when done');

    await openEditor(current);
    type(current, '  \n ');
    await waitFor(() => post.disabled, 'Post disabled for blank text');
    post.click();
    assert.deepEqual(sent(current, 'post'), []);
    type(current, 'Hello again');
    await waitFor(() => !post.disabled, 'Post enabled again');
  });

  test('edit then post sends the edited text, and the button says Posting… until the host answers', async () => {
    const current = await finished('Generated text');
    await openEditor(current);
    type(current, 'My **edited** reply');
    const post = button(current, 'post');
    post.click();
    assert.deepEqual(current.posted.slice(-2), [
      { type: 'edited', runId: 1, text: 'My **edited** reply' },
      { type: 'post', text: 'My **edited** reply' },
    ]);
    assert.equal(post.disabled, true, 'disabled at once');
    assert.equal(post.textContent, 'Posting…');
    assert.equal(button(current, 'edit').disabled, true, 'no editing while posting');
    assert.equal(editor(current).readOnly, true);
    assert.equal(current.document.body.dataset.postPhase, 'confirming');

    current.send({ type: 'posting', action: 'post' });
    await waitFor(() => current.byId('post-status').textContent.includes('Posting…'), 'the Posting… status');
    assert.equal(post.disabled, true, 'disabled while posting');
    assert.equal(current.document.body.dataset.postPhase, 'posting');

    current.send(posted('My **edited** reply'));
    await waitFor(() => post.textContent === 'Posted ✓', 'Posted ✓');
    assert.equal(post.disabled, true);
    assert.equal(current.document.body.dataset.commentId, 'IC_1001');
    assert.equal(editor(current).readOnly, false);
  });

  test('a double click sends one post, even if the button were enabled again', async () => {
    const current = await finished();
    const post = button(current, 'post');
    post.click();
    post.click();
    post.disabled = false; // a stale render must not matter: the state says a post is pending
    post.click();
    post.dispatchEvent(new current.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    assert.deepEqual(sent(current, 'post'), [{ type: 'post', text: 'Thanks for the report.' }]);
  });

  test('declining the confirmation enables Post again and posts nothing more', async () => {
    const current = await finished();
    const post = button(current, 'post');
    post.click();
    current.send({ type: 'postCancelled' });
    await waitFor(() => !post.disabled, 'Post enabled after the dialog was declined');
    assert.equal(post.textContent, 'Post to GitHub');
    assert.equal(current.byId('post-status').textContent.trim(), '');
    assert.equal(sent(current, 'post').length, 1);
  });

  test('the posted link shows the URL and opens only through the host', async () => {
    const current = await finished();
    button(current, 'post').click();
    current.send({ type: 'posting', action: 'post' });
    current.send(posted('Thanks for the report.'));
    const link = current.byId<HTMLAnchorElement>('posted-link');
    await waitFor(() => !link.hidden, 'the posted link');
    const status = current.byId('post-status');
    assert.equal(status.getAttribute('role'), 'status');
    assert.equal(status.getAttribute('aria-live'), 'polite');
    assert.ok(status.contains(link));
    assert.match(status.textContent, /^Posted to GitHub:/);
    assert.equal(link.tagName, 'A');
    assert.equal(link.textContent, URL_42);
    assert.equal(link.getAttribute('href'), URL_42);

    const click = new current.window.MouseEvent('click', { bubbles: true, cancelable: true });
    assert.equal(link.dispatchEvent(click), false, 'the click does not navigate');
    assert.deepEqual(current.posted.at(-1), { type: 'openExternal', url: URL_42 });
    const middle = new current.window.MouseEvent('auxclick', { bubbles: true, cancelable: true, button: 1 });
    assert.equal(link.dispatchEvent(middle), false, 'a middle click does not navigate either');
  });

  test('a javascript: URL from a message never becomes a link', async () => {
    const current = await finished();
    button(current, 'post').click();
    current.send(posted('Thanks for the report.', 'javascript:window.__pwned=1'));
    await waitFor(() => button(current, 'post').textContent === 'Posted ✓', 'posted');
    const link = current.byId<HTMLAnchorElement>('posted-link');
    assert.equal(link.hidden, true);
    assert.equal(link.getAttribute('href'), null);
    assert.doesNotMatch(current.document.body.innerHTML, /javascript:/);
    link.click();
    assert.deepEqual(sent(current, 'openExternal'), []);
    assert.equal(current.pwned(), undefined);

    for (const url of ['data:text/html,<script>window.__pwned=1</script>', 'http://github.com/acme/parser', ' JaVaScRiPt:window.__pwned=1']) {
      current.send({ type: 'updated', commentId: 'IC_1001', url, body: 'Thanks for the report.' });
      await waitFor(() => current.byId('post-status').textContent.includes('updated'), 'updated');
      assert.equal(link.hidden, true, url);
      assert.equal(link.getAttribute('href'), null, url);
    }
    assert.equal(current.pwned(), undefined);
  });

  test('update flow: edit the posted text, Update comment sends updatePosted, updated shows Posted ✓', async () => {
    const current = await finished('First version');
    const post = button(current, 'post');
    post.click();
    current.send({ type: 'posting', action: 'post' });
    current.send(posted('First version'));
    await waitFor(() => post.textContent === 'Posted ✓', 'posted');

    await openEditor(current);
    type(current, 'Second version');
    await waitFor(() => post.textContent === 'Update comment' && !post.disabled, 'Update comment enabled');
    type(current, 'First version\n');
    await waitFor(() => post.textContent === 'Posted ✓' && post.disabled, 'back to Posted ✓ for the posted text');
    type(current, 'Second version');
    await waitFor(() => !post.disabled, 'Update comment enabled again');
    post.click();
    post.click();
    assert.deepEqual(sent(current, 'updatePosted'), [{ type: 'updatePosted', commentId: 'IC_1001', text: 'Second version' }]);
    assert.deepEqual(sent(current, 'post').length, 1, 'never a second post');
    assert.equal(post.textContent, 'Updating…');
    assert.equal(post.disabled, true);

    current.send({ type: 'posting', action: 'update' });
    await waitFor(() => current.byId('post-status').textContent.includes('Updating the comment…'), 'the updating status');
    current.send({ type: 'updated', commentId: 'IC_1001', url: URL_42, body: 'Second version' });
    await waitFor(() => post.textContent === 'Posted ✓', 'Posted ✓ after the update');
    assert.match(current.byId('post-status').textContent, /^Comment updated on GitHub:/);
    assert.equal(current.byId('posted-link').textContent, URL_42);
  });

  test('a failure shows the message and hint in #error and enables Post again; the next try clears it', async () => {
    const current = await finished();
    const post = button(current, 'post');
    post.click();
    current.send({ type: 'posting', action: 'post' });
    current.send({ type: 'postFailed', message: 'Could not post to acme/parser#42: Bad credentials', hint: 'Sign in to GitHub ("Threadwise: Sign In"), then try again.' });
    const error = current.byId('error');
    await waitFor(() => error.textContent !== '', 'the error');
    assert.equal(error.getAttribute('role'), 'alert');
    assert.equal(error.querySelector('.error-message')?.textContent, 'Could not post to acme/parser#42: Bad credentials');
    assert.equal(error.querySelector('.error-hint')?.textContent, 'Sign in to GitHub ("Threadwise: Sign In"), then try again.');
    assert.equal(current.document.body.dataset.status, 'done', 'the run itself did not fail');
    await waitFor(() => !post.disabled && post.textContent === 'Post to GitHub', 'Post enabled again');

    post.click();
    await waitFor(() => error.textContent === '', 'the error cleared by the next try');
    assert.equal(sent(current, 'post').length, 2);
  });
});

describe('persisted posting state', () => {
  test('edits, the open editor and the posted comment survive a reload', async () => {
    const current = await finished('Generated');
    await openEditor(current);
    type(current, 'Edited before hiding');
    current.window.dispatchEvent(new current.window.Event('pagehide'));
    const hidden = current.saved.at(-1);
    assert.deepEqual(hidden?.edit, { runId: 1, text: 'Edited before hiding' });
    assert.equal(hidden?.editing, true);

    const reloaded = loadWebview({ state: hidden });
    extraPages.push(reloaded);
    assert.equal(editor(reloaded).hidden, false, 'the editor is open again');
    assert.equal(editor(reloaded).value, 'Edited before hiding');
    // The host missed the last edit: its init has none; this page keeps its own and tells the host.
    reloaded.send(init({ runId: 1, status: 'done', text: 'Generated' }));
    await waitFor(() => sent(reloaded, 'edited').length === 1, 'the edit reported to the host');
    assert.deepEqual(sent(reloaded, 'edited'), [{ type: 'edited', runId: 1, text: 'Edited before hiding' }]);
    assert.equal(editor(reloaded).value, 'Edited before hiding');
    assert.equal(button(reloaded, 'post').disabled, false);
  });

  test('a posted comment is restored from the saved state and from the host snapshot', async () => {
    const current = await finished('Reply');
    button(current, 'post').click();
    current.send(posted('Reply'));
    await waitFor(() => button(current, 'post').textContent === 'Posted ✓', 'posted');
    const saved = current.saved.at(-1);
    assert.deepEqual(saved?.post, { phase: 'idle', comment: { commentId: 'IC_1001', url: URL_42, body: 'Reply' } });

    const reloaded = loadWebview({ state: saved });
    extraPages.push(reloaded);
    assert.equal(reloaded.byId('posted-link').textContent, URL_42, 'drawn before init');
    assert.equal(button(reloaded, 'post').textContent, 'Posted ✓');

    const fresh = loadWebview();
    extraPages.push(fresh);
    const state: PersistedState = saved ?? {};
    fresh.send({ type: 'init', thread: aThread(), run: state.run ?? { runId: 1, status: 'done', text: 'Reply' }, edit: { runId: 1, text: 'Reply' }, post: { phase: 'posting' } });
    await waitFor(() => button(fresh, 'post').textContent === 'Posting…', 'a post in flight from the host snapshot');
    assert.equal(button(fresh, 'post').disabled, true);
    fresh.send(posted('Reply'));
    await waitFor(() => fresh.byId('posted-link').textContent === URL_42, 'the link after the host answered');
  });

  test('init of another run drops this page\'s edits; a malformed post state is refused', async () => {
    const state: PersistedState = { thread: aThread(), run: { runId: 1, status: 'done', text: 'Old' }, edit: { runId: 1, text: 'Old, edited' }, editing: true };
    const current = (page = loadWebview({ state }));
    assert.equal(editor(current).value, 'Old, edited');
    current.send(init({ runId: 2, status: 'done', text: 'New' }));
    await waitFor(() => current.byId('draft').textContent.trim() === 'New', 'the new run');
    assert.equal(editor(current).hidden, true);
    assert.equal(current.saved.at(-1)?.edit, undefined);

    current.sendRaw({ type: 'init', thread: aThread(), run: { runId: 3, status: 'done', text: 'x' }, post: { phase: 'hacked' } });
    current.sendRaw({ type: 'posted', url: URL_42 });
    current.sendRaw({ type: 'posting', action: 'delete' });
    await current.nextFrame();
    assert.equal(current.document.body.dataset.runId, '2');
    assert.equal(current.document.body.dataset.postPhase, 'idle');
  });
});
