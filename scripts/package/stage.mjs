// Copies what ships into the staging folder, applying the prune rules and counting bytes.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * @typedef {{ files: number, bytes: number, prunedBytes: Map<string, number> }} CopyTally
 */

export function newTally() {
  return { files: 0, bytes: 0, prunedBytes: new Map() };
}

/**
 * Copies the folder `from` to `to`, following symlinks. Paths are posix and relative to `from`:
 * those in `ignore` are passed over silently; `prune(relPath)` returns the id of the rule that
 * drops an entry (its bytes are counted under that id; a dropped folder is not entered) or undefined.
 *
 * @param {string} from
 * @param {string} to
 * @param {{ ignore?: string[], prune: (relPath: string) => string | undefined }} filter
 * @param {CopyTally} tally
 */
export async function copyTree(from, to, filter, tally, rel = '') {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from)) {
    const relPath = rel ? `${rel}/${entry}` : entry;
    if (filter.ignore?.includes(relPath)) continue;
    const source = path.join(from, entry);
    const info = await stat(source);
    const rule = filter.prune(relPath);
    if (rule) {
      tally.prunedBytes.set(rule, (tally.prunedBytes.get(rule) ?? 0) + (info.isDirectory() ? await treeSize(source) : info.size));
    } else if (info.isDirectory()) {
      await copyTree(source, path.join(to, entry), filter, tally, relPath);
    } else if (info.isFile()) {
      await copyFile(source, path.join(to, entry));
      tally.files += 1;
      tally.bytes += info.size;
    }
  }
}

async function treeSize(dir) {
  let total = 0;
  for (const entry of await readdir(dir)) {
    const info = await stat(path.join(dir, entry));
    total += info.isDirectory() ? await treeSize(path.join(dir, entry)) : info.size;
  }
  return total;
}

/**
 * The manifest that ships: the repository's, less what only matters to development (scripts,
 * devDependencies, npm settings, the CLI `bin`, which is not in the VSIX), with `dependencies`
 * naming the packages actually under node_modules' roots and their installed versions.
 *
 * @param {Record<string, unknown>} manifest
 * @param {{ name: string, version: string }[]} roots
 */
export function stagedManifest(manifest, roots) {
  const shipped = { ...manifest };
  for (const key of ['scripts', 'devDependencies', 'allowScripts', 'overrides', 'bin', 'files']) delete shipped[key];
  shipped.dependencies = Object.fromEntries(roots.map((root) => [root.name, root.version]));
  return shipped;
}
