// `threadwise suggest owner/repo#N` against a local fake GitHub (GitHub's real schema, fixture data):
// token discovery, the fetched thread, `--post` refused without a terminal, posted with `--yes`.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readJsonl } from '../../server/src/cli/jsonlWriter';
import { DEMO_ISSUE, DEMO_REPO, startFakeGitHubWithSeed } from '../support/github/demoSeed';
import type { FakeGitHub } from '../support/github/fakeGitHub';
import { runThreadwise } from '../support/cliProcess';
import type { CliRun } from '../support/cliProcess';
import { TINY_GUARD, TINY_LLAMA } from '../support/paths';

const TOKEN = 'ghp_PLANTEDcliToken0123456789abcdefABCDEF';

/** Runs the CLI with exactly `env` (plus PATH without gh), stdin not a terminal. */
function threadwise(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runThreadwise(args, { env: { PATH: path.dirname(process.execPath), HOME: os.tmpdir(), ...env } });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('threadwise suggest owner/repo#N', () => {
  let gh: FakeGitHub;
  let scratch: string;
  before(async () => {
    gh = await startFakeGitHubWithSeed('demo', { tokens: [TOKEN] });
    scratch = await mkdtemp(path.join(os.tmpdir(), 'threadwise-cli-gh-'));
  });
  after(async () => {
    await gh.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const model = ['--model', TINY_LLAMA, '--guard-model', TINY_GUARD, '--offline', '--max-tokens', '32', '--threads', '1'];
  const ref = `${DEMO_REPO}#${DEMO_ISSUE}`;

  test('no token anywhere: exit 1 with what to set, nothing sent', async () => {
    gh.resetRequests();
    const run = await threadwise(['suggest', ref, '--api-url', gh.url, '--data-dir', path.join(scratch, 'none'), ...model], {});
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /no GitHub token/);
    assert.match(run.stderr, /GITHUB_TOKEN/);
    assert.equal(gh.requests.length, 0);
  });

  test('fetches the thread with GITHUB_TOKEN and drafts a reply to it', async () => {
    gh.resetRequests();
    const out = path.join(scratch, 'out-fetch');
    const data = path.join(scratch, 'data-fetch');
    const run = await threadwise(['suggest', `https://github.com/${DEMO_REPO}/issues/${DEMO_ISSUE}`, '--api-url', gh.url, '--data-dir', data, '--out', out, ...model], { GITHUB_TOKEN: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--- done/);
    const [response] = (await readJsonl(path.join(out, 'responses.jsonl'))) as Array<{ thread: string }>;
    assert.equal(response?.thread, ref);
    const [chat] = (await readJsonl(path.join(out, 'chats.jsonl'))) as Array<{ messages: Array<{ content: string }> }>;
    const prompt = chat!.messages.map((m) => m.content).join('\n');
    assert.match(prompt, /Parser crashes on empty input/, 'the fetched title reached the prompt');
    assert.match(prompt, /Does `parseAll\(""\)` crash too\?/, 'the fetched comments reached the prompt');
    assert.ok(gh.requests.some((r) => r.operationName === 'Thread'), 'the thread was fetched over GraphQL');
    assert.equal(gh.store.comments(DEMO_REPO, DEMO_ISSUE).length, 2, 'nothing was posted without --post');
    for (const file of await filesUnder(data)) assert.ok(!(await readFile(file, 'utf8')).includes(TOKEN), `the token is in ${file}`);
    assert.ok(!run.stderr.includes(TOKEN) && !run.stdout.includes(TOKEN));
  });

  test('--post without a terminal and without --yes refuses and posts nothing', async () => {
    const run = await threadwise(['suggest', ref, '--api-url', gh.url, '--data-dir', path.join(scratch, 'data-refuse'), '--post', ...model], { GH_TOKEN: TOKEN });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /not posted: standard input is not a terminal; pass --yes/);
    assert.equal(gh.store.comments(DEMO_REPO, DEMO_ISSUE).length, 2);
  });

  test('--post --yes posts exactly the draft with addComment and prints its URL', async () => {
    const out = path.join(scratch, 'out-post');
    const run = await threadwise(['suggest', ref, '--api-url', gh.url, '--data-dir', path.join(scratch, 'data-post'), '--out', out, '--post', '--yes', ...model], { GITHUB_TOKEN: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    const [response] = (await readJsonl(path.join(out, 'responses.jsonl'))) as Array<{ response: string }>;
    const comments = gh.store.comments(DEMO_REPO, DEMO_ISSUE);
    assert.equal(comments.length, 3);
    const posted = comments[2]!;
    assert.equal(posted.body, response!.response);
    assert.equal(posted.author, 'maint');
    assert.match(run.stderr, new RegExp(`posted: http\\S+${DEMO_ISSUE}#issuecomment-`));
  });

  test('a token GitHub refuses: exit 1, github sign-in hint, the token never printed', async () => {
    const run = await threadwise(['suggest', ref, '--api-url', gh.url, '--data-dir', path.join(scratch, 'data-bad'), ...model], { GITHUB_TOKEN: 'ghp_WRONGwrongWRONG000000000000000000000' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /token|credentials/i);
    assert.ok(!run.stderr.includes('ghp_WRONG'), run.stderr);
  });
});
