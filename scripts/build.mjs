#!/usr/bin/env node
// Bundles each runtime with esbuild (type checking is `tsc -b`, separately):
//   dist/server.mjs  the daemon over LSP (node, ESM)      dist/cli.mjs  the headless CLI (node, ESM)
//   dist/client.cjs  the VS Code extension (node, CJS, `vscode` external)
//   dist/webview.js  the suggestion webview (browser)   dist/threadView.js  the thread view (browser)
//   out/test/extension/  the extension-host suite
// Native and ML packages and the code checkers stay external (scripts/externals.mjs says why).
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { DAEMON_EXTERNAL } from './externals.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  define: { THREADWISE_VERSION: JSON.stringify(pkg.version) },
};

// ESM bundles of CommonJS dependencies (vscode-languageserver) need `require` for Node built-ins.
const esmRequireBanner = "import { createRequire as __threadwiseCreateRequire } from 'node:module'; const require = __threadwiseCreateRequire(import.meta.url);";

const targets = [
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.mjs', format: 'esm', external: DAEMON_EXTERNAL, banner: { js: esmRequireBanner } },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.mjs', format: 'esm', external: DAEMON_EXTERNAL, banner: { js: esmRequireBanner } },
];
if (existsSync('client/src/extension.ts')) {
  targets.push({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.cjs', format: 'cjs', external: ['vscode'] });
}
if (existsSync('webview/src/main.ts')) {
  targets.push({ ...common, platform: 'browser', target: 'es2022', entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview.js', format: 'iife' });
}
if (existsSync('webview/src/thread/main.ts')) {
  targets.push({ ...common, platform: 'browser', target: 'es2022', entryPoints: ['webview/src/thread/main.ts'], outfile: 'dist/threadView.js', format: 'iife' });
}

// The extension-host test suite (test/extension): CommonJS for the extension host's `require`,
// `vscode` and mocha external (the host provides the one; the repo's node_modules the other).
if (existsSync('test/extension/index.ts') && !production) {
  const entryPoints = readdirSync('test/extension')
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => `test/extension/${name}`);
  targets.push({ ...common, entryPoints, outdir: 'out/test/extension', outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['vscode', 'mocha'] });
}

if (watch) {
  const { context } = await import('esbuild');
  for (const target of targets) await (await context(target)).watch();
  console.log('watching…');
} else {
  await Promise.all(targets.map((target) => build(target)));
}
