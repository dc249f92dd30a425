import { ByteWriter } from 'hyparquet-writer';
import type { FileOutput } from './fileOutput';

/**
 * hyparquet-writer's byte sink, emptied into a file after every row group: ParquetWriter calls
 * `flush` once per row group and awaits it before encoding the next, so only one encoded row group
 * is in memory at a time (its own `fileWriter` writes synchronously, which would block the daemon).
 * ParquetWriter.finish writes the footer into the buffer only: call `flush` after it.
 */
export class ParquetOutput extends ByteWriter {
  constructor(private readonly output: FileOutput) {
    super(1 << 20);
  }

  async flush(): Promise<void> {
    if (this.index === 0) return;
    // A copy: the buffer is reused for the next row group while the file write may still be queued.
    const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    await this.output.writeBytes(bytes);
  }
}
