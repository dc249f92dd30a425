import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RepoCache } from '../../server/src/github/repoCache';
import type { HistoryRecord } from '../../server/src/protocol';
import { aComment, aThread, maintainer, stranger, timestampAt } from '../support/builders';
import { runThreadwise } from '../support/cliProcess';
import { readParquetRows } from '../support/exportReaders';
import { EXAMPLE_THREAD, TINY_GUARD, TINY_LLAMA } from '../support/paths';

const PLANTED = `ghp_${randomBytes(18).toString('hex')}`;

describe('threadwise export, dataset and history (CLI)', () => {
  let dataDir: string;
  let out: string;
  let id: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tw-history-cli-'));
    out = await mkdtemp(join(tmpdir(), 'tw-history-out-'));
    const run = await runThreadwise(['suggest', EXAMPLE_THREAD, '--model', TINY_LLAMA, '--guard-model', TINY_GUARD, '--offline', '--max-tokens', '24', '--data-dir', dataDir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    id = (JSON.parse(run.stdout) as { id: string }).id;
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  test('history lists the suggestion the CLI made, and shows its record', async () => {
    const list = await runThreadwise(['history', '--data-dir', dataDir]);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`acme/yamlette#42  pending  checks (ok|FAIL)  ttft \\d+ ms  [\\d.]+ tok/s  ${id}  `));
    const show = await runThreadwise(['history', 'show', id, '--data-dir', dataDir, '--json']);
    assert.equal(show.code, 0, show.stderr);
    const record = JSON.parse(show.stdout) as HistoryRecord;
    assert.deepEqual([record.id, record.origin, record.thread.repo, record.suggestion.model.file], [id, 'cli', 'acme/yamlette', TINY_LLAMA]);
    const missing = await runThreadwise(['history', 'show', 'nope', '--data-dir', dataDir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no recorded suggestion has the id "nope"/);
  });

  test('export writes each format; a merge run twice leaves the file byte-identical; --since filters', async () => {
    const parquet = join(out, 'h.parquet');
    const first = await runThreadwise(['export', '--format', 'parquet', '--out', parquet, '--data-dir', dataDir]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^exported 1 suggestion to .*h\.parquet \(parquet, 1 row in the file, \d+ bytes\)/);
    assert.deepEqual((await readParquetRows(parquet)).map((row) => [row.id, row.origin]), [[id, 'cli']]);
    const bytes = await readFile(parquet);
    for (let i = 0; i < 2; i++) {
      const merged = await runThreadwise(['export', '--format', 'parquet', '--out', parquet, '--disposition', 'merge', '--data-dir', dataDir]);
      assert.equal(merged.code, 0, merged.stderr);
      assert.deepEqual(await readFile(parquet), bytes);
    }
    const jsonl = join(out, 'h.jsonl');
    assert.equal((await runThreadwise(['export', '--format', 'jsonl', '--out', jsonl, '--data-dir', dataDir])).code, 0);
    assert.equal((JSON.parse((await readFile(jsonl, 'utf8')).trim()) as HistoryRecord).id, id);
    const none = await runThreadwise(['export', '--format', 'csv', '--out', join(out, 'none.csv'), '--since', '2999-01-01', '--data-dir', dataDir, '--json']);
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(JSON.parse(none.stdout), { path: join(out, 'none.csv'), format: 'csv', exported: 0, rows: 0, bytes: (await readFile(join(out, 'none.csv'))).length });
  });

  test('bad arguments are usage errors that say what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['export', '--format', 'xlsx', '--out', 'x'], /export needs --format jsonl\|csv\|parquet/],
      [['export', '--format', 'csv'], /--out PATH is required/],
      [['export', '--format', 'csv', '--out', join(out, 'y.csv'), '--since', 'yesterday', '--data-dir', dataDir], /since must be a date like 2026-11-01/],
      [['export', '--format', 'csv', '--out', join(out, 'y.csv'), '--disposition', 'upsert'], /--disposition must be one of append, replace, merge/],
      [['history', 'show'], /history show needs a suggestion id/],
      [['history', '--outcome', 'liked'], /--outcome must be one of/],
    ];
    for (const [args, message] of cases) {
      const run = await runThreadwise(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  test('dataset writes one chat example per maintainer reply in the GitHub cache, secrets masked', async () => {
    const thread = aThread({
      repo: 'acme/widgets',
      number: 7,
      body: `It fails with my token ${PLANTED} set.`,
      comments: [
        aComment({ author: maintainer('lead'), body: 'Please rotate that token, then run `widgets doctor` and paste its output.', createdAt: timestampAt(10), id: 'IC_1' }),
        aComment({ author: stranger('reporter'), body: 'Rotated. doctor says: cache corrupt.', createdAt: timestampAt(20), id: 'IC_2' }),
        aComment({ author: maintainer('lead'), body: 'Delete ~/.widgets/cache and it will rebuild. Closing, reopen if it comes back.', createdAt: timestampAt(30), id: 'IC_3' }),
      ],
    });
    await new RepoCache(RepoCache.folder(dataDir, 'https://api.github.com', 'acme/widgets')).writeThread({ thread, fetchedAt: timestampAt(40), needsRefresh: false });
    const file = join(out, 'dataset.jsonl');
    const run = await runThreadwise(['dataset', '--out', file, '--data-dir', dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote 2 examples from 1 thread to .*dataset\.jsonl \(2 lines in the file/);
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes(PLANTED));
    const examples = text.trim().split('\n').map((line) => JSON.parse(line) as { id: string; messages: { role: string; content: string; weight?: number }[] });
    assert.deepEqual(examples.map((example) => example.id), ['acme/widgets#7/IC_1', 'acme/widgets#7/IC_3']);
    const second = examples[1]!.messages;
    assert.equal(second[0]!.role, 'system');
    assert.deepEqual(second.at(-1), { role: 'assistant', content: 'Delete ~/.widgets/cache and it will rebuild. Closing, reopen if it comes back.' });
    // The earlier maintainer reply is context only: weight 0, so training learns the target.
    assert.deepEqual(second.filter((m) => m.role === 'assistant').map((m) => m.weight), [0, undefined]);
    assert.equal(second.at(-2)?.role, 'user');
    assert.match(second.at(-2)!.content, /Rotated\. doctor says: cache corrupt\./);
  });

  test('history clear asks for --yes, then deletes', async () => {
    const refused = await runThreadwise(['history', 'clear', '--data-dir', dataDir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /history clear deletes 1 recorded suggestion; add --yes/);
    const cleared = await runThreadwise(['history', 'clear', '--yes', '--data-dir', dataDir]);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal(cleared.stdout, 'deleted 1 recorded suggestion\n');
    assert.equal((await runThreadwise(['history', '--data-dir', dataDir])).stdout, '');
  });
});
