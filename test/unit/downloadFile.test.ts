import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadwiseError } from '../../server/src/errors';
import {
  downloadFile,
  isCompleteDownload,
  readSidecar,
  type DownloadOptions,
  type DownloadProgress,
} from '../../server/src/llm/download/downloadFile';

// A local stand-in for the Hugging Face hub: /o/r/resolve/main/f.gguf redirects (302) to /cdn/f.gguf with
// x-linked-size and x-linked-etag on the redirect, as the hub does; /cdn/f.gguf serves bytes with Range.

interface HubOptions {
  content: Buffer;
  /** sha256 announced in x-linked-etag; defaults to the content's. */
  linkedSha256?: string;
  /** Resolve URL answers this status instead of redirecting. */
  resolveStatus?: number;
  /** The first this-many CDN GETs answer 503. */
  failingGets?: number;
  /** The first CDN GET sends this many bytes, then the socket is destroyed. */
  cutFirstGetAfter?: number;
  /** Every CDN GET sends this many bytes, then hangs. */
  stallAfter?: number;
  /** The CDN answers 200 with the whole file even when asked for a range. */
  ignoreRange?: boolean;
}

interface SeenRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

interface Hub {
  resolveUrl: string;
  requests: SeenRequest[];
  cdnGets(): SeenRequest[];
  close(): Promise<void>;
}

const RESOLVE_PATH = '/o/r/resolve/main/f.gguf';
const CDN_PATH = '/cdn/f.gguf';
const FAST: Pick<DownloadOptions, 'retryBaseDelayMs'> = { retryBaseDelayMs: 5 };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function startHub(options: HubOptions): Promise<Hub> {
  const { content } = options;
  const requests: SeenRequest[] = [];
  let cdnGetCount = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const seen: SeenRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      range: request.headers.range,
      authorization: request.headers.authorization,
    };
    requests.push(seen);
    if (seen.path === RESOLVE_PATH) {
      if (options.resolveStatus) {
        response.writeHead(options.resolveStatus).end();
        return;
      }
      const { port } = server.address() as AddressInfo;
      response
        .writeHead(302, {
          location: `http://127.0.0.1:${port}${CDN_PATH}`,
          'x-linked-size': String(content.length),
          'x-linked-etag': `"${options.linkedSha256 ?? sha256(content)}"`,
        })
        .end();
      return;
    }
    if (seen.path !== CDN_PATH) {
      response.writeHead(404).end();
      return;
    }
    if (seen.method === 'HEAD') {
      response.writeHead(200, { 'content-length': String(content.length) }).end();
      return;
    }
    cdnGetCount += 1;
    if (cdnGetCount <= (options.failingGets ?? 0)) {
      response.writeHead(503).end('busy');
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(seen.range ?? '')?.[1] ?? 0);
    const body = options.ignoreRange ? content : content.subarray(start);
    if (start > 0 && !options.ignoreRange) {
      response.writeHead(206, {
        'content-length': String(body.length),
        'content-range': `bytes ${start}-${content.length - 1}/${content.length}`,
      });
    } else {
      response.writeHead(200, { 'content-length': String(content.length) });
    }
    const cutAt = cdnGetCount === 1 ? options.cutFirstGetAfter : undefined;
    if (cutAt !== undefined) {
      // Give the client time to read what was sent: an erroring body stream drops chunks not yet read.
      response.write(body.subarray(0, cutAt), () => setTimeout(() => response.socket?.destroy(), 30));
      return;
    }
    if (options.stallAfter !== undefined) {
      response.write(body.subarray(0, options.stallAfter));
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    resolveUrl: `http://127.0.0.1:${port}${RESOLVE_PATH}`,
    requests,
    cdnGets: () => requests.filter((r) => r.method === 'GET' && r.path === CDN_PATH),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A temp folder and a hub, both cleaned up after the body. */
async function withHub(options: HubOptions, body: (hub: Hub, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'threadwise-download-'));
  const hub = await startHub(options);
  try {
    await body(hub, dir);
  } finally {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function downloadError(reason: string, check?: (error: ThreadwiseError) => void): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof ThreadwiseError, `expected a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    check?.(error);
    return true;
  };
}

test('downloads through the hub redirect, verifies and reports monotonic progress up to 100%', async () => {
  const content = randomBytes(300_000);
  await withHub({ content }, async (hub, dir) => {
    const destination = join(dir, 'nested', 'models', 'f.gguf');
    const events: DownloadProgress[] = [];
    const result = await downloadFile({ url: hub.resolveUrl, destination, progressIntervalMs: 0, onProgress: (p) => events.push(p) });

    assert.ok((await readFile(destination)).equals(content), 'downloaded bytes differ');
    assert.deepEqual(result, { path: destination, sizeBytes: content.length, sha256: sha256(content), resumedFromBytes: 0 });
    assert.equal(await exists(`${destination}.part`), false);

    assert.ok(events.length >= 2, `expected several progress events, got ${events.length}`);
    for (const [index, event] of events.entries()) {
      assert.equal(event.totalBytes, content.length);
      if (index > 0) assert.ok(event.receivedBytes >= (events[index - 1]?.receivedBytes ?? 0), 'progress went backwards');
    }
    assert.deepEqual(events.at(-1), { receivedBytes: content.length, totalBytes: content.length });

    // Metadata came from a HEAD on the resolve URL that did not follow the redirect.
    assert.deepEqual(
      hub.requests.filter((r) => r.method === 'HEAD').map((r) => r.path),
      [RESOLVE_PATH],
    );
    assert.equal(hub.cdnGets().length, 1);
    assert.equal(hub.cdnGets()[0]?.range, undefined);

    const sidecar = await readSidecar(destination);
    assert.equal(sidecar?.url, hub.resolveUrl);
    assert.equal(sidecar?.sizeBytes, content.length);
    assert.equal(sidecar?.sha256, sha256(content));
    assert.ok(!Number.isNaN(Date.parse(sidecar?.downloadedAt ?? '')));
    assert.equal(await isCompleteDownload(destination), true);

    // A file that no longer matches its sidecar is not a complete download.
    await writeFile(destination, content.subarray(0, 10));
    assert.equal(await isCompleteDownload(destination), false);
  });
});

test('throttles progress by default to a handful of calls for a fast download', async () => {
  const content = randomBytes(200_000);
  await withHub({ content }, async (hub, dir) => {
    const events: DownloadProgress[] = [];
    await downloadFile({ url: hub.resolveUrl, destination: join(dir, 'f.gguf'), onProgress: (p) => events.push(p) });
    assert.ok(events.length <= 3, `expected at most 3 events, got ${events.length}`);
    assert.deepEqual(events.at(-1), { receivedBytes: content.length, totalBytes: content.length });
  });
});

test('a server lying about the sha256 fails the download and leaves no file behind', async () => {
  const content = randomBytes(50_000);
  await withHub({ content, linkedSha256: sha256(Buffer.from('something else')) }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await assert.rejects(
      downloadFile({ url: hub.resolveUrl, destination, ...FAST }),
      downloadError('model-download-failed', (error) => {
        assert.match(error.message, new RegExp(`has sha256 ${sha256(content)}, expected ${sha256(Buffer.from('something else'))}`));
        assert.equal(error.hint, 'the download was corrupted; run again to download it afresh');
      }),
    );
    assert.equal(await exists(destination), false);
    assert.equal(await exists(`${destination}.part`), false);
    assert.equal(await readSidecar(destination), null);
    assert.equal(await isCompleteDownload(destination), false);
  });
});

test('an expectedSha256 option wins over the server and is checked', async () => {
  const content = randomBytes(10_000);
  await withHub({ content }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await assert.rejects(
      downloadFile({ url: hub.resolveUrl, destination, expectedSha256: '0'.repeat(64), ...FAST }),
      downloadError('model-download-failed', (error) => assert.match(error.message, /expected 0{64}/)),
    );
    assert.equal(await exists(destination), false);
  });
});

/** The .part left by a cut download: a non-empty prefix of the content (normally all `cut` bytes). */
async function assertPrefixPart(partPath: string, content: Buffer, cut: number): Promise<number> {
  const part = await readFile(partPath);
  assert.ok(part.length > 0 && part.length <= cut, `.part has ${part.length} bytes, expected 1..${cut}`);
  assert.ok(part.equals(content.subarray(0, part.length)), '.part is not a prefix of the file');
  return part.length;
}

test('a cut connection keeps the .part and the next call resumes it with a Range request', async () => {
  const content = randomBytes(400_000);
  const cut = 150_000;
  await withHub({ content, cutFirstGetAfter: cut }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await assert.rejects(
      downloadFile({ url: hub.resolveUrl, destination, maxAttempts: 1, ...FAST }),
      downloadError('model-download-failed', (error) => assert.match(error.message, /could not download/)),
    );
    const kept = await assertPrefixPart(`${destination}.part`, content, cut);
    assert.equal(await exists(destination), false);

    const result = await downloadFile({ url: hub.resolveUrl, destination, maxAttempts: 1, ...FAST });
    assert.deepEqual(
      hub.cdnGets().map((r) => r.range),
      [undefined, `bytes=${kept}-`],
    );
    assert.equal(result.resumedFromBytes, kept);
    assert.equal(result.sizeBytes, content.length);
    assert.equal(result.sha256, sha256(content));
    assert.ok((await readFile(destination)).equals(content), 'downloaded bytes differ');
    assert.equal(await exists(`${destination}.part`), false);
  });
});

test('a cut connection is resumed by a retry within the same call', async () => {
  const content = randomBytes(300_000);
  const cut = 70_000;
  await withHub({ content, cutFirstGetAfter: cut }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    const result = await downloadFile({ url: hub.resolveUrl, destination, maxAttempts: 2, ...FAST });
    const ranges = hub.cdnGets().map((r) => r.range);
    assert.equal(ranges.length, 2);
    assert.equal(ranges[0], undefined);
    assert.ok(result.resumedFromBytes > 0 && result.resumedFromBytes <= cut, `resumed from ${result.resumedFromBytes}`);
    assert.equal(ranges[1], `bytes=${result.resumedFromBytes}-`);
    assert.equal(result.sha256, sha256(content));
    assert.ok((await readFile(destination)).equals(content), 'downloaded bytes differ');
  });
});

test('a server that answers 200 to a Range request makes the download start over', async () => {
  const content = randomBytes(100_000);
  await withHub({ content, ignoreRange: true }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await writeFile(`${destination}.part`, Buffer.alloc(30_000, 0xff)); // wrong bytes: must not survive
    const result = await downloadFile({ url: hub.resolveUrl, destination, ...FAST });
    assert.equal(hub.cdnGets()[0]?.range, 'bytes=30000-');
    assert.equal(result.resumedFromBytes, 0);
    assert.equal(result.sha256, sha256(content));
    assert.ok((await readFile(destination)).equals(content), 'downloaded bytes differ');
  });
});

test('a .part that is already complete is verified and moved into place without a GET', async () => {
  const content = randomBytes(30_000);
  await withHub({ content }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await writeFile(`${destination}.part`, content);
    const result = await downloadFile({ url: hub.resolveUrl, destination, ...FAST });
    assert.equal(hub.requests.filter((r) => r.method === 'GET').length, 0);
    assert.equal(result.resumedFromBytes, content.length);
    assert.equal(result.sha256, sha256(content));
    assert.equal(await isCompleteDownload(destination), true);
  });
});

test('aborting mid-download stops promptly and keeps the .part', async () => {
  const content = randomBytes(200_000);
  const sent = 40_000;
  await withHub({ content, stallAfter: sent }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    const controller = new AbortController();
    const started = performance.now();
    await assert.rejects(
      downloadFile({
        url: hub.resolveUrl,
        destination,
        signal: controller.signal,
        progressIntervalMs: 0,
        ...FAST,
        onProgress: ({ receivedBytes }) => {
          if (receivedBytes >= sent) controller.abort();
        },
      }),
      (error: unknown) => error instanceof Error && error.name === 'AbortError',
    );
    assert.ok(performance.now() - started < 2_000, 'abort was not prompt');
    assert.ok((await readFile(`${destination}.part`)).equals(content.subarray(0, sent)), '.part should hold the bytes received');
    assert.equal(await exists(destination), false);
    assert.equal(hub.cdnGets().length, 1, 'an abort must not be retried');
  });
});

test('404 fails at once without retries and without echoing the Authorization header', async () => {
  await withHub({ content: randomBytes(10), resolveStatus: 404 }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    await assert.rejects(
      downloadFile({ url: hub.resolveUrl, destination, maxAttempts: 4, headers: { authorization: 'Bearer hf_secret123' }, ...FAST }),
      downloadError('model-download-failed', (error) => {
        assert.ok(error.message.includes(hub.resolveUrl), error.message);
        assert.match(error.message, /404/);
        assert.doesNotMatch(error.describe(), /hf_secret123|Bearer/);
        assert.match(error.hint ?? '', /threadwise\.model/);
      }),
    );
    assert.equal(hub.requests.length, 1);
    assert.equal(hub.requests[0]?.authorization, 'Bearer hf_secret123');
    assert.equal(await exists(`${destination}.part`), false);
  });
});

test('503 twice, then success: retried with backoff', async () => {
  const content = randomBytes(20_000);
  await withHub({ content, failingGets: 2 }, async (hub, dir) => {
    const destination = join(dir, 'f.gguf');
    const result = await downloadFile({ url: hub.resolveUrl, destination, maxAttempts: 3, ...FAST });
    assert.equal(hub.cdnGets().length, 3);
    assert.equal(result.sha256, sha256(content));
    assert.ok((await readFile(destination)).equals(content), 'downloaded bytes differ');
  });
});

test('503 more often than maxAttempts allows fails with the status', async () => {
  await withHub({ content: randomBytes(1_000), failingGets: 10 }, async (hub, dir) => {
    await assert.rejects(
      downloadFile({ url: hub.resolveUrl, destination: join(dir, 'f.gguf'), maxAttempts: 2, ...FAST }),
      downloadError('model-download-failed', (error) => assert.match(error.message, /could not download .*503/)),
    );
    assert.equal(hub.cdnGets().length, 2);
  });
});

test('a refused connection is retried, then reported as being offline', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const dir = await mkdtemp(join(tmpdir(), 'threadwise-download-'));
  try {
    const url = `http://127.0.0.1:${port}${RESOLVE_PATH}`;
    let attempts = 0;
    const countingFetch: typeof fetch = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    await assert.rejects(
      downloadFile({ url, destination: join(dir, 'f.gguf'), maxAttempts: 3, fetchImpl: countingFetch, ...FAST }),
      downloadError('model-download-failed', (error) => {
        assert.ok(error.message.startsWith(`could not download ${url}: `), error.message);
        assert.match(error.message, /ECONNREFUSED/);
        assert.match(error.hint ?? '', /offline/);
      }),
    );
    assert.equal(attempts, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('readSidecar and isCompleteDownload say no for a missing download', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'threadwise-download-'));
  try {
    assert.equal(await readSidecar(join(dir, 'none.gguf')), null);
    assert.equal(await isCompleteDownload(join(dir, 'none.gguf')), false);
    await writeFile(join(dir, 'bad.gguf.json'), '{"url": 1}');
    assert.equal(await readSidecar(join(dir, 'bad.gguf')), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
