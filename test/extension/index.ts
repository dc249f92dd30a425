/**
 * Entry of the extension-host test suite, loaded by VS Code's extension host when it starts with
 * `--extensionTestsPath` (the @vscode/test-electron contract: export `run(): Promise<void>`). Used
 * inside code-server (test/e2e/runExtensionTests.mjs); on desktop VS Code `.vscode-test.mjs` runs
 * the same files through @vscode/test-cli. Which files and which mocha options: `.vscode-test.mjs`,
 * read here, so the two runners cannot drift apart.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type MochaType from 'mocha';

// mocha is CommonJS (`module.exports = Mocha`); loaded with require so no interop helper guesses.
const Mocha = createRequire(__filename)('mocha') as typeof MochaType;

interface TestConfig {
  files: string;
  mocha?: MochaType.MochaOptions;
}

export async function run(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const configModule = (await import(pathToFileURL(path.join(repoRoot, '.vscode-test.mjs')).href)) as { default: TestConfig };
  const config = configModule.default;
  const mocha = new Mocha({ color: false, ...config.mocha });
  for (const file of filesMatching(repoRoot, config.files)) mocha.addFile(file);
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}

/**
 * The files of a "dir, any depth, name ending in a suffix" pattern (the only shape `.vscode-test.mjs`
 * uses), sorted. Node 20
 * has no fs.globSync and the extension host must not need more packages than mocha.
 */
function filesMatching(root: string, pattern: string): string[] {
  const match = /^([^*]+)\/\*\*\/\*([^*/]+)$/.exec(pattern);
  if (!match) throw new Error(`.vscode-test.mjs: files must be a folder, any depth, and a suffix; got "${pattern}"`);
  const [, dir = '', suffix = ''] = match;
  const base = path.resolve(root, dir);
  return readdirSync(base, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => path.join(base, name));
}
