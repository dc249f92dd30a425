import type { HistoryMetrics } from '../../../server/src/protocol';
import { historyPage } from './historyPage';
import { escapeHtml, formatCount, formatMs, formatNumber, numberOf, tableHtml, textOf } from './htmlText';
import { barChart, lineChart, percent, stackedBar } from './svgCharts';
import type { LineSeries, Segment } from './svgCharts';

/**
 * The metrics dashboard as one static HTML page (pure, no VS Code): time to first token and decode
 * speed over time (a line per model), the check failure rate by rule, and what people did with the
 * suggestions. Each plot has a small table of its numbers under it, for screen readers and for
 * copying. The page runs no script; the panel renders it again when the data or the scope changes.
 */

export interface MetricsPageOptions {
  nonce: string;
  /** What the numbers cover, e.g. `all repositories` or `octo/widgets` (shown, escaped). */
  scope: string;
  /** A command the "Change…" link runs (the panel allows exactly this command URI); none: no link. */
  pickCommand?: string;
  /** The x axes' zone offset from UTC (default: this machine's). */
  offsetMs?: number;
}

/** Most rules in the failure-rate chart. */
export const TOP_RULES = 12;

export function metricsPage(metrics: HistoryMetrics, options: MetricsPageOptions): string {
  const change = options.pickCommand ? ` · <a href="command:${escapeHtml(options.pickCommand)}">Change repository…</a>` : '';
  const header = `<h1>Suggestion metrics</h1><p class="toolbar">Repository: <strong>${escapeHtml(options.scope)}</strong>${change}</p>`;
  const total = numberOf(metrics.total) ?? 0;
  if (total === 0) {
    return historyPage(
      { nonce: options.nonce, title: 'Threadwise metrics' },
      `${header}<div class="empty"><h2>No suggestions recorded yet</h2><p>Suggest a reply to a thread: each suggestion is recorded with its timings, checks and outcome, and plotted here.</p></div>`,
    );
  }
  const speed = Array.isArray(metrics.speed) ? metrics.speed : [];
  const body = [
    header,
    `<p class="meta">${formatCount(total)} suggestions counted.</p>`,
    section(
      'Time to first token',
      lineChart({
        id: 'ttft',
        title: 'Time to first token over time',
        description: 'Milliseconds from the start of generation to the first token, per suggestion, one line per model.',
        series: seriesByModel(speed, (point) => numberOf(point.timeToFirstTokenMs)),
        yLabel: 'ms',
        formatY: (value) => formatCount(value),
        ...(options.offsetMs !== undefined ? { offsetMs: options.offsetMs } : {}),
      }),
      speedTable(speed, (point) => numberOf(point.timeToFirstTokenMs), (value) => formatMs(value)),
    ),
    section(
      'Tokens per second',
      lineChart({
        id: 'tps',
        title: 'Tokens per second over time',
        description: 'Decode speed of each suggestion’s first draft, one line per model.',
        series: seriesByModel(speed, (point) => numberOf(point.tokensPerSecond)),
        yLabel: 'tokens/s',
        ...(options.offsetMs !== undefined ? { offsetMs: options.offsetMs } : {}),
      }),
      speedTable(speed, (point) => numberOf(point.tokensPerSecond), (value) => `${formatNumber(value)} tokens/s`),
    ),
    rulesSection(metrics.rules),
    acceptanceSection(metrics.acceptance),
  ].join('\n');
  return historyPage({ nonce: options.nonce, title: 'Threadwise metrics' }, body);
}

type SpeedPoint = HistoryMetrics['speed'][number];

/** One series per model, in order of first appearance; points without a value are left out. */
export function seriesByModel(speed: readonly SpeedPoint[], value: (point: SpeedPoint) => number | null): LineSeries[] {
  const byModel = new Map<string, LineSeries>();
  for (const point of speed) {
    const y = value(point);
    const t = Date.parse(textOf(point.createdAt));
    if (y === null || Number.isNaN(t)) continue;
    const name = textOf(point.modelName, 'unknown model');
    let series = byModel.get(name);
    if (!series) {
      series = { name, points: [] };
      byModel.set(name, series);
    }
    series.points.push({ t, y });
  }
  return [...byModel.values()];
}

/** The failure rate of each rule (failures / checked, in %), highest first, at most TOP_RULES. */
export function ruleRates(rules: HistoryMetrics['rules']): Array<{ rule: string; failures: number; checked: number; rate: number }> {
  return (Array.isArray(rules) ? rules : [])
    .filter((rule) => (numberOf(rule.checked) ?? 0) > 0)
    .map((rule) => ({ rule: textOf(rule.rule, '?'), failures: numberOf(rule.failures) ?? 0, checked: numberOf(rule.checked) ?? 0, rate: ((numberOf(rule.failures) ?? 0) / (numberOf(rule.checked) ?? 1)) * 100 }))
    .sort((a, b) => b.rate - a.rate || b.failures - a.failures || a.rule.localeCompare(b.rule))
    .slice(0, TOP_RULES);
}

/** The acceptance segments in the order the chart draws them. */
export function acceptanceSegments(acceptance: HistoryMetrics['acceptance'] | undefined): Segment[] {
  const count = (value: unknown) => numberOf(value) ?? 0;
  return [
    { key: 'posted', label: 'Posted as is', value: count(acceptance?.posted) },
    { key: 'edited', label: 'Edited, then posted', value: count(acceptance?.edited) },
    { key: 'copied', label: 'Copied', value: count(acceptance?.copied) },
    { key: 'discarded', label: 'Discarded', value: count(acceptance?.discarded) },
    { key: 'pending', label: 'Pending', value: count(acceptance?.pending) },
  ];
}

function rulesSection(rules: HistoryMetrics['rules']): string {
  const rates = ruleRates(rules);
  const chart = barChart({
    id: 'rules',
    title: 'Check failure rate by rule',
    description: `In what share of the suggestions it checked each rule failed; the ${TOP_RULES} highest.`,
    bars: rates.map((rate) => ({ label: rate.rule, value: rate.rate, note: `${rate.rule}: failed in ${rate.failures} of ${rate.checked} suggestions (${formatNumber(rate.rate)}%)` })),
    max: 100,
    formatValue: (value) => `${formatNumber(value)}%`,
    xLabel: 'Failure rate (% of suggestions checked)',
    emptyMessage: 'No check has failed yet.',
  });
  const table = rates.length === 0 ? '' : tableHtml(['Rule', 'Failed', 'Checked', 'Rate'], rates.map((rate) => [`<code>${escapeHtml(rate.rule)}</code>`, formatCount(rate.failures), formatCount(rate.checked), `${formatNumber(rate.rate)}%`]));
  return section('Check failures by rule', chart, table);
}

function acceptanceSection(acceptance: HistoryMetrics['acceptance'] | undefined): string {
  const segments = acceptanceSegments(acceptance);
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  const chart = stackedBar({ id: 'acceptance', title: 'What happened to the suggestions', description: 'Posted as suggested, edited then posted, copied, discarded, or still pending.', segments });
  const table = tableHtml(['Outcome', 'Suggestions', 'Share'], segments.map((segment) => [escapeHtml(segment.label), formatCount(segment.value), percent(segment.value, total)]));
  return section('Acceptance', chart, table);
}

/** Per model: suggestions, median, 90th percentile and the latest value. */
function speedTable(speed: readonly SpeedPoint[], value: (point: SpeedPoint) => number | null, format: (value: number) => string): string {
  const series = seriesByModel(speed, value);
  if (series.length === 0) return '';
  return tableHtml(
    ['Model', 'Suggestions', 'Median', '90th percentile', 'Latest'],
    series.map((s) => {
      const values = s.points.map((p) => p.y).sort((a, b) => a - b);
      const latest = s.points.reduce((a, b) => (b.t >= a.t ? b : a));
      return [escapeHtml(s.name), formatCount(values.length), format(quantile(values, 0.5)), format(quantile(values, 0.9)), format(latest.y)];
    }),
  );
}

/** The q-quantile of sorted values, by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (position - low);
}

function section(title: string, chart: string, table: string): string {
  return `<section class="chart"><h2>${escapeHtml(title)}</h2>${chart}${table}</section>`;
}
