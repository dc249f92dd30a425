import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CitedSource, FromWebview, SourcesInfo } from '../../webview/src/protocol';
import { waitFor } from '../support/waitFor';
import { done, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadOptions, LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
const extraPages: LoadedWebview[] = [];
afterEach(() => {
  closeCheckingErrors(page, extraPages.splice(0));
  page = undefined;
});

const FABRICATED = 'not among the sources given to the model — possibly fabricated';

const installDoc: CitedSource = {
  number: 1,
  kind: 'doc',
  title: 'docs/install.md › Setup › Linux',
  startLine: 10,
  endLine: 42,
  url: 'https://github.com/acme/parser/blob/0123456789abcdef0123456789abcdef01234567/docs/install.md#L10-L42',
  openable: true,
};
const pastIssue: CitedSource = { number: 3, kind: 'issue', title: '#123 Parser crashes on tabs', url: 'https://github.com/acme/parser/issues/123', openable: true };
const localOnly: CitedSource = { number: 2, kind: 'doc', title: 'docs/faq.md › Tabs', startLine: 5, endLine: 5, openable: true };

function sources(overrides: Partial<SourcesInfo> = {}): SourcesInfo {
  return { cited: [installDoc, pastIssue], given: [1, 2, 3], flags: [], noRelevantSources: false, indexed: true, ...overrides };
}

/** A page whose run 1 ended with `text` and `info` (absent: a reply from an older daemon). */
async function finished(text: string, info: SourcesInfo | undefined, options: LoadOptions = {}): Promise<LoadedWebview> {
  const current = (page = loadWebview(options));
  current.send(init());
  current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
  current.send({ type: 'chunk', runId: 1, text });
  current.send(done(1, text, info ? { sources: info } : {}));
  await waitFor(() => current.document.body.dataset.status === 'done', 'the run done');
  await current.nextFrame();
  return current;
}

const section = (current: LoadedWebview): HTMLElement => current.byId('sources');
const items = (current: LoadedWebview): HTMLLIElement[] => Array.from(current.document.querySelectorAll<HTMLLIElement>('#sources-list > li'));
const marks = (current: LoadedWebview): HTMLElement[] => Array.from(current.document.querySelectorAll<HTMLElement>('#draft .citation'));
const flagged = (current: LoadedWebview): HTMLElement[] => Array.from(current.document.querySelectorAll<HTMLElement>('#draft .citation-flag'));
const sent = (current: LoadedWebview, kind: FromWebview['type']): FromWebview[] => current.posted.filter((message) => message.type === kind);

describe('sources list', () => {
  test('lists the cited sources under the draft: [n] title, lines, and Open on GitHub where there is a link', async () => {
    const current = await finished('Run `make install` as root [1]; see [3].', sources({ cited: [installDoc, localOnly, pastIssue] }));
    assert.equal(section(current).hidden, false);
    assert.equal(current.byId('sources-heading').textContent, 'Sources');
    const draft = current.byId('draft');
    assert.equal(draft.compareDocumentPosition(section(current)) & current.window.Node.DOCUMENT_POSITION_FOLLOWING, current.window.Node.DOCUMENT_POSITION_FOLLOWING, 'after the draft');

    const [doc, faq, issue] = items(current);
    assert.ok(doc && faq && issue);
    assert.equal(items(current).length, 3);
    assert.equal(doc.querySelector('.source-open')?.textContent, '[1] docs/install.md › Setup › Linux');
    assert.equal(doc.querySelector('.source-lines')?.textContent, 'L10–L42');
    assert.equal(doc.querySelector('.source-web')?.textContent, 'Open on GitHub');
    assert.equal(faq.querySelector('.source-lines')?.textContent, 'L5');
    assert.equal(faq.querySelector('.source-web'), null, 'no web link, no Open on GitHub');
    assert.equal(issue.querySelector('.source-open')?.textContent, '[3] #123 Parser crashes on tabs');
    assert.equal(issue.querySelector('.source-lines'), null);
    assert.equal(current.byId('sources-warning').hidden, true, 'nothing flagged');
  });

  test('a click posts only the number: openSource for the entry, openSourceUrl for Open on GitHub; both are buttons', async () => {
    const current = await finished('See [1] and [3].', sources());
    const [doc, issue] = items(current);
    const open = doc?.querySelector<HTMLButtonElement>('.source-open');
    const web = issue?.querySelector<HTMLButtonElement>('.source-web');
    assert.ok(open && web);
    for (const button of [open, web]) {
      assert.equal(button.tagName, 'BUTTON', 'focusable and keyboard-activated');
      assert.equal(button.getAttribute('type'), 'button');
      assert.equal(button.disabled, false);
    }
    open.click();
    web.click();
    assert.deepEqual(sent(current, 'openSource'), [{ type: 'openSource', number: 1 }]);
    assert.deepEqual(sent(current, 'openSourceUrl'), [{ type: 'openSourceUrl', number: 3 }]);
    assert.equal(sent(current, 'openExternal').length, 0, 'no URL goes to the host');
  });

  test('a source with nothing to open is listed as text, not as a button', async () => {
    const current = await finished('See [2].', sources({ cited: [{ ...localOnly, openable: false }] }));
    const [item] = items(current);
    assert.equal(item?.querySelector('button'), null);
    assert.equal(item?.querySelector('.source-title')?.textContent, '[2] docs/faq.md › Tabs');
  });

  test('hidden while a run streams, and for a reply from an older daemon (no sources)', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: 'Streaming [1] text' });
    await waitFor(() => current.document.body.dataset.status === 'generating', 'generating');
    await current.nextFrame();
    assert.equal(section(current).hidden, true);
    assert.equal(marks(current).length + flagged(current).length, 0, 'no marks before the run is over');

    current.send(done(1, 'Streaming [1] text'));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    await current.nextFrame();
    assert.equal(section(current).hidden, true, 'an older daemon: no section');
    assert.equal(marks(current).length + flagged(current).length, 0, 'and [1] stays text');
    assert.equal(current.byId('draft').textContent.trim(), 'Streaming [1] text');
  });

  test('a new run hides the previous run’s sources', async () => {
    const current = await finished('See [1].', sources());
    assert.equal(section(current).hidden, false);
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    await waitFor(() => section(current).hidden, 'the section hidden for the new run');
  });
});

describe('retrieval notes', () => {
  test('nothing relevant found: the model was told to say it does not know', async () => {
    const current = await finished('I do not know.', sources({ cited: [], given: [], noRelevantSources: true }));
    assert.equal(section(current).hidden, false);
    assert.deepEqual(
      Array.from(current.document.querySelectorAll('#sources .sources-note'), (note) => note.textContent),
      ['No relevant docs or past issues were found; the model was told to say it does not know.'],
    );
    assert.equal(items(current).length, 0);
  });

  test('no index yet: the hint names the Reindex command; another reason is shown as it is', async () => {
    const noIndex = await finished('Hello.', sources({ cited: [], given: [], indexed: false, skippedReason: 'no index for acme/parser yet' }));
    assert.deepEqual(
      Array.from(noIndex.document.querySelectorAll('#sources .sources-note'), (note) => note.textContent),
      ['No index for this repository yet — run Threadwise: Reindex Knowledge'],
    );
    assert.deepEqual(noIndex.errors, [], 'the page logged errors');
    noIndex.close();
    page = undefined;

    const off = await finished('Hello.', sources({ cited: [], given: [], indexed: false, skippedReason: 'knowledge is turned off (threadwise.knowledgeEnabled)' }));
    const notes = Array.from(off.document.querySelectorAll('#sources .sources-note'), (note) => note.textContent);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /knowledge is turned off \(threadwise\.knowledgeEnabled\)/);
    assert.doesNotMatch(notes[0] ?? '', /Reindex/);
  });

  test('sources given but none cited says so', async () => {
    const current = await finished('Hello.', sources({ cited: [] }));
    assert.deepEqual(
      Array.from(current.document.querySelectorAll('#sources .sources-note'), (note) => note.textContent),
      ['The reply cites none of the 3 sources given to the model.'],
    );
  });
});

describe('citation marks in the draft', () => {
  test('[n] of a given source becomes a button that opens it; [1, 3] gives one button per number', async () => {
    const current = await finished('Install as root [1]. Tabs crash it [3], as before [1, 3].', sources());
    const found = marks(current);
    assert.deepEqual(
      found.map((mark) => mark.textContent),
      ['[1]', '[3]', '1', '3'],
    );
    for (const mark of found) {
      assert.equal(mark.tagName, 'BUTTON');
      assert.equal(mark.getAttribute('type'), 'button');
    }
    assert.match(found[0]?.title ?? '', /docs\/install\.md › Setup › Linux/);
    assert.equal(current.byId('draft').textContent.trim(), 'Install as root [1]. Tabs crash it [3], as before [1, 3].', 'the text reads the same');

    found[0]?.click();
    found[3]?.click();
    assert.deepEqual(sent(current, 'openSource'), [
      { type: 'openSource', number: 1 },
      { type: 'openSource', number: 3 },
    ]);
  });

  test('a number that was not given is flagged as possibly fabricated, and the warning lists it', async () => {
    const info = sources({ cited: [installDoc], flags: [{ kind: 'unknown-source', text: '[7]', number: 7 }] });
    const current = await finished('Install as root [1]. This was fixed in 2.0 [7].', info);
    const [flag] = flagged(current);
    assert.equal(flagged(current).length, 1);
    assert.equal(flag?.tagName, 'SPAN');
    assert.equal(flag?.textContent, '[7]');
    assert.match(flag?.title ?? '', new RegExp(FABRICATED));
    flag?.click();
    assert.equal(sent(current, 'openSource').length, 0, 'a flagged mark opens nothing');

    const warning = current.byId('sources-warning');
    assert.equal(warning.hidden, false);
    assert.match(warning.textContent, /possibly fabricated/i);
    assert.match(warning.textContent, /\[7\]/);
  });

  test('a URL in neither the sources nor the thread is flagged where it is linked, and listed', async () => {
    const fake = 'https://docs.example.invalid/parser/tabs';
    const info = sources({ cited: [installDoc], flags: [{ kind: 'unknown-url', text: fake }] });
    const current = await finished(`See ${fake} and [the docs](https://example.com/ok) [1].`, info);
    const links = Array.from(current.document.querySelectorAll<HTMLAnchorElement>('#draft a'));
    const fakeLink = links.find((link) => link.textContent === fake);
    const okLink = links.find((link) => link.textContent === 'the docs');
    assert.ok(fakeLink && okLink);
    assert.ok(fakeLink.classList.contains('citation-flag'));
    assert.match(fakeLink.title, new RegExp(FABRICATED));
    assert.equal(okLink.classList.contains('citation-flag'), false);
    assert.match(current.byId('sources-warning').textContent, new RegExp(fake.replace(/[.]/g, '\\.')));
  });

  test('marks inside code, pre and links are left alone', async () => {
    const text = ['Index it with `arr[1]` and `[1]`.', '', '```js', 'const first = list[1]; // [1]', '```', '', 'The [guide [1]](https://example.com/guide) and [1].'].join('\n');
    const current = await finished(text, sources());
    const draft = current.byId('draft');
    assert.equal(marks(current).length, 1, 'only the bare [1] at the end');
    assert.equal(draft.querySelector('pre')?.textContent, 'const first = list[1]; // [1]\n');
    assert.deepEqual(
      Array.from(draft.querySelectorAll(':not(pre) > code'), (code) => code.textContent),
      ['arr[1]', '[1]'],
    );
    assert.equal(draft.querySelector('a')?.textContent, 'guide [1]');
    assert.equal(draft.querySelectorAll('code .citation, pre .citation, a .citation, code .citation-flag').length, 0);
  });

  test('an edited draft is marked again, once', async () => {
    const current = await finished('See [1].', sources());
    current.byId<HTMLButtonElement>('edit').click();
    await waitFor(() => !current.byId('editor').hidden, 'the editor open');
    const editor = current.byId<HTMLTextAreaElement>('editor');
    editor.value = 'Now [3] and [8].';
    editor.dispatchEvent(new current.window.Event('input', { bubbles: true }));
    current.byId<HTMLButtonElement>('edit').click();
    await waitFor(() => current.byId('draft').textContent.trim() === 'Now [3] and [8].', 'the edited draft drawn');
    await current.nextFrame();
    assert.deepEqual(marks(current).map((mark) => mark.textContent), ['[3]']);
    assert.deepEqual(flagged(current).map((mark) => mark.textContent), ['[8]'], 'a number not given is flagged in edits too');
  });

  test('a reloaded page shows the sources and marks from its saved state', async () => {
    const current = await finished('See [1].', sources());
    const saved = current.saved.at(-1);
    assert.deepEqual(saved?.run?.sources, sources());
    const reloaded = loadWebview({ state: saved });
    extraPages.push(reloaded);
    await waitFor(() => reloaded.document.querySelectorAll('#sources-list > li').length === 2, 'the restored list');
    await waitFor(() => reloaded.document.querySelectorAll('#draft .citation').length === 1, 'the restored marks');
  });
});

describe('hostile sources', () => {
  test('titles, reasons and flagged texts are text, never markup', async () => {
    const hostileTitle = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const info = sources({
      cited: [{ ...installDoc, title: hostileTitle, url: 'javascript:window.__pwned=1' }],
      flags: [{ kind: 'unknown-url', text: '<b onclick="window.__pwned=1">x</b>' }],
      indexed: false,
      skippedReason: '<a href="javascript:window.__pwned=1">click</a>',
    });
    const current = await finished('Text [1] <span class="citation" onclick="window.__pwned=1">[9]</span>', info);
    const root = section(current);
    assert.equal(root.querySelectorAll('img, script, b, a').length, 0, 'no markup from the host’s strings');
    assert.equal(items(current)[0]?.querySelector('.source-open')?.textContent, `[1] ${hostileTitle}`);
    assert.match(root.textContent, /<a href="javascript:/);
    for (const element of Array.from(current.document.querySelectorAll('#sources *, #draft *'))) {
      for (const { name } of Array.from(element.attributes)) assert.doesNotMatch(name, /^on/i, `no ${name} on <${element.tagName}>`);
      element.dispatchEvent(new current.window.Event('click'));
    }
    assert.equal(current.pwned(), undefined);
    // The reply cannot make a mark of its own: its class is stripped, and [9] (not given) is flagged.
    assert.deepEqual(marks(current).map((mark) => mark.tagName), ['BUTTON']);
    assert.deepEqual(flagged(current).map((mark) => mark.textContent), ['[9]']);
  });

  test('a reply full of [n] gets a bounded number of marks; the rest stays text', async () => {
    const text = Array.from({ length: 30 }, () => 'See [1] '.repeat(100)).join('\n\n');
    const current = await finished(text, sources());
    assert.equal(marks(current).length, 1000);
    assert.equal(current.byId('draft').textContent.split('[1]').length - 1, 3000, 'every [1] still reads the same');
  });

  test('a malformed sources field is dropped with its message, without errors', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.sendRaw({ ...done(1, 'See [1].'), sources: { cited: [{ number: '1', title: 5 }], given: 'all' } });
    current.sendRaw({ type: 'init', thread: { ref: 'acme/parser#42', title: 't' }, run: { runId: 1, status: 'done', text: 'x', sources: { cited: null } } });
    await current.nextFrame();
    assert.equal(current.document.body.dataset.status, 'waiting');
    assert.equal(section(current).hidden, true);
  });
});
