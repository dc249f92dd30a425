import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatTimeTick, linearScale, niceTicks, timeTicks } from '../../client/src/history/chartScale';
import { BAR_CHART, barChart, LINE_CHART, lineChart, percent, STACKED_BAR, stackedBar } from '../../client/src/history/svgCharts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 15, 0, 0, 0);

function attributes(svg: string, tag: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag}\\s([^>]*?)/?>`, 'g'))].map((match) => Object.fromEntries([...(match[1] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)].map((pair) => [pair[1] ?? '', pair[2] ?? ''])));
}

describe('scales and ticks', () => {
  test('linear scale and nice ticks', () => {
    const scale = linearScale([0, 200], [10, 110]);
    assert.equal(scale(0), 10);
    assert.equal(scale(200), 110);
    assert.equal(scale(50), 35);
    assert.equal(linearScale([5, 5], [0, 100])(5), 50);
    assert.deepEqual(niceTicks(0, 100, 5), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(0, 37, 5), [0, 10, 20, 30]);
    assert.deepEqual(niceTicks(0, 0.9, 4), [0, 0.2, 0.4, 0.6, 0.8]);
    assert.deepEqual(niceTicks(3, 3), [3]);
  });

  test('time ticks fall on round steps in the given zone', () => {
    assert.deepEqual(timeTicks(T0 + 3_600_000, T0 + 5 * DAY, 0, 6), { ticks: [T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY, T0 + 5 * DAY], stepMs: DAY });
    // Two hours ahead of UTC: the day ticks are on local midnight, 22:00 UTC.
    assert.deepEqual(timeTicks(T0, T0 + 2 * DAY, 2 * 3_600_000, 6).ticks, [T0 + 12 * 3_600_000 - 2 * 3_600_000, T0 + DAY - 2 * 3_600_000, T0 + 36 * 3_600_000 - 2 * 3_600_000, T0 + 2 * DAY - 2 * 3_600_000]);
    assert.equal(formatTimeTick(T0 + DAY, DAY, 0), 'Jan 16');
    assert.equal(formatTimeTick(T0 + 15 * 3_600_000, 3 * 3_600_000, 0), 'Jan 15 15:00');
    assert.equal(formatTimeTick(T0 + 15 * 3_600_000 + 30 * 60_000, 15 * 60_000, 0), '15:30');
  });
});

describe('line chart', () => {
  const svg = lineChart({
    id: 'ttft',
    title: 'Time to first token over time',
    description: 'One point per suggestion.',
    yLabel: 'ms',
    offsetMs: 0,
    series: [{ name: 'Llama <3>', points: [{ t: T0 + 2 * DAY, y: 100 }, { t: T0, y: 0 }, { t: T0 + DAY, y: 50 }] }],
  });

  test('the first and last points are on the plot edges, the highest on the top edge', () => {
    const { left, right, top, bottom, width, height } = LINE_CHART;
    assert.deepEqual([left, width - right, top, height - bottom], [64, 620, 28, 216]);
    assert.deepEqual(attributes(svg, 'circle').map((c) => [c.cx, c.cy]), [['64', '216'], ['342', '122'], ['620', '28']]);
    assert.ok(svg.includes('<path class="line series-0" d="M64 216 L342 122 L620 28"/>'));
  });

  test('axes with ticks and labels, a legend, and an accessible name', () => {
    assert.ok(svg.startsWith('<svg class="line-chart" width="640" height="260" viewBox="0 0 640 260" role="img" aria-labelledby="ttft-title ttft-desc"><title id="ttft-title">Time to first token over time</title><desc id="ttft-desc">One point per suggestion.</desc>'));
    const yLabels = [...svg.matchAll(/<text class="tick" x="56" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(yLabels, ['0', '20', '40', '60', '80', '100']);
    const xLabels = [...svg.matchAll(/<text class="tick" x="([\d.]+)" y="233" text-anchor="middle">([^<]+)<\/text>/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(xLabels, ['64 Jan 15 00:00', '203 Jan 15 12:00', '342 Jan 16 00:00', '481 Jan 16 12:00', '620 Jan 17 00:00']);
    assert.ok(svg.includes('transform="rotate(-90 14 122)">ms</text>'));
    assert.ok(svg.includes('<text class="legend" x="78" y="17">Llama &#60;3&#62;</text>'), 'series names are escaped');
  });

  test('one point sits in the middle; no point gives the empty state', () => {
    const single = lineChart({ id: 'one', title: 'T', description: 'D', yLabel: 'ms', offsetMs: 0, series: [{ name: 'm', points: [{ t: T0, y: 7 }] }] });
    assert.deepEqual(attributes(single, 'circle').map((c) => [c.cx, c.cy]), [['342', '28']]);
    const empty = lineChart({ id: 'none', title: 'T', description: 'D', yLabel: 'ms', series: [{ name: 'm', points: [] }], emptyMessage: 'Nothing yet.' });
    assert.equal(empty, '<svg class="empty-chart" width="640" height="120" viewBox="0 0 640 120" role="img" aria-labelledby="none-title none-desc"><title id="none-title">T</title><desc id="none-desc">D</desc><text class="empty-note" x="320" y="60" text-anchor="middle">Nothing yet.</text></svg>');
  });

  test('two series get two colours and two legend entries', () => {
    const two = lineChart({ id: 'tps', title: 'T', description: 'D', yLabel: 'tokens/s', offsetMs: 0, series: [{ name: 'a', points: [{ t: T0, y: 10 }] }, { name: 'b', points: [{ t: T0 + DAY, y: 20 }] }] });
    assert.deepEqual([...two.matchAll(/<path class="line (series-\d)"/g)].map((m) => m[1]), ['series-0', 'series-1']);
    assert.deepEqual(attributes(two, 'circle').map((c) => [c.cx, c.cy]), [['64', '122'], ['620', '28']]);
  });
});

describe('bar chart', () => {
  test('bar widths are proportional to value / max of the plot width', () => {
    const svg = barChart({ id: 'rules', title: 'Failure rate', description: 'D', xLabel: '%', max: 100, bars: [{ label: 'no-eval', value: 50 }, { label: 'secret.github-token', value: 25 }, { label: 'syntax', value: 12.5 }] });
    const plotWidth = BAR_CHART.width - BAR_CHART.left - BAR_CHART.right;
    assert.equal(plotWidth, 356);
    assert.deepEqual(attributes(svg, 'rect').map((rect) => [rect.x, rect.width]), [['220', '178'], ['220', '89'], ['220', '44.5']]);
    const labels = [...svg.matchAll(/<text class="tick" x="212" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['no-eval', 'secret.github-token', 'syntax']);
    assert.equal(svg.match(/<text class="tick" x="[\d.]+" y="102" text-anchor="middle">/g)?.length, 6, 'x ticks 0..100');
  });

  test('without a max, the largest bar fills the plot; no bars give the empty state', () => {
    const svg = barChart({ id: 'b', title: 'T', description: 'D', xLabel: 'n', bars: [{ label: 'a', value: 4 }, { label: 'b', value: 1 }] });
    assert.deepEqual(attributes(svg, 'rect').map((rect) => rect.width), ['356', '89']);
    assert.ok(barChart({ id: 'e', title: 'T', description: 'D', xLabel: 'n', bars: [], emptyMessage: 'No check has failed yet.' }).includes('>No check has failed yet.</text>'));
  });
});

describe('stacked bar', () => {
  test('segments share the bar by their counts; zero segments stay in the legend only', () => {
    const svg = stackedBar({ id: 'acceptance', title: 'T', description: 'D', segments: [{ key: 'posted', label: 'Posted as is', value: 3 }, { key: 'edited', label: 'Edited', value: 1 }, { key: 'copied', label: 'Copied', value: 0 }] });
    const plotWidth = STACKED_BAR.width - STACKED_BAR.left - STACKED_BAR.right;
    assert.equal(plotWidth, 600);
    const segments = attributes(svg, 'rect').filter((rect) => rect.height === '36').map((rect) => [rect.class, rect.x, rect.width]);
    assert.deepEqual(segments, [['seg-posted', '20', '450'], ['seg-edited', '470', '150']]);
    const legend = [...svg.matchAll(/<text class="legend" [^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(legend, ['Posted as is: 3 (75%)', 'Edited: 1 (25%)', 'Copied: 0 (0%)']);
    assert.ok(stackedBar({ id: 'z', title: 'T', description: 'D', segments: [{ key: 'posted', label: 'P', value: 0 }] }).startsWith('<svg class="empty-chart"'));
    assert.deepEqual([percent(1, 3), percent(1, 40), percent(0, 0)], ['33%', '2.5%', '0%']);
  });
});
