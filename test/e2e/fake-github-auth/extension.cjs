// An authentication provider handing out GitHub tokens for the UI tests: VS Code's built-in GitHub
// provider signs in through github.com, which the test machines cannot reach, and it cannot be
// replaced under the same id. The tests set `threadwise.github.authProvider` to "fake-github";
// Threadwise then calls vscode.authentication.getSession('fake-github', ['repo']) exactly as it
// calls the built-in provider, VS Code asks the person to allow it (the test clicks Allow), and
// this provider answers with the token that the local fake GitHub server accepts
// (THREADWISE_E2E_GITHUB_TOKEN and THREADWISE_E2E_GITHUB_LOGIN in code-server's environment).
'use strict';
const vscode = require('vscode');

function activate(context) {
  const token = process.env.THREADWISE_E2E_GITHUB_TOKEN || 'test-token';
  const login = process.env.THREADWISE_E2E_GITHUB_LOGIN || 'maint';
  const changed = new vscode.EventEmitter();
  let sessions = [];
  const makeSession = (scopes) => ({ id: `fake-${Date.now()}`, accessToken: token, account: { id: login, label: login }, scopes: [...scopes] });

  const provider = {
    onDidChangeSessions: changed.event,
    async getSessions(scopes) {
      return sessions.filter((s) => !scopes || scopes.every((scope) => s.scopes.includes(scope)));
    },
    async createSession(scopes) {
      const session = makeSession(scopes);
      sessions = [session];
      changed.fire({ added: [session], removed: [], changed: [] });
      return session;
    },
    async removeSession(id) {
      const removed = sessions.filter((s) => s.id === id);
      sessions = sessions.filter((s) => s.id !== id);
      changed.fire({ added: [], removed, changed: [] });
    },
  };
  context.subscriptions.push(
    changed,
    vscode.authentication.registerAuthenticationProvider('fake-github', 'Fake GitHub', provider, { supportsMultipleAccounts: false }),
    vscode.commands.registerCommand('fakeGitHubAuth.signOut', async () => {
      for (const session of [...sessions]) await provider.removeSession(session.id);
    }),
  );
}

module.exports = { activate, deactivate() {} };
