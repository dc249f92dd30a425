import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KnowledgeSearchHit, Suggestion } from '../../server/src/protocol';
import { gitCheckoutOfExampleDocs } from '../support/knowledge/gitDocs';
import { CLI_BIN, EXAMPLE_THREAD, ROOT, TINY_EMBED, TINY_GUARD, TINY_LLAMA } from '../support/paths';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `threadwise …`; `killWhen` sends SIGKILL (a crash, not an interrupt) once stderr matches. */
function threadwise(args: string[], options: { killWhen?: RegExp; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd ?? ROOT, stdio: 'pipe', env: { ...process.env, GITHUB_TOKEN: '', GH_TOKEN: '', PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (options.killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end();
  });
}

describe('threadwise index / search / suggest with the knowledge index', () => {
  let scratch: string;
  let dataDir: string;
  let docs: Awaited<ReturnType<typeof gitCheckoutOfExampleDocs>>;
  const common = (): string[] => ['--embed-model', TINY_EMBED, '--data-dir', dataDir, '--offline'];

  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'threadwise-knowledge-cli-'));
    dataDir = path.join(scratch, 'data');
    docs = await gitCheckoutOfExampleDocs();
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
    await docs.cleanup();
  });

  test('index reads the docs of a checkout (not the vendored ones) and names its repository from the remote', async () => {
    const run = await threadwise(['index', docs.root, ...common(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { repo: string; added: string[]; health: { files: number; chunks: number; state: string }; chunksEmbedded: number };
    assert.equal(report.repo, 'acme/yamlette');
    assert.deepEqual(report.added.sort(), ['doc:CHANGELOG.md', 'doc:README.md', 'doc:docs/api.md', 'doc:docs/contributing.adoc', 'doc:docs/errors.rst', 'doc:docs/faq.html', 'doc:docs/parsing.md']);
    assert.equal(report.health.files, 7);
    assert.equal(report.health.state, 'ready');
    assert.ok(report.health.chunks >= 7 && report.chunksEmbedded === report.health.chunks, run.stdout);
  });

  test('search returns the right chunk with a link pinned to the commit and the local file', async () => {
    const run = await threadwise(['search', 'parse byte order mark BOM empty document TypeError', '--repo', 'acme/yamlette', '--k', '3', '--json', ...common()]);
    assert.equal(run.code, 0, run.stderr);
    const hits = JSON.parse(run.stdout) as KnowledgeSearchHit[];
    assert.ok(hits.length > 0 && hits.length <= 3);
    const parsing = hits.find((hit) => hit.path === 'docs/parsing.md');
    assert.ok(parsing, `docs/parsing.md among ${hits.map((h) => h.title).join(' | ')}`);
    assert.deepEqual(parsing.headingPath, ['Parsing rules', 'Encodings and the byte order mark']);
    assert.equal(parsing.url, `https://github.com/acme/yamlette/blob/${docs.head}/docs/parsing.md?plain=1#L${parsing.startLine}-L${parsing.endLine}`);
    assert.equal(parsing.localPath, path.join(docs.root, 'docs', 'parsing.md'));
    assert.equal(parsing.commitSha, docs.head);
    assert.deepEqual(hits.map((h) => h.number), hits.map((_, i) => i + 1));
  });

  test('search prints readable hits without --json', async () => {
    const run = await threadwise(['search', 'tabs indentation IndentationError', '--repo', 'acme/yamlette', ...common()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\[1\] \S+/m);
    assert.match(run.stdout, new RegExp(`https://github\\.com/acme/yamlette/blob/${docs.head}/`));
    assert.match(run.stdout, /score \d\.\d{4}/);
  });

  test('re-indexing after an edit touches only the edited file', async () => {
    await appendFile(path.join(docs.root, 'docs', 'faq.html'), '<h2>Can I use it in a browser?</h2>\n<p>Yes, with any bundler.</p>\n');
    const run = await threadwise(['index', docs.root, ...common(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { changed: string[]; added: string[]; removed: string[]; unchanged: number };
    assert.deepEqual(report.changed, ['doc:docs/faq.html']);
    assert.deepEqual(report.added, []);
    assert.deepEqual(report.removed, []);
    assert.equal(report.unchanged, 6);
  });

  test('suggest grounds the draft in the index: numbered sources before the thread', async () => {
    const run = await threadwise(['suggest', EXAMPLE_THREAD, '--model', TINY_LLAMA, '--guard-model', TINY_GUARD, ...common(), '--max-tokens', '24', '--threads', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const suggestion = JSON.parse(run.stdout) as Suggestion;
    assert.equal(suggestion.retrieval.indexed, true);
    assert.ok(suggestion.retrieval.given.length > 0);
    assert.equal(suggestion.retrieval.embeddingModel, 'tiny-embed');
    assert.deepEqual(suggestion.retrieval.given.map((s) => s.number), suggestion.retrieval.given.map((_, i) => i + 1));
    assert.equal(suggestion.chat[0]!.role, 'system');
    assert.match(suggestion.chat[0]!.text, /cite/i);
    assert.equal(suggestion.chat[1]!.role, 'user');
    assert.match(suggestion.chat[1]!.text, /^\[Threadwise sources/);
    assert.match(suggestion.chat[1]!.text, /\n\[1\] /);
    assert.match(suggestion.chat[2]!.text, /opened issue acme\/yamlette#42/);
    // Gibberish from the tiny model cites nothing real: every cited source was given.
    for (const source of suggestion.sources) assert.ok(suggestion.retrieval.given.some((g) => g.number === source.number));
  });

  test('index of an unknown folder and search without an index fail with a clear message', async () => {
    const missing = await threadwise(['index', path.join(scratch, 'nope'), ...common()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /is not a folder/);
    const none = await threadwise(['search', 'anything', '--repo', 'acme/other', ...common()]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no index for acme\/other yet.*threadwise index/);
  });

  test('kill -9 while embedding: the last index keeps answering, and the next run resumes', async () => {
    const notes = path.join(docs.root, 'notes');
    await mkdir(notes, { recursive: true });
    for (let i = 0; i < 1500; i++) await writeFile(path.join(notes, `note-${i}.md`), `# Note ${i}\n\nRelease note ${i}: the parser handles case ${i * 13} of anchors and aliases.\n`);
    const killed = await threadwise(['index', docs.root, ...common()], { killWhen: /embedding [1-9]\d*\/\d+/ });
    assert.equal(killed.signal, 'SIGKILL', `killed mid-embedding: ${killed.stderr}`);

    const search = await threadwise(['search', 'byte order mark', '--repo', 'acme/yamlette', '--json', ...common()]);
    assert.equal(search.code, 0, search.stderr);
    assert.ok((JSON.parse(search.stdout) as KnowledgeSearchHit[]).every((hit) => !hit.path?.startsWith('notes/')), 'the committed index is the one from before');

    const resumed = await threadwise(['index', docs.root, ...common(), '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout) as { added: string[]; chunksResumed: number; chunksEmbedded: number; health: { files: number } };
    assert.equal(report.added.length, 1500);
    assert.ok(report.chunksResumed > 0, `vectors from the killed run were reused: ${resumed.stdout}`);
    assert.equal(report.health.files, 1507);
  });
});
