import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findingRows } from '../../server/src/history/record/findingRows';
import { historyRecordOf } from '../../server/src/history/record/historyRecordOf';
import { historyMetrics } from '../../server/src/history/store/historyMetrics';
import { HistoryStore } from '../../server/src/history/store/historyStore';
import { schemaVersion } from '../../server/src/history/store/openHistoryDatabase';
import { SCHEMA_VERSION } from '../../server/src/history/store/migrations';
import type { HistoryRecord, Suggestion, Thread } from '../../server/src/protocol';
import { aCheckReport, aKnowledgeSource, aSuggestion, aThread, timestampAt } from '../support/builders';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tw-history-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
/** A record as the daemon makes it, for `thread`, created `minutes` after the epoch used by the builders. */
function recordAt(minutes: number, overrides: { thread?: Partial<Thread>; suggestion?: Partial<Suggestion> } = {}): HistoryRecord {
  counter++;
  const thread = aThread({ updatedAt: timestampAt(minutes - 1), ...overrides.thread });
  const suggestion = aSuggestion({ id: `s-${String(counter).padStart(4, '0')}`, createdAt: timestampAt(minutes), threadRef: `${thread.repo}#${thread.number}`, ...overrides.suggestion });
  return historyRecordOf({ thread, suggestion, origin: 'test', modelSha256: null });
}

async function freshStore(): Promise<HistoryStore> {
  return HistoryStore.open(join(dir, `h-${++counter}`, 'history.sqlite'));
}

const FAILING_CYCLES: Suggestion['checkCycles'] = [
  {
    cycle: 0,
    text: 'draft 1',
    feedback: 'fix it',
    generatedTokens: 10,
    generationMs: 100,
    stopReason: 'end',
    report: aCheckReport({
      passed: false,
      failures: 2,
      blocks: [
        {
          block: { index: 0, language: 'python', languageFrom: 'fence', info: 'python', code: 'os.system(x)', startLine: 3, offset: 10, unclosed: false },
          syntax: 'ok',
          security: 'checked',
          failed: true,
          findings: [
            { ruleId: 'python.os-system', kind: 'security', severity: 'warning', line: 1, message: 'os.system', engine: 'tree-sitter' },
            { ruleId: 'python.note', kind: 'security', severity: 'info', line: 1, message: 'fyi', engine: 'tree-sitter' },
          ],
        },
      ],
      sources: [{ kind: 'unknown-source', text: '[7]', offset: 3, number: 7 }],
    }),
  },
  { cycle: 1, text: 'draft 2', feedback: '', generatedTokens: 8, generationMs: 80, stopReason: 'end', report: aCheckReport() },
];

describe('HistoryStore', () => {
  test('a record round trips exactly, with its lineage, and a new database is at the latest schema', async () => {
    const store = await freshStore();
    const record = recordAt(10, {
      thread: { updatedAt: '2026-11-20T08:00:00.000Z', comments: [{ author: { login: 'a', association: 'NONE' }, body: 'hi', createdAt: timestampAt(1) }] },
      suggestion: { retrieval: { indexed: true, noRelevantSources: false, given: [aKnowledgeSource({ score: 0.0321 })], indexVersion: '7', embeddingModel: 'mini', ms: 12 }, checkCycles: FAILING_CYCLES },
    });
    await store.insert(record, findingRows(record.suggestion.checkCycles, 'warning'));
    const back = await store.get(record.id);
    assert.deepEqual(back, record);
    assert.equal(back?.thread.updatedAt, '2026-11-20T08:00:00.000Z');
    assert.equal(back?.thread.commentCount, 1);
    assert.equal(back?.suggestion.retrieval.given[0]?.score, 0.0321);
    assert.equal(back?.suggestion.sampling.seed, 42);
    assert.equal(await schemaVersion(store.db), SCHEMA_VERSION);
    assert.equal(await store.get('nope'), undefined);
    await store.close();
  });

  test('list: newest first, filtered by repo, thread and outcome, paged with before', async () => {
    const store = await freshStore();
    const records = [
      recordAt(1),
      recordAt(2, { thread: { number: 7 } }),
      recordAt(3, { thread: { repo: 'other/repo' } }),
      recordAt(4),
      recordAt(5, { suggestion: { cancelled: true, stopReason: 'cancelled' } }),
    ];
    for (const record of records) await store.insert(record, []);
    await store.setOutcome(records[0]!.id, { outcome: 'posted', editDistance: 0, finalLength: 10, at: timestampAt(9) });
    await store.setOutcome(records[3]!.id, { outcome: 'discarded', editDistance: null, finalLength: null, at: timestampAt(9) });

    const all = await store.list({});
    assert.deepEqual(all.entries.map((entry) => entry.id), [...records].reverse().map((r) => r.id));
    assert.equal(all.hasMore, false);
    assert.equal(all.entries[0]?.cancelled, true);
    assert.deepEqual((await store.list({ repo: 'other/repo' })).entries.map((e) => e.id), [records[2]!.id]);
    assert.deepEqual((await store.list({ thread: 7 })).entries.map((e) => e.id), [records[1]!.id]);
    assert.deepEqual((await store.list({ outcome: 'posted' })).entries.map((e) => e.id), [records[0]!.id]);
    assert.deepEqual((await store.list({ outcome: 'pending', repo: 'acme/widgets' })).entries.map((e) => e.id), [records[4]!.id, records[1]!.id]);

    const page1 = await store.list({ limit: 2 });
    assert.deepEqual(page1.entries.map((e) => e.id), [records[4]!.id, records[3]!.id]);
    assert.equal(page1.hasMore, true);
    const page2 = await store.list({ limit: 2, before: records[3]!.id });
    assert.deepEqual(page2.entries.map((e) => e.id), [records[2]!.id, records[1]!.id]);
    const page3 = await store.list({ limit: 2, before: records[1]!.id });
    assert.deepEqual(page3.entries.map((e) => e.id), [records[0]!.id]);
    assert.equal(page3.hasMore, false);
    assert.deepEqual(await store.repositories(), [
      { repo: 'acme/widgets', count: 4, latest: timestampAt(5) },
      { repo: 'other/repo', count: 1, latest: timestampAt(3) },
    ]);
    await store.close();
  });

  test('outcomes: a weaker one never replaces a stronger one; a later post replaces an earlier one', async () => {
    const store = await freshStore();
    const record = recordAt(1);
    await store.insert(record, []);
    const copied = { outcome: 'copied' as const, editDistance: null, finalLength: null, at: timestampAt(2) };
    assert.deepEqual(await store.setOutcome(record.id, copied), copied);
    const discarded = { outcome: 'discarded' as const, editDistance: null, finalLength: null, at: timestampAt(3) };
    assert.deepEqual(await store.setOutcome(record.id, discarded), copied);
    const edited = { outcome: 'edited' as const, editDistance: 12, finalLength: 60, at: timestampAt(4), commentUrl: 'https://github.com/acme/widgets/issues/42#issuecomment-1' };
    assert.deepEqual(await store.setOutcome(record.id, edited), edited);
    assert.deepEqual(await store.setOutcome(record.id, discarded), edited);
    const reposted = { outcome: 'posted' as const, editDistance: 0, finalLength: 48, at: timestampAt(5) };
    assert.deepEqual(await store.setOutcome(record.id, reposted), reposted);
    assert.deepEqual((await store.get(record.id))?.outcome, reposted);
    assert.equal(await store.setOutcome('missing', copied), undefined);
    await store.close();
  });

  test('records() reads every record in scope oldest first across batches, with outcomes', async () => {
    const store = await freshStore();
    const inserted: HistoryRecord[] = [];
    for (let i = 0; i < 1203; i++) {
      const record = recordAt(1000 + i, { thread: { repo: i % 3 === 0 ? 'other/repo' : 'acme/widgets' } });
      inserted.push(record);
      await store.insert(record, []);
    }
    await store.setOutcome(inserted[600]!.id, { outcome: 'copied', editDistance: null, finalLength: null, at: timestampAt(5000) });
    const read: HistoryRecord[] = [];
    for await (const record of store.records()) read.push(record);
    assert.deepEqual(read.map((r) => r.id), inserted.map((r) => r.id));
    assert.equal(read[600]?.outcome?.outcome, 'copied');
    const since = new Date(timestampAt(2000));
    const scoped: string[] = [];
    for await (const record of store.records({ repo: 'other/repo', since })) scoped.push(record.id);
    assert.deepEqual(scoped, inserted.filter((r, i) => i % 3 === 0 && r.createdAt >= since.toISOString()).map((r) => r.id));
    assert.equal(await store.count({ repo: 'other/repo' }), 401);
    await store.close();
  });

  test('metrics: speed points oldest first, failing rules per suggestion, acceptance by outcome', async () => {
    const store = await freshStore();
    const a = recordAt(1, { suggestion: { checkCycles: FAILING_CYCLES } });
    const b = recordAt(2, { suggestion: { checkCycles: FAILING_CYCLES, timings: { ...aSuggestion().timings, timeToFirstTokenMs: 80, tokensPerSecond: 20 } } });
    const c = recordAt(3, { suggestion: { timings: { ...aSuggestion().timings, timeToFirstTokenMs: null, tokensPerSecond: 0 }, cancelled: true } });
    for (const record of [a, b, c]) await store.insert(record, findingRows(record.suggestion.checkCycles, 'warning'));
    await store.setOutcome(a.id, { outcome: 'edited', editDistance: 3, finalLength: 50, at: timestampAt(4) });
    const metrics = await historyMetrics(store.db, {});
    assert.equal(metrics.total, 3);
    assert.deepEqual(metrics.speed, [
      { createdAt: a.createdAt, timeToFirstTokenMs: 35, tokensPerSecond: 40, modelName: 'Llama 3.2 1B Instruct' },
      { createdAt: b.createdAt, timeToFirstTokenMs: 80, tokensPerSecond: 20, modelName: 'Llama 3.2 1B Instruct' },
    ]);
    // The info finding does not fail under failOn=warning, so python.note is not a failing rule.
    assert.deepEqual(metrics.rules, [
      { rule: 'python.os-system', failures: 2, checked: 3 },
      { rule: 'source.unknown-source', failures: 2, checked: 3 },
    ]);
    assert.deepEqual(metrics.acceptance, { posted: 0, edited: 1, copied: 0, discarded: 0, pending: 2 });
    const errorOnly = findingRows(FAILING_CYCLES, 'error');
    assert.deepEqual(errorOnly.map((row) => [row.rule, row.fails]), [['python.os-system', false], ['python.note', false], ['source.unknown-source', true]]);
    await store.close();
  });

  test('delete by repo and by age takes outcomes and findings along; model hashes fill older records', async () => {
    const store = await freshStore();
    const old = recordAt(1, { suggestion: { checkCycles: FAILING_CYCLES } });
    const recent = recordAt(100, { thread: { repo: 'other/repo' } });
    for (const record of [old, recent]) await store.insert(record, findingRows(record.suggestion.checkCycles, 'warning'));
    await store.setOutcome(old.id, { outcome: 'copied', editDistance: null, finalLength: null, at: timestampAt(2) });
    assert.equal(await store.saveModelHash('/models/llama.gguf', 1_000_000, 1234.7, 'ab'.repeat(32)), 2);
    assert.equal((await store.get(old.id))?.modelSha256, 'ab'.repeat(32));
    assert.equal(await store.knownModelHash('/models/llama.gguf', 1_000_000, 1234), 'ab'.repeat(32));
    assert.equal(await store.knownModelHash('/models/llama.gguf', 1_000_001, 1234), undefined);

    assert.equal(await store.deleteOlderThan(new Date(timestampAt(50))), 1);
    const orphans = await store.db.get<{ f: number; o: number }>('SELECT (SELECT COUNT(*) FROM check_findings) AS f, (SELECT COUNT(*) FROM outcomes) AS o');
    assert.deepEqual(orphans, { f: 0, o: 0 });
    assert.equal(await store.delete({ repo: 'acme/widgets' }), 0);
    assert.equal(await store.delete({ repo: 'other/repo' }), 1);
    await store.compact();
    assert.deepEqual((await store.list({})).entries, []);
    await store.close();
  });
});
