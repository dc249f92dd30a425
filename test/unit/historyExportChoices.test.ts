import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clearQuestion,
  datasetMessage,
  defaultFileName,
  dispositionQuestion,
  EXPORT_FORMATS,
  exportMessage,
  extensionOf,
  parseSinceDate,
  SINCE_CHOICES,
  sinceOf,
  withExtension,
} from '../../client/src/history/exportChoices';

const NOW = new Date(Date.UTC(2024, 5, 30, 15, 30, 0));

describe('export choices', () => {
  test('formats and their extensions', () => {
    assert.deepEqual(EXPORT_FORMATS.map((entry) => [entry.format, extensionOf(entry.format)]), [['jsonl', 'jsonl'], ['csv', 'csv'], ['parquet', 'parquet']]);
    assert.equal(withExtension('/tmp/out', 'csv'), '/tmp/out.csv');
    assert.equal(withExtension('/tmp/out.CSV', 'csv'), '/tmp/out.CSV');
    assert.equal(withExtension('/tmp/out.jsonl', 'parquet'), '/tmp/out.jsonl.parquet');
    assert.equal(defaultFileName('history', 'csv', 'octo/widgets', NOW), 'threadwise-history-octo-widgets-2024-06-30.csv');
    assert.equal(defaultFileName('dataset', 'jsonl', undefined, NOW), 'threadwise-dataset-2024-06-30.jsonl');
  });

  test('since: all time, the last 7/30/90 days, or a date', () => {
    assert.deepEqual(SINCE_CHOICES.map((entry) => entry.label), ['All time', 'Last 7 days', 'Last 30 days', 'Last 90 days', 'Since a date…']);
    assert.equal(sinceOf({ kind: 'all' }, NOW), undefined);
    assert.equal(sinceOf({ kind: 'days', days: 7 }, NOW), '2024-06-23T15:30:00.000Z');
    assert.equal(sinceOf({ kind: 'days', days: 90 }, NOW), '2024-04-01T15:30:00.000Z');
  });

  test('a custom date must be a real day, from 2000 on, not in the future', () => {
    assert.deepEqual(parseSinceDate(' 2024-02-29 ', NOW), { ok: true, since: '2024-02-29' });
    assert.deepEqual(parseSinceDate('2024-06-30', NOW), { ok: true, since: '2024-06-30' });
    assert.deepEqual(parseSinceDate('2023-02-29', NOW), { ok: false, message: '2023-02-29 is not a day of the calendar.' });
    assert.deepEqual(parseSinceDate('2024-13-01', NOW), { ok: false, message: '2024-13-01 is not a day of the calendar.' });
    assert.deepEqual(parseSinceDate('2024-07-01', NOW), { ok: false, message: '2024-07-01 is in the future.' });
    assert.deepEqual(parseSinceDate('1999-12-31', NOW), { ok: false, message: 'Pick a date from 2000 on.' });
    for (const bad of ['', '2024-6-30', '30/06/2024', '2024-06-30T00:00', 'yesterday']) {
      assert.deepEqual(parseSinceDate(bad, NOW), { ok: false, message: 'Write the date as YYYY-MM-DD, e.g. 2024-01-31.' }, bad);
    }
  });

  test('messages', () => {
    assert.equal(exportMessage({ path: '/tmp/h.csv', format: 'csv', exported: 1200, rows: 1, bytes: 10 }), 'Exported 1,200 suggestions to /tmp/h.csv (1 row).');
    assert.equal(exportMessage({ path: '/tmp/h.jsonl', format: 'jsonl', exported: 1, rows: 3, bytes: 10 }), 'Exported 1 suggestion to /tmp/h.jsonl (3 rows).');
    assert.equal(datasetMessage({ path: '/tmp/d.jsonl', examples: 40, threads: 12, rows: 55, bytes: 9 }), 'Wrote 40 fine-tuning examples from 12 threads to /tmp/d.jsonl (55 lines in the file).');
    assert.deepEqual(dispositionQuestion('h.csv', 'suggestion id').message, 'h.csv already exists.');
    assert.match(dispositionQuestion('h.csv', 'suggestion id').detail, /or merge by suggestion id \(/);
  });

  test('the clear question, with a button for one repository when asked on one', () => {
    assert.deepEqual(clearQuestion(1), { message: 'Delete all 1 recorded suggestion? This cannot be undone.', all: 'Delete All 1' });
    assert.deepEqual(clearQuestion(1500, { repo: 'octo/widgets', count: 12 }), {
      message: 'Delete all 1,500 recorded suggestions? This cannot be undone.',
      all: 'Delete All 1,500',
      one: 'Delete Only octo/widgets (12)',
    });
  });
});
