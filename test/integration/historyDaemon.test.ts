import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  HistoryChangedNotification,
  HistoryClearRequest,
  HistoryExportRequest,
  HistoryListRequest,
  HistoryMetricsRequest,
  HistoryOutcomeRequest,
  HistoryRecordRequest,
} from '../../server/src/protocol';
import type { Suggestion, Thread } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { readCsv, readJsonlObjects, readParquetRows } from '../support/exportReaders';
import { EXAMPLE_THREAD, TINY_GUARD, TINY_LLAMA } from '../support/paths';
import { waitFor } from '../support/waitFor';

/** A GitHub token made at run time (so the repository holds none), planted in the thread. */
const PLANTED = `ghp_${randomBytes(18).toString('hex')}`;
/** A word found only in this thread, to see it gone from the files after Clear History. */
const MARKER = `zanzibar${randomBytes(4).toString('hex')}`;

function plantedThread(): Thread {
  const thread = JSON.parse(readFileSync(EXAMPLE_THREAD, 'utf8')) as Thread;
  return {
    ...thread,
    updatedAt: '2026-11-20T09:30:00Z',
    body: `${thread.body}\n\nMy CI config has GITHUB_TOKEN=${PLANTED} in it, and ${MARKER}.`,
    comments: [...thread.comments, { author: { login: 'helper', association: 'NONE' }, body: `try with token ${PLANTED}`, createdAt: '2026-11-20T09:00:00Z' }],
  };
}

/** Every byte under `folder` (the database, its WAL and shared memory), as one buffer. */
async function folderBytes(folder: string): Promise<Buffer> {
  const names = await readdir(folder);
  return Buffer.concat(await Promise.all(names.map((name) => readFile(join(folder, name)))));
}

describe('history through the daemon over stdio', () => {
  let daemon: DaemonProcess;
  let outDir: string;
  let suggestion: Suggestion;
  const changes: unknown[] = [];

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'tw-export-'));
    daemon = await DaemonProcess.start({ model: TINY_LLAMA, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: 40, threads: 1 });
    daemon.connection.onNotification(HistoryChangedNotification.type, (change) => {
      changes.push(change);
    });
    const outcome = await daemon.suggest(plantedThread()).outcome;
    assert.equal(outcome.error, undefined);
    suggestion = outcome.result!;
  });
  after(async () => {
    await daemon.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  test('the suggestion is recorded with its lineage, the token masked, and the model file hashed in the background', async () => {
    const list = await daemon.connection.sendRequest(HistoryListRequest.type, {});
    assert.deepEqual(list.entries.map((entry) => [entry.id, entry.repo, entry.number, entry.origin, entry.outcome]), [[suggestion.id, 'acme/yamlette', 42, 'lsp', null]]);
    assert.ok(changes.some((change) => (change as { id?: string }).id === suggestion.id), 'a history/changed notification named the record');

    const expectedSha = createHash('sha256').update(await readFile(TINY_LLAMA)).digest('hex');
    await waitFor(async () => (await daemon.connection.sendRequest(HistoryRecordRequest.type, { id: suggestion.id })).modelSha256 === expectedSha, 'the model hash filled in');
    const record = await daemon.connection.sendRequest(HistoryRecordRequest.type, { id: suggestion.id });
    assert.equal(record.modelSha256, expectedSha);
    assert.equal(record.thread.updatedAt, '2026-11-20T09:30:00Z');
    assert.equal(record.thread.commentCount, plantedThread().comments.length);
    assert.equal(record.suggestion.model.file, TINY_LLAMA);
    assert.equal(record.suggestion.model.sizeBytes, (await stat(TINY_LLAMA)).size);
    assert.deepEqual(record.suggestion.sampling, { temperature: 0.7, seed: suggestion.sampling.seed, maxTokens: 40, maxFixCycles: 2 });
    assert.equal(record.suggestion.text, suggestion.text);
    assert.deepEqual(record.suggestion.timings, suggestion.timings);
    assert.deepEqual(record.suggestion.tokens, suggestion.tokens);
    assert.equal(record.suggestion.checkCycles.length, suggestion.checkCycles.length);
    assert.equal(record.suggestion.safety.label, suggestion.safety.label);
    // The prompt is stored whole, with the planted token masked wherever it was.
    const prompt = record.suggestion.chat.map((turn) => turn.text).join('\n');
    assert.ok(prompt.includes(MARKER));
    assert.ok(!prompt.includes(PLANTED));
    assert.ok(prompt.includes('ghp_'), 'the masked token keeps its prefix');
  });

  test('outcomes: an edited post stores the edit distance; a later discard does not undo it; metrics count it', async () => {
    const edited = await daemon.connection.sendRequest(HistoryOutcomeRequest.type, { id: suggestion.id, outcome: 'posted', finalText: `${suggestion.text} Thanks!`, commentUrl: 'https://github.com/acme/yamlette/issues/42#issuecomment-9' });
    assert.equal(edited?.outcome, 'edited');
    assert.equal(edited?.editDistance, ' Thanks!'.length);
    const after = await daemon.connection.sendRequest(HistoryOutcomeRequest.type, { id: suggestion.id, outcome: 'discarded' });
    assert.equal(after?.outcome, 'edited');
    assert.equal(await daemon.connection.sendRequest(HistoryOutcomeRequest.type, { id: 'no-such-id', outcome: 'copied' }), null);
    const metrics = await daemon.connection.sendRequest(HistoryMetricsRequest.type, {});
    assert.equal(metrics.total, 1);
    assert.deepEqual(metrics.acceptance, { posted: 0, edited: 1, copied: 0, discarded: 0, pending: 0 });
    assert.equal(metrics.speed.length, 1);
    assert.equal(metrics.speed[0]?.tokensPerSecond, suggestion.timings.tokensPerSecond);
  });

  test('the three exports read back with independent readers, and the token is in no file', async () => {
    const files = { jsonl: join(outDir, 'h.jsonl'), csv: join(outDir, 'h.csv'), parquet: join(outDir, 'h.parquet') };
    for (const [format, out] of Object.entries(files)) {
      const result = await daemon.connection.sendRequest(HistoryExportRequest.type, { format: format as 'jsonl', out });
      assert.deepEqual([result.exported, result.rows, result.path], [1, 1, out]);
    }
    const [jsonl] = (await readJsonlObjects(files.jsonl)) as { id: string; outcome: { outcome: string } }[];
    assert.equal(jsonl?.id, suggestion.id);
    assert.equal(jsonl?.outcome.outcome, 'edited');
    const { header, records } = await readCsv(files.csv);
    const cell = (name: string): string | undefined => records[0]?.[header.indexOf(name)];
    assert.equal(records.length, 1);
    assert.deepEqual([cell('id'), cell('outcome'), cell('repo'), cell('thread_updated_at')], [suggestion.id, 'edited', 'acme/yamlette', '2026-11-20T09:30:00Z']);
    const [parquet] = await readParquetRows(files.parquet);
    assert.deepEqual([parquet?.id, parquet?.outcome, parquet?.edit_distance], [suggestion.id, 'edited', 8]);

    for (const file of Object.values(files)) assert.ok(!(await readFile(file)).includes(PLANTED), `${file} holds the token`);
    assert.ok(!(await folderBytes(join(daemon.storageDir, 'history'))).includes(PLANTED), 'the database files hold the token');
  });

  test('bad params are invalid-params errors and the daemon keeps answering', async () => {
    for (const params of [{ format: 'xlsx', out: join(outDir, 'x') }, { format: 'csv', out: 'relative.csv' }, { format: 'csv', out: join(outDir, 'y.csv'), since: 'last week' }]) {
      await assert.rejects(daemon.connection.sendRequest(HistoryExportRequest.type, params as never), (error: unknown) => error instanceof ResponseError && (error.data as { reason: string }).reason === 'invalid-params');
    }
    await assert.rejects(daemon.connection.sendRequest(HistoryRecordRequest.type, { id: 'missing' }), /no recorded suggestion/);
    assert.equal((await daemon.connection.sendRequest(HistoryListRequest.type, { outcome: 'edited' })).entries.length, 1);
  });

  test('Clear History deletes the records and leaves nothing of them in the database files', async () => {
    assert.deepEqual(await daemon.connection.sendRequest(HistoryClearRequest.type, {}), { deleted: 1 });
    assert.deepEqual((await daemon.connection.sendRequest(HistoryListRequest.type, {})).entries, []);
    assert.ok(!(await folderBytes(join(daemon.storageDir, 'history'))).includes(MARKER), 'the thread text is gone from the files');
  });
});
