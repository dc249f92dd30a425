import type { Disposable } from '../../util/disposable';

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. The default
 * is transformers.js `feature-extraction`; tests and benchmarks may supply their own.
 */
export interface Embedder extends Disposable {
  /** Model id or folder name: an index records it and is rebuilt when it changes. */
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, in order. Batching is the caller's business (see embedInBatches). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * An embedder named before it is loaded: indexing knows from the model id alone whether an index
 * is current, and loads the model only when something must be embedded (not at every start).
 * `load()` must resolve with an embedder whose `model` is this `model`.
 */
export interface EmbedderRef {
  readonly model: string;
  load(): Promise<Embedder>;
}

/** A ref to an embedder that is already loaded. */
export function loadedEmbedder(embedder: Embedder): EmbedderRef {
  return { model: embedder.model, load: () => Promise.resolve(embedder) };
}

export interface BatchProgress {
  done: number;
  total: number;
}

/** Texts per forward pass: large enough to amortise the call, small enough to keep memory flat. */
export const EMBED_BATCH_SIZE = 32;

/**
 * Embeds `texts` in batches, reporting after each one and stopping between batches when `signal`
 * aborts (the vectors of finished batches were already handed to `onBatch`, so nothing is lost).
 */
export async function embedInBatches(
  embedder: Embedder,
  texts: readonly string[],
  onBatch: (start: number, vectors: Float32Array[]) => void | Promise<void>,
  options: { signal?: AbortSignal; batchSize?: number; onProgress?: (progress: BatchProgress) => void } = {},
): Promise<void> {
  const size = Math.max(1, options.batchSize ?? EMBED_BATCH_SIZE);
  for (let start = 0; start < texts.length; start += size) {
    options.signal?.throwIfAborted();
    const batch = texts.slice(start, start + size);
    const vectors = await embedder.embed(batch);
    if (vectors.length !== batch.length) throw new Error(`the embedder returned ${vectors.length} vectors for ${batch.length} texts`);
    await onBatch(start, vectors);
    options.onProgress?.({ done: Math.min(texts.length, start + size), total: texts.length });
  }
}
