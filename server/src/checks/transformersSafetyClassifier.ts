import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import type { TextClassificationPipeline } from '@huggingface/transformers';
import { ThreadwiseError } from '../errors';
import type { SafetyVerdict } from '../protocol';
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
  const local = isLocalFolder(options.model);
  const modelId = local ? path.basename(path.resolve(options.model)) : options.model;
  // transformers.js reads these globals when it resolves a model; the daemon has one guardrail at a time.
  env.allowLocalModels = true;
  env.localModelPath = local ? path.dirname(path.resolve(options.model)) : options.cacheDir;
  env.cacheDir = options.cacheDir;
  env.allowRemoteModels = !local && options.allowDownloads;
  try {
    const classifier = await pipeline('text-classification', modelId, {
      dtype: local ? localDtype(path.resolve(options.model)) : 'q8',
      progress_callback: (info) => {
        // transformers.js reports progress for local reads too; only a fetch from the hub is a download.
        if (!local && info.status === 'progress_total') options.onDownloadProgress?.(info.progress);
      },
    });
    return new TransformersSafetyClassifier(classifier, modelId);
  } catch (error) {
    const hint = local
      ? `check that ${options.model} holds config.json, tokenizer.json and onnx/model.onnx, or change threadwise.guardrailModel`
      : options.allowDownloads
        ? 'check threadwise.guardrailModel and your connection, or set it to a local model folder (--guard-model in the CLI)'
        : 'downloads are off: set threadwise.guardrailModel (--guard-model in the CLI) to a local model folder';
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

function isLocalFolder(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('.') || existsSync(path.join(model, 'config.json'));
}

function localDtype(folder: string): 'fp32' | 'q8' {
  return existsSync(path.join(folder, 'onnx', 'model.onnx')) ? 'fp32' : 'q8';
}
