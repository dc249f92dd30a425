import { createHash } from 'node:crypto';
import type { Embedder } from '../../../server/src/knowledge/embed/embedder';

/**
 * A deterministic embedder for tests: each word maps to a "concept" through a small synonym table
 * (so "crash", "panic" and "segfault" land on one axis, as a sentence model would put them close),
 * and unknown words spread thinly over hashed noise axes. Vectors are L2-normalised. It counts its
 * calls, and can be told to fail after some batches (to simulate a kill in the middle of indexing).
 */
export class ConceptEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** Texts embedded so far, over all calls. */
  embedded = 0;
  calls = 0;
  /** Throw on the call after this many calls (undefined: never). */
  failAfterCalls: number | undefined;

  private readonly concepts = new Map<string, number>();
  private readonly noiseStart: number;

  constructor(synonyms: readonly (readonly string[])[], options: { model?: string; noiseDimensions?: number } = {}) {
    synonyms.forEach((group, axis) => {
      for (const word of group) this.concepts.set(word.toLowerCase(), axis);
    });
    this.model = options.model ?? 'test/concept-embedder';
    this.noiseStart = synonyms.length;
    // Many noise axes: two texts of unknown words rarely share one, as unrelated sentences would not.
    this.dimensions = synonyms.length + (options.noiseDimensions ?? 256);
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.failAfterCalls !== undefined && this.calls >= this.failAfterCalls) return Promise.reject(new Error('embedder killed (test)'));
    this.calls++;
    this.embedded += texts.length;
    return Promise.resolve(texts.map((text) => this.vector(text)));
  }

  vector(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const noise = this.dimensions - this.noiseStart;
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) {
      const axis = this.concepts.get(word) ?? this.concepts.get(word.replace(/(es|s)$/, ''));
      if (axis !== undefined) vector[axis]! += 1;
      else if (noise > 0) vector[this.noiseStart + (createHash('sha1').update(word).digest()[0]! % noise)]! += 0.05;
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm === 0) {
      // No words at all: a fixed direction, so the vector is still unit length.
      vector[this.dimensions - 1] = 1;
      return vector;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
    return vector;
  }

  dispose(): void {}
}
