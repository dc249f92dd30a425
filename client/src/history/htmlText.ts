/**
 * Small pieces for the history pages, which are HTML strings built on the host (pure, no VS Code).
 * Everything a record holds came from strangers or from a model, so every text goes through
 * `escapeHtml` before it reaches a page, links are made only of validated https URLs, and the
 * readers below never trust a stored record to have the shape the protocol promises (a record
 * written by an older daemon may lack fields): they fall back instead of throwing.
 */

/** Text as HTML text or attribute value: `& < > " '` become character references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The normalised href of an absolute https URL without credentials; undefined for anything else. */
export function httpsUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.host !== '' ? parsed.href : undefined;
}

/**
 * A link to `url` showing `text` when `url` is https (VS Code opens it in the browser when
 * clicked), else `text` alone, so no other scheme (javascript:, file:, command:) ever becomes a link.
 */
export function linkHtml(url: unknown, text: string): string {
  const href = httpsUrl(url);
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** "35 ms", "1.25 s", "2 min 5 s"; "—" when unknown. */
export function formatMs(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "976.6 KiB", "1.2 GiB"; "—" when unknown. */
export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** An integer with thousands separators ("12,345"); "—" when unknown. */
export function formatCount(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return Math.round(value).toLocaleString('en-US');
}

/** A number with at most `digits` decimals ("40.5"); "—" when unknown. */
export function formatNumber(value: unknown, digits = 1): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return String(Number(value.toFixed(digits)));
}

/** `n word` or `n words`. */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : words}`;
}

/** The value when it is an array, else an empty one. */
export function listOf<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a string, else `fallback`. */
export function textOf(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** The value when it is a finite number, else null. */
export function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** An ISO timestamp as local date and time ("Jan 15, 2024, 10:00 AM"); the text itself when it is not a date. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A `<dl>` of label → HTML value rows (values are HTML: escape them first). */
export function definitionList(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<dl>${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

/** A table with a header row; `rows` are HTML cells (escape them first). */
export function tableHtml(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, caption?: string): string {
  const head = `<thead><tr>${headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}${head}${body}</table>`;
}
