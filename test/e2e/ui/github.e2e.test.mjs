// GitHub in a real VS Code (code-server + Chromium) against a local fake GitHub that serves
// GitHub's published GraphQL schema with fixture data (octo/widgets). The repository comes from the
// workspace's .git/config remote; sign-in goes through VS Code's authentication API (a provider
// extension handing out the fake server's token, `threadwise.github.authProvider`); the sidebar
// lists the fixture issues, selecting one shows the thread, Suggest Reply streams, and Post puts the
// comment on the fake server only after the confirmation is clicked.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAKE_GITHUB_AUTH, endlessSettings, frameWith, startFakeGitHub, startThreadwise,
} from '../threadwise.mjs';

const TEST_TIMEOUT = 180000;
const TITLE = 'Parser crashes on empty input';

const GIT_CONFIG = `[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = git@github.com:someone/widgets-fork.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[remote "upstream"]
\turl = https://github.com/octo/widgets.git
\tfetch = +refs/heads/*:refs/remotes/upstream/*
`;

describe('GitHub: sidebar, thread view, Suggest Reply and Post', () => {
  let gh;
  let vsc;
  before(async () => {
    gh = await startFakeGitHub();
    vsc = await startThreadwise({
      name: 'github',
      // The endless model streams until Stop: the test sees the draft grow, then stops it and posts.
      settings: { ...endlessSettings(), 'threadwise.github.apiUrl': gh.url, 'threadwise.github.authProvider': 'fake-github', 'threadwise.github.refreshMinutes': 0 },
      workspaceFiles: { '.git/config': GIT_CONFIG, '.git/HEAD': 'ref: refs/heads/main\n', 'README.md': '# widgets\n' },
      extraExtensions: [FAKE_GITHUB_AUTH],
      env: { THREADWISE_E2E_GITHUB_TOKEN: gh.token, THREADWISE_E2E_GITHUB_LOGIN: 'maint' },
    });
  });
  after(async () => {
    await vsc?.stop();
    await gh?.stop();
  });

  const sidebar = () => vsc.page.locator('.part.sidebar');
  const row = (text) => sidebar().locator('.monaco-list-row', { hasText: text }).first();

  test('sign in from the sidebar: the repository from the git remote lists the fixture issues in groups', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('github-sidebar', async () => {
      await vsc.runCommand('Threadwise: Focus on Issues and Pull Requests View');
      const signIn = sidebar().locator('.welcome-view-content a, .welcome-view-content .monaco-button', { hasText: 'Sign in to GitHub' }).first();
      await signIn.waitFor({ timeout: 60000 });
      await vsc.screenshot('github-1-signed-out');
      await signIn.click();
      // VS Code asks whether Threadwise may use the account: nothing is shared without this click.
      const allow = vsc.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Allow' });
      await allow.waitFor({ timeout: 30000 });
      await allow.click();
      await row('octo/widgets').waitFor({ timeout: 60000 });
      await row('Needs a reply').waitFor({ timeout: 60000 });
      await row(TITLE).waitFor({ timeout: 30000 });
      for (const group of ['Assigned to me', 'Mentioning me', 'Created by me', 'Needs a reply', 'Recently updated']) {
        assert.ok(await row(group).count(), `group "${group}" is not in the tree`);
      }
      assert.equal(await row('someone/widgets-fork').count(), 1, 'the fork remote is listed too');
      const forkIndex = await sidebar().locator('.monaco-list-row').evaluateAll((rows) => rows.findIndex((r) => r.textContent.includes('someone/widgets-fork')));
      const upstreamIndex = await sidebar().locator('.monaco-list-row').evaluateAll((rows) => rows.findIndex((r) => r.textContent.includes('octo/widgets')));
      assert.ok(upstreamIndex >= 0 && upstreamIndex < forkIndex, `upstream (${upstreamIndex}) is not listed before the fork (${forkIndex})`);
      await vsc.screenshot('github-2-tree');
    }));

  test('selecting an issue opens the thread view with its comments, rendered as text', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('github-thread', async () => {
      await row(TITLE).click();
      const frame = await frameWith(vsc, '#conversation');
      await frame.locator('#thread-title', { hasText: TITLE }).waitFor({ timeout: 30000 });
      await frame.locator('#conversation', { hasText: 'Does parseAll("") crash too?' }).waitFor({ timeout: 30000 });
      await frame.locator('#conversation', { hasText: 'No, only parse().' }).waitFor({ timeout: 30000 });
      await vsc.screenshot('github-3-thread-view');
    }));

  test('Suggest Reply from the thread view streams a draft; Post asks, then the comment is on GitHub', { timeout: TEST_TIMEOUT }, () =>
    vsc.step('github-post', async () => {
      const before = await gh.state();
      const key = 'octo/widgets#7';
      const countBefore = before.threads[key].comments.length;
      const threadFrame = await frameWith(vsc, '#conversation');
      await threadFrame.locator('#suggest-reply').click();
      const panel = await frameWith(vsc, '#draft', 60000);
      await panel.locator('body[data-status="generating"]').waitFor({ timeout: 120000 });
      await panel.locator('#draft').filter({ hasText: /[\s\S]{40}/ }).waitFor({ timeout: 60000 });
      const early = (await panel.locator('#draft').textContent()).length;
      await panel.locator('#draft').filter({ hasText: new RegExp(`[\\s\\S]{${early + 20}}`) }).waitFor({ timeout: 60000 });
      await panel.locator('#stop').click();
      await panel.locator('body[data-status="cancelled"]').waitFor({ timeout: 30000 });
      const draft = await panel.locator('#draft').textContent();
      assert.ok(draft.length > early, 'the draft did not grow while streaming');
      await vsc.screenshot('github-4-drafted');
      assert.equal((await gh.state()).threads[key].comments.length, countBefore, 'something was posted before Post was clicked');

      // Edit the draft first: what is posted is the person's final text.
      await panel.locator('#edit').click();
      const editor = panel.locator('#editor');
      await editor.waitFor({ timeout: 10000 });
      const finalText = 'Thanks for the report! A fix for `parse("")` is on its way.';
      await editor.fill(finalText);
      await panel.locator('#post').click();
      const dialog = vsc.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30000 });
      assert.match(await dialog.textContent(), /octo\/widgets#7/);
      assert.ok((await dialog.textContent()).includes(finalText), 'the confirmation does not show the final text');
      await vsc.screenshot('github-5-confirm');
      // Cancel first: nothing may be posted.
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10000 });
      assert.equal((await gh.state()).threads[key].comments.length, countBefore, 'cancelling the confirmation posted anyway');

      await panel.locator('#post').click();
      await dialog.waitFor({ timeout: 30000 });
      await dialog.locator('.monaco-button', { hasText: /^Post$/ }).click();
      await panel.locator('#posted-link').waitFor({ timeout: 30000 });
      const after = await gh.state();
      const comments = after.threads[key].comments;
      assert.equal(comments.length, countBefore + 1, 'exactly one comment was added');
      const posted = comments[comments.length - 1];
      assert.equal(posted.body, finalText);
      assert.equal(posted.author, 'maint');
      assert.equal((await panel.locator('#posted-link').textContent()).trim(), posted.url);
      await vsc.screenshot('github-6-posted');
    }));
});
