import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ThreadwiseError } from '../../server/src/errors';
import { hfDownloadUrl, hfEndpoint, localPathFor, parseHfUri, type HfModelRef } from '../../server/src/llm/download/hfUri';

const HINT = 'use hf:owner/repo/file.gguf or a local path in threadwise.model';

function assertInvalid(action: () => unknown, quoted: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ThreadwiseError, `expected a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.reason, 'model-not-found');
    assert.ok(error.message.includes(`"${quoted}"`), `message should quote ${quoted}: ${error.message}`);
    assert.equal(error.hint, HINT);
    return true;
  });
}

test('parseHfUri reads owner, repo and file, defaulting the revision to main', () => {
  assert.deepEqual(parseHfUri('hf:bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf'), {
    owner: 'bartowski',
    repo: 'Meta-Llama-3.1-8B-Instruct-GGUF',
    revision: 'main',
    file: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
  });
});

test('parseHfUri reads an @revision on the repo and a nested file path', () => {
  assert.deepEqual(parseHfUri('hf:owner/repo@a1b2c3d/quants/q4/model.gguf'), {
    owner: 'owner',
    repo: 'repo',
    revision: 'a1b2c3d',
    file: 'quants/q4/model.gguf',
  });
});

test('parseHfUri rejects malformed URIs, quoting them', () => {
  const malformed = [
    '',
    'owner/repo/file.gguf',
    'https://huggingface.co/owner/repo/file.gguf',
    'hf:owner/repo',
    'hf:owner/repo/',
    'hf:owner//file.gguf',
    'hf:/repo/file.gguf',
    'hf:owner/repo@/file.gguf',
    'hf:owner/repo@../file.gguf',
    'hf:own er/repo/file.gguf',
    'hf:owner/repo/../secrets.gguf',
    'hf:owner/repo/dir/./file.gguf',
    'hf:owner/repo/dir//file.gguf',
    'hf:owner/repo/dir\\file.gguf',
    'hf:../repo/file.gguf',
  ];
  for (const uri of malformed) assertInvalid(() => parseHfUri(uri), uri);
});

test('hfDownloadUrl builds the resolve URL, encoding the revision and each path segment', () => {
  const ref: HfModelRef = { owner: 'o', repo: 'r', revision: 'refs/pr/1', file: 'sub dir/f #1.gguf' };
  assert.equal(hfDownloadUrl(ref, 'https://hub.example/'), 'https://hub.example/o/r/resolve/refs%2Fpr%2F1/sub%20dir/f%20%231.gguf');
  assert.equal(
    hfDownloadUrl(parseHfUri('hf:o/r/f.gguf'), 'https://huggingface.co'),
    'https://huggingface.co/o/r/resolve/main/f.gguf',
  );
});

test('hfEndpoint honours HF_ENDPOINT without its trailing slash, else huggingface.co', () => {
  assert.equal(hfEndpoint({}), 'https://huggingface.co');
  assert.equal(hfEndpoint({ HF_ENDPOINT: '' }), 'https://huggingface.co');
  assert.equal(hfEndpoint({ HF_ENDPOINT: 'https://mirror.example/hf/' }), 'https://mirror.example/hf');
});

test('localPathFor places the file under hf/owner/repo/revision', () => {
  const ref = parseHfUri('hf:o/r@v2/dir/f.gguf');
  assert.equal(localPathFor(ref, '/models'), join('/models', 'hf', 'o', 'r', 'v2', 'dir', 'f.gguf'));
});

test('localPathFor refuses references that would leave the models folder', () => {
  const base: HfModelRef = { owner: 'o', repo: 'r', revision: 'main', file: 'f.gguf' };
  const escaping: HfModelRef[] = [
    { ...base, file: '../../etc/passwd' },
    { ...base, file: 'dir/../../f.gguf' },
    { ...base, file: '/etc/passwd' },
    { ...base, file: 'C:\\Windows\\f.gguf' },
    { ...base, revision: '..' },
    { ...base, owner: '..' },
    { ...base, repo: 'a/b' },
  ];
  for (const ref of escaping) {
    assertInvalid(() => localPathFor(ref, '/models'), `hf:${ref.owner}/${ref.repo}@${ref.revision}/${ref.file}`);
  }
});
