import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../../github/atomicFile';
import { Bm25Index } from '../search/bm25Index';
import { HnswVectorIndex } from '../search/hnswVectorIndex';
import { parseChunkRecord } from './chunkRecord';
import type { ChunkRecord } from './chunkRecord';
import { KnowledgeIndex } from './knowledgeIndex';
import { parseManifest } from './manifest';

/**
 * An index on disk, crash-safe by generations:
 *
 *   <dir>/CURRENT            {"generation": n}, replaced atomically as the last step of a commit
 *   <dir>/gen-<n>/           manifest.json, chunks.jsonl, bm25.json, vectors.hnsw
 *   <dir>/journal.jsonl      vectors embedded by an update that has not committed yet (resume)
 *
 * A commit writes a whole new generation into a temp folder, renames it into place, then points
 * CURRENT at it. Killed at any moment (kill -9), the previous generation stays complete and
 * CURRENT still names it; the next load ignores the leftovers and the next commit removes them.
 * One generation before the current is kept as a fallback if the current one is found damaged.
 */
export class IndexStore {
  constructor(
    readonly dir: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  get journalFile(): string {
    return path.join(this.dir, 'journal.jsonl');
  }

  /** The last good generation, or null when there is none. Damaged generations are skipped with a log line. */
  async load(): Promise<KnowledgeIndex | null> {
    const candidates = await this.generations();
    const current = await this.currentGeneration();
    // CURRENT first, then older ones newest first; never a generation newer than CURRENT (an unfinished commit).
    const order = candidates.filter((n) => current === null || n <= current).sort((a, b) => b - a);
    for (const generation of order) {
      try {
        return await this.loadGeneration(generation);
      } catch (error) {
        this.log(`knowledge: generation ${generation} of ${this.dir} is unusable (${(error as Error).message}); trying an older one`);
      }
    }
    return null;
  }

  /** Writes `index` as generation `index.manifest.generation` and makes it current. */
  async commit(index: KnowledgeIndex): Promise<void> {
    const generation = index.manifest.generation;
    await mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `gen-${generation}.tmp-${process.pid}-${Date.now()}`);
    const final = path.join(this.dir, `gen-${generation}`);
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    try {
      await index.vectors.save(path.join(temp, 'vectors.hnsw'));
      await writeJsonLines(path.join(temp, 'chunks.jsonl'), index.records.values());
      await writeFileSynced(path.join(temp, 'bm25.json'), JSON.stringify(index.lexical.toJSON()));
      await writeFileSynced(path.join(temp, 'manifest.json'), JSON.stringify(index.manifest));
      await rm(final, { recursive: true, force: true });
      await rename(temp, final);
    } catch (error) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    await writeFileAtomic(path.join(this.dir, 'CURRENT'), `${JSON.stringify({ generation })}\n`);
    await this.removeOldGenerations(generation);
  }

  /** Removes the whole index (a full rebuild with another embedding model starts from nothing). */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async loadGeneration(generation: number): Promise<KnowledgeIndex> {
    const folder = path.join(this.dir, `gen-${generation}`);
    const manifest = parseManifest(JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')));
    const records = await readJsonLines(path.join(folder, 'chunks.jsonl'));
    const lexical = Bm25Index.fromJSON(JSON.parse(await readFile(path.join(folder, 'bm25.json'), 'utf8')));
    const vectors = await HnswVectorIndex.load(path.join(folder, 'vectors.hnsw'), { dimensions: manifest.dimensions });
    const expected = Object.values(manifest.sources).reduce((sum, source) => sum + source.labels.length, 0);
    if (records.size !== expected || vectors.size !== expected || lexical.size !== expected) {
      throw new Error(`its parts disagree: ${expected} chunks in the manifest, ${records.size} records, ${vectors.size} vectors, ${lexical.size} lexical entries`);
    }
    return new KnowledgeIndex(manifest, records, vectors, lexical);
  }

  private async currentGeneration(): Promise<number | null> {
    try {
      const value = JSON.parse(await readFile(path.join(this.dir, 'CURRENT'), 'utf8')) as { generation?: unknown };
      return Number.isInteger(value.generation) ? (value.generation as number) : null;
    } catch {
      return null;
    }
  }

  private async generations(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names.map((name) => /^gen-(\d+)$/.exec(name)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  }

  private async removeOldGenerations(current: number): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const done = /^gen-(\d+)$/.exec(name);
      const stale = done ? Number(done[1]) < current - 1 || Number(done[1]) > current : /^gen-\d+\.tmp-/.test(name);
      if (stale) await rm(path.join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function writeFileSynced(file: string, text: string): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Writes one JSON value per line in large batches (100k records are ~100 MB: never one string). */
async function writeJsonLines(file: string, values: Iterable<unknown>): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    let batch: string[] = [];
    let size = 0;
    for (const value of values) {
      const line = `${JSON.stringify(value)}\n`;
      batch.push(line);
      size += line.length;
      if (size > 4 * 1024 * 1024) {
        await handle.write(batch.join(''));
        batch = [];
        size = 0;
      }
    }
    if (batch.length > 0) await handle.write(batch.join(''));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function readJsonLines(file: string): Promise<Map<number, ChunkRecord>> {
  const records = new Map<number, ChunkRecord>();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const record = parseChunkRecord(JSON.parse(line));
    records.set(record.label, record);
  }
  return records;
}
