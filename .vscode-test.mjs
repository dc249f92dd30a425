// Configuration of the extension-host test suite (@vscode/test-cli: `npx vscode-test`), run in a
// desktop VS Code where one can be downloaded. Where none can (CI here), the same files run inside
// code-server's extension host: test/extension/index.ts reads `files` and `mocha` from this file,
// and test/e2e/runExtensionTests.mjs starts it. The suite writes its own fixtures and settings (tiny
// models from `npm run test:models`), so it needs no workspace set-up. Built by `npm run build`.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/extension/**/*.test.cjs',
  extensionDevelopmentPath: '.',
  workspaceFolder: './examples',
  mocha: { ui: 'tdd', timeout: 60_000 },
});
