import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryMetrics } from '../../server/src/protocol';
import { acceptanceSegments, metricsPage, quantile, ruleRates, seriesByModel, TOP_RULES } from '../../client/src/history/metricsPage';

const T0 = Date.UTC(2024, 0, 15, 9, 0, 0);

function someMetrics(overrides: Partial<HistoryMetrics> = {}): HistoryMetrics {
  return {
    total: 4,
    speed: [
      { createdAt: new Date(T0).toISOString(), timeToFirstTokenMs: 40, tokensPerSecond: 30, modelName: 'Llama 3B' },
      { createdAt: new Date(T0 + 3_600_000).toISOString(), timeToFirstTokenMs: null, tokensPerSecond: 0, modelName: 'Llama 3B' },
      { createdAt: new Date(T0 + 7_200_000).toISOString(), timeToFirstTokenMs: 20, tokensPerSecond: 50, modelName: '<b>8B</b>' },
      { createdAt: 'not a date', timeToFirstTokenMs: 10, tokensPerSecond: 10, modelName: 'Llama 3B' },
    ],
    rules: [
      { rule: 'no-eval', failures: 3, checked: 4 },
      { rule: 'secret.github-token', failures: 1, checked: 1 },
      { rule: 'syntax', failures: 0, checked: 4 },
      { rule: 'never-checked', failures: 0, checked: 0 },
    ],
    acceptance: { posted: 1, edited: 1, copied: 0, discarded: 1, pending: 1 },
    ...overrides,
  };
}

describe('metrics data', () => {
  test('one series per model; points without a value or a date are left out', () => {
    const ttft = seriesByModel(someMetrics().speed, (p) => p.timeToFirstTokenMs);
    assert.deepEqual(ttft, [
      { name: 'Llama 3B', points: [{ t: T0, y: 40 }] },
      { name: '<b>8B</b>', points: [{ t: T0 + 7_200_000, y: 20 }] },
    ]);
  });

  test('failure rates by rule, highest first, unchecked rules left out, at most 12', () => {
    assert.deepEqual(ruleRates(someMetrics().rules), [
      { rule: 'secret.github-token', failures: 1, checked: 1, rate: 100 },
      { rule: 'no-eval', failures: 3, checked: 4, rate: 75 },
      { rule: 'syntax', failures: 0, checked: 4, rate: 0 },
    ]);
    const many = Array.from({ length: 20 }, (_, i) => ({ rule: `rule-${i}`, failures: i, checked: 20 }));
    assert.equal(ruleRates(many).length, TOP_RULES);
    assert.equal(ruleRates(many)[0]?.rule, 'rule-19');
  });

  test('acceptance segments and quantiles', () => {
    assert.deepEqual(acceptanceSegments(someMetrics().acceptance).map((s) => [s.key, s.value]), [['posted', 1], ['edited', 1], ['copied', 0], ['discarded', 1], ['pending', 1]]);
    assert.equal(quantile([10, 20, 30, 40], 0.5), 25);
    assert.equal(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), 91);
  });
});

describe('metrics page', () => {
  test('four plots with their tables; text escaped; no script; the scope link is the one command', () => {
    const html = metricsPage(someMetrics(), { nonce: 'abc', scope: 'octo/<widgets>', pickCommand: 'threadwise.history.metricsRepository', offsetMs: 0 });
    assert.deepEqual([...html.matchAll(/<svg class="([a-z-]+)"[^>]*aria-labelledby="([a-z]+)-title/g)].map((m) => `${m[1]}:${m[2]}`), ['line-chart:ttft', 'line-chart:tps', 'bar-chart:rules', 'stacked-bar:acceptance']);
    assert.equal(html.match(/<table>/g)?.length, 4);
    assert.ok(html.includes('Repository: <strong>octo/&#60;widgets&#62;</strong> · <a href="command:threadwise.history.metricsRepository">Change repository…</a>'));
    assert.ok(html.includes('<td>&#60;b&#62;8B&#60;/b&#62;</td><td>1</td><td>20 ms</td><td>20 ms</td><td>20 ms</td>'));
    assert.ok(html.includes('<td><code>secret.github-token</code></td><td>1</td><td>1</td><td>100%</td>'));
    assert.ok(html.includes('<td>Posted as is</td><td>1</td><td>25%</td>'));
    assert.equal(/<script/i.test(html), false);
    assert.equal(html.includes('<b>'), false);
    assert.deepEqual(html.match(/href="[^"]*"/g), ['href="command:threadwise.history.metricsRepository"']);
  });

  test('no records gives the empty state instead of plots', () => {
    const html = metricsPage(someMetrics({ total: 0, speed: [], rules: [], acceptance: { posted: 0, edited: 0, copied: 0, discarded: 0, pending: 0 } }), { nonce: 'abc', scope: 'all repositories' });
    assert.ok(html.includes('<div class="empty"><h2>No suggestions recorded yet</h2>'));
    assert.equal(html.includes('<svg'), false);
    assert.equal(html.includes('href='), false, 'no link without a pick command');
  });

  test('records without a speed or a failed rule get per-plot empty states', () => {
    const html = metricsPage(someMetrics({ total: 2, speed: [], rules: [] }), { nonce: 'abc', scope: 'all repositories' });
    assert.equal(html.match(/<svg class="empty-chart"/g)?.length, 3);
    assert.ok(html.includes('>No check has failed yet.</text>'));
    assert.ok(html.includes('<svg class="stacked-bar"'));
  });
});
