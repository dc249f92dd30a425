import { pipeline } from '@huggingface/transformers';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { ThreadwiseError } from '../../errors';
import { modelLoadHint, withTransformersModel } from '../../util/transformersLoad';
import type { Embedder } from './embedder';

export interface TransformersEmbedderOptions {
  /** A local model folder, or a model id fetched into `cacheDir` on first use. */
  model: string;
  cacheDir: string;
  allowDownloads: boolean;
  onDownloadProgress?(percent: number): void;
}

/**
 * Loads a transformers.js feature-extraction model (a sentence-embedding model such as
 * all-MiniLM-L6-v2, quantized) and probes its output size. Mean pooling and L2 normalisation make
 * the vectors cosine-ready; texts longer than the model's window are truncated by its tokenizer.
 */
export async function loadTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  try {
    return await withTransformersModel(options, async (resolved) => {
      const extractor = await pipeline('feature-extraction', resolved.modelId, {
        dtype: resolved.dtype,
        progress_callback: (info) => {
          if (!resolved.local && info.status === 'progress_total') options.onDownloadProgress?.(info.progress);
        },
      });
      const embedder = new TransformersEmbedder(extractor, resolved.modelId, 0);
      const [probe] = await embedder.embed(['dimension probe']);
      return new TransformersEmbedder(extractor, resolved.modelId, probe!.length);
    });
  } catch (error) {
    const hint = modelLoadHint(options, {
      setting: 'threadwise.embeddingModel',
      cliFlag: '--embed-model',
      files: 'config.json, tokenizer.json and onnx/model.onnx (or onnx/model_quantized.onnx)',
    });
    throw new ThreadwiseError('embedder-unavailable', `could not load the embedding model ${options.model}: ${(error as Error).message}`, hint, { cause: error });
  }
}

class TransformersEmbedder implements Embedder {
  constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly model: string,
    readonly dimensions: number,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // Empty strings make some tokenizers produce nothing to pool; a space embeds as "no content".
    const inputs = texts.map((text) => (text.trim() === '' ? ' ' : text));
    const output = await this.extractor(inputs, { pooling: 'mean', normalize: true });
    const [rows, width] = output.dims as [number, number];
    const data = output.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < rows; row++) vectors.push(Float32Array.from(data.subarray(row * width, (row + 1) * width)));
    output.dispose?.();
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}
