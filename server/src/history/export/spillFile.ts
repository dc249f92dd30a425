import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

interface Entry {
  offset: number;
  length: number;
  taken: boolean;
}

/** What `take` finds for an id: the row text, the row already taken, or nothing spilled under it. */
export type Taken = { kind: 'row'; text: string } | { kind: 'taken' } | { kind: 'none' };

const FLUSH_BYTES = 1 << 20;

/**
 * The rows of a merge, parked on disk until the existing file has been read: a merge puts each
 * existing row back in its place, replaced when the export has a row with its id, so every new row
 * must be at hand before the first existing one is written. Only the index (id → offset) stays in
 * memory, so merging 100k records holds 100k ids, not 100k rows.
 *
 * An id put twice keeps its first position and its last text (the later record is the newer one).
 */
export class SpillFile {
  private readonly entries = new Map<string, Entry>();
  /** Ids in the order they were first put. */
  private readonly order: string[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private size = 0;
  private flushedTo = 0;

  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(file: string): Promise<SpillFile> {
    return new SpillFile(file, await open(file, 'wx+', 0o600));
  }

  async put(id: string, text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const entry = this.entries.get(id);
    if (entry === undefined) this.order.push(id);
    this.entries.set(id, { offset: this.size, length: bytes.byteLength, taken: false });
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    this.size += bytes.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** The row spilled under `id`, once: asking again for the same id answers `taken`. */
  async take(id: string): Promise<Taken> {
    const entry = this.entries.get(id);
    if (entry === undefined) return { kind: 'none' };
    if (entry.taken) return { kind: 'taken' };
    entry.taken = true;
    return { kind: 'row', text: await this.read(entry) };
  }

  /** The rows not taken, in the order their ids were first put. */
  async *rest(): AsyncGenerator<string> {
    for (const id of this.order) {
      const entry = this.entries.get(id);
      if (entry === undefined || entry.taken) continue;
      entry.taken = true;
      yield await this.read(entry);
    }
  }

  /** Closes and deletes the file; never throws. */
  async dispose(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.file, { force: true }).catch(() => undefined);
  }

  private async read(entry: Entry): Promise<string> {
    if (entry.offset + entry.length > this.flushedTo) await this.flush();
    const bytes = Buffer.alloc(entry.length);
    let done = 0;
    while (done < entry.length) {
      const { bytesRead } = await this.handle.read(bytes, done, entry.length - done, entry.offset + done);
      if (bytesRead === 0) throw new Error(`the merge spill file ${this.file} ended early`);
      done += bytesRead;
    }
    return bytes.toString('utf8');
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    while (done < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, done, chunk.byteLength - done, this.flushedTo + done);
      done += bytesWritten;
    }
    this.flushedTo += chunk.byteLength;
  }
}
