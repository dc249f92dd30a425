import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../paths';

export const EXAMPLE_DOCS = path.join(ROOT, 'examples', 'yamlette-docs');

/**
 * A copy of examples/yamlette-docs as a git checkout of acme/yamlette with one commit, so indexed
 * docs get links pinned to that commit. Resolves with the folder and the commit.
 */
export async function gitCheckoutOfExampleDocs(repo = 'acme/yamlette'): Promise<{ root: string; head: string; cleanup(): Promise<void> }> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'threadwise-git-docs-'));
  const root = path.join(parent, 'yamlette');
  await cp(EXAMPLE_DOCS, root, { recursive: true });
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: parent } }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'Threadwise Test');
  git('remote', 'add', 'origin', `https://github.com/${repo}.git`);
  git('add', '-A');
  git('commit', '-q', '-m', 'docs');
  return { root, head: git('rev-parse', 'HEAD'), cleanup: () => rm(parent, { recursive: true, force: true }) };
}
