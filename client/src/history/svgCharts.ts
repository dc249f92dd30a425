import { formatTickValue, formatTimeTick, linearScale, niceTicks, timeTicks } from './chartScale';
import { escapeHtml } from './htmlText';

/**
 * The metrics charts as SVG strings (pure, no VS Code, no script): a line chart over time, a
 * horizontal bar chart and a stacked 100% bar. Each is a real picture with axes, ticks, labels and
 * a legend, an accessible name (`<title>`) and description (`<desc>`), and hover titles on its
 * marks; colours are classes that the page's stylesheet maps to the theme's chart colours. Labels
 * (model names, rule ids) are escaped. No inline style attribute is written (the page's CSP has none).
 */

/** Size and margins of the line chart; the plot spans x ∈ [left, width - right], y ∈ [top, height - bottom]. */
export const LINE_CHART = { width: 640, height: 260, top: 28, right: 20, bottom: 44, left: 64 } as const;
/** Layout of the bar chart: label column, value column, one row per bar. */
export const BAR_CHART = { width: 640, left: 220, right: 64, top: 8, row: 26, barHeight: 16, bottom: 40 } as const;
/** Layout of the stacked bar: the bar spans [left, width - right]. */
export const STACKED_BAR = { width: 640, left: 20, right: 20, top: 10, barHeight: 36, legendRow: 20 } as const;

export interface ChartText {
  /** Unique on the page: the ids of `<title>` and `<desc>` derive from it. */
  id: string;
  title: string;
  description: string;
}

export interface TimePoint {
  /** Milliseconds since the epoch. */
  t: number;
  y: number;
}

export interface LineSeries {
  name: string;
  points: TimePoint[];
}

export interface LineChartOptions extends ChartText {
  series: LineSeries[];
  /** The y axis' title, e.g. `ms`. */
  yLabel: string;
  formatY?: (value: number) => string;
  /** Offset of the zone the x labels are in from UTC (default: this machine's at the first point). */
  offsetMs?: number;
  /** Said when there is no point. */
  emptyMessage?: string;
}

/**
 * Lines over time, one per series (at most six colours, then they repeat). The x domain is the
 * points' time span (one point: an hour either side), so the first point is on the plot's left
 * edge and the last on its right edge; the y domain runs from min(0, lowest) to the highest value,
 * which is on the plot's top edge.
 */
export function lineChart(options: LineChartOptions): string {
  const series = options.series.map((s) => ({ name: s.name, points: s.points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.y)).sort((a, b) => a.t - b.t) })).filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);
  const { width, height, top, right, bottom, left } = LINE_CHART;
  if (all.length === 0) return emptyChart(options, width, 120, options.emptyMessage ?? 'No data to plot yet.');
  const formatY = options.formatY ?? formatTickValue;
  let tMin = Math.min(...all.map((p) => p.t));
  let tMax = Math.max(...all.map((p) => p.t));
  if (tMin === tMax) {
    tMin -= 3_600_000;
    tMax += 3_600_000;
  }
  const yLow = Math.min(0, ...all.map((p) => p.y));
  let yHigh = Math.max(...all.map((p) => p.y));
  if (yHigh === yLow) yHigh = yLow + 1;
  const offsetMs = options.offsetMs ?? -new Date(tMin).getTimezoneOffset() * 60_000;
  const x = linearScale([tMin, tMax], [left, width - right]);
  const y = linearScale([yLow, yHigh], [height - bottom, top]);
  const plotBottom = height - bottom;

  const yTicks = niceTicks(yLow, yHigh, 5);
  const grid = yTicks.map((v) => `<line x1="${left}" y1="${r(y(v))}" x2="${width - right}" y2="${r(y(v))}"/>`).join('');
  const yAxis = yTicks.map((v) => `<line x1="${left - 4}" y1="${r(y(v))}" x2="${left}" y2="${r(y(v))}"/><text class="tick" x="${left - 8}" y="${r(y(v) + 4)}" text-anchor="end">${escapeHtml(formatY(v))}</text>`).join('');
  const { ticks, stepMs } = timeTicks(tMin, tMax, offsetMs, 6);
  const xAxis = ticks.map((t) => `<line x1="${r(x(t))}" y1="${plotBottom}" x2="${r(x(t))}" y2="${plotBottom + 4}"/><text class="tick" x="${r(x(t))}" y="${plotBottom + 17}" text-anchor="middle">${escapeHtml(formatTimeTick(t, stepMs, offsetMs))}</text>`).join('');

  const lines = series
    .map((s, index) => {
      const cls = `series-${index % 6}`;
      const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(x(p.t))} ${r(y(p.y))}`).join(' ');
      const marks = all.length > 400 ? '' : s.points.map((p) => `<circle cx="${r(x(p.t))}" cy="${r(y(p.y))}" r="3"><title>${escapeHtml(`${s.name}, ${formatTimeTick(p.t, 3_600_000, offsetMs)}: ${formatY(p.y)}`)}</title></circle>`).join('');
      return `<path class="line ${cls}" d="${d}"/><g class="points ${cls}">${marks}</g>`;
    })
    .join('');
  const legend = series.map((s, index) => `<g class="legend-item"><rect class="series-${index % 6}" x="${left + index * 160}" y="8" width="10" height="10"/><text class="legend" x="${left + index * 160 + 14}" y="17">${escapeHtml(truncate(s.name, 24))}</text></g>`).join('');

  return `<svg class="line-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids(options.id)}">${titleAndDesc(options)}`
    + `<g class="grid">${grid}</g>`
    + `<g class="axis axis-y"><line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}"/>${yAxis}</g>`
    + `<g class="axis axis-x"><line x1="${left}" y1="${plotBottom}" x2="${width - right}" y2="${plotBottom}"/>${xAxis}</g>`
    + `<text class="label" x="14" y="${r((top + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${r((top + plotBottom) / 2)})">${escapeHtml(options.yLabel)}</text>`
    + `<text class="label" x="${r((left + width - right) / 2)}" y="${height - 6}" text-anchor="middle">Time</text>`
    + lines
    + `<g class="legend-items">${legend}</g></svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Hover text (default: label and value). */
  note?: string;
}

export interface BarChartOptions extends ChartText {
  bars: Bar[];
  /** The value of a full-width bar (default: the largest value). */
  max?: number;
  formatValue?: (value: number) => string;
  /** The x axis' title. */
  xLabel: string;
  emptyMessage?: string;
}

/** Horizontal bars, one row each in the given order; a bar's width is value / max of the plot width. */
export function barChart(options: BarChartOptions): string {
  const bars = options.bars.filter((bar) => Number.isFinite(bar.value));
  const { width, left, right, top, row, barHeight, bottom } = BAR_CHART;
  if (bars.length === 0) return emptyChart(options, width, 120, options.emptyMessage ?? 'No data to plot yet.');
  const formatValue = options.formatValue ?? formatTickValue;
  const max = options.max ?? Math.max(0, ...bars.map((bar) => bar.value));
  const plotWidth = width - left - right;
  const height = top + bars.length * row + bottom;
  const plotBottom = top + bars.length * row;
  const x = linearScale([0, max > 0 ? max : 1], [left, left + plotWidth]);
  const ticks = niceTicks(0, max > 0 ? max : 1, 5);
  const grid = ticks.map((v) => `<line x1="${r(x(v))}" y1="${top}" x2="${r(x(v))}" y2="${plotBottom}"/>`).join('');
  const axis = ticks.map((v) => `<line x1="${r(x(v))}" y1="${plotBottom}" x2="${r(x(v))}" y2="${plotBottom + 4}"/><text class="tick" x="${r(x(v))}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(formatValue(v))}</text>`).join('');
  const rows = bars
    .map((bar, index) => {
      const yTop = top + index * row + (row - barHeight) / 2;
      const barWidth = r(Math.max(0, x(Math.min(bar.value, max > 0 ? max : 1)) - left));
      const note = bar.note ?? `${bar.label}: ${formatValue(bar.value)}`;
      return `<g class="bar-row"><title>${escapeHtml(note)}</title>`
        + `<text class="tick" x="${left - 8}" y="${r(yTop + barHeight - 4)}" text-anchor="end">${escapeHtml(truncate(bar.label, 32))}</text>`
        + `<rect class="bar" x="${left}" y="${r(yTop)}" width="${barWidth}" height="${barHeight}"/>`
        + `<text class="tick" x="${r(left + barWidth + 6)}" y="${r(yTop + barHeight - 4)}">${escapeHtml(formatValue(bar.value))}</text></g>`;
    })
    .join('');
  return `<svg class="bar-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids(options.id)}">${titleAndDesc(options)}`
    + `<g class="grid">${grid}</g>${rows}`
    + `<g class="axis axis-x"><line x1="${left}" y1="${plotBottom}" x2="${left + plotWidth}" y2="${plotBottom}"/>${axis}</g>`
    + `<g class="axis axis-y"><line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}"/></g>`
    + `<text class="label" x="${r(left + plotWidth / 2)}" y="${height - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text></svg>`;
}

export interface Segment {
  /** Class suffix (`seg-<key>`): lower-case letters, digits and dashes. */
  key: string;
  label: string;
  value: number;
}

/** One bar split into segments by share of the total, left to right, with a legend of counts and percentages. */
export function stackedBar(options: ChartText & { segments: Segment[]; emptyMessage?: string }): string {
  const segments = options.segments.filter((segment) => Number.isFinite(segment.value) && segment.value > 0);
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  const { width, left, right, top, barHeight, legendRow } = STACKED_BAR;
  if (total === 0) return emptyChart(options, width, 120, options.emptyMessage ?? 'No data to plot yet.');
  const plotWidth = width - left - right;
  const legendTop = top + barHeight + 28;
  const height = legendTop + options.segments.length * legendRow + 6;
  let offset = left;
  const rects = segments
    .map((segment) => {
      const w = (segment.value / total) * plotWidth;
      const rect = `<rect class="seg-${classKey(segment.key)}" x="${r(offset)}" y="${top}" width="${r(w)}" height="${barHeight}"><title>${escapeHtml(`${segment.label}: ${segment.value} (${percent(segment.value, total)})`)}</title></rect>`;
      offset += w;
      return rect;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const tx = r(left + share * plotWidth);
    return `<line x1="${tx}" y1="${top + barHeight}" x2="${tx}" y2="${top + barHeight + 4}"/><text class="tick" x="${tx}" y="${top + barHeight + 16}" text-anchor="middle">${share * 100}%</text>`;
  });
  const legend = options.segments
    .map((segment, index) => {
      const ly = legendTop + index * legendRow;
      const value = Number.isFinite(segment.value) ? segment.value : 0;
      return `<rect class="seg-${classKey(segment.key)}" x="${left}" y="${ly}" width="12" height="12"/><text class="legend" x="${left + 18}" y="${ly + 10}">${escapeHtml(`${segment.label}: ${value} (${percent(value, total)})`)}</text>`;
    })
    .join('');
  return `<svg class="stacked-bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids(options.id)}">${titleAndDesc(options)}`
    + rects
    + `<g class="axis axis-x"><line x1="${left}" y1="${top + barHeight}" x2="${left + plotWidth}" y2="${top + barHeight}"/>${ticks.join('')}</g>`
    + `<g class="legend-items">${legend}</g></svg>`;
}

/** A chart's frame with nothing plotted: its title and description, and `message` in the middle. */
export function emptyChart(text: ChartText, width: number, height: number, message: string): string {
  return `<svg class="empty-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids(text.id)}">${titleAndDesc(text)}`
    + `<text class="empty-note" x="${width / 2}" y="${height / 2}" text-anchor="middle">${escapeHtml(message)}</text></svg>`;
}

/** "42%" of `total` (one decimal under 10%). */
export function percent(value: number, total: number): string {
  if (!(total > 0)) return '0%';
  const share = (value / total) * 100;
  return `${share < 10 && share > 0 ? share.toFixed(1) : Math.round(share)}%`;
}

function titleAndDesc(text: ChartText): string {
  const id = classKey(text.id);
  return `<title id="${id}-title">${escapeHtml(text.title)}</title><desc id="${id}-desc">${escapeHtml(text.description)}</desc>`;
}

function ids(id: string): string {
  const key = classKey(id);
  return `${key}-title ${key}-desc`;
}

/** Only `[a-z0-9-]`, so a key can never leave its attribute. */
function classKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Two decimals at most: stable coordinates. */
function r(value: number): number {
  return Math.round(value * 100) / 100;
}
