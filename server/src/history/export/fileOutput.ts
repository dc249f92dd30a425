import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** How much text is gathered before it goes to the file in one write. */
const FLUSH_BYTES = 1 << 20;

/**
 * A new file written front to back through a small buffer: text and bytes are queued and written
 * once about 1 MiB has gathered, so a 100k-row export makes a few hundred writes, not 100k.
 * `create` fails if the file exists (the temp names are unique; this guards against clobbering).
 */
export class FileOutput {
  private pending: (string | Uint8Array)[] = [];
  private pendingBytes = 0;
  /** Bytes handed to the file so far (queued ones included). */
  bytes = 0;
  private closed = false;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<FileOutput> {
    return new FileOutput(await open(file, 'wx'));
  }

  async writeText(text: string): Promise<void> {
    const length = Buffer.byteLength(text, 'utf8');
    this.pending.push(text);
    await this.queued(length);
  }

  /** Queues `bytes`; the caller must not change them until the next `flush` has resolved. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes);
    await this.queued(bytes.byteLength);
  }

  private async queued(length: number): Promise<void> {
    this.bytes += length;
    this.pendingBytes += length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunks = this.pending.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.writev(chunks);
  }

  /** Writes what is queued, syncs the data to disk (it is about to be renamed into place) and closes. */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle.datasync();
    await this.close();
  }

  /** Closes without writing what is queued; never throws (it runs while another error propagates). */
  async abort(): Promise<void> {
    this.pending = [];
    await this.close().catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
