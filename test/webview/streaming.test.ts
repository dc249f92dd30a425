import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/waitFor';
import { chunksOf, done, init } from './support/builders';
import { closeCheckingErrors } from './support/closePages';
import { loadWebview } from './support/loadWebview';
import type { LoadedWebview } from './support/loadWebview';

let page: LoadedWebview | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

function started(): LoadedWebview {
  page = loadWebview();
  page.send(init());
  page.send({ type: 'started', runId: 1, requestedAt: Date.now() });
  return page;
}

const paragraphs = (current: LoadedWebview): string[] => Array.from(current.byId('draft').querySelectorAll('p'), (p) => p.textContent);

describe('streaming', () => {
  test('many chunks, split anywhere, render exactly their concatenation in order', async () => {
    const current = started();
    const expected = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} says hello to number ${i + 1}.`);
    const chunks = chunksOf(expected.join('\n\n'), 23);
    for (const [index, text] of chunks.entries()) {
      current.send({ type: 'chunk', runId: 1, text });
      if (index % 25 === 0) await current.nextFrame();
    }
    await waitFor(() => paragraphs(current).length === expected.length && paragraphs(current).at(-1) === expected.at(-1), 'all paragraphs');
    assert.deepEqual(paragraphs(current), expected);
    assert.equal(current.document.body.dataset.status, 'generating');
    assert.equal(current.byId('draft').getAttribute('aria-busy'), 'true');
  });

  test('a phase line shows while waiting, "Generating…" once chunks flow', async () => {
    const current = started();
    await waitFor(() => current.byId('status').textContent === 'Waiting for the model…', 'the waiting status');
    current.send({ type: 'phase', runId: 1, message: 'Loading model… 40%' });
    await waitFor(() => current.byId('status').textContent === 'Loading model… 40%', 'the phase line');
    current.send({ type: 'chunk', runId: 1, text: 'Hi' });
    await waitFor(() => current.byId('status').textContent === 'Generating…', 'the generating status');
    current.send({ type: 'phase', runId: 2, message: 'not this run' });
    current.send({ type: 'chunk', runId: 1, text: ' there' });
    await waitFor(() => current.byId('draft').textContent.includes('Hi there'), 'the second chunk');
    assert.equal(current.byId('status').textContent, 'Generating…');
  });

  test('after started of a new run, chunks and done of the older run are dropped', async () => {
    const current = started();
    current.send({ type: 'chunk', runId: 1, text: 'first run text' });
    await waitFor(() => current.byId('draft').textContent.includes('first run text'), 'run 1 draft');
    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text: ' LATE' });
    current.send({ type: 'chunk', runId: 2, text: 'second' });
    current.send({ type: 'chunk', runId: 1, text: ' LATER' });
    current.send(done(1, 'LATE DONE'));
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 2, text: ' run' });
    await waitFor(() => current.byId('draft').textContent.trim() === 'second run', 'run 2 draft only');
    assert.equal(current.document.body.dataset.runId, '2');
    assert.equal(current.document.body.dataset.status, 'generating');
  });

  test('done text is authoritative and chunks after done are dropped', async () => {
    const current = started();
    current.send({ type: 'chunk', runId: 1, text: 'streamed but wrong' });
    current.send(done(1, 'The **final** reply.'));
    current.send({ type: 'chunk', runId: 1, text: ' straggler' });
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    assert.equal(current.byId('draft').textContent.trim(), 'The final reply.');
    assert.equal(current.byId('draft').querySelector('strong')?.textContent, 'final');
    assert.equal(current.byId('status').textContent, 'Reply ready');
    assert.equal(current.byId('draft').getAttribute('aria-busy'), 'false');
  });

  test('blocks streamed piecewise render as the whole text parses (a list growing item by item)', async () => {
    const current = started();
    // "1. first", a blank line, then "2" arrives: it must become the second item of the same list.
    const text = '1. first\n\n2. second\n\n3. third\n\nafter\n\nmore\n';
    for (const chunk of chunksOf(text, 2)) {
      current.send({ type: 'chunk', runId: 1, text: chunk });
      await current.nextFrame();
    }
    await waitFor(() => current.byId('draft').textContent.includes('more'), 'the whole text');
    const draft = current.byId('draft');
    assert.equal(draft.querySelectorAll('ol').length, 1, 'one list');
    assert.equal(draft.querySelectorAll('ol > li').length, 3);
  });

  test('done with reference definitions re-renders the links defined after their use', async () => {
    const current = started();
    const text = 'see [the docs][ref]\n\none\n\ntwo\n\nthree\n\n[ref]: https://example.com/docs\n';
    for (const chunk of chunksOf(text, 3)) {
      current.send({ type: 'chunk', runId: 1, text: chunk });
      await current.nextFrame();
    }
    current.send(done(1, text));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    const link = current.byId('draft').querySelector('a');
    assert.equal(link?.getAttribute('href'), 'https://example.com/docs', 'reference link resolved');
    assert.equal(link?.textContent, 'the docs');
  });

  test('raw HTML spanning blocks (<details>, Markdown, </details>) renders as one element', async () => {
    const current = started();
    const text = 'intro\n\n<details>\n<summary>Logs</summary>\n\nfirst\n\nsecond\n\n</details>\n\nafter one\n\nafter two\n\nafter three\n';
    for (const chunk of chunksOf(text, 4)) {
      current.send({ type: 'chunk', runId: 1, text: chunk });
      await current.nextFrame();
    }
    await waitFor(() => current.byId('draft').textContent.includes('after three'), 'the whole text');
    const details = current.byId('draft').querySelector('details');
    assert.ok(details, 'a <details>');
    assert.deepEqual(Array.from(details.querySelectorAll('p'), (p) => p.textContent), ['first', 'second']);
    assert.doesNotMatch(details.textContent, /after/);
  });

  test('a long text arriving at once with a reference definition at the end resolves every use', async () => {
    page = loadWebview();
    const current = page;
    const filler = Array.from({ length: 2000 }, (_, i) => `Filler paragraph ${i} about [the docs][ref].`).join('\n\n');
    const text = `${filler}\n\n[ref]: https://example.com/docs\n`;
    assert.ok(text.length > 64 * 1024, 'long enough to render in slices');
    current.send(init({ runId: 1, status: 'done', text }));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done');
    const hrefs = new Set(Array.from(current.byId('draft').querySelectorAll('a'), (a) => a.getAttribute('href')));
    assert.deepEqual([...hrefs], ['https://example.com/docs']);
    assert.equal(current.byId('draft').querySelectorAll('a').length, 2000);
  });

  test('data-first-chunk-visible-at is set once per run, when the first chunk shows', async () => {
    const current = started();
    const draft = current.byId('draft');
    await current.nextFrame();
    assert.equal(draft.dataset.firstChunkVisibleAt, undefined, 'not before a chunk');
    const before = Date.now();
    current.send({ type: 'chunk', runId: 1, text: 'first' });
    const first = Number(await waitFor(() => draft.dataset.firstChunkVisibleAt, 'the first-chunk mark'));
    assert.ok(first >= before && first <= Date.now(), `${first} is an epoch ms of now`);
    assert.ok(draft.textContent.includes('first'), 'the chunk is in the DOM when the mark is set');
    assert.equal(draft.dataset.firstChunkRunId, '1');
    current.send({ type: 'chunk', runId: 1, text: ' second' });
    await waitFor(() => draft.textContent.includes('first second'), 'the second chunk');
    assert.equal(Number(draft.dataset.firstChunkVisibleAt), first, 'unchanged by later chunks');

    current.send({ type: 'started', runId: 2, requestedAt: Date.now() });
    await waitFor(() => draft.dataset.firstChunkVisibleAt === undefined, 'the mark cleared for the new run');
    current.send({ type: 'chunk', runId: 2, text: 'again' });
    await waitFor(() => draft.dataset.firstChunkRunId === '2', 'the mark of run 2');
    assert.ok(Number(draft.dataset.firstChunkVisibleAt) >= first);
  });

  test('a run whose text first arrives in init (it finished before the page was ready) is marked when shown', async () => {
    page = loadWebview();
    const requestedAt = Date.now() - 500;
    page.send(init({ runId: 3, status: 'done', text: 'All of it at once.', requestedAt, metrics: { timeToFirstTokenMs: 12, requestToFirstChunkMs: 40.4, tokensPerSecond: 900, generatedTokens: 5, reusedTokens: 0, totalMs: 60 } }));
    const draft = page.byId('draft');
    const shownAt = Number(await waitFor(() => draft.dataset.firstChunkVisibleAt, 'the first-chunk mark'));
    assert.ok(shownAt >= requestedAt);
    assert.equal(draft.dataset.firstChunkRunId, '3');
    // What bench:ui reads besides the mark: when the person asked and the daemon's own share.
    assert.equal(page.document.body.dataset.requestedAt, String(requestedAt));
    assert.equal(page.document.body.dataset.daemonFirstChunkMs, '40');
  });

  test('a reloaded page restoring the same run does not mark it again', async () => {
    const run = { runId: 4, status: 'done' as const, text: 'Restored reply.', requestedAt: Date.now() - 10_000 };
    page = loadWebview({ state: { thread: { ref: 'octo/widgets#7', title: 'T' }, run } });
    page.send(init(run));
    await waitFor(() => page?.byId('draft').textContent.includes('Restored reply.'), 'the restored draft');
    await page.nextFrame();
    assert.equal(page.byId('draft').dataset.firstChunkVisibleAt, undefined);
  });

  test('the streaming draft is not a live region; #status is', () => {
    page = loadWebview();
    const status = page.byId('status');
    assert.equal(status.getAttribute('role'), 'status');
    assert.equal(status.getAttribute('aria-live'), 'polite');
    assert.equal(page.byId('draft').closest('[aria-live], [role="status"], [role="alert"], [role="log"]'), null);
  });
});
