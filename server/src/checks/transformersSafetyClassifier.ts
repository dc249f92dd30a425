import { pipeline } from '@huggingface/transformers';
import type { TextClassificationPipeline } from '@huggingface/transformers';
import { ThreadwiseError } from '../errors';
import type { SafetyVerdict } from '../protocol';
import { modelLoadHint, withTransformersModel } from '../util/transformersLoad';
import { classifierWindows, verdictFromScores } from './safetyClassifier';
import type { LabelScore, SafetyClassifier } from './safetyClassifier';

export interface TransformersGuardrailOptions {
  /** A local model folder, or a model id fetched into `cacheDir` on first use. */
  model: string;
  /** Where fetched models are kept (`<storage>/models/transformers`). */
  cacheDir: string;
  allowDownloads: boolean;
  onDownloadProgress?(percent: number): void;
}

/** Loads a transformers.js text-classification model as the guardrail; failures name the model and the setting. */
export async function loadTransformersGuardrail(options: TransformersGuardrailOptions): Promise<SafetyClassifier> {
  try {
    return await withTransformersModel(options, async (resolved) => {
      const classifier = await pipeline('text-classification', resolved.modelId, {
        dtype: resolved.dtype,
        progress_callback: (info) => {
          // transformers.js reports progress for local reads too; only a fetch from the hub is a download.
          if (!resolved.local && info.status === 'progress_total') options.onDownloadProgress?.(info.progress);
        },
      });
      return new TransformersSafetyClassifier(classifier, resolved.modelId);
    });
  } catch (error) {
    const hint = modelLoadHint(options, { setting: 'threadwise.guardrailModel', cliFlag: '--guard-model', files: 'config.json, tokenizer.json and onnx/model.onnx' });
    throw new ThreadwiseError('guardrail-unavailable', `could not load the guardrail model ${options.model}: ${(error as Error).message}`, hint, { cause: error });
  }
}

/** Characters per token assumed when sizing windows: WordPiece averages ~4 on English, less on code. */
const CHARS_PER_TOKEN = 2.5;

class TransformersSafetyClassifier implements SafetyClassifier {
  /** Window size that fits the classifier's position limit, so no part of a window is truncated away. */
  private readonly windowChars: number;

  constructor(
    private readonly classifier: TextClassificationPipeline,
    readonly model: string,
  ) {
    const config = classifier.model.config as { max_position_embeddings?: number };
    const maxTokens = Math.min(512, config.max_position_embeddings ?? 512) - 2;
    this.windowChars = Math.max(100, Math.floor(maxTokens * CHARS_PER_TOKEN));
  }

  async classify(text: string, threshold: number): Promise<SafetyVerdict> {
    const windows = classifierWindows(text, this.windowChars);
    if (windows.length === 0) return verdictFromScores([], threshold, this.model);
    const output = (await this.classifier(windows, { top_k: null })) as unknown as LabelScore[][] | LabelScore[];
    // One input gives a flat list of labels; several give one list per input.
    const perWindow = windows.length === 1 && !Array.isArray(output[0]) ? [output as LabelScore[]] : (output as LabelScore[][]);
    return verdictFromScores(perWindow, threshold, this.model);
  }

  async dispose(): Promise<void> {
    await this.classifier.dispose();
  }
}
