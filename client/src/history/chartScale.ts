/**
 * Scales and axis ticks for the metrics charts (pure): a linear map from data to pixels, "nice"
 * numeric ticks (1, 2 or 5 times a power of ten) and time ticks on round steps (minutes to months).
 */

/** Maps `domain` linearly onto `range`; a zero-width domain maps everything to the range's middle. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/** A step of 1, 2 or 5 × 10^k closest to `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  // Rounded to the nearest of 1, 2, 5, 10 on a log scale (the thresholds are their geometric means).
  const nice = fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.sqrt(2) ? 2 : 1;
  return nice * power;
}

/** Ticks on multiples of a nice step within [min, max] (both ends included when they fall on a step). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max === min) return [min];
  const step = niceStep(max - min, count);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let value = Math.ceil(min / step - 1e-9) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Number(value.toFixed(decimals)));
  }
  return ticks;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Round time steps, smallest first. */
export const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY];

/**
 * Time ticks in [minMs, maxMs]: the smallest round step that gives at most `maxTicks` ticks,
 * aligned to multiples of the step in local time (`offsetMs`: the local zone's offset from UTC, so
 * day ticks fall on local midnight). Returns the ticks and the step (to choose a label format).
 */
export function timeTicks(minMs: number, maxMs: number, offsetMs = 0, maxTicks = 6): { ticks: number[]; stepMs: number } {
  if (!Number.isFinite(minMs) || !Number.isFinite(maxMs) || maxMs < minMs) return { ticks: [], stepMs: DAY };
  const span = maxMs - minMs;
  const stepMs = TIME_STEPS.find((step) => span / step <= maxTicks) ?? niceStep(span, maxTicks);
  const ticks: number[] = [];
  const first = Math.ceil((minMs + offsetMs) / stepMs) * stepMs - offsetMs;
  for (let tick = first; tick <= maxMs; tick += stepMs) ticks.push(tick);
  return { ticks, stepMs };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A tick label in the zone `offsetMs` from UTC: "Mar 4" for day steps and longer, "Mar 4 10:00"
 * for steps under a day (the time alone, "10:15", when the step is under an hour).
 */
export function formatTimeTick(ms: number, stepMs: number, offsetMs = 0): string {
  const date = new Date(ms + offsetMs);
  const day = `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}`;
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  if (stepMs >= 365 * DAY) return String(date.getUTCFullYear());
  if (stepMs >= DAY) return day;
  if (stepMs >= HOUR) return `${day} ${time}`;
  return time;
}

/** "1,200", "0.5", "12.25": a tick value without float noise. */
export function formatTickValue(value: number): string {
  return Number(value.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 2 });
}
