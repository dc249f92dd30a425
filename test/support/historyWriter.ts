/**
 * A child process for the crash test: records suggestions into the history database given as the
 * first argument, as fast as it can, and prints `committed <n>` after each commit, until killed.
 * Each record has 3 finding rows and a ~200 KB reply, so a kill often lands mid-transaction.
 */
import { findingRows } from '../../server/src/history/record/findingRows';
import { historyRecordOf } from '../../server/src/history/record/historyRecordOf';
import { HistoryStore } from '../../server/src/history/store/historyStore';
import { aCheckReport, aSuggestion, aThread } from './builders';

const path = process.argv[2];
if (!path) throw new Error('usage: historyWriter <database path>');
const store = await HistoryStore.open(path);
const cycles = [
  {
    cycle: 0,
    text: 'x',
    feedback: '',
    generatedTokens: 1,
    generationMs: 1,
    stopReason: 'end' as const,
    report: aCheckReport({ passed: false, failures: 3, sources: [1, 2, 3].map((n) => ({ kind: 'unknown-source' as const, text: `[${n + 10}]`, offset: n, number: n + 10 })) }),
  },
];
for (let n = 1; ; n++) {
  const suggestion = aSuggestion({ id: `crash-${process.pid}-${n}`, createdAt: new Date().toISOString(), text: `reply ${n} `.repeat(20_000), checkCycles: cycles });
  const record = historyRecordOf({ thread: aThread({ number: n }), suggestion, origin: 'crash-test', modelSha256: null });
  await store.insert(record, findingRows(cycles, 'warning'));
  process.stdout.write(`committed ${n}\n`);
}
