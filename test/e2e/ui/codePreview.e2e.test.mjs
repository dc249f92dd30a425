// Code answers in a real VS Code (code-server + Chromium): the tiny model's draft (gibberish, no code
// to speak of) is edited, as a person would, into a reply with a rewritten function of a workspace
// file. The panel checks the edited draft again, so its Checks section gets a row for the new block;
// "Preview in Editor" opens a diff of src/parser.ts against the file with the block placed in it, the
// editor-title action "Apply Code Answer" edits the file (an ordinary, undoable edit), and saving it
// writes exactly the new text to disk.
//   npm run build && node --test --test-concurrency=1 --test-reporter=spec test/e2e/ui/codePreview.e2e.test.mjs
// Screenshots of every step go to test-results/codePreview-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, startThreadwise, suggestReply, tinySettings, waitForRunEnd } from '../threadwise.mjs';

const TEST_TIMEOUT = 240000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const THREAD_FILE = 'parser-crash.thread.json';
const THREAD = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', THREAD_FILE), 'utf8'));
const REF = `${THREAD.repo}#${THREAD.number}`;

const PARSER = 'src/parser.ts';
const PARSER_BEFORE = [
  '// Splits the lines of a fixture file.',
  '',
  'export function splitFields(line: string): string[] {',
  "  return line.split(',').map((field) => field.trim());",
  '}',
  '',
  'export const VERSION = 1;',
  '',
].join('\n');
/** The function rewritten: its first and last lines are the file's lines 3 and 5, so it replaces lines 3–5. */
const FUNCTION_AFTER = [
  'export function splitFields(line: string): string[] {',
  '  return line.split(/[,;]/).map((field) => field.trim());',
  '}',
].join('\n');
const PARSER_AFTER = PARSER_BEFORE.replace("line.split(',')", 'line.split(/[,;]/)');
const EDITED_DRAFT = `In ${PARSER}, split on both separators:\n\n\`\`\`ts\n${FUNCTION_AFTER}\n\`\`\`\n`;

/** Waits until `read()` returns `expected` (polling); fails with what it last returned. */
async function waitForValue(read, expected, what, timeout = 20000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = read();
    if (last === expected) return;
    if (Date.now() > end) assert.equal(last, expected, `${what} after ${timeout} ms`);
    await sleep(200);
  }
}

describe('Code answers: an edited draft’s block previews as a diff and applies to the file', () => {
  let vsc;
  before(async () => {
    assert.notEqual(PARSER_AFTER, PARSER_BEFORE, 'the fixture changes the file');
    vsc = await startThreadwise({
      name: 'codePreview',
      settings: tinySettings(),
      workspaceFiles: { [PARSER]: PARSER_BEFORE, [THREAD_FILE]: THREAD },
    });
  });
  after(async () => { await vsc?.stop(); });

  test('edit → re-checked row → Preview in Editor → Apply Code Answer → saved file', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('codePreview', async () => {
      await vsc.openFile(THREAD_FILE);
      await suggestReply(vsc, { file: THREAD_FILE, ref: REF });
      const state = await waitForRunEnd(vsc, 'done');
      assert.ok(state.draft.trim().length > 0, 'empty draft');
      const wv = vsc.webview();
      await wv.locator('#checks').waitFor({ state: 'visible', timeout: 30000 });
      await vsc.screenshot('codePreview-1-suggested');

      // The person rewrites the draft into a code answer and leaves the editor.
      await wv.locator('#edit').click();
      const editor = wv.locator('#editor');
      await editor.waitFor({ state: 'visible', timeout: 10000 });
      await editor.fill(EDITED_DRAFT);
      await vsc.screenshot('codePreview-2-editing');
      await wv.locator('#edit').click();
      await editor.waitFor({ state: 'hidden', timeout: 10000 });

      // The host checks the edited text again: the section says so and lists the new block.
      await wv.locator('#checks-scope', { hasText: 'Checks of your edited draft' }).waitFor({ state: 'visible', timeout: 60000 });
      const row = wv.locator('#checks-blocks > li[data-index="0"]');
      await row.waitFor({ timeout: 30000 });
      assert.equal(await wv.locator('#checks-blocks > li').count(), 1, 'one row: the edited draft has one block');
      assert.equal(await row.locator('.check-block-title').innerText(), 'Block 1 · typescript');
      assert.equal(await row.locator('.check-block-status').innerText(), 'syntax ok · no security findings');
      assert.equal(await wv.locator('#checks-summary').innerText(), 'All checks passed');
      assert.equal(await wv.locator('#checks-edited').isVisible(), false, 'no "edited since" note: the checks are of this text');
      assert.equal(await wv.locator('#draft pre.check-failed').count(), 0, 'the passing block is not marked');
      await vsc.screenshot('codePreview-3-rechecked');

      // Preview in Editor: a diff of src/parser.ts against the file with the block placed in it.
      await row.locator('button.check-preview').click();
      const diffTab = vsc.page.locator('.tabs-container .tab.active', { hasText: 'Code Answer 1' });
      await diffTab.waitFor({ timeout: 30000 });
      const diffTitle = (await diffTab.innerText()).trim();
      assert.match(diffTitle, /^parser\.ts ↔ Code Answer 1 \(replaces lines 3–5\)/, `the diff tab: ${diffTitle}`);
      // The file as it is on the left, with the block placed in it on the right.
      const diff = vsc.page.locator('.editor-group-container.active .monaco-diff-editor');
      await diff.locator('.editor.original .view-lines', { hasText: "line.split(',')" }).waitFor({ timeout: 30000 });
      await diff.locator('.editor.modified .view-lines', { hasText: 'line.split(/[,;]/)' }).waitFor({ timeout: 30000 });
      await vsc.screenshot('codePreview-4-diff');

      // Apply Code Answer, from the diff editor's title bar (the command is hidden from the palette).
      const apply = vsc.page.locator(
        '.editor-group-container.active .title .editor-actions a.action-label[aria-label^="Apply Code Answer"], ' +
        '.editor-group-container.active .title .editor-actions a.action-label[title^="Apply Code Answer"]',
      ).first();
      await apply.waitFor({ timeout: 30000 });
      await apply.click();
      await vsc.waitForNotification(`Applied code block 1 to ${PARSER}`, 30000);
      const parserTab = vsc.page.locator('.tabs-container .tab.active[data-resource-name="parser.ts"]');
      await parserTab.waitFor({ timeout: 30000 });
      const parserEditor = vsc.page.locator('.editor-group-container.active .monaco-editor .view-lines');
      await parserEditor.filter({ hasText: 'line.split(/[,;]/)' }).waitFor({ timeout: 30000 });
      assert.equal(await parserEditor.filter({ hasText: "line.split(',')" }).count(), 0, 'the old line is gone from the editor');
      assert.equal(fs.readFileSync(path.join(vsc.dirs.ws, PARSER), 'utf8'), PARSER_BEFORE, 'applied, not yet saved');
      await vsc.screenshot('codePreview-5-applied');

      // Save (the edit is an ordinary unsaved change of the file) and read it back from disk.
      await parserEditor.first().click();
      await vsc.page.keyboard.press('Control+S');
      await vsc.page.locator('.tabs-container .tab.dirty[data-resource-name="parser.ts"]').waitFor({ state: 'detached', timeout: 20000 });
      await waitForValue(() => fs.readFileSync(path.join(vsc.dirs.ws, PARSER), 'utf8'), PARSER_AFTER, `${PARSER} on disk`);
      await vsc.screenshot('codePreview-6-saved');
    }));
});
