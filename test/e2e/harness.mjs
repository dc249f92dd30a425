// End-to-end harness: a throw-away code-server (the real VS Code 1.100 server and workbench) with the
// extension installed, opened in Debian's chromium through playwright-core.
//
//   const vsc = await startVSCode({ link: REPO, workspaceFiles: { 'a.thread.json': {...} }, settings: {...} });
//   await vsc.runCommand('Threadwise: Suggest Reply');
//   await vsc.webview().locator('#draft').waitFor();
//   await vsc.stop();
//
// Needs `test/e2e/setup.sh` (apt chromium, code-server in test/e2e/node_modules). Artifacts
// (screenshots, logs) go to <repo>/test-results/ (E2E_RESULTS overrides it).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const RESULTS_DIR = path.resolve(process.env.E2E_RESULTS || path.join(REPO, 'test-results'));
export const CODE_SERVER = process.env.CODE_SERVER_BIN || path.join(here, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
/** Text box of the command palette / quick open / quick pick (held on VS Code 1.99–1.100). */
export const QUICK_INPUT = '.quick-input-widget .monaco-findInput input.input';
const QUICK_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';

/** The log folder (`<publisher>.<name>`) of the extension under test; its channels are echoed on failure. */
const EXTENSION_LOG_DIR = process.env.E2E_EXTENSION_ID || 'threadwise.threadwise';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every file under `dir` whose path passes `keep`. */
function findFiles(dir, keep) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter(keep);
}
const safeName = (name) => String(name).replace(/[^\w.-]+/g, '-');

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.unref();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function waitHealthy(url, ms, server) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode} before it was healthy`);
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`code-server not healthy at ${url} after ${ms} ms`);
}

// --- processes (Linux /proc) -----------------------------------------------------------------

/** Every process: pid, ppid, pgid, command line. */
export function listProcesses() {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]), cmdline });
    } catch { /* exited meanwhile */ }
  }
  return out;
}

/** Processes below `rootPid` (not including it). */
export function descendantsOf(rootPid, procs = listProcesses()) {
  const children = new Map();
  for (const p of procs) { if (!children.has(p.ppid)) children.set(p.ppid, []); children.get(p.ppid).push(p); }
  const out = [];
  const stack = [...(children.get(rootPid) || [])];
  while (stack.length) { const p = stack.pop(); out.push(p); stack.push(...(children.get(p.pid) || [])); }
  return out;
}

/** Proportional set size (else RSS) of a process in KiB; 0 when it is gone. */
function memoryKiB(pid) {
  for (const [file, key] of [[`/proc/${pid}/smaps_rollup`, 'Pss:'], [`/proc/${pid}/status`, 'VmRSS:']]) {
    try {
      const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(key));
      if (line) return Number(line.split(/\s+/)[1]);
    } catch { /* not readable or gone */ }
  }
  return 0;
}

// --- the harness -----------------------------------------------------------------------------

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
};

/**
 * Starts code-server and opens its workbench.
 * @param {object} o
 * @param {string} [o.vsix] install this VSIX (`--install-extension`)
 * @param {string} [o.link] or symlink this unpacked extension folder into the extensions dir
 * @param {string[]} [o.extraExtensions] more unpacked extension folders to link (test helpers)
 * @param {string} [o.devPath] extensionDevelopmentPath (loaded by the server-side extension host)
 * @param {string} [o.testsPath] extensionTestsPath: a CommonJS module exporting `run()` (mocha entry)
 * @param {Record<string, string|Buffer|object>} [o.workspaceFiles] files written into the workspace (objects as JSON)
 * @param {string} [o.copyWorkspace] a folder whose contents are copied into the workspace first
 * @param {object} [o.settings] user settings on top of DEFAULT_SETTINGS
 * @param {string} [o.name] label for artifacts in test-results/
 * @param {(type: string, args: unknown[]) => void} [o.log] receives the workbench / extension-host console
 *   while running an extension test suite (default: printed when testsPath is set)
 * @param {Record<string, string>} [o.env] extra environment for code-server (and the extension host)
 */
export async function startVSCode({
  vsix, link, extraExtensions = [], devPath, testsPath, workspaceFiles = {}, copyWorkspace, settings = {}, name = 'vscode',
  headless = process.env.E2E_HEADED !== '1', env: extraEnv = {},
  log = testsPath ? (type, args) => console.log(...args) : () => {},
} = {}) {
  const t0 = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-e2e-'));
  const dirs = Object.fromEntries(['ud', 'exts', 'ws', 'xdg'].map((d) => [d, path.join(root, d)]));
  Object.values(dirs).forEach((d) => fs.mkdirSync(d, { recursive: true }));
  if (copyWorkspace) fs.cpSync(copyWorkspace, dirs.ws, { recursive: true });
  for (const [rel, content] of Object.entries(workspaceFiles)) {
    const file = path.join(dirs.ws, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const isText = typeof content === 'string' || Buffer.isBuffer(content);
    fs.writeFileSync(file, isText ? content : JSON.stringify(content, null, 2) + '\n');
  }
  // code-server's window is a remote one: VS Code drops `machine`-scoped settings (model paths, …)
  // from the User settings there as soon as it knows their scope, and reads them from the remote
  // machine's settings instead. Which of the two a setting comes from depends on timing, so every
  // setting goes to both files (the User file for the rest).
  const settingsFiles = ['User', 'Machine'].map((dir) => path.join(dirs.ud, dir, 'settings.json'));
  let userSettings = { ...DEFAULT_SETTINGS, ...settings };
  const writeSettings = () => {
    for (const file of settingsFiles) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(userSettings, null, 2));
    }
  };
  writeSettings();

  // code-server's config and data stay out of $HOME; EXTENSIONS_GALLERY='{}' = no marketplace lookups.
  const env = {
    ...process.env, XDG_CONFIG_HOME: dirs.xdg, XDG_DATA_HOME: dirs.xdg, XDG_CACHE_HOME: dirs.xdg,
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}', ...extraEnv,
  };
  const common = ['--user-data-dir', dirs.ud, '--extensions-dir', dirs.exts];
  if (vsix) execFileSync(CODE_SERVER, [...common, '--install-extension', path.resolve(vsix)], { env, stdio: 'pipe' });
  const manifest = path.join(dirs.exts, 'extensions.json');
  for (const folder of [link, ...extraExtensions].filter(Boolean)) { // unpacked extension folders, linked as <publisher>.<name>-<version>
    const pj = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const relativeLocation = `${pj.publisher}.${pj.name}-${pj.version}`;
    const location = path.join(dirs.exts, relativeLocation);
    fs.symlinkSync(path.resolve(folder), location);
    // Once an install wrote extensions.json, VS Code loads only the extensions listed there.
    if (fs.existsSync(manifest)) {
      const entries = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      entries.push({ identifier: { id: `${pj.publisher}.${pj.name}` }, version: pj.version, relativeLocation,
        location: { $mid: 1, fsPath: location, external: `file://${location}`, path: location, scheme: 'file' }, metadata: { source: 'resource' } });
      fs.writeFileSync(manifest, JSON.stringify(entries));
    }
  }
  const tInstalled = Date.now();

  const port = await freePort();
  const logFile = path.join(root, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const server = spawn(CODE_SERVER, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', ...common, dirs.ws,
  ], { env, stdio: ['ignore', logFd, logFd], detached: true }); // own process group: kill(-pid) takes the ext host and the daemon too
  fs.closeSync(logFd);
  const killGroup = () => { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killGroup); // never leak a server when a test run dies

  // peak memory of everything this process started (code-server, extension host, daemon, chromium)
  const memory = { peakMiB: 0, currentMiB: 0 };
  const sampleMemory = () => {
    const kib = descendantsOf(process.pid).reduce((sum, p) => sum + memoryKiB(p.pid), 0);
    memory.currentMiB = Math.round(kib / 1024);
    memory.peakMiB = Math.max(memory.peakMiB, memory.currentMiB);
  };
  const sampler = setInterval(sampleMemory, 1000);
  sampler.unref();

  const base = `http://127.0.0.1:${port}`;
  const serverLog = () => { try { return fs.readFileSync(logFile, 'utf8'); } catch { return ''; } };
  try {
    await waitHealthy(`${base}/healthz`, 30000, server);
  } catch (error) {
    clearInterval(sampler); killGroup();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, `${safeName(name)}-startup-failure.code-server.log`), serverLog());
    if (process.env.E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`${error.message}\n--- code-server log ---\n${serverLog()}`, { cause: error });
  }
  const tServer = Date.now();

  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless,
    env: { ...process.env, XDG_CONFIG_HOME: dirs.xdg, XDG_CACHE_HOME: dirs.xdg }, // crashpad writes ~/.config/chromium otherwise
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Runs in every frame, webviews included: records body[data-status] changes and the #draft length
  // at every change, so a test can tell that text streamed even when the run is over in 100 ms.
  await context.addInitScript(() => {
    const g = globalThis;
    if (g.__e2eInstalled) return;
    g.__e2eInstalled = true;
    g.__e2eStatusLog = [];
    g.__e2eDraftLengths = [];
    const record = () => {
      const body = g.document.body;
      if (!body) return;
      const status = body.getAttribute('data-status');
      const log = g.__e2eStatusLog;
      if (status !== null && log[log.length - 1] !== status) log.push(status);
      const draft = g.document.getElementById('draft');
      const len = draft ? draft.textContent.length : 0;
      const lens = g.__e2eDraftLengths;
      if (lens[lens.length - 1] !== len) lens.push(len);
    };
    // VS Code fills a webview's #active-frame with document.open()/write(), which drops an observer
    // set up here; a timer survives it, so it (re)attaches the observer and samples as a fallback.
    const observer = new g.MutationObserver(record);
    let observed = null;
    g.setInterval(() => {
      if (g.document.documentElement && observed !== g.document.documentElement) {
        observed = g.document.documentElement;
        observer.observe(g.document, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      record();
    }, 20);
  });
  const page = await context.newPage();
  const consoleErrors = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { dialogs.push({ type: d.type(), message: d.message() }); void d.dismiss().catch(() => {}); });
  // The hooks @vscode/test-web uses: the workbench calls them when it runs extensionTestsPath.
  let resolveExit;
  const exitCode = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => log(type, args));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const startupFailed = async (error) => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const stem = path.join(RESULTS_DIR, `${safeName(name)}-startup-failure`);
    await page.screenshot({ path: `${stem}.png` }).catch(() => {});
    fs.writeFileSync(`${stem}.code-server.log`, serverLog());
    clearInterval(sampler);
    await browser.close().catch(() => {});
    killGroup();
    if (process.env.E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
    throw error;
  };
  const q = new URLSearchParams({ folder: dirs.ws });
  if (devPath) {
    // vscode-remote URIs: the server-side Node extension host loads the extension and runs the suite.
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = [['extensionDevelopmentPath', remote(devPath)]];
    if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
    q.set('payload', JSON.stringify(payload));
  }
  try {
    await page.goto(`${base}/?${q}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  } catch (error) {
    await startupFailed(error);
  }
  const tWorkbench = Date.now();
  sampleMemory();

  /**
   * Opens a quick input with `key`, types `text`, then runs `act(attempt, end)` in it. A quick input
   * closes when it loses the focus, and a webview that was just clicked may take the focus a moment
   * after the key (seen in CI: "element is not visible" for 30 s), so each step has a short limit and
   * any failure starts over with a fresh quick input until `timeout` ms have passed.
   */
  async function inFreshQuickInput(what, key, text, timeout, act) {
    const end = Date.now() + timeout;
    const input = page.locator(QUICK_INPUT);
    for (let attempt = 1; ; attempt++) {
      try {
        await vsc.closeQuickInput();
        await vsc.focusWorkbench();
        await page.keyboard.press(key);
        await input.waitFor({ state: 'visible', timeout: 10000 });
        await input.fill(text, { timeout: 3000 });
        await act(attempt, end);
        return;
      } catch (error) {
        if (Date.now() >= end) throw new Error(`could not ${what} in ${timeout} ms`, { cause: error });
        await sleep(250);
      }
    }
  }

  const vsc = {
    root, dirs, base, port, page, context, browser, server, consoleErrors, dialogs, exitCode, memory,
    timings: { installMs: tInstalled - t0, serverMs: tServer - tInstalled, workbenchMs: tWorkbench - tServer, totalMs: tWorkbench - t0 },
    serverLog,

    /** Merges `next` into the user settings.json (VS Code picks the change up from disk). */
    updateSettings(next) {
      userSettings = { ...userSettings, ...next };
      writeSettings();
    },

    /** Moves keyboard focus out of any webview / editor so workbench keybindings (F1) reach the workbench. */
    async focusWorkbench() {
      await page.evaluate(() => { const el = globalThis.document.activeElement; if (el && el.blur) el.blur(); });
    },

    /** Closes any open quick input (palette, quick pick) left over from an earlier step. */
    async closeQuickInput() {
      const input = page.locator(QUICK_INPUT);
      for (let i = 0; i < 3 && await input.isVisible(); i++) { await page.keyboard.press('Escape'); await sleep(100); }
    },

    /**
     * Runs a command by its palette title ("Threadwise: Suggest Reply") through F1. The palette lists the
     * commands known when it opened, and an extension's contributions arrive a moment after the
     * workbench shows, so a title that is not listed yet is retried with a fresh palette.
     */
    async runCommand(title, { timeout = 30000 } = {}) {
      const row = page.locator(QUICK_ROW, { hasText: title }).first();
      const focused = page.locator(`${QUICK_ROW}.focused`).first();
      const focusedText = () => focused.innerText({ timeout: 500 }).catch(() => '');
      await inFreshQuickInput(`run "${title}" from the command palette`, 'F1', '>' + title, timeout, async (attempt, end) => {
        await row.waitFor({ timeout: Math.max(1000, Math.min(attempt * 2000, end - Date.now())) });
        // Keyboard, not a click: the list may hold a row that matches but is not laid out as visible,
        // while the focus moves through the rows whatever their layout. Down until the focused row
        // is the command, then Enter.
        const rows = await page.locator(QUICK_ROW).count();
        for (let step = 0; step <= rows && !(await focusedText()).includes(title); step++) await page.keyboard.press('ArrowDown');
        if (!(await focusedText()).includes(title)) throw new Error(`the palette row "${title}" never took the focus`);
        await page.keyboard.press('Enter');
      });
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 1000 }).catch(() => {}); // a command may open its own quick pick
    },

    /** Answers an open quick pick: types `text`, waits for a row showing it, presses Enter. */
    async pick(text, { timeout = 20000 } = {}) {
      const input = page.locator(QUICK_INPUT);
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(text);
      await page.locator(QUICK_ROW, { hasText: text }).first().waitFor({ timeout });
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 10000 });
    },

    /** Innermost frame of the active (last ready) webview: outer iframe.webview → #active-frame. */
    webview() { return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame'); },

    /** Waits for a notification toast containing `text`; returns its text. */
    async waitForNotification(text, timeout = 20000) {
      const toast = page.locator('.notification-toast', { hasText: text }).first();
      await toast.waitFor({ timeout });
      return toast.innerText();
    },

    /** Opens a workspace file through quick open (Ctrl+P) and waits for its tab. */
    async openFile(rel, { timeout = 30000 } = {}) {
      const base = path.basename(rel);
      await inFreshQuickInput(`open ${rel} through quick open`, 'Control+P', rel, timeout, async (_attempt, end) => {
        await page.locator(QUICK_ROW, { hasText: base }).first().waitFor({ timeout: Math.max(1000, Math.min(10000, end - Date.now())) });
        await page.keyboard.press('Enter');
        await page.locator(`.tab[data-resource-name="${base}"]`).first().waitFor({ timeout: 5000 });
      });
      await sleep(300); // the extension host learns of the new active editor a moment after the tab shows
    },

    /** A status bar item by its id (`<publisher>.<name>.<item id>`) or, failing that, by its text. */
    statusBarItem(idOrText) {
      return page.locator(`.part.statusbar .statusbar-item[id="${idOrText}"]`)
        .or(page.locator('.part.statusbar .statusbar-item', { hasText: idOrText })).first();
    },

    /** Saves a screenshot of the whole page as test-results/<name>.png; returns its path. */
    async screenshot(shotName) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${safeName(shotName)}.png`);
      await page.screenshot({ path: file });
      return file;
    },

    /**
     * Writes what helps after a failure: <label>.png, <label>.code-server.log, <label>.console.txt
     * and the workbench/extension-host log folder (output channels included) as <label>-logs/.
     */
    async saveArtifacts(label = name) {
      const stem = path.join(RESULTS_DIR, safeName(label));
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: `${stem}.png` }).catch(() => {});
      fs.writeFileSync(`${stem}.code-server.log`, serverLog());
      fs.writeFileSync(`${stem}.console.txt`, consoleErrors.join('\n') + '\n');
      const logs = path.join(dirs.ud, 'logs');
      if (fs.existsSync(logs)) {
        fs.cpSync(logs, `${stem}-logs`, { recursive: true, dereference: true });
        // CI keeps only the console: the tail of each extension-owned output channel goes there too.
        for (const file of findFiles(logs, (f) => f.includes(`${path.sep}${EXTENSION_LOG_DIR}${path.sep}`))) {
          const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
          console.error(`--- ${label}: last ${Math.min(40, lines.length)} lines of ${path.relative(logs, file)}\n${lines.slice(-40).join('\n')}`);
        }
      }
      return stem;
    },

    /** Runs `fn`; when it throws, saves artifacts under `label` and rethrows. */
    async step(label, fn) {
      try { return await fn(); } catch (error) { await vsc.saveArtifacts(`${label}-failure`); throw error; }
    },

    /** Pids of processes under this code-server whose command line contains `needle`. */
    processesMatching(needle) {
      return descendantsOf(server.pid).filter((p) => p.cmdline.includes(needle));
    },

    /** The extension's daemon processes (Node running dist/server.mjs) under this code-server. */
    daemonProcesses() { return vsc.processesMatching('dist/server.mjs'); },

    /** Waits for exactly one daemon (other than `notPid`) and returns its pid. */
    async waitForDaemon({ notPid, timeout = 30000 } = {}) {
      const end = Date.now() + timeout;
      for (;;) {
        const found = vsc.daemonProcesses().filter((p) => p.pid !== notPid);
        if (found.length === 1) return found[0].pid;
        if (Date.now() > end) throw new Error(`expected one daemon process (not ${notPid}), found ${JSON.stringify(found)}`);
        await sleep(200);
      }
    },

    /** kill -9 the daemon; returns its pid. */
    async killDaemon(signal = 'SIGKILL') {
      const pid = await vsc.waitForDaemon();
      process.kill(pid, signal);
      return pid;
    },

    /** Closes the browser and kills code-server's whole process group; removes the temp dir unless `keep`. */
    async stop({ keep = process.env.E2E_KEEP === '1' } = {}) {
      clearInterval(sampler);
      await browser.close().catch(() => {});
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => { if (server.exitCode !== null || server.signalCode !== null) r(); else { server.once('exit', r); setTimeout(r, 5000); } });
      killGroup();
      process.removeListener('exit', killGroup);
      if (!keep) fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return vsc;
}
