#!/usr/bin/env node
// `npm run package` (after `npm run build -- --production`): a platform-specific VSIX for this
// machine, `threadwise-<target>-<version>.vsix` at the repository root.
//
//   1. The node bundles in dist/ (*.mjs, *.cjs; the webview's *.js runs in a browser) are scanned
//      for the bare specifiers esbuild left external: those packages are the roots.
//   2. Their run-time closure is walked through the real node_modules tree (scripts/package/closure.mjs),
//      keeping this platform's optional binaries only, less the packages and files in
//      scripts/package/prune.mjs.
//   3. Everything is staged in out/vsix/ and `vsce package --no-dependencies --target <target>`
//      packs that folder offline; vsce never runs npm.
//
// Where node_modules goes: vsce's file walk skips the packaged folder's top-level node_modules/
// whenever it does not ask npm for the dependency tree (`--no-dependencies`), so the closure is
// staged as dist/node_modules/. Node resolves dist/server.mjs's imports there first, and every
// package keeps its place relative to the others, so nested node_modules resolve as installed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMON_EXTERNAL } from './externals.mjs';
import { externalPackagesOf } from './package/bundleImports.mjs';
import { dependencyClosure } from './package/closure.mjs';
import { currentPlatform, vsceTarget } from './package/platform.mjs';
import { excludedPackage, PRUNE_RULES } from './package/prune.mjs';
import { copyTree, newTally, stagedManifest } from './package/stage.mjs';
import { zipEntries } from './package/zipEntries.mjs';

const started = performance.now();
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const STAGE = path.join(ROOT, 'out', 'vsix');
const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const platform = currentPlatform();
const target = vsceTarget(platform);
const vsixPath = path.join(ROOT, `${manifest.name}-${target}-${manifest.version}.vsix`);

// 1. The bundles and what they load at run time. -------------------------------------------------
for (const required of [manifest.main, 'dist/server.mjs']) {
  if (!existsSync(path.join(ROOT, required))) fail(`${required} is missing: run \`npm run build -- --production\` first`);
}
const nodeBundles = readdirSync(DIST).filter((file) => /\.[cm]js$/.test(file));
const scanned = nodeBundles.flatMap((file) => externalPackagesOf(readFileSync(path.join(DIST, file), 'utf8'), ['vscode']));
// Plus every package the build left external that is installed: some are loaded by a name the scan
// cannot see (a computed require.resolve, a createRequire call).
const declared = DAEMON_EXTERNAL.filter((name) => existsSync(path.join(ROOT, 'node_modules', name, 'package.json')));
const roots = [...new Set([...scanned, ...declared])].sort();
console.log(`target ${target}; external packages imported by dist/{${nodeBundles.join(',')}}: ${roots.join(', ')}`);

// 2. Their closure, for this platform. --------------------------------------------------------------
const { packages, leftOut } = dependencyClosure({ rootDir: ROOT, roots, platform, exclude: excludedPackage });
for (const missing of leftOut.filter((item) => item.requiredBy === '<root>')) {
  console.warn(`warning: ${missing.name} is imported by the bundles but ${missing.why}: skipped; the daemon fails where it loads it`);
}

// 3. Stage. ----------------------------------------------------------------------------------------
rmSync(STAGE, { recursive: true, force: true });
const tally = newTally();
const rootFiles = readdirSync(ROOT).filter((file) => /^(?:readme\.md|changelog\.md|licen[cs]e(?:\.md|\.txt)?)$/i.test(file));
mkdirSync(STAGE, { recursive: true });
for (const file of rootFiles) copyFileSync(path.join(ROOT, file), path.join(STAGE, file));
if (!rootFiles.some((file) => /^licen[cs]e/i.test(file))) fail('no LICENSE file at the repository root');
await copyTree(DIST, path.join(STAGE, 'dist'), { prune: (rel) => (rel.endsWith('.map') ? 'dist source maps' : undefined) }, tally);
const shippedRoots = packages.filter((pkg) => pkg.requiredBy === '<root>');
writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify(stagedManifest(manifest, shippedRoots), null, 2)}\n`);
writeFileSync(path.join(STAGE, '.vscodeignore'), '# Staged by scripts/package.mjs: this folder is exactly what ships.\n');

const bytesByTopLevel = new Map();
for (const pkg of packages) {
  const before = tally.bytes;
  const rules = PRUNE_RULES.filter((rule) => rule.appliesTo(pkg.name));
  const prune = (rel) => rules.find((rule) => rule.drops(rel, platform))?.id;
  await copyTree(pkg.dir, path.join(STAGE, 'dist', pkg.relDir), { ignore: ['node_modules'], prune }, tally);
  const topLevel = topLevelName(pkg.relDir);
  bytesByTopLevel.set(topLevel, (bytesByTopLevel.get(topLevel) ?? 0) + tally.bytes - before);
}
console.log(`staged ${tally.files} files, ${MiB(tally.bytes)} in ${path.relative(ROOT, STAGE)}/ (${packages.length} packages under dist/node_modules)`);

// 4. Pack. -----------------------------------------------------------------------------------------
rmSync(vsixPath, { force: true });
const vsce = vsceEntryPoint();
const vsceArgs = ['package', '--no-dependencies', '--target', target, '--out', vsixPath];
// Without a repository vsce can neither ask nor rewrite README links; stdin is closed so no prompt can hang.
if (!manifest.repository) vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
const packed = spawnSync(process.execPath, [vsce, ...vsceArgs], { cwd: STAGE, stdio: ['ignore', 'inherit', 'inherit'] });
if (packed.status !== 0) fail(`vsce package failed (exit ${packed.status ?? packed.signal})`);

// 5. Report. ---------------------------------------------------------------------------------------
const entries = await zipEntries(vsixPath);
console.log(`\n${path.basename(vsixPath)}: ${MiB(statSync(vsixPath).size)} (${entries.length} entries, ${MiB(entries.reduce((sum, e) => sum + e.size, 0))} unpacked)`);
console.log('largest entries (unpacked / packed):');
for (const entry of entries.toSorted((a, b) => b.size - a.size).slice(0, 10)) {
  console.log(`  ${MiB(entry.size).padStart(10)} ${MiB(entry.compressedSize).padStart(10)}  ${entry.name}`);
}
const bySize = [...bytesByTopLevel].sort((a, b) => b[1] - a[1]);
console.log(`dist/node_modules: ${bySize.length} top-level packages (unpacked):`);
for (const [name, bytes] of bySize.slice(0, 10)) console.log(`  ${MiB(bytes).padStart(10)}  ${name}`);
if (bySize.length > 10) console.log(`  and ${bySize.slice(10).map(([name]) => name).join(', ')}`);
console.log('pruned:');
for (const [rule, bytes] of tally.prunedBytes) console.log(`  ${MiB(bytes).padStart(10)}  ${rule}`);
for (const item of leftOut) console.log(`  ${'package'.padStart(10)}  ${item.name} (from ${item.requiredBy}): ${item.why}`);
console.log(`packaged in ${((performance.now() - started) / 1000).toFixed(1)} s`);

function topLevelName(relDir) {
  const parts = relDir.split(path.sep);
  return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

function vsceEntryPoint() {
  const dir = path.join(ROOT, 'node_modules', '@vscode', 'vsce');
  if (!existsSync(path.join(dir, 'package.json'))) fail('@vscode/vsce is not installed: run `npm ci`');
  const { bin } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return path.join(dir, typeof bin === 'string' ? bin : bin.vsce);
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}
