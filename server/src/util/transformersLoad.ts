import { existsSync } from 'node:fs';
import path from 'node:path';
import { env } from '@huggingface/transformers';

/**
 * transformers.js resolves model files through process-wide globals (`env.localModelPath`,
 * `env.allowRemoteModels`, ...). The guardrail and the embedder load through it with different
 * values, so loads are serialised: each sets the globals it needs and keeps them until its
 * pipeline has read every file. Inference after loading does not read the globals.
 */
let queue: Promise<unknown> = Promise.resolve();

export interface TransformersModelSource {
  /** A local model folder, or a model id fetched into `cacheDir` on first use. */
  model: string;
  cacheDir: string;
  allowDownloads: boolean;
}

export interface ResolvedTransformersModel {
  /** The id transformers.js is asked for (the folder name for a local model). */
  modelId: string;
  local: boolean;
  /** fp32 for a local folder with onnx/model.onnx, else the quantized q8 weights. */
  dtype: 'fp32' | 'q8';
}

/** Runs `load` with transformers.js set up for `source`, after any other load has finished. */
export function withTransformersModel<T>(source: TransformersModelSource, load: (model: ResolvedTransformersModel) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const local = isLocalModelFolder(source.model);
    const folder = path.resolve(source.model);
    env.allowLocalModels = true;
    env.localModelPath = local ? path.dirname(folder) : source.cacheDir;
    env.cacheDir = source.cacheDir;
    env.allowRemoteModels = !local && source.allowDownloads;
    return load({
      modelId: transformersModelId(source.model),
      local,
      dtype: local && existsSync(path.join(folder, 'onnx', 'model.onnx')) ? 'fp32' : 'q8',
    });
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** The id a model setting loads as: a local folder's name, or the hub model id as written. */
export function transformersModelId(model: string): string {
  return isLocalModelFolder(model) ? path.basename(path.resolve(model)) : model;
}

/** A path (absolute, `./…`) or a folder holding config.json, rather than a hub model id. */
export function isLocalModelFolder(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('.') || existsSync(path.join(model, 'config.json'));
}

/** What to do when a transformers.js model did not load: fix the folder, the id or the connection, or go local. */
export function modelLoadHint(source: Pick<TransformersModelSource, 'model' | 'allowDownloads'>, names: { setting: string; cliFlag: string; files: string }): string {
  if (isLocalModelFolder(source.model)) return `check that ${source.model} holds ${names.files}, or change ${names.setting}`;
  return source.allowDownloads
    ? `check ${names.setting} and your connection, or set it to a local model folder (${names.cliFlag} in the CLI)`
    : `downloads are off: set ${names.setting} (${names.cliFlag} in the CLI) to a local model folder`;
}
