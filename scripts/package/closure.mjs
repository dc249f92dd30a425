// The run-time dependency closure of some packages, walked through the real node_modules tree.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { packageFitsPlatform } from './platform.mjs';

/**
 * @typedef {object} InstalledPackage
 * @property {string} name
 * @property {string} version
 * @property {string} dir       where Node finds it (a symlinked package keeps its link path)
 * @property {string} relDir    `dir` relative to the root, e.g. `node_modules/a/node_modules/b`
 * @property {string} requiredBy the first package that brought it in (`<root>` for a root)
 *
 * @typedef {object} LeftOut
 * @property {string} name
 * @property {string} requiredBy
 * @property {string} why
 */

/**
 * Walks `dependencies`, installed `optionalDependencies` and installed non-optional
 * `peerDependencies` from `roots`, resolving each name the way Node does from the requiring
 * package's folder (its own node_modules first, then each enclosing node_modules up to `rootDir`).
 * A package is left out when its `os`/`cpu`/`libc` fields reject `platform` or `exclude` names a
 * reason for it. Returns the packages in walk order, plus what was left out and why.
 *
 * @param {{ rootDir: string, roots: string[], platform: { os: string, cpu: string, libc?: string }, exclude: (name: string, platform: { os: string, cpu: string }) => string | undefined }} options
 * @returns {{ packages: InstalledPackage[], leftOut: LeftOut[] }}
 */
export function dependencyClosure({ rootDir, roots, platform, exclude }) {
  const packages = new Map();
  const leftOut = new Map();
  const queue = roots.map((name) => ({ name, from: rootDir, requiredBy: '<root>', optional: false }));
  const note = (name, requiredBy, why) => {
    if (!leftOut.has(name)) leftOut.set(name, { name, requiredBy, why });
  };

  for (let next = queue.shift(); next; next = queue.shift()) {
    const { name, from, requiredBy, optional } = next;
    const dir = resolvePackageDir(name, from, rootDir);
    if (!dir) {
      // A missing optional dependency is npm skipping another platform's package: not worth a note.
      if (!optional) note(name, requiredBy, 'not installed');
      continue;
    }
    if (packages.has(dir)) continue;
    const manifest = readManifest(dir);
    if (!packageFitsPlatform(manifest, platform)) {
      note(name, requiredBy, `built for ${describePlatform(manifest)}`);
      continue;
    }
    const excluded = exclude(name, platform);
    if (excluded) {
      note(name, requiredBy, excluded);
      continue;
    }
    packages.set(dir, { name, version: manifest.version, dir, relDir: path.relative(rootDir, dir), requiredBy });

    const optionalNames = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    const peerMeta = manifest.peerDependenciesMeta ?? {};
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: dep, from: dir, requiredBy: name, optional: optionalNames.has(dep) });
    }
    for (const dep of optionalNames) queue.push({ name: dep, from: dir, requiredBy: name, optional: true });
    for (const dep of Object.keys(manifest.peerDependencies ?? {})) {
      if (!peerMeta[dep]?.optional) queue.push({ name: dep, from: dir, requiredBy: name, optional: false });
    }
  }
  return { packages: [...packages.values()], leftOut: [...leftOut.values()] };
}

/** Node's lookup: `<dir>/node_modules/<name>` for `from` and each parent, never above `rootDir`. */
function resolvePackageDir(name, from, rootDir) {
  const stop = path.dirname(rootDir);
  for (let dir = from; dir !== stop && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') continue;
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

function readManifest(dir) {
  return JSON.parse(readFileSync(path.join(realpathSync(dir), 'package.json'), 'utf8'));
}

function describePlatform(manifest) {
  return [manifest.os, manifest.cpu, manifest.libc].flat().filter(Boolean).join('/') || 'another platform';
}
