#!/usr/bin/env node
// Runs an extension-host test suite inside code-server's (server-side, Node) extension host, the way
// @vscode/test-electron runs it in desktop VS Code: the extension under development is loaded from
// <extensionDevelopmentPath> and <testsEntryJs> (CommonJS, exporting `run(): Promise<void>`, e.g. a
// mocha runner) is required and run. Prints the suite's console output; exits 0 when run() resolved.
//
//   node test/e2e/runExtensionTests.mjs <extensionDevelopmentPath> <testsEntryJs>
//        [--workspace <folder to copy in as the workspace>] [--settings <JSON text | file.json>]
//        [--timeout <ms, default 300000>] [--verbose (also the workbench's start-up log lines)]
//
// In --settings, "${extensionDevelopmentPath}" inside string values is replaced by the absolute path
// (so a setting can name e.g. "${extensionDevelopmentPath}/test/.models/tiny-llama.gguf").
// On failure or timeout: test-results/extension-tests-failure.{png,code-server.log,console.txt} + logs.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startVSCode } from './harness.mjs';

const usage = 'usage: runExtensionTests.mjs <extensionDevelopmentPath> <testsEntryJs> [--workspace dir] [--settings json|file] [--timeout ms] [--verbose]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { workspace: { type: 'string' }, settings: { type: 'string' }, timeout: { type: 'string', default: '300000' }, verbose: { type: 'boolean' } },
});
if (positionals.length !== 2) { console.error(usage); process.exit(2); }
const devPath = path.resolve(positionals[0]);
const testsPath = path.resolve(positionals[1]);
for (const p of [path.join(devPath, 'package.json'), testsPath]) {
  if (!fs.existsSync(p)) { console.error(`runExtensionTests: ${p} does not exist`); process.exit(2); }
}
let settings = {};
if (values.settings) {
  const text = fs.existsSync(values.settings) ? fs.readFileSync(values.settings, 'utf8') : values.settings;
  settings = JSON.parse(text.replaceAll('${extensionDevelopmentPath}', devPath.replaceAll('\\', '\\\\')));
}
const timeoutMs = Number(values.timeout);
// The workbench's own start-up chatter also comes through the automation log; the suite's does not match these.
const CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore:|Updating additional builtin extensions cache)/;
const print = (type, args) => {
  const parts = Array.isArray(args) ? args : [args];
  if (!values.verbose && typeof parts[0] === 'string' && CHATTER.test(parts[0])) return;
  (type === 'error' ? console.error : console.log)(...parts);
};

const t0 = Date.now();
const vsc = await startVSCode({
  name: 'extension-tests', devPath, testsPath, settings,
  copyWorkspace: values.workspace ? path.resolve(values.workspace) : undefined,
  log: print,
});
let timer;
const result = await Promise.race([
  vsc.exitCode,
  new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); }),
]);
clearTimeout(timer);
const ok = result === 0;
console.log(`\nextension tests ${ok ? 'passed' : result === 'timeout' ? `timed out after ${timeoutMs} ms` : `failed (exit ${result})`}` +
  ` in ${Date.now() - t0} ms (server + workbench ${vsc.timings.totalMs} ms, peak memory ${vsc.memory.peakMiB} MiB)`);
if (!ok) {
  const stem = await vsc.saveArtifacts('extension-tests-failure');
  if (result === 'timeout') { // the suite's own log may say nothing: show the server's side too
    console.log(`--- code-server log ---\n${vsc.serverLog()}`);
    if (vsc.consoleErrors.length) console.log(`--- browser console errors ---\n${vsc.consoleErrors.join('\n')}`);
  }
  console.log(`artifacts: ${stem}.png, ${stem}.code-server.log, ${stem}.console.txt, ${stem}-logs/`);
}
await vsc.stop();
process.exit(ok ? 0 : 1);
