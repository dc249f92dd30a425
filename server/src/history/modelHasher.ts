import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { HistoryStore } from './store/historyStore';

/**
 * SHA-256 of model files, for the lineage. A model is gigabytes, so it is hashed once per
 * (path, size, modification time), in the background after the first suggestion that used it, and
 * the hash is kept in the history database; records made before it was known get it filled in.
 * A file that changes on disk gets a new hash; one that disappears keeps its records' null.
 */
export class ModelHasher {
  private readonly running = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly store: () => Promise<HistoryStore>,
    private readonly onHashed: (path: string, sha256: string, recordsUpdated: number) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** The hash when it is known for the file as it is now; undefined otherwise (including a missing file). */
  async known(path: string): Promise<string | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return (await this.store()).knownModelHash(path, info.size, info.mtimeMs);
  }

  /** Starts hashing the file unless it is known or being hashed; resolves with the hash (undefined on failure, logged). */
  hash(path: string): Promise<string | undefined> {
    const existing = this.running.get(path);
    if (existing) return existing;
    const work = this.compute(path).finally(() => this.running.delete(path));
    this.running.set(path, work);
    return work;
  }

  /** Resolves when every hash started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async compute(path: string): Promise<string | undefined> {
    try {
      const before = await stat(path);
      const store = await this.store();
      const known = await store.knownModelHash(path, before.size, before.mtimeMs);
      if (known) return known;
      const sha256 = await sha256OfFile(path);
      const after = await stat(path);
      // Changed while it was read: the hash is of neither version.
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) return undefined;
      const updated = await store.saveModelHash(path, before.size, before.mtimeMs, sha256);
      this.onHashed(path, sha256, updated);
      return sha256;
    } catch (error) {
      this.log(`could not hash the model file ${path}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

/** Streams the file through SHA-256 in 4 MiB reads, so the event loop stays responsive. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
