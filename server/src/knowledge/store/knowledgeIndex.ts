import { Bm25Index } from '../search/bm25Index';
import { HnswVectorIndex } from '../search/hnswVectorIndex';
import type { ChunkRecord } from './chunkRecord';
import { searchableText } from './chunkRecord';
import { emptyManifest } from './manifest';
import type { Manifest, ManifestSource } from './manifest';

/** Share of deleted points in the HNSW graph above which a commit rebuilds it from the live ones. */
const COMPACT_DELETED_SHARE = 0.3;

/** A chunk to add, with its vector: everything of a ChunkRecord but the label, which the index assigns. */
export type NewChunk = Omit<ChunkRecord, 'label'> & { vector: Float32Array };

/**
 * One repository's index in memory: the chunk records, the HNSW vectors, the BM25 postings and the
 * manifest that ties sources to their chunks. An indexing job changes a private copy (loaded from
 * the last committed generation) and hands it to the store; searches use the committed one.
 */
export class KnowledgeIndex {
  private chunkLabels: Map<string, number> | null = null;

  constructor(
    public manifest: Manifest,
    readonly records: Map<number, ChunkRecord>,
    public vectors: HnswVectorIndex,
    readonly lexical: Bm25Index,
  ) {}

  static empty(key: string, embeddingModel: string, dimensions: number, folder: string | null): KnowledgeIndex {
    return new KnowledgeIndex(emptyManifest(key, embeddingModel, dimensions, folder), new Map(), HnswVectorIndex.create({ dimensions }), new Bm25Index());
  }

  get chunkCount(): number {
    return this.records.size;
  }

  hasSource(sourceId: string): boolean {
    return Object.hasOwn(this.manifest.sources, sourceId);
  }

  /** The stored vector of a chunk with this content id, from any source (a renamed file reuses its vectors). */
  vectorOf(chunkId: string): Float32Array | undefined {
    if (this.chunkLabels === null) {
      this.chunkLabels = new Map();
      for (const record of this.records.values()) this.chunkLabels.set(record.chunkId, record.label);
    }
    const label = this.chunkLabels.get(chunkId);
    return label === undefined || !this.vectors.has(label) ? undefined : this.vectors.vector(label);
  }

  /** Drops a source and its chunks (a deleted or changed file, an issue reopened). */
  removeSource(sourceId: string): void {
    const source = this.manifest.sources[sourceId];
    if (!source) return;
    for (const label of source.labels) {
      const record = this.records.get(label);
      if (record && this.chunkLabels?.get(record.chunkId) === label) this.chunkLabels.delete(record.chunkId);
      this.records.delete(label);
      this.vectors.remove(label);
      this.lexical.remove(label);
    }
    delete this.manifest.sources[sourceId];
  }

  /** Adds (or replaces) a source with its chunks, each with its vector. */
  putSource(sourceId: string, entry: Omit<ManifestSource, 'labels'>, chunks: readonly NewChunk[]): void {
    this.removeSource(sourceId);
    const labels: number[] = [];
    for (const { vector, ...fields } of chunks) {
      const label = this.manifest.nextLabel++;
      const record: ChunkRecord = { ...fields, label };
      this.vectors.add(label, vector);
      this.lexical.add(label, searchableText(record));
      this.records.set(label, record);
      this.chunkLabels?.set(record.chunkId, label);
      labels.push(label);
    }
    this.manifest.sources[sourceId] = { ...entry, labels };
  }

  /** Rebuilds the vector graph when deletions pile up (HNSW only marks deleted points). */
  compactIfNeeded(): boolean {
    const deleted = this.vectors.deletedCount;
    if (deleted === 0 || deleted < COMPACT_DELETED_SHARE * (deleted + this.vectors.size)) return false;
    this.vectors = this.vectors.compacted();
    return true;
  }
}
