import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../server/src/cli/args';
import type { SuggestCommand } from '../../server/src/cli/args';
import { confirmPost } from '../../server/src/cli/confirmPost';
import type { PostConfirmation } from '../../server/src/cli/confirmPost';
import { findGitHubToken } from '../../server/src/cli/githubToken';
import { parseGitHubThreadArg } from '../../server/src/cli/threadArg';
import { ThreadwiseError } from '../../server/src/errors';

function suggest(argv: readonly string[], env: NodeJS.ProcessEnv = {}): SuggestCommand {
  const command = parseArgs(argv, env);
  assert.equal(command.command, 'suggest');
  return command;
}

describe('parseGitHubThreadArg', () => {
  test('owner/repo#N and issue or pull request URLs on any host', () => {
    assert.deepEqual(parseGitHubThreadArg('octo/widgets#7'), { repo: 'octo/widgets', number: 7 });
    assert.deepEqual(parseGitHubThreadArg(' https://github.com/octo/widgets/issues/7 '), { repo: 'octo/widgets', number: 7 });
    assert.deepEqual(parseGitHubThreadArg('https://github.com/octo/widgets/pull/12#discussion_r1'), { repo: 'octo/widgets', number: 12 });
    assert.deepEqual(parseGitHubThreadArg('https://ghe.example.com/team/tool/pull/3/files'), { repo: 'team/tool', number: 3 });
  });

  test('files, junk and path tricks are not references', () => {
    for (const value of ['issue.thread.json', '-', 'octo/widgets', 'octo/widgets#x', 'https://github.com/octo', 'https://github.com/../etc/issues/1',
      'https://github.com/octo/widgets/issues/abc', 'javascript:alert(1)//octo/widgets/issues/1', 'octo/..#1']) {
      assert.equal(parseGitHubThreadArg(value), undefined, value);
    }
  });
});

describe('suggest --post / --yes / --api-url', () => {
  test('defaults: no posting, api.github.com, GITHUB_API_URL honoured', () => {
    const plain = suggest(['suggest', 'octo/widgets#7']);
    assert.equal(plain.post, false);
    assert.equal(plain.yes, false);
    assert.equal(plain.apiUrl, 'https://api.github.com');
    assert.equal(suggest(['suggest', 'octo/widgets#7'], { GITHUB_API_URL: 'https://ghe.example.com/api/' }).apiUrl, 'https://ghe.example.com/api');
    assert.equal(suggest(['suggest', 'o/r#1', '--api-url', 'http://127.0.0.1:9/', '--post', '--yes']).apiUrl, 'http://127.0.0.1:9');
  });

  test('bad values are usage errors that say what to pass', () => {
    assert.throws(() => parseArgs(['suggest', 'o/r#1', '--yes'], {}), (e: unknown) => e instanceof UsageError && /--yes only makes sense with --post/.test(e.message));
    assert.throws(() => parseArgs(['suggest', 'o/r#1', '--api-url', 'not a url'], {}), (e: unknown) => e instanceof UsageError && /--api-url must be a URL/.test(e.message));
    assert.throws(() => parseArgs(['suggest', 'o/r#1', '--api-url', 'https://user:secret@ghe.example.com/api'], {}), (e: unknown) => e instanceof UsageError && /must not hold credentials/.test(e.message) && !e.message.includes('secret'));
    assert.throws(() => parseArgs(['suggest', 'o/r#1', '--api-url', 'file:///etc'], {}), UsageError);
  });
});

describe('findGitHubToken', () => {
  const noGh = () => Promise.resolve(null);

  test('GITHUB_TOKEN first, then GH_TOKEN, then gh auth token', async () => {
    assert.deepEqual(await findGitHubToken({ GITHUB_TOKEN: ' a ', GH_TOKEN: 'b' }, 'https://api.github.com', noGh), { token: 'a', source: 'GITHUB_TOKEN' });
    assert.deepEqual(await findGitHubToken({ GITHUB_TOKEN: '', GH_TOKEN: 'b' }, 'https://api.github.com', noGh), { token: 'b', source: 'GH_TOKEN' });
    const hosts: (string | undefined)[] = [];
    const gh = (host: string | undefined) => {
      hosts.push(host);
      return Promise.resolve('from-gh');
    };
    assert.deepEqual(await findGitHubToken({}, 'https://api.github.com', gh), { token: 'from-gh', source: 'gh auth token' });
    await findGitHubToken({}, 'https://ghe.example.com/api', gh);
    assert.deepEqual(hosts, [undefined, 'ghe.example.com'], 'gh is asked for the Enterprise host, and for github.com without --hostname');
  });

  test('nothing found: a github-auth error that says how to sign in', async () => {
    await assert.rejects(findGitHubToken({}, 'https://api.github.com', noGh), (error: unknown) => {
      assert.ok(error instanceof ThreadwiseError);
      assert.equal(error.reason, 'github-auth');
      assert.match(error.describe(), /GITHUB_TOKEN/);
      assert.match(error.describe(), /gh auth login/);
      return true;
    });
  });
});

describe('confirmPost', () => {
  const base: PostConfirmation = { threadRef: 'octo/widgets#7', body: 'Thanks, fixed in 2.3.1.', assumeYes: false, interactive: true, warnings: [] };

  async function ask(request: PostConfirmation, answer: string | null): Promise<{ outcome: Awaited<ReturnType<typeof confirmPost>>; shown: string; asked: string[] }> {
    let shown = '';
    const asked: string[] = [];
    const outcome = await confirmPost(request, (text) => { shown += text; }, (prompt) => {
      asked.push(prompt);
      return Promise.resolve(answer);
    });
    return { outcome, shown, asked };
  }

  test('shows the exact text and the thread, posts only on yes', async () => {
    const yes = await ask(base, 'y');
    assert.deepEqual(yes.outcome, { post: true });
    assert.ok(yes.shown.includes(base.body) && yes.shown.includes('octo/widgets#7'));
    assert.equal(yes.asked.length, 1);
    assert.deepEqual((await ask(base, 'YES')).outcome, { post: true });
    for (const answer of ['', 'n', 'no', 'sure', null]) assert.equal((await ask(base, answer)).outcome.post, false, String(answer));
  });

  test('without a terminal it refuses unless --yes; --yes never asks', async () => {
    const refused = await ask({ ...base, interactive: false }, 'y');
    assert.equal(refused.outcome.post, false);
    assert.match(refused.outcome.post ? '' : refused.outcome.why, /--yes/);
    assert.equal(refused.asked.length, 0);
    const forced = await ask({ ...base, interactive: false, assumeYes: true }, null);
    assert.deepEqual(forced.outcome, { post: true });
    assert.equal(forced.asked.length, 0);
  });

  test('an empty draft is never posted, warnings are shown before the question', async () => {
    assert.equal((await ask({ ...base, body: '  \n', assumeYes: true }, 'y')).outcome.post, false);
    const warned = await ask({ ...base, warnings: ['the guardrail labels this reply toxic (0.91)'] }, 'n');
    assert.match(warned.shown, /warning: the guardrail labels this reply toxic/);
  });
});
