import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ThreadwiseError } from '../../errors';

export interface DownloadProgress {
  /** Bytes of the file on disk so far, resumed bytes included. Drops only if the server forces a restart. */
  receivedBytes: number;
  /** The file's full size, or null while the server has not said. */
  totalBytes: number | null;
}

export interface DownloadOptions {
  url: string;
  /** Final path. Data goes to `<destination>.part`, the sidecar to `<destination>.json`. */
  destination: string;
  /** Wins over what the server reports. */
  expectedSha256?: string;
  /** Wins over what the server reports. */
  expectedSize?: number;
  /** At most one call per `progressIntervalMs`, plus a final one when the body has ended. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting stops promptly, keeps the `.part` for a later resume and rejects with the signal's reason (an AbortError unless another Error was given). */
  signal?: AbortSignal;
  /** Seam for tests; default `globalThis.fetch`. */
  fetchImpl?: typeof fetch;
  /** Requests tried in all for network errors, 408/429 and 5xx, each resuming from the disk; default 4. */
  maxAttempts?: number;
  /** Backoff before retry n is about `retryBaseDelayMs * 2^(n-1)`, jittered, capped at 30 s; default 500. */
  retryBaseDelayMs?: number;
  /** Minimum time between progress calls; default 100 (≈10 calls/s). */
  progressIntervalMs?: number;
  /** Extra request headers (e.g. `Authorization` for a gated repository); never echoed in messages or the sidecar. */
  headers?: Record<string, string>;
}

export interface DownloadedFile {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Bytes already on disk when the request that completed the file started; 0 for a fresh download. */
  resumedFromBytes: number;
}

/** `<destination>.json`, written after the file is in place: its presence means the download completed. */
export interface DownloadSidecar {
  url: string;
  sizeBytes: number;
  sha256: string;
  /** ISO 8601. */
  downloadedAt: string;
}

const CORRUPT_HINT = 'the download was corrupted; run again to download it afresh';
const NOT_FOUND_HINT = 'check the model URI in threadwise.model, or download the file yourself and set threadwise.model to its path';
const OFFLINE_HINT = 'you seem to be offline: download the GGUF yourself and set threadwise.model to its local path';
const FLAKY_HINT = 'the download kept failing; run again to resume where it stopped, or download the file yourself and set threadwise.model to its path';
const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const MAX_BACKOFF_MS = 30_000;
const MAX_METADATA_REDIRECTS = 5;

/** A failure worth another request: the network, or a server that may recover. */
class RetryableError extends Error {
  constructor(message: string, readonly offline: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What is on disk in the `.part` and the hash of exactly those bytes. */
interface PartState {
  bytes: number;
  hash: Hash;
}

interface Expected {
  size: number | null;
  sha256: string | null;
}

/**
 * Downloads `url` to `destination`, resuming a `.part` left by an earlier call, verifying size and
 * sha256 when known, then moving it into place atomically and writing the sidecar. It always
 * downloads: callers check `isCompleteDownload` first. Two calls for one destination must not overlap.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadedFile> {
  const { url, destination, signal } = options;
  const shownUrl = redactUrl(url);
  if (!isHttpUrl(url)) throw new ThreadwiseError('model-download-failed', `cannot download ${shownUrl}: not an http(s) URL`, NOT_FOUND_HINT);
  signal?.throwIfAborted();
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.retryBaseDelayMs ?? 500;
  const partPath = `${destination}.part`;
  const progress = progressReporter(options.onProgress, options.progressIntervalMs ?? 100);

  await mkdir(dirname(destination), { recursive: true });
  const part = await readPart(partPath, signal);
  const expected: Expected = { size: options.expectedSize ?? null, sha256: options.expectedSha256?.toLowerCase() ?? null };
  let probed = false;
  let lastError: RetryableError | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      if (!probed) {
        const reported = await probeMetadata(url, options.headers, fetchImpl, signal, shownUrl);
        expected.size ??= reported.size;
        expected.sha256 ??= reported.sha256;
        probed = true;
      }
      const resumedFromBytes = await transfer({ url, partPath, part, expected, options, fetchImpl, progress, shownUrl });
      return await finish({ url: shownUrl, destination, partPath, part, expected, progress, resumedFromBytes });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!(error instanceof RetryableError)) throw error;
      lastError = error;
    }
    if (attempt < maxAttempts) {
      try {
        await delay(backoffMs(attempt, baseDelayMs), undefined, { signal });
      } catch (error) {
        throw signal?.aborted ? abortError(signal) : error;
      }
    }
  }
  const hint = lastError?.offline ? OFFLINE_HINT : FLAKY_HINT;
  throw new ThreadwiseError('model-download-failed', `could not download ${shownUrl}: ${lastError?.message ?? 'unknown error'}`, hint, {
    cause: lastError?.cause,
  });
}

/** The sidecar written by a completed download, or null when there is none or it is unreadable. */
export async function readSidecar(destination: string): Promise<DownloadSidecar | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(`${destination}.json`, 'utf8'));
  } catch {
    return null;
  }
  return isSidecar(parsed) ? parsed : null;
}

/** True when `destination` exists and its sidecar records its size: a finished, verified download. */
export async function isCompleteDownload(destination: string): Promise<boolean> {
  const sidecar = await readSidecar(destination);
  if (!sidecar) return false;
  try {
    const info = await stat(destination);
    return info.isFile() && info.size === sidecar.sizeBytes;
  } catch {
    return false;
  }
}

/**
 * Size and sha256 from a HEAD request without following redirects: the hub puts `x-linked-size` and
 * `x-linked-etag` on its redirect to the CDN, not on the CDN's answer. Redirects without them (a
 * renamed repository) are followed by hand. Nothing is known when the server says nothing.
 */
async function probeMetadata(
  url: string,
  headers: Record<string, string> | undefined,
  fetchImpl: typeof fetch,
  signal: AbortSignal | undefined,
  shownUrl: string,
): Promise<Expected> {
  let current = url;
  for (let hop = 0; hop <= MAX_METADATA_REDIRECTS; hop++) {
    const response = await request(fetchImpl, current, { method: 'HEAD', headers: headersFor(current, url, headers), redirect: 'manual', signal });
    await response.body?.cancel();
    const size = parseByteCount(response.headers.get('x-linked-size'));
    const sha256 = parseSha256Etag(response.headers.get('x-linked-etag'));
    if (size !== null || sha256 !== null) return { size, sha256 };
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      current = new URL(location, current).href;
      continue;
    }
    // Missing files and refusals end it here; other answers (405 from a server without HEAD) are left to the GET.
    if (isRetryableStatus(response.status) || [401, 403, 404, 410].includes(response.status)) throwForStatus(response, shownUrl);
    break;
  }
  return { size: null, sha256: null };
}

interface TransferContext {
  url: string;
  partPath: string;
  part: PartState;
  expected: Expected;
  options: DownloadOptions;
  fetchImpl: typeof fetch;
  progress: ProgressReporter;
  shownUrl: string;
}

/** One GET from what is on disk to the end of the body; returns the offset it started from. */
async function transfer(context: TransferContext): Promise<number> {
  const { part, expected, partPath, progress, shownUrl } = context;
  if (expected.size !== null && part.bytes > expected.size) await restart(part, partPath);
  if (expected.size !== null && part.bytes === expected.size && part.bytes > 0) return part.bytes;

  const headers: Record<string, string> = { ...context.options.headers, 'accept-encoding': 'identity' };
  if (part.bytes > 0) headers.range = `bytes=${part.bytes}-`;
  const response = await request(context.fetchImpl, context.url, { headers, signal: context.options.signal });

  if (response.status === 416 && part.bytes > 0) {
    // Asked for bytes past the end: the .part is complete if it is as long as the file, else junk.
    await response.body?.cancel();
    const total = parseContentRange(response.headers.get('content-range'))?.total ?? null;
    if (total === part.bytes && (expected.size === null || expected.size === total)) return part.bytes;
    await restart(part, partPath);
    throw new RetryableError('the server refused to resume the partial download', false);
  }
  if (!response.ok) throwForStatus(response, shownUrl);

  let total: number | null;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range?.start !== part.bytes) {
      await response.body?.cancel();
      await restart(part, partPath);
      throw new RetryableError(`the server sent another range than bytes=${part.bytes}-`, false);
    }
    total = range.total;
  } else {
    if (part.bytes > 0) await restart(part, partPath); // the server ignored Range: start over
    total = parseByteCount(response.headers.get('content-length'));
  }
  if (expected.size === null) expected.size = total;
  else if (total !== null && total !== expected.size) {
    await response.body?.cancel();
    await rm(partPath, { force: true });
    throw new ThreadwiseError('model-download-failed', `${shownUrl} is ${total} bytes, expected ${expected.size}`, CORRUPT_HINT);
  }

  const resumedFromBytes = part.bytes;
  progress.report(part.bytes, expected.size);
  const file = await open(partPath, part.bytes > 0 ? 'a' : 'w');
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  try {
    for (;;) {
      // A failing read is the network (reset, cut); a failing write below is the disk and is final.
      const chunk = await reader?.read().catch((error: unknown) => {
        throw context.options.signal?.aborted ? error : networkError(error);
      });
      if (!chunk || chunk.done) break;
      await file.write(chunk.value);
      part.hash.update(chunk.value);
      part.bytes += chunk.value.byteLength;
      progress.report(part.bytes, expected.size);
    }
  } finally {
    await reader?.cancel().catch(() => undefined);
    await file.close();
  }
  if (expected.size !== null && part.bytes < expected.size) {
    throw new RetryableError(`the connection closed after ${part.bytes} of ${expected.size} bytes`, false);
  }
  return resumedFromBytes;
}

interface FinishContext {
  url: string;
  destination: string;
  partPath: string;
  part: PartState;
  expected: Expected;
  progress: ProgressReporter;
  resumedFromBytes: number;
}

/** Verifies the complete `.part`, then fsyncs it, renames it into place and writes the sidecar. */
async function finish(context: FinishContext): Promise<DownloadedFile> {
  const { destination, partPath, part, expected } = context;
  context.progress.final(part.bytes, expected.size ?? part.bytes);
  const sha256 = part.hash.digest('hex');
  if (expected.size !== null && part.bytes !== expected.size) {
    await rm(partPath, { force: true });
    throw new ThreadwiseError('model-download-failed', `downloaded file ${destination} has ${part.bytes} bytes, expected ${expected.size}`, CORRUPT_HINT);
  }
  if (expected.sha256 !== null && sha256 !== expected.sha256) {
    await rm(partPath, { force: true });
    throw new ThreadwiseError('model-download-failed', `downloaded file ${destination} has sha256 ${sha256}, expected ${expected.sha256}`, CORRUPT_HINT);
  }

  const file = await open(partPath, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(partPath, destination);
  const sidecar: DownloadSidecar = { url: context.url, sizeBytes: part.bytes, sha256, downloadedAt: new Date().toISOString() };
  const temporary = `${destination}.json.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(sidecar, null, 2)}\n`);
  await rename(temporary, `${destination}.json`);
  return { path: destination, sizeBytes: part.bytes, sha256, resumedFromBytes: context.resumedFromBytes };
}

/** Hashes an existing `.part` so that the final hash covers the whole file after a resume. */
async function readPart(partPath: string, signal: AbortSignal | undefined): Promise<PartState> {
  const part: PartState = { bytes: 0, hash: createHash('sha256') };
  try {
    for await (const chunk of createReadStream(partPath, { signal }) as AsyncIterable<Buffer>) {
      part.hash.update(chunk);
      part.bytes += chunk.byteLength;
    }
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    if (!isNodeError(error, 'ENOENT')) throw error;
    return { bytes: 0, hash: createHash('sha256') };
  }
  return part;
}

async function restart(part: PartState, partPath: string): Promise<void> {
  await rm(partPath, { force: true });
  part.bytes = 0;
  part.hash = createHash('sha256');
}

/** fetch, with its rejections (refused, DNS, reset) turned into retryable errors. */
async function request(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw networkError(error);
  }
}

/** Throws for an HTTP failure: a retryable error for 408, 429 and 5xx, a final one for the rest. */
function throwForStatus(response: Response, shownUrl: string): never {
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  void response.body?.cancel().catch(() => undefined);
  if (isRetryableStatus(response.status)) throw new RetryableError(`the server answered ${status}`, false);
  throw new ThreadwiseError('model-download-failed', `downloading ${shownUrl} failed: the server answered ${status}`, NOT_FOUND_HINT);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function networkError(error: unknown): RetryableError {
  return new RetryableError(describeError(error), errorCodes(error).some((code) => OFFLINE_CODES.has(code)), { cause: error });
}

/** `fetch failed (connect ECONNREFUSED 127.0.0.1:1)`: undici hides the useful part in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? error.cause : error instanceof AggregateError ? (error.errors[0] as unknown) : undefined;
  const innerText = inner instanceof Error ? describeError(inner) : '';
  if (!error.message) return innerText || error.name;
  return innerText && innerText !== error.message ? `${error.message} (${innerText})` : error.message;
}

/** Every `code` along the cause chain, AggregateError members included (Node's happy-eyeballs connects). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 8) return [];
  const own = 'code' in error && typeof error.code === 'string' ? [error.code] : [];
  const members: unknown[] = error instanceof AggregateError ? error.errors : [];
  return [...own, ...errorCodes(error.cause, depth + 1), ...members.flatMap((member) => errorCodes(member, depth + 1))];
}

/** Equal jitter: half the exponential delay fixed, half random, so retrying clients spread out. */
function backoffMs(attempt: number, baseDelayMs: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Authorization goes only to the origin it was meant for, not to a CDN a redirect points at. */
function headersFor(current: string, original: string, headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers || new URL(current).origin === new URL(original).origin) return { ...headers };
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

interface ProgressReporter {
  report(receivedBytes: number, totalBytes: number | null): void;
  final(receivedBytes: number, totalBytes: number): void;
}

function progressReporter(onProgress: DownloadOptions['onProgress'], intervalMs: number): ProgressReporter {
  let last = Number.NEGATIVE_INFINITY;
  return {
    report(receivedBytes, totalBytes) {
      const now = performance.now();
      if (!onProgress || now - last < intervalMs) return;
      last = now;
      onProgress({ receivedBytes, totalBytes });
    },
    final(receivedBytes, totalBytes) {
      onProgress?.({ receivedBytes, totalBytes });
    },
  };
}

function parseByteCount(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const count = Number(value.trim());
  return Number.isSafeInteger(count) ? count : null;
}

/** `"<64 hex>"` (possibly weak, `W/"…"`): the hub's x-linked-etag is the LFS object's sha256. */
function parseSha256Etag(value: string | null): string | null {
  const match = value?.trim().match(/^(?:W\/)?"?([0-9a-fA-F]{64})"?$/);
  return match?.[1]?.toLowerCase() ?? null;
}

/** `bytes <start>-<end>/<total>`, or `bytes *\/<total>` on a 416 (no start); total may be `*`. */
function parseContentRange(value: string | null): { start: number | null; total: number | null } | null {
  const match = value?.trim().match(/^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i);
  if (!match) return null;
  return { start: match[1] === undefined ? null : Number(match[1]), total: match[2] === '*' || match[2] === undefined ? null : Number(match[2]) };
}

function isSidecar(value: unknown): value is DownloadSidecar {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.url === 'string' &&
    typeof record.sizeBytes === 'number' &&
    typeof record.sha256 === 'string' &&
    typeof record.downloadedAt === 'string'
  );
}

function isHttpUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The URL as it may appear in messages and the sidecar: no user info, no token-like query values. */
function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/token|sig|key|auth|cred|secret|pass/i.test(name)) parsed.searchParams.set(name, 'REDACTED');
  }
  return parsed.href;
}

/** What an aborted download rejects with: the signal's reason when it is an Error (an AbortError by default). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The download was aborted', 'AbortError');
}

function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
