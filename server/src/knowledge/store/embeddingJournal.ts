import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Vectors embedded by an update that has not committed yet, appended after every batch. Embedding
 * is the slow part of indexing; when the daemon or the CLI is killed mid-way, the next update reads
 * them back instead of embedding those chunks again (resume). Cleared after each commit. A torn
 * last line (killed while appending) is ignored.
 */
export class EmbeddingJournal {
  constructor(
    readonly file: string,
    private readonly model: string,
  ) {}

  /** Vectors recorded for this model, by chunk id. */
  async read(): Promise<Map<string, Float32Array>> {
    const vectors = new Map<string, Float32Array>();
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return vectors;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const entry = JSON.parse(line) as { m?: unknown; id?: unknown; v?: unknown };
        if (entry.m !== this.model || typeof entry.id !== 'string' || typeof entry.v !== 'string') continue;
        const bytes = Buffer.from(entry.v, 'base64');
        if (bytes.length === 0 || bytes.length % 4 !== 0) continue;
        vectors.set(entry.id, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
      } catch {
        // A line cut short by a kill: the vectors before it are still good.
      }
    }
    return vectors;
  }

  async append(entries: ReadonlyArray<{ chunkId: string; vector: Float32Array }>): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const lines = entries.map(({ chunkId, vector }) => JSON.stringify({ m: this.model, id: chunkId, v: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') }));
    // The leading newline ends a line a kill may have cut short, so it cannot swallow this batch's first line.
    await appendFile(this.file, `\n${lines.join('\n')}\n`, { mode: 0o600 });
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
