import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { done, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

const HOSTILE = [
  'Intro paragraph.',
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '[click me](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">raw link</a> and <a href=" JaVaScRiPt:window.__pwned=1">spaced</a>',
  '<a href="data:text/html,<script>window.__pwned=1</script>">data link</a> <a href="vbscript:msgbox(1)">vb</a>',
  '<iframe src="javascript:window.__pwned=1"></iframe><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<svg onload="window.__pwned=1"><circle r="4"/></svg>',
  '<details open ontoggle="window.__pwned=1"><summary>more</summary>hidden</details>',
  '<object data="x"></object><embed src="x"><form action="https://evil.invalid"><input name="q"></form>',
  '<style>body{display:none}</style><link rel="stylesheet" href="https://evil.invalid/x.css"><meta http-equiv="refresh" content="0;url=https://evil.invalid"><base href="https://evil.invalid/">',
  '<p style="color:red" onclick="window.__pwned=1" onmouseover="window.__pwned=1" id="status" data-x="1" aria-label="spoof">styled</p>',
  '<img srcset="https://example.invalid/b.png 2x" src="https://example.invalid/b.png" alt="raw">',
  '![remote picture](https://example.invalid/a.png)',
  '[fine link](https://example.com/ok) and [mail](mailto:a@example.com) and [anchor](#top)',
  '```html\n<script>window.__pwned=1</script><b>bold</b>\n```',
  '- [x] done task\n- [ ] open task',
  'Outro paragraph.',
].join('\n\n');

const EVENTS = ['error', 'load', 'toggle', 'click', 'mouseover', 'focus'];

function assertInert(current: LoadedWebview): void {
  const draft = current.byId('draft');
  for (const tag of ['script', 'iframe', 'object', 'embed', 'form', 'input', 'style', 'link', 'meta', 'base', 'svg', 'img']) {
    assert.equal(current.document.querySelectorAll(`#draft ${tag}`).length, 0, `no <${tag}> in #draft`);
  }
  for (const element of Array.from(draft.querySelectorAll('*'))) {
    for (const { name, value } of Array.from(element.attributes)) {
      assert.doesNotMatch(name, /^on/i, `no ${name} handler on <${element.tagName}>`);
      assert.ok(!['style', 'srcset', 'src', 'id', 'name', 'data-x', 'aria-label'].includes(name), `no ${name} attribute on <${element.tagName}>`);
      if (name === 'href') assert.match(value, /^(?:https?:|mailto:|#)/, `safe href ${value}`);
    }
  }
  for (const anchor of Array.from(draft.querySelectorAll('a'))) {
    assert.equal(anchor.getAttribute('rel'), 'noopener noreferrer');
  }
  // Anything that survived with a handler would run now (jsdom runs inline handlers in this page).
  for (const element of Array.from(draft.querySelectorAll('*'))) {
    for (const type of EVENTS) element.dispatchEvent(new current.window.Event(type));
  }
  for (const anchor of Array.from(draft.querySelectorAll('a'))) anchor.click();
  assert.equal(current.pwned(), undefined, 'window.__pwned stays undefined');
  assert.equal(current.document.querySelectorAll('#status').length, 1, 'no second #status');
}

function assertReadable(current: LoadedWebview): void {
  const draft = current.byId('draft');
  assert.match(draft.textContent, /Intro paragraph\./);
  assert.match(draft.textContent, /Outro paragraph\./);
  const code = draft.querySelector('pre code');
  assert.ok(code, 'the html fence is a code block');
  assert.equal(code.querySelector('b'), null, 'no <b> from inside the fence');
  assert.match(code.textContent, /<script>window\.__pwned=1<\/script><b>bold<\/b>/, 'fenced HTML shows as text');
  assert.match(draft.textContent, /\[image: remote picture\]/);
  assert.ok(!draft.innerHTML.includes('example.invalid/a.png'), 'the remote image URL is not in the DOM');
  const links = Array.from(draft.querySelectorAll('a'), (anchor) => anchor.getAttribute('href'));
  assert.deepEqual(links.filter((href) => href !== null), ['https://example.com/ok', 'mailto:a@example.com', '#top']);
  assert.match(draft.textContent, /click me/, 'the javascript: link keeps its text');
  assert.match(draft.textContent, /☑ done task/);
}

describe('hostile content is inert', () => {
  test('as streamed chunks (checked mid-stream and at the end)', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    const half = HOSTILE.length / 2;
    current.send({ type: 'chunk', runId: 1, text: HOSTILE.slice(0, half) });
    await waitFor(() => current.byId('draft').textContent.includes('Intro'), 'the first half');
    assertInert(current);
    // Character by character for the rest: every intermediate prefix is rendered and sanitized.
    for (const [index, char] of Array.from(HOSTILE.slice(half)).entries()) {
      current.send({ type: 'chunk', runId: 1, text: char });
      if (index % 20 === 0) await current.nextFrame();
    }
    await waitFor(() => current.byId('draft').textContent.includes('Outro paragraph.'), 'the whole text');
    assertInert(current);
    assertReadable(current);
  });

  test('as done text', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send(done(1, HOSTILE));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    assertInert(current);
    assertReadable(current);
  });

  test('as a restored snapshot', () => {
    const current = (page = loadWebview({ state: { run: { runId: 1, status: 'done', text: HOSTILE } } }));
    assertInert(current);
    assertReadable(current);
  });

  test('in the thread title, ref and url', async () => {
    const current = (page = loadWebview());
    const title = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    current.send(init({}, { title, ref: '<b>acme</b>/x#1', url: 'javascript:window.__pwned=1' }));
    const heading = current.byId('thread-title');
    await waitFor(() => heading.textContent.includes('acme'), 'the title');
    assert.equal(heading.textContent, `${title} <b>acme</b>/x#1`);
    assert.equal(heading.querySelectorAll('img, script, b').length, 0);
    const link = current.byId<HTMLAnchorElement>('thread-link');
    assert.equal(link.hidden, true);
    assert.equal(link.getAttribute('href'), null);
    link.click();
    assert.equal(current.pwned(), undefined);

    current.send(init({}, { url: 'http://github.com/acme/x/issues/1' }));
    await current.nextFrame();
    assert.equal(link.getAttribute('href'), null, 'plain http is not linked');
    current.send(init({}, { url: 'https://github.com/acme/x/issues/1' }));
    await waitFor(() => link.getAttribute('href') === 'https://github.com/acme/x/issues/1', 'the https link');
    assert.equal(link.hidden, false);
    assert.equal(link.getAttribute('rel'), 'noopener noreferrer');
  });

  test('in error messages and the safety label', async () => {
    const current = (page = loadWebview());
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'error', runId: 1, message: '<img src=x onerror="window.__pwned=1">', hint: '<script>window.__pwned=1</script>' });
    await waitFor(() => current.document.body.dataset.status === 'error', 'the error');
    assert.equal(current.byId('error').querySelectorAll('img, script').length, 0);
    assert.match(current.byId('error').textContent, /<img src=x/);
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    current.send(done(2, 'ok', { safety: { label: '<img src=x onerror="window.__pwned=1">', score: 0.5, unsafe: true } }));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    assert.equal(current.byId('badge').querySelectorAll('img').length, 0);
    assert.equal(current.pwned(), undefined);
  });
});
