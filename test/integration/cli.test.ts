import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readJsonl } from '../../server/src/cli/jsonlWriter';
import type { Suggestion } from '../../server/src/protocol';
import { CLI_BIN, EXAMPLE_THREAD, ROOT, TINY_GUARD, TINY_LLAMA, TINY_LLAMA_ENDLESS } from '../support/paths';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `threadwise …` as a person would, optionally sending SIGINT once `interruptWhen` matches stdout. */
function threadwise(args: string[], options: { stdin?: Buffer; interruptWhen?: RegExp } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

describe('threadwise CLI', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'threadwise-cli-'));
  });
  after(async () => rm(scratch, { recursive: true, force: true }));

  const offline = (out: string): string[] => ['--model', TINY_LLAMA, '--guard-model', TINY_GUARD, '--out', out, '--data-dir', path.join(scratch, 'data'), '--offline', '--max-tokens', '48', '--threads', '1'];

  test('suggest streams the draft and writes the response and the chat as JSONL', async () => {
    const out = path.join(scratch, 'out1');
    const run = await threadwise(['suggest', EXAMPLE_THREAD, ...offline(out)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--- done \(\w+\) · guardrail (SAFE|UNSAFE)/);
    const responses = (await readJsonl(path.join(out, 'responses.jsonl'))) as Array<Record<string, unknown>>;
    const chats = (await readJsonl(path.join(out, 'chats.jsonl'))) as Array<{ messages: Array<{ role: string; content: string }> }>;
    assert.equal(responses.length, 1);
    assert.equal(chats.length, 1);
    const response = responses[0]!;
    assert.equal(response.thread, 'acme/yamlette#42');
    assert.ok(typeof response.response === 'string' && response.response.length > 0);
    assert.ok(run.stdout.startsWith(response.response), 'the streamed text is the recorded response');
    assert.ok(['SAFE', 'UNSAFE'].includes((response.safety as { label: string }).label));
    const messages = chats[0]!.messages;
    assert.equal(messages[0]!.role, 'system');
    assert.equal(messages.at(-1)!.role, 'assistant');
    assert.equal(messages.at(-1)!.content, response.response);

    // append adds a line; replace leaves one.
    await threadwise(['suggest', EXAMPLE_THREAD, ...offline(out), '--mode', 'append']);
    assert.equal((await readJsonl(path.join(out, 'responses.jsonl'))).length, 2);
    await threadwise(['suggest', EXAMPLE_THREAD, ...offline(out), '--mode', 'replace']);
    assert.equal((await readJsonl(path.join(out, 'responses.jsonl'))).length, 1);
    assert.equal((await readJsonl(path.join(out, 'chats.jsonl'))).length, 1);
  });

  test('--json prints one Suggestion object and reads the thread from stdin', async () => {
    const run = await threadwise(['suggest', '-', ...offline(path.join(scratch, 'out2')), '--json'], { stdin: await readFile(EXAMPLE_THREAD) });
    assert.equal(run.code, 0, run.stderr);
    const suggestion = JSON.parse(run.stdout) as Suggestion;
    assert.equal(suggestion.threadRef, 'acme/yamlette#42');
    assert.equal(typeof suggestion.safety.label, 'string');
    assert.ok(suggestion.tokens.generated > 0);
  });

  test('bad input exits 2 with a clear message', async () => {
    const badUtf8 = path.join(scratch, 'bad-utf8.json');
    await writeFile(badUtf8, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    const invalidJson = path.join(scratch, 'bad.json');
    await writeFile(invalidJson, '{"repo": "a/b", ');
    for (const [file, message] of [
      [badUtf8, /is not valid UTF-8/],
      [invalidJson, /is not valid JSON/],
      [path.join(scratch, 'missing.json'), /cannot read .*missing\.json: ENOENT/],
    ] as const) {
      const run = await threadwise(['suggest', file, ...offline(path.join(scratch, 'out3'))]);
      assert.equal(run.code, 2, `${file}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
    const usage = await threadwise(['suggest', EXAMPLE_THREAD, '--mode', 'sideways']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--mode must be append or replace/);
  });

  test('a missing model exits 1 naming the file and the option, without a stack trace', async () => {
    const run = await threadwise(['suggest', EXAMPLE_THREAD, ...offline(path.join(scratch, 'out4')), '--model', path.join(scratch, 'absent.gguf')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /model file not found at .*absent\.gguf/);
    assert.match(run.stderr, /--model/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  test('Ctrl+C stops generation, keeps the partial draft marked cancelled and exits 130', async () => {
    const out = path.join(scratch, 'out5');
    const args = ['suggest', EXAMPLE_THREAD, ...offline(out), '--model', TINY_LLAMA_ENDLESS, '--max-tokens', '6000'];
    const run = await threadwise(args, { interruptWhen: /\S{20}/ });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout, /--- cancelled/);
    const [response] = (await readJsonl(path.join(out, 'responses.jsonl'))) as Array<{ cancelled: boolean; response: string; tokens: { generated: number } }>;
    assert.ok(response);
    assert.equal(response.cancelled, true);
    assert.ok(response.response.length > 0);
    assert.ok(response.tokens.generated < 6000);
  });
});
