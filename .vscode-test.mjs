// Configuration for @vscode/test-cli: the extension-host test suite in a desktop VS Code, where one
// can be downloaded. On machines without that download (CI here), the same suite runs inside
// code-server's extension host (test/e2e). The suite itself is built to out/test/extension/.
export default {
  files: 'out/test/extension/**/*.test.js',
  extensionDevelopmentPath: '.',
  workspaceFolder: './examples',
  mocha: { ui: 'tdd', timeout: 60_000 },
};
