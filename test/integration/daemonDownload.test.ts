import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Thread } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { EXAMPLE_THREAD, TINY_GUARD, TINY_LLAMA } from '../support/paths';

/**
 * A local stand-in for the model hub: `resolve` answers with the LFS size and SHA-256 headers and a
 * redirect; the "CDN" sends the file slowly, in pieces, so progress can be observed.
 */
async function startHub(file: Buffer): Promise<{ server: Server; endpoint: string; gets: () => number }> {
  const sha256 = createHash('sha256').update(file).digest('hex');
  let gets = 0;
  const server = createServer((request, response) => {
    if (request.url === '/acme/tiny-GGUF/resolve/main/tiny.gguf') {
      response.writeHead(302, { location: '/cdn/tiny.gguf', 'x-linked-size': String(file.length), 'x-linked-etag': `"${sha256}"` });
      response.end();
      return;
    }
    if (request.url === '/cdn/tiny.gguf' && request.method === 'GET') {
      gets++;
      response.writeHead(200, { 'content-length': String(file.length), 'content-type': 'application/octet-stream' });
      const pieces = 20;
      const size = Math.ceil(file.length / pieces);
      let sent = 0;
      const sendNext = (): void => {
        if (sent >= file.length) {
          response.end();
          return;
        }
        response.write(file.subarray(sent, sent + size));
        sent += size;
        setTimeout(sendNext, 15);
      };
      sendNext();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, gets: () => gets };
}

describe('daemon: an hf: model is downloaded on first use with progress in the status', () => {
  let hub: Awaited<ReturnType<typeof startHub>>;
  let daemon: DaemonProcess;
  before(async () => {
    hub = await startHub(await readFile(TINY_LLAMA));
    daemon = await DaemonProcess.start(
      { model: 'hf:acme/tiny-GGUF/tiny.gguf', guardrailModel: TINY_GUARD, allowDownloads: true, maxReplyTokens: 32, threads: 1 },
      { env: { HF_ENDPOINT: hub.endpoint } },
    );
  });
  after(async () => {
    await daemon.stop();
    await new Promise((resolve) => hub.server.close(resolve));
  });

  test('downloading n% statuses, then the model loads and drafts; a second use does not download again', async () => {
    const thread = JSON.parse(await readFile(EXAMPLE_THREAD, 'utf8')) as Thread;
    const { result, error } = await daemon.suggest(thread).outcome;
    assert.equal(error, undefined, error?.message);
    assert.ok(result && result.text.length > 0);
    assert.match(result.model.file, /models\/hf\/acme\/tiny-GGUF\/main\/tiny\.gguf$/);

    const downloading = daemon.statuses.filter((s) => s.state === 'downloading');
    assert.ok(downloading.every((s) => s.component === 'chat-model'), 'the local guardrail folder is loaded, not downloaded');
    assert.ok(downloading.length >= 3, `several progress statuses: ${downloading.map((s) => s.progress).join(', ')}`);
    const percents = downloading.map((s) => s.progress ?? -1);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'progress only grows');
    assert.ok(percents.every((p) => p >= 0 && p <= 100));
    assert.match(downloading[0]!.message, /Downloading hf:acme\/tiny-GGUF\/tiny\.gguf/);
    assert.equal(hub.gets(), 1);

    // Regenerate uses the downloaded file; no second download.
    const again = await daemon.suggest(thread, { regenerate: true }).outcome;
    assert.ok(again.result);
    assert.equal(hub.gets(), 1);
  });
});
