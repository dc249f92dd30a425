import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { formatOfPath } from '../clean/formats';
import type { DocFormat } from '../types';

/** A docs file found in a folder, not yet read. */
export interface DocFile {
  /** Relative to the scanned folder, forward slashes. */
  relPath: string;
  absPath: string;
  format: DocFormat;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Globs relative to the folder; a file must match one. */
  include: readonly string[];
  /** Globs of files and folders to leave out (a folder glob like `**\/vendor/**` prunes the walk). */
  exclude: readonly string[];
  /** Larger files are skipped (default 1 MiB). */
  maxBytes?: number;
  /** Most files taken from one folder; the rest are skipped with one log line (default 20,000). */
  maxFiles?: number;
  log(message: string): void;
  signal?: AbortSignal;
}

export const MAX_DOC_BYTES = 1024 * 1024;
const MAX_FILES = 20_000;

/** Folders never walked whatever the globs say: version control and dependency trees. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

/**
 * Lists the docs files of `root`: files matching an include glob and no exclude glob, of a format
 * the chunker knows, at most `maxBytes`. Symbolic links are not followed (no cycles, nothing
 * outside the folder). Skips are logged with their reason; binary content is checked when read.
 */
export async function scanDocFiles(root: string, options: ScanOptions): Promise<DocFile[]> {
  const globOptions = { dot: true, nocase: process.platform === 'win32' };
  const included = picomatch([...options.include], globOptions);
  const excluded = options.exclude.length > 0 ? picomatch([...options.exclude], globOptions) : () => false;
  const maxBytes = options.maxBytes ?? MAX_DOC_BYTES;
  const maxFiles = options.maxFiles ?? MAX_FILES;
  const files: DocFile[] = [];
  let overflow = 0;

  const walk = async (dir: string, rel: string): Promise<void> => {
    options.signal?.throwIfAborted();
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      options.log(`knowledge: cannot read the folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || excluded(`${relPath}/`) || excluded(`${relPath}/x`)) continue;
        await walk(path.join(dir, entry.name), relPath);
        continue;
      }
      if (!entry.isFile() || !included(relPath) || excluded(relPath)) continue;
      const format = formatOfPath(relPath);
      if (format === null) continue;
      if (files.length >= maxFiles) {
        overflow++;
        continue;
      }
      const absPath = path.join(dir, entry.name);
      let info;
      try {
        info = await lstat(absPath);
      } catch {
        continue; // deleted while walking
      }
      if (info.size > maxBytes) {
        options.log(`knowledge: skipped ${relPath}: ${(info.size / 1024 / 1024).toFixed(1)} MB is over the ${Math.round(maxBytes / 1024)} KB limit for a docs file`);
        continue;
      }
      files.push({ relPath, absPath, format, size: info.size, mtimeMs: info.mtimeMs });
    }
  };
  await walk(root, '');
  if (overflow > 0) options.log(`knowledge: skipped ${overflow} more files in ${root}: only the first ${maxFiles} docs files of a folder are indexed`);
  return files;
}
