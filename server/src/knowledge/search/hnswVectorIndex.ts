import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
// hnswlib-node is CommonJS (`module.exports = addon`), so only its default import is reliable: Node's
// ESM loader (tsx in tests, the esbuild bundle with the package external) exposes module.exports as
// the default export and cannot detect named exports of a native addon.
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW as NativeIndex } from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

/** One point found by a vector search. */
export interface VectorHit {
  id: number;
  /** Cosine similarity to the query, -1..1 (1 − hnswlib's cosine distance). */
  similarity: number;
}

export interface HnswCreateOptions {
  dimensions: number;
  /** Points the index holds before it first grows (it doubles when full). Default 1024. */
  capacity?: number;
  /** Graph links per node. Default 16. */
  m?: number;
  /** Candidate list size while building: higher is slower to add, better recall. Default 200. */
  efConstruction?: number;
  /** Candidate list size while searching (at least k is used). Default 64. */
  efSearch?: number;
  /** Seed of the level generator: the same seed and insertion order build the same graph. Default 100. */
  seed?: number;
}

export interface HnswLoadOptions {
  /** The dimensions the caller's embedding model produces; a file with others is refused. */
  dimensions: number;
  efSearch?: number;
}

const DEFAULT_CAPACITY = 1024;
const DEFAULT_M = 16;
const DEFAULT_EF_CONSTRUCTION = 200;
const DEFAULT_EF_SEARCH = 64;
const DEFAULT_SEED = 100;
const MAX_DIMENSIONS = 65_536;
/** hnswlib-node passes labels, sizes and k as uint32. */
const MAX_UINT32 = 0xffff_ffff;

interface Parameters {
  dimensions: number;
  m: number;
  efConstruction: number;
  efSearch: number;
  seed: number;
}

/**
 * An approximate nearest-neighbour index over unit vectors (hnswlib's HNSW, cosine space) whose
 * labels are the caller's numeric ids (uint32). It adds what hnswlib leaves to its caller: input
 * validation, growth, knowing which ids are live, k larger than the index, atomic saves, and a
 * load that refuses a file of other dimensions (hnswlib would load it and read garbage).
 *
 * Removal only marks a point deleted (hnswlib cannot unlink it from the graph): it is skipped by
 * searches but keeps its slot, and re-adding the id revives the slot. When deletions pile up,
 * {@link HnswVectorIndex.compacted} builds a fresh index of the live points.
 *
 * Do not add or remove while {@link HnswVectorIndex.save} runs (the write happens on another
 * thread); those calls throw until it ends. Searches are fine.
 */
export class HnswVectorIndex {
  readonly #native: NativeIndex;
  readonly #parameters: Parameters;
  readonly #live: Set<number>;
  readonly #deleted: Set<number>;
  #saving = false;

  private constructor(native: NativeIndex, parameters: Parameters, live: Iterable<number>, deleted: Iterable<number>) {
    this.#native = native;
    this.#parameters = parameters;
    this.#live = new Set(live);
    this.#deleted = new Set(deleted);
    native.setEf(parameters.efSearch);
  }

  static create(options: HnswCreateOptions): HnswVectorIndex {
    const parameters: Parameters = {
      dimensions: checkInteger('dimensions', options.dimensions, 1, MAX_DIMENSIONS),
      m: checkInteger('m', options.m ?? DEFAULT_M, 2, 256),
      efConstruction: checkInteger('efConstruction', options.efConstruction ?? DEFAULT_EF_CONSTRUCTION, 1, 100_000),
      efSearch: checkInteger('efSearch', options.efSearch ?? DEFAULT_EF_SEARCH, 1, 100_000),
      seed: checkInteger('seed', options.seed ?? DEFAULT_SEED, 0, MAX_UINT32),
    };
    const capacity = checkInteger('capacity', options.capacity ?? DEFAULT_CAPACITY, 1, MAX_UINT32);
    const native = new HierarchicalNSW('cosine', parameters.dimensions);
    native.initIndex({ maxElements: capacity, m: parameters.m, efConstruction: parameters.efConstruction, randomSeed: parameters.seed });
    return new HnswVectorIndex(native, parameters, [], []);
  }

  /** Loads an index written by {@link HnswVectorIndex.save}; throws when the file is missing, corrupt or of other dimensions. */
  static async load(file: string, options: HnswLoadOptions): Promise<HnswVectorIndex> {
    const dimensions = checkInteger('dimensions', options.dimensions, 1, MAX_DIMENSIONS);
    const efSearch = checkInteger('efSearch', options.efSearch ?? DEFAULT_EF_SEARCH, 1, 100_000);
    const layout = await readIndexFile(file);
    if (layout.dimensions !== dimensions) {
      throw new Error(`the HNSW index ${file} holds ${layout.dimensions}-dimensional vectors, the embedding model makes ${dimensions}: rebuild the index`);
    }
    const native = new HierarchicalNSW('cosine', dimensions);
    try {
      await native.readIndex(file);
    } catch (error) {
      throw new Error(`the HNSW index ${file} could not be loaded: ${messageOf(error)}`, { cause: error });
    }
    if (native.getCurrentCount() !== layout.live.length + layout.deleted.length) {
      throw new Error(`the HNSW index ${file} changed while it was being loaded`);
    }
    // hnswlib sizes a loaded index to its point count when the file holds none: an empty index
    // comes back with no room at all, and growing it from zero fails inside hnswlib (and can
    // corrupt its heap). Give it the default room before anything is added.
    if (native.getMaxElements() < 1) native.resizeIndex(DEFAULT_CAPACITY);
    const parameters = { dimensions, m: layout.m, efConstruction: layout.efConstruction, efSearch, seed: DEFAULT_SEED };
    return new HnswVectorIndex(native, parameters, layout.live, layout.deleted);
  }

  get dimensions(): number {
    return this.#parameters.dimensions;
  }

  /** Live points (added and not removed). */
  get size(): number {
    return this.#live.size;
  }

  /** Removed points still occupying a slot of the graph. */
  get deletedCount(): number {
    return this.#deleted.size;
  }

  /** The graph's parameters: links per node (M), the build-time and the search-time beam width (ef). */
  get parameters(): { m: number; efConstruction: number; efSearch: number } {
    const { m, efConstruction, efSearch } = this.#parameters;
    return { m, efConstruction, efSearch };
  }

  /** Slots before the index next grows (live and deleted points both use one). */
  get capacity(): number {
    return this.#native.getMaxElements();
  }

  has(id: number): boolean {
    return this.#live.has(id);
  }

  /** Adds `vector` under `id`, replacing the vector `id` had. Throws on a bad id or vector. */
  add(id: number, vector: Float32Array | readonly number[]): void {
    this.#assertNotSaving('add');
    checkInteger('id', id, 0, MAX_UINT32);
    const point = unitVector(vector, this.dimensions, 'vector');
    if (point === null) throw new Error(`vector ${id} is all zeros: cosine similarity is undefined for it`);
    if (!this.#live.has(id) && !this.#deleted.has(id)) {
      const capacity = this.#native.getMaxElements();
      if (this.#native.getCurrentCount() >= capacity) this.#native.resizeIndex(Math.min(MAX_UINT32, capacity < 1 ? DEFAULT_CAPACITY : 2 * capacity));
    }
    this.#native.addPoint(point, id);
    this.#deleted.delete(id);
    this.#live.add(id);
  }

  /** Hides `id` from searches; false when it is not a live point. */
  remove(id: number): boolean {
    this.#assertNotSaving('remove');
    if (!this.#live.has(id)) return false;
    this.#native.markDelete(id);
    this.#live.delete(id);
    this.#deleted.add(id);
    return true;
  }

  /** The stored vector of `id`, normalized to unit length (the cosine space stores it so). */
  vector(id: number): Float32Array {
    if (!this.#live.has(id)) throw new Error(`the HNSW index has no vector ${id}`);
    return Float32Array.from(this.#native.getPoint(id));
  }

  /**
   * The (approximately) `k` most similar live points that pass `filter`, most similar first; ties by
   * ascending id. `k` is capped at the number of live points; an all-zero query has no direction and
   * finds nothing. A filter that throws makes the search throw the same error.
   */
  search(vector: Float32Array | readonly number[], k: number, filter?: (id: number) => boolean): VectorHit[] {
    const limit = Math.min(Math.floor(k), this.size);
    const point = unitVector(vector, this.dimensions, 'query vector');
    if (!(limit >= 1) || point === null) return [];
    let filterError: { error: unknown } | undefined;
    const guardedFilter =
      filter === undefined
        ? undefined
        : (id: number): boolean => {
            if (filterError !== undefined) return false;
            try {
              return filter(id);
            } catch (error) {
              filterError = { error };
              return false;
            }
          };
    const result = this.#native.searchKnn(point, limit, guardedFilter);
    if (filterError !== undefined) throw filterError.error;
    const hits = result.neighbors.map((id, i) => ({ id, similarity: Math.max(-1, Math.min(1, 1 - (result.distances[i] ?? 1))) }));
    return hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
  }

  setEfSearch(ef: number): void {
    this.#parameters.efSearch = checkInteger('efSearch', ef, 1, 100_000);
    this.#native.setEf(ef);
  }

  /**
   * Writes the index to `file` atomically: to a temporary file beside it, checked (hnswlib does not
   * report a short write, e.g. a full disk) and flushed to disk, then renamed over `file`. On failure
   * `file` is untouched and the temporary file removed.
   */
  async save(file: string): Promise<void> {
    this.#assertNotSaving('save');
    const temporary = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    this.#saving = true;
    try {
      await this.#native.writeIndex(temporary);
      const written = await readIndexFile(temporary);
      if (written.live.length !== this.size || written.deleted.length !== this.deletedCount || written.dimensions !== this.dimensions) {
        throw new Error('the written file does not match the index in memory');
      }
      await flushToDisk(temporary);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new Error(`could not save the HNSW index to ${file}: ${messageOf(error)}`, { cause: error });
    } finally {
      this.#saving = false;
    }
  }

  /** A new index of the live points only (ascending id order, so the result is deterministic), same parameters. */
  compacted(): HnswVectorIndex {
    const fresh = HnswVectorIndex.create({ ...this.#parameters, capacity: Math.max(1, this.size) });
    for (const id of [...this.#live].sort((a, b) => a - b)) fresh.add(id, this.#native.getPoint(id));
    return fresh;
  }

  #assertNotSaving(what: string): void {
    if (this.#saving) throw new Error(`cannot ${what} while the HNSW index is being saved`);
  }
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`HNSW ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/**
 * `vector` scaled to unit length as a plain array (what hnswlib-node takes), or null when it is all
 * zeros. Normalizing here, in double precision, keeps huge finite components from overflowing the
 * float32 norm hnswlib would compute.
 */
function unitVector(vector: Float32Array | readonly number[], dimensions: number, what: string): number[] | null {
  if (vector.length !== dimensions) throw new Error(`${what} has ${vector.length} dimensions, the index has ${dimensions}`);
  let largest = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] ?? Number.NaN;
    if (!Number.isFinite(value)) throw new Error(`${what} has a non-finite value (${value}) at ${i}`);
    largest = Math.max(largest, Math.abs(value));
  }
  if (largest === 0) return null;
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) sumOfSquares += ((vector[i] ?? 0) / largest) ** 2;
  const norm = largest * Math.sqrt(sumOfSquares);
  return Array.from(vector, (value) => value / norm);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function flushToDisk(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What {@link readIndexFile} learns from an hnswlib index file. */
interface IndexFileLayout {
  dimensions: number;
  m: number;
  efConstruction: number;
  live: number[];
  deleted: number[];
}

/** hnswlib's header: six size_t, int maxlevel, uint32 entry point, three size_t, double mult, size_t efConstruction. */
const HEADER_BYTES = 96;
/** In a node's level-0 link header, the byte after the uint16 link count holds the deleted mark. */
const DELETED_FLAG_OFFSET = 2;
const DELETE_MARK = 0x01;
const READ_WINDOW = 4 << 20;

/**
 * Reads and checks an hnswlib index file the way hnswlib's own loader does (header fields
 * consistent, the level-0 block and the upper-level link lists exactly filling the file) and
 * collects which labels are live and which are marked deleted, which hnswlib-node cannot tell.
 */
async function readIndexFile(file: string): Promise<IndexFileLayout> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `the HNSW index file ${file} does not exist` : `cannot open the HNSW index file ${file}: ${messageOf(error)}`, { cause: error });
  }
  try {
    const fileSize = (await handle.stat()).size;
    const corrupt = (why: string): Error => new Error(`the HNSW index file ${file} is corrupt: ${why}`);
    const reader = new WindowReader(handle, fileSize);
    if (fileSize < HEADER_BYTES) throw corrupt(`${fileSize} bytes is shorter than its header`);
    const header = await reader.bytes(0, HEADER_BYTES);
    const u64 = (offset: number): number => {
      const value = header.readBigUInt64LE(offset);
      return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
    };
    const [offsetLevel0, capacity, count, bytesPerNode, labelOffset, dataOffset] = [0, 8, 16, 24, 32, 40].map(u64) as [number, number, number, number, number, number];
    const [maxM, maxM0, m, efConstruction] = [56, 64, 72, 88].map(u64) as [number, number, number, number];
    const dimensions = (labelOffset - dataOffset) / 4;
    const level0End = HEADER_BYTES + count * bytesPerNode;
    if (
      offsetLevel0 !== 0 || count > capacity || capacity > MAX_UINT32 || m < 2 || maxM !== m || maxM0 !== 2 * m ||
      dataOffset !== 4 * maxM0 + 4 || !Number.isInteger(dimensions) || dimensions < 1 || bytesPerNode !== labelOffset + 8 ||
      !(level0End + 4 * count <= fileSize)
    ) {
      throw corrupt('its header is inconsistent');
    }
    const live: number[] = [];
    const deleted: number[] = [];
    const seen = new Set<number>();
    for (let node = 0; node < count; node++) {
      const bytes = await reader.bytes(HEADER_BYTES + node * bytesPerNode, bytesPerNode);
      const label = Number(bytes.readBigUInt64LE(labelOffset));
      if (label > MAX_UINT32 || seen.has(label)) throw corrupt(`node ${node} has a bad label`);
      seen.add(label);
      ((bytes[DELETED_FLAG_OFFSET] ?? 0) & DELETE_MARK ? deleted : live).push(label);
    }
    let position = level0End;
    for (let node = 0; node < count; node++) {
      if (position + 4 > fileSize) throw corrupt('its link lists are cut short');
      position += 4 + (await reader.bytes(position, 4)).readUInt32LE(0);
    }
    if (position !== fileSize) throw corrupt(`it is ${fileSize} bytes, its contents make ${position}`);
    return { dimensions, m, efConstruction, live, deleted };
  } finally {
    await handle.close();
  }
}

/** Sequential reads of small pieces of a file through one large buffered window. */
class WindowReader {
  #window = Buffer.alloc(0);
  #windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly fileSize: number,
  ) {}

  /** `length` bytes at `position`; the caller has checked that they lie inside the file. */
  async bytes(position: number, length: number): Promise<Buffer> {
    const offset = position - this.#windowStart;
    if (offset < 0 || offset + length > this.#window.length) {
      const size = Math.min(Math.max(length, READ_WINDOW), this.fileSize - position);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await this.handle.read(buffer, 0, size, position);
      if (bytesRead < length) throw new Error(`unexpected end of file at byte ${position + bytesRead}`);
      this.#window = buffer.subarray(0, bytesRead);
      this.#windowStart = position;
      return this.#window.subarray(0, length);
    }
    return this.#window.subarray(offset, offset + length);
  }
}
