// Threadwise-specific fixtures and helpers shared by the UI tests (test/e2e/ui/) and bench/ui.mjs.
// (Kept out of ui/: `node --test test/e2e/ui/` runs every .mjs under a test/ folder as a test file.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, startVSCode } from './harness.mjs';

export { REPO };
export const MODELS = path.join(REPO, 'test', '.models');
export const COMMAND_SUGGEST = 'Threadwise: Suggest Reply';
export const COMMAND_CLOSE_ALL = 'View: Close All Editors';
export const COMMAND_SHOW_LOG = 'Threadwise: Show Log';
/** `<publisher>.<name>` + the id given to createStatusBarItem. */
export const STATUS_ITEM_ID = 'threadwise.threadwise.threadwise.status';

/** The tiny embedding model (a transformers.js folder) of the knowledge index. */
export const TINY_EMBED = path.join(MODELS, 'tiny-embed');

/**
 * The tiny test models (`npm run test:models`), no downloads, a short reply, one thread. The daemon
 * indexes every workspace folder, so the embedding model is the local tiny one too (the default is
 * a model id it may not download here).
 */
export function tinySettings(overrides = {}) {
  return {
    'threadwise.model': path.join(MODELS, 'tiny-llama.gguf'),
    'threadwise.guardrailModel': path.join(MODELS, 'tiny-guard'),
    'threadwise.embeddingModel': TINY_EMBED,
    'threadwise.allowDownloads': false,
    'threadwise.maxReplyTokens': 200,
    'threadwise.threads': 1,
    ...overrides,
  };
}

/** A model that never emits end-of-generation, with room for a long reply: for Stop / Regenerate. */
export function endlessSettings(overrides = {}) {
  // The reply must leave >= 512 of the model's 8192-token context to the thread: 7000 tokens run for seconds.
  return tinySettings({ 'threadwise.model': path.join(MODELS, 'tiny-llama-endless.gguf'), 'threadwise.maxReplyTokens': 7000, ...overrides });
}

export const THREAD = {
  repo: 'octo/widgets',
  number: 7,
  kind: 'issue',
  title: 'Parser crashes on empty input',
  body: 'Calling `widgets.parse("")` throws `TypeError: Cannot read properties of undefined` instead of returning `null`.\n\nVersion 2.3.0, Node 20.',
  url: 'https://github.com/octo/widgets/issues/7',
  state: 'open',
  labels: ['bug'],
  author: { login: 'alice', association: 'NONE' },
  createdAt: '2026-01-01T00:00:00Z',
  comments: [
    { author: { login: 'bob', association: 'MEMBER' }, body: 'Thanks! Does `parseAll("")` crash too?', createdAt: '2026-01-01T10:00:00Z' },
    { author: { login: 'alice', association: 'NONE' }, body: 'No, only `parse()`.', createdAt: '2026-01-01T11:00:00Z' },
  ],
};

/** Markup that would run script if any of it reached the DOM as HTML. */
export const HOSTILE_MARKUP = '<img src=x onerror="globalThis.__pwned=1;alert(1)"><script>globalThis.__pwned=2;alert(2)</script>';
export const HOSTILE_THREAD = {
  ...THREAD,
  number: 666,
  title: `${HOSTILE_MARKUP} Hostile title`,
  body: `${HOSTILE_MARKUP}\n\n<iframe src="javascript:alert(3)"></iframe> [x](javascript:alert(4)) <svg onload="alert(5)"></svg>`,
  url: 'https://github.com/octo/widgets/issues/666',
  comments: [{ author: { login: 'mallory', association: 'NONE' }, body: `${HOSTILE_MARKUP} second`, createdAt: '2026-01-02T00:00:00Z' }],
};

/** Fails fast, with the fix, when the build or the test models are missing. */
export function assertPrerequisites() {
  const missing = [
    [path.join(REPO, 'dist', 'client.cjs'), 'npm run build'],
    [path.join(REPO, 'dist', 'server.mjs'), 'npm run build'],
    [path.join(MODELS, 'tiny-llama.gguf'), 'npm run test:models'],
    [path.join(MODELS, 'tiny-llama-endless.gguf'), 'npm run test:models'],
    [path.join(MODELS, 'tiny-guard'), 'npm run test:models'],
    [TINY_EMBED, 'npm run test:models'],
    [path.join(REPO, 'test', 'e2e', 'node_modules', '.bin', 'code-server'), 'test/e2e/setup.sh'],
  ].filter(([file]) => !fs.existsSync(file));
  if (missing.length) throw new Error(`e2e prerequisites missing:\n${missing.map(([f, fix]) => `  ${f}  (run: ${fix})`).join('\n')}`);
}

/**
 * The extension as installed: the VSIX named by THREADWISE_E2E_VSIX (`auto`: the newest
 * `threadwise-*.vsix` at the repo root, which `node scripts/package.mjs` writes), else the repo
 * linked as an unpacked extension. CI tests the VSIX, so what ships is what is tested.
 */
export function installedExtension() {
  const choice = process.env.THREADWISE_E2E_VSIX;
  if (!choice) return { link: REPO };
  if (choice !== 'auto') return { vsix: path.resolve(choice) };
  const built = fs.readdirSync(REPO).filter((name) => /^threadwise-.*\.vsix$/.test(name))
    .map((name) => path.join(REPO, name)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!built.length) throw new Error('THREADWISE_E2E_VSIX=auto but no threadwise-*.vsix at the repo root (run: node scripts/package.mjs)');
  return { vsix: built[0] };
}

/** code-server with Threadwise installed (see installedExtension). */
export function startThreadwise({ settings = tinySettings(), workspaceFiles = { 'issue-7.thread.json': THREAD }, name = 'threadwise', ...rest } = {}) {
  assertPrerequisites();
  return startVSCode({ ...installedExtension(), settings, workspaceFiles, name, ...rest });
}

/** Everything a test reads from the suggestion webview, in one round trip. */
export function panelState(vsc) {
  return vsc.webview().locator('body').evaluate(() => {
    const g = globalThis;
    const d = g.document;
    const byId = (id) => d.getElementById(id);
    const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));
    const draft = byId('draft');
    const badge = byId('badge');
    return {
      status: d.body.getAttribute('data-status'),
      runId: num(d.body.getAttribute('data-run-id')),
      requestedAt: num(d.body.getAttribute('data-requested-at')),
      daemonFirstChunkMs: num(d.body.getAttribute('data-daemon-first-chunk-ms')),
      pageOriginAt: num(d.body.getAttribute('data-page-origin-at')),
      scriptStartedAt: num(d.body.getAttribute('data-script-started-at')),
      firstChunkVisibleAt: num(draft && draft.getAttribute('data-first-chunk-visible-at')),
      title: byId('thread-title') ? byId('thread-title').textContent : null,
      statusText: byId('status') ? byId('status').textContent : null,
      draft: draft ? draft.textContent : null,
      badge: badge ? badge.textContent.trim() : null,
      badgeUnsafe: badge ? badge.classList.contains('unsafe') : null,
      metrics: byId('metrics') ? byId('metrics').textContent.trim() : null,
      error: byId('error') ? byId('error').textContent.trim() : null,
      statusLog: [...(g.__e2eStatusLog || [])],
      draftLengths: [...(g.__e2eDraftLengths || [])],
      pwned: g.__pwned,
    };
  });
}

/** Waits for body[data-status] to be one of `statuses`. */
export async function waitForStatus(vsc, statuses, timeout = 120000) {
  const list = [].concat(statuses);
  // A run that ended some other way (an error, or done before the awaited state) fails at once and says how.
  const watched = [...new Set([...list, 'done', 'cancelled', 'error'])];
  await vsc.webview().locator(watched.map((s) => `body[data-status="${s}"]`).join(', ')).waitFor({ state: 'attached', timeout });
  const state = await panelState(vsc);
  if (!list.includes(state.status)) {
    throw new Error(`waited for status ${list.join('|')}, the run ended ${state.status}; #error: ${state.error}; #status: ${state.statusText}; ` +
      `status log ${JSON.stringify(state.statusLog)}; draft ${state.draft?.length ?? 0} chars`);
  }
}

/** Waits for the run to end (done | cancelled | error) and asserts it ended as `expected`. */
export async function waitForRunEnd(vsc, expected = 'done', timeout = 120000) {
  await waitForStatus(vsc, ['done', 'cancelled', 'error'], timeout);
  const state = await panelState(vsc);
  assert.equal(state.status, expected, `run ended ${state.status}, expected ${expected}; #error: ${state.error}; #status: ${state.statusText}`);
  return state;
}

/** Waits until the draft holds at least `minChars` characters. */
export async function waitForDraft(vsc, minChars = 1, timeout = 120000) {
  await vsc.webview().locator('#draft').filter({ hasText: new RegExp(`[\\s\\S]{${minChars}}`) }).waitFor({ timeout });
}

/** The tab of the suggestion panel for `ref` ("octo/widgets#7"). */
export function panelTab(vsc, ref) {
  return vsc.page.locator('.tabs-container .tab', { hasText: `Reply: ${ref}` }).first();
}

/**
 * Runs Suggest Reply from the palette and waits for the panel of `ref`. When the quick pick of thread
 * files shows (no thread file in the active editor, as far as the extension host knows), answers it
 * with `file`. Returns whether the pick was needed.
 */
export async function suggestReply(vsc, { file = 'issue-7.thread.json', ref = 'octo/widgets#7', timeout = 30000 } = {}) {
  await vsc.runCommand(COMMAND_SUGGEST);
  const tab = panelTab(vsc, ref);
  const pickTitle = vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: COMMAND_SUGGEST });
  await tab.or(pickTitle).first().waitFor({ timeout });
  const viaQuickPick = !(await tab.isVisible()) && (await pickTitle.isVisible());
  if (viaQuickPick) await vsc.pick(file);
  await tab.waitFor({ timeout });
  return { viaQuickPick };
}

/** Threadwise's status bar item once the daemon reports ready/idle (its comment icon, not spin/error). */
export function statusItemReady(vsc) {
  return vsc.page.locator(`.part.statusbar .statusbar-item[id="${STATUS_ITEM_ID}"]:not(.error-kind) .codicon-comment-discussion`);
}

/** The webview frame (any panel) whose document holds `selector`; waits for it. Returns a playwright Frame. */
export async function frameWith(vsc, selector, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    for (const frame of vsc.page.frames()) {
      if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > end) throw new Error(`no webview holds ${selector}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts the local fake GitHub (GitHub's published schema, the demo fixture: octo/widgets) as its own
 * process; resolves with { url, token, state(), stop() }. `state()` reads what was posted (GET /_fake/state).
 */
export async function startFakeGitHub({ token = 'e2e-token-0123456789' } = {}) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test', 'support', 'github', 'serve.ts'), '--seed', 'demo', '--token', token],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const info = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fake GitHub did not start: ${stderr}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) { clearTimeout(timer); resolve(JSON.parse(line)); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`fake GitHub exited ${code}: ${stderr}`)); });
  });
  return {
    url: info.url,
    token,
    async state() { return (await fetch(`${info.url}/_fake/state`)).json(); },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
    },
  };
}

/** The fake sign-in extension the GitHub UI tests load (test/e2e/fake-github-auth). */
export const FAKE_GITHUB_AUTH = path.join(REPO, 'test', 'e2e', 'fake-github-auth');
