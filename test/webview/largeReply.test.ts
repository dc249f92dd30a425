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

const TWO_MB = 2 * 1024 * 1024;
const END = 'The end of a 2 MB reply.';
/** Generous: this guards against freezing (O(n²) re-rendering), not against slow machines. */
const BOUND_MS = 60_000;
/** A frame this long means the page froze (a full re-render of 2 MB in one frame takes ~10 s here). */
const FROZEN_FRAME_MS = 5_000;

/** About 2 MB of Markdown like a model writes: headings, paragraphs, lists, code, links; numbered sections. */
function bigReply(): { text: string; sections: number } {
  let text = '';
  let sections = 0;
  while (text.length < TWO_MB) {
    text +=
      `## Section ${sections}\n\nThe parser fails on *empty* input because \`readToken()\` returns \`undefined\`; see [the docs](https://example.com/${sections}).\n\n` +
      `- check the length first\n- return an empty AST\n\n` +
      '```ts\nexport function parse(input: string): Ast {\n  if (input.length === 0) return { type: "Program", body: [] };\n  return new Parser(input).program();\n}\n```\n\n';
    sections++;
  }
  return { text: `${text}${END}\n`, sections };
}

describe('a 2 MB reply', () => {
  test('streamed in chunks renders completely, without long frames', async () => {
    const current = (page = loadWebview());
    const { text, sections } = bigReply();
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });

    // Watch the page's frames: a frozen page shows as a long gap between two of them.
    let longestFrameGap = 0;
    let last = performance.now();
    let watching = true;
    const watch = (): void => {
      const now = performance.now();
      longestFrameGap = Math.max(longestFrameGap, now - last);
      last = now;
      if (watching) current.window.requestAnimationFrame(watch);
    };
    current.window.requestAnimationFrame(watch);

    const start = performance.now();
    const chunkSize = 4096;
    for (let at = 0, index = 0; at < text.length; at += chunkSize, index++) {
      current.send({ type: 'chunk', runId: 1, text: text.slice(at, at + chunkSize) });
      if (index % 16 === 15) await current.nextFrame(); // ~64 KB per frame
    }
    const draft = current.byId('draft');
    // Cheap to poll: the end is in the last rendered node (a query over the whole draft is not).
    await waitFor(() => draft.lastElementChild?.textContent.includes(END), 'the end of the reply streamed', BOUND_MS);
    const streamedMs = performance.now() - start;
    current.send(done(1, text));
    await waitFor(() => current.document.body.dataset.status === 'done', 'done', BOUND_MS);
    const totalMs = performance.now() - start;
    watching = false;

    assert.equal(draft.querySelectorAll('h2').length, sections);
    assert.equal(draft.querySelectorAll('pre code').length, sections);
    assert.ok(draft.lastElementChild?.textContent.includes(END));
    assert.ok(totalMs < BOUND_MS);
    assert.ok(longestFrameGap < FROZEN_FRAME_MS, `longest frame gap ${longestFrameGap.toFixed(0)} ms`);
    console.log(`2 MB streamed in ${text.length / chunkSize | 0} chunks: all rendered ${streamedMs.toFixed(0)} ms, done ${totalMs.toFixed(0)} ms, longest frame gap ${longestFrameGap.toFixed(0)} ms`);
  });

  test('arriving at once (init of a finished run) renders in slices and completes', async () => {
    const { text, sections } = bigReply();
    const start = performance.now();
    const current = (page = loadWebview());
    current.send(init({ runId: 9, status: 'done', text }));
    const draft = current.byId('draft');
    await waitFor(() => current.document.body.dataset.runId === '9' && current.document.body.dataset.status === 'done', 'the draft rendered', BOUND_MS);
    const totalMs = performance.now() - start;
    assert.equal(draft.querySelectorAll('h2').length, sections);
    assert.ok(draft.lastElementChild?.textContent.includes(END));
    console.log(`2 MB at once: rendered in ${totalMs.toFixed(0)} ms`);
  });
});
