// The knowledge index in a real VS Code (code-server + Chromium): the workspace folder's git remote
// names its repository (acme/yamlette), the daemon indexes its docs with the tiny embedding model,
// and Suggest Reply on a thread of that repository gives the model numbered sources. The tiny model
// writes gibberish and cites nothing, so the test does what a person does: edits the draft and cites
// "[1]" — the panel turns it into a button (the number was given to the model; "[2]" was not and is
// flagged), and clicking it opens the local docs file in an editor with the cited lines selected.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, panelState, startThreadwise, statusItemReady, suggestReply, tinySettings, waitForRunEnd, COMMAND_SHOW_LOG } from '../threadwise.mjs';

const TEST_TIMEOUT = 240000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const THREAD_FILE = 'parser-crash.thread.json';
const THREAD = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', THREAD_FILE), 'utf8'));
const REF = `${THREAD.repo}#${THREAD.number}`;

const GIT_CONFIG = `[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = https://github.com/acme/yamlette.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
`;

// One section of examples/yamlette-docs/docs/parsing.md under front matter (blanked by the indexer,
// line numbers kept) and a title with nothing under it: the file gives exactly one chunk, so source
// [1] is that section whatever the tiny embedding model ranks, and it starts well below line 1.
const DOC_LINES = [
  '---',
  'title: Parsing rules',
  'sidebar_position: 2',
  '---',
  '',
  '# Parsing rules',
  '',
  '## Encodings and the byte order mark', // line 8: the section (and the chunk) starts here
  '',
  'Input must be UTF-8. A UTF-8 byte order mark (`U+FEFF`) at the very start of the text is',
  'skipped before anything else is read, so an input that holds only a BOM is an empty',
  'document: `parse()` returns `null` and `parseAll()` returns `[]`.',
  '',
  'Versions before 3.2.2 checked for the BOM after the empty-input shortcut in `src/reader.ts`,',
  "so `parse('\\uFEFF')` threw `TypeError: Cannot read properties of undefined (reading 'kind')`.",
  'Upgrade to 3.2.2 or later; as a workaround on older versions, strip the BOM yourself:',
  '',
  '```js',
  "yamlette.parse(text.replace(/^\\uFEFF/, ''));",
  '```', // line 20: … and ends here
];
const SECTION_START = DOC_LINES.indexOf('## Encodings and the byte order mark') + 1;
const SECTION_END = DOC_LINES.length;
/** What VS Code's status bar says with the section selected from its first line to the end of its last. */
const SECTION_SELECTED = `Ln ${SECTION_END}, Col ${DOC_LINES[SECTION_END - 1].length + 1} (${DOC_LINES.slice(SECTION_START - 1, SECTION_END).join('\n').length} selected)`;

/** Waits until a line matching `pattern` is in one of the workbench / extension-host log files. */
async function waitForLogLine(vsc, pattern, timeout = 60000) {
  const logs = path.join(vsc.dirs.ud, 'logs');
  const end = Date.now() + timeout;
  for (;;) {
    const files = fs.existsSync(logs) ? fs.readdirSync(logs, { recursive: true }).filter((f) => String(f).endsWith('.log')) : [];
    for (const file of files) {
      let text = '';
      try { text = fs.readFileSync(path.join(logs, String(file)), 'utf8'); } catch { /* rotated meanwhile */ }
      if (pattern.test(text)) return;
    }
    if (Date.now() > end) throw new Error(`no log line matching ${pattern} after ${timeout} ms`);
    await sleep(250);
  }
}

describe('Knowledge: Suggest Reply gets numbered sources that open the local docs', () => {
  let vsc;
  before(async () => {
    vsc = await startThreadwise({
      name: 'knowledge',
      settings: tinySettings(),
      workspaceFiles: {
        '.git/config': GIT_CONFIG,
        '.git/HEAD': 'ref: refs/heads/main\n',
        'docs/parsing.md': DOC_LINES.join('\n') + '\n',
        [THREAD_FILE]: THREAD,
      },
    });
  });
  after(async () => { await vsc?.stop(); });

  test('Reindex Knowledge indexes the folder’s docs under the repository of its git remote', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('knowledge-index', async () => {
      await vsc.runCommand(COMMAND_SHOW_LOG); // activates the extension
      await statusItemReady(vsc).waitFor({ timeout: 90000 });
      // The folders reached the daemon (logged once it accepted them); Reindex then waits for its update.
      await waitForLogLine(vsc, /Knowledge: indexing acme\/yamlette in the background/, 90000);
      await vsc.runCommand('Threadwise: Reindex Knowledge');
      await vsc.pick('Update all indexes');
      const toast = await vsc.waitForNotification('Indexed', 120000);
      await vsc.screenshot('knowledge-1-indexed');
      assert.match(toast, /Indexed acme\/yamlette: 1 file, 0 issues, 1 chunk/, `the notification: ${toast}`);
    }));

  test('an edited draft citing [1] opens docs/parsing.md with the cited section selected', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('knowledge-open-source', async () => {
      await vsc.openFile(THREAD_FILE);
      await suggestReply(vsc, { file: THREAD_FILE, ref: REF });
      const state = await waitForRunEnd(vsc, 'done');
      assert.ok(state.draft.trim().length > 0, 'empty draft');
      const wv = vsc.webview();
      // Retrieval gave the model the one source: the panel says so (or lists it, should the model cite it).
      const sources = wv.locator('#sources');
      await sources.waitFor({ state: 'visible', timeout: 30000 });
      const sourcesText = await sources.innerText();
      assert.match(sourcesText, /cites none of the 1 source given to the model|\[1\] docs\/parsing\.md › Parsing rules › Encodings and the byte order mark/,
        `#sources: ${sourcesText}`);
      await vsc.screenshot('knowledge-2-suggested');

      // The person edits the draft and cites the source; [2] was never given to the model.
      await wv.locator('#edit').click();
      const editor = wv.locator('#editor');
      await editor.waitFor({ state: 'visible', timeout: 10000 });
      await editor.fill('A file holding only a BOM parses to `null` since 3.2.2 [1]. Older versions need the BOM stripped first [2].');
      await wv.locator('#edit').click();
      await editor.waitFor({ state: 'hidden', timeout: 10000 });
      const citation = wv.locator('#draft button.citation', { hasText: '[1]' });
      await citation.waitFor({ timeout: 30000 });
      assert.equal(await wv.locator('#draft .citation').count(), 1, 'one citation button');
      assert.match(await citation.getAttribute('title'), /^Open source \[1\]/);
      const flagged = wv.locator('#draft .citation-flag');
      assert.deepEqual(await flagged.allInnerTexts(), ['[2]'], 'the number not given is flagged');
      assert.match(await flagged.first().getAttribute('title'), /possibly fabricated/);
      assert.equal((await panelState(vsc)).draft.trim().startsWith('A file holding only a BOM'), true, 'the edited draft is shown');
      await vsc.screenshot('knowledge-3-edited');

      await citation.click();
      const tab = vsc.page.locator('.tabs-container .tab[data-resource-name="parsing.md"]');
      await tab.waitFor({ timeout: 30000 });
      const active = vsc.page.locator('.tabs-container .tab.active[data-resource-name="parsing.md"]');
      await active.waitFor({ timeout: 30000 });
      // The cited lines are selected: the cursor at the end of the section's last line, the whole section selected.
      const selection = vsc.statusBarItem('status.editor.selection');
      await selection.filter({ hasText: SECTION_SELECTED }).waitFor({ timeout: 30000 }).catch(async (error) => {
        throw new Error(`expected "${SECTION_SELECTED}" in the status bar, it shows "${await selection.innerText().catch(() => '?')}"`, { cause: error });
      });
      await vsc.page.locator('.monaco-editor .view-lines', { hasText: 'Encodings and the byte order mark' }).first().waitFor({ timeout: 10000 });
      await vsc.screenshot('knowledge-4-source-open');
      // The panel stays open beside the file.
      assert.equal(await vsc.page.locator('.tabs-container .tab', { hasText: `Reply: ${REF}` }).count(), 1, 'the suggestion panel is gone');
    }));
});
