import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHATS_FILE, chatRecord, readJsonl, RESPONSES_FILE, responseRecord, writeSuggestionJsonl } from '../../server/src/cli/jsonlWriter';
import { aSuggestion } from '../support/builders';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  assert.ok(text.endsWith('\n'), 'a JSONL file ends with a newline');
  return text.slice(0, -1).split('\n');
}

describe('writeSuggestionJsonl', () => {
  test('writes one line to responses.jsonl and chats.jsonl and returns their paths', async () => {
    const out = path.join(dir, 'nested', 'out');
    const suggestion = aSuggestion();
    const files = await writeSuggestionJsonl(out, suggestion, 'append');
    assert.deepEqual(files, [path.join(out, RESPONSES_FILE), path.join(out, CHATS_FILE)]);
    assert.deepEqual(await readdir(out).then((names) => names.sort()), ['chats.jsonl', 'responses.jsonl']);

    const [response] = await readJsonl(files[0]!);
    assert.deepEqual(response, {
      id: 'suggestion-1',
      thread: 'acme/widgets#42',
      createdAt: '2024-01-15T11:00:00.000Z',
      response: 'Thanks for the report! Could you share the log?',
      cancelled: false,
      stopReason: 'end',
      safety: suggestion.safety,
      model: 'Llama 3.2 1B Instruct',
      modelFile: '/models/llama.gguf',
      tokens: suggestion.tokens,
      timings: suggestion.timings,
      elision: suggestion.elision,
      checks: { passed: true, failures: 0, strict: false, repairCycles: 0, failuresByCycle: [], flaggedThread: false },
    });
  });

  test('secrets in the reply and in the chat are masked in both files', async () => {
    // Built at run time so that no token-shaped literal sits in the repository.
    const token = ['ghp', '_', 'Q7w9E2r4T6y8U1i3O5p7A9s2D4f6G8h1J3k5'].join('');
    const suggestion = aSuggestion({
      text: `Set GITHUB_TOKEN=${token} and retry.`,
      chat: [{ role: 'system', text: 'You are Threadwise.' }, { role: 'user', text: `my token is ${token}, why does it fail?` }],
    });
    const files = await writeSuggestionJsonl(dir, suggestion, 'append');
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      assert.ok(!text.includes(token), `${path.basename(file)} holds the token`);
      assert.ok(text.includes('ghp_'), `${path.basename(file)} keeps the masked start`);
    }
  });

  test('chats.jsonl holds the chat, starting with the system turn and ending with the assistant reply', async () => {
    const suggestion = aSuggestion({ text: 'Here is my **reply**.\n\nWith two paragraphs.' });
    const [, chats] = await writeSuggestionJsonl(dir, suggestion, 'append');
    const [record] = await readJsonl(chats!);
    assert.deepEqual(record, {
      id: 'suggestion-1',
      thread: 'acme/widgets#42',
      createdAt: '2024-01-15T11:00:00.000Z',
      messages: [
        { role: 'system', content: 'You are Threadwise.' },
        { role: 'user', content: suggestion.chat[1]!.text },
        { role: 'user', content: suggestion.chat[2]!.text },
        { role: 'assistant', content: 'Here is my **reply**.\n\nWith two paragraphs.' },
      ],
      safety: { label: 'SAFE', score: 0.98, unsafe: false },
    });
    assert.deepEqual(record, chatRecord(suggestion));
  });

  test('append twice gives two lines in each file, in order', async () => {
    const first = aSuggestion({ id: 'one', text: 'first' });
    const second = aSuggestion({ id: 'two', text: 'second' });
    await writeSuggestionJsonl(dir, first, 'append');
    const [responses, chats] = await writeSuggestionJsonl(dir, second, 'append');
    assert.equal((await lines(responses!)).length, 2);
    assert.equal((await lines(chats!)).length, 2);
    assert.deepEqual(await readJsonl(responses!), [responseRecord(first), responseRecord(second)]);
    assert.deepEqual(await readJsonl(chats!), [chatRecord(first), chatRecord(second)]);
  });

  test('replace leaves only the new line and no temp file', async () => {
    await writeSuggestionJsonl(dir, aSuggestion({ id: 'one' }), 'append');
    await writeSuggestionJsonl(dir, aSuggestion({ id: 'two' }), 'append');
    const third = aSuggestion({ id: 'three', text: 'replacement' });
    const [responses, chats] = await writeSuggestionJsonl(dir, third, 'replace');
    assert.equal((await lines(responses!)).length, 1);
    assert.equal((await lines(chats!)).length, 1);
    assert.deepEqual(await readJsonl(responses!), [responseRecord(third)]);
    assert.deepEqual(await readJsonl(chats!), [chatRecord(third)]);
    assert.deepEqual((await readdir(dir)).sort(), ['chats.jsonl', 'responses.jsonl']);
  });

  test('replace into a folder that does not exist yet', async () => {
    const out = path.join(dir, 'fresh');
    const [responses] = await writeSuggestionJsonl(out, aSuggestion(), 'replace');
    assert.deepEqual(await readJsonl(responses!), [responseRecord(aSuggestion())]);
  });

  test('a line left unfinished by a crash is closed before appending, so every complete line parses', async () => {
    const responses = path.join(dir, RESPONSES_FILE);
    const chats = path.join(dir, CHATS_FILE);
    const earlier = JSON.stringify(responseRecord(aSuggestion({ id: 'earlier' })));
    const partial = '{"id":"crashed","thread":"acme/wid';
    await writeFile(responses, `${earlier}\n${partial}`);
    await writeFile(chats, partial);

    const next = aSuggestion({ id: 'next' });
    await writeSuggestionJsonl(dir, next, 'append');

    const responseLines = await lines(responses);
    assert.deepEqual(responseLines, [earlier, partial, JSON.stringify(responseRecord(next))]);
    assert.deepEqual(JSON.parse(responseLines[0]!), responseRecord(aSuggestion({ id: 'earlier' })));
    assert.deepEqual(JSON.parse(responseLines[2]!), responseRecord(next));

    const chatLines = await lines(chats);
    assert.deepEqual(chatLines, [partial, JSON.stringify(chatRecord(next))]);
    assert.deepEqual(JSON.parse(chatLines[1]!), chatRecord(next));
  });

  test('an existing file ending with a newline, or an empty one, gets no blank line', async () => {
    const responses = path.join(dir, RESPONSES_FILE);
    const chats = path.join(dir, CHATS_FILE);
    const earlier = JSON.stringify(responseRecord(aSuggestion({ id: 'earlier' })));
    await writeFile(responses, `${earlier}\n`);
    await writeFile(chats, '');
    const next = aSuggestion({ id: 'next' });
    await writeSuggestionJsonl(dir, next, 'append');
    assert.equal(await readFile(responses, 'utf8'), `${earlier}\n${JSON.stringify(responseRecord(next))}\n`);
    assert.equal(await readFile(chats, 'utf8'), `${JSON.stringify(chatRecord(next))}\n`);
  });

  test('text with newlines and non-ASCII stays on one line and round-trips', async () => {
    const suggestion = aSuggestion({ text: 'Line 1\nLine 2\r\n— ünïcødé ✓ \u2028 end' });
    const [responses] = await writeSuggestionJsonl(dir, suggestion, 'append');
    assert.equal((await lines(responses!)).length, 1);
    const [record] = await readJsonl(responses!);
    assert.equal((record as { response: string }).response, suggestion.text);
  });
});

describe('readJsonl', () => {
  test('reads back what was written and skips blank lines', async () => {
    const file = path.join(dir, 'data.jsonl');
    const values: unknown[] = [{ a: 1 }, [1, 2, 3], 'text', null, { nested: { b: [true, false] } }];
    await writeFile(file, `${values.map((v) => JSON.stringify(v)).join('\n')}\n\n  \n`);
    assert.deepEqual(await readJsonl(file), values);
  });

  test('a broken line makes it throw', async () => {
    const file = path.join(dir, 'broken.jsonl');
    await writeFile(file, '{"a":1}\n{"b":\n');
    await assert.rejects(readJsonl(file), SyntaxError);
  });
});
