import { stat } from 'node:fs/promises';
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import { loadTransformersGuardrail } from './checks/transformersSafetyClassifier';
import type { SafetyClassifier } from './checks/safetyClassifier';
import type { Embedder } from './knowledge/embed/embedder';
import { loadTransformersEmbedder } from './knowledge/embed/transformersEmbedder';
import type { ChatModel } from './llm/chatModel';
import { loadLlamaCppChatModel } from './llm/llamaCppChatModel';
import { locateChatModel } from './llm/modelLocator';
import { transformersModelId } from './util/transformersLoad';
import type { DaemonSettings } from './protocol';

/** What a loader may tell the daemon while it works; the daemon turns these into `threadwise/status`. */
export interface LoadReporter {
  downloading(percent: number, what: string): void;
  loading(what: string, fraction?: number): void;
  log(message: string): void;
}

/**
 * The seam between the daemon and its engines: the chat model, the guardrail and the embedder. The
 * default factory uses node-llama-cpp and transformers.js; tests and other back ends supply their own.
 */
export interface EngineFactory {
  loadChatModel(settings: DaemonSettings, storageDir: string, report: LoadReporter): Promise<ChatModel>;
  loadSafetyClassifier(settings: DaemonSettings, storageDir: string, report: LoadReporter): Promise<SafetyClassifier>;
  loadEmbedder(settings: DaemonSettings, storageDir: string, report: LoadReporter): Promise<Embedder>;
  /** The `model` the embedder of these settings will have, known without loading it. */
  embeddingModelId(settings: DaemonSettings): string;
  dispose(): Promise<void>;
}

/** Below this size a model decodes fastest on one thread: synchronising threads costs more than the math. */
const SMALL_MODEL_BYTES = 256 * 1024 * 1024;

/**
 * Generation threads: the setting, or all physical cores (one for tiny models), never more than
 * the physical cores, as oversubscribed llama.cpp threads spin against each other.
 * Measured on a 2-core machine with the 0.6 MB test model: ~2,100 tok/s on 1 thread, 60–100 on 2.
 */
export function pickThreads(setting: number, physicalCores: number, modelBytes: number): number {
  const cores = Math.max(1, physicalCores);
  if (setting > 0) return Math.min(setting, cores);
  return modelBytes > 0 && modelBytes < SMALL_MODEL_BYTES ? 1 : cores;
}

async function fileSizeOrZero(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export function modelsDirOf(storageDir: string): string {
  return path.join(storageDir, 'models');
}

/** node-llama-cpp for chat, transformers.js for the guardrail and the embeddings; one llama.cpp runtime per GPU mode. */
export function createLocalEngines(): EngineFactory {
  const runtimes = new Map<string, Promise<Llama>>();
  const runtime = (gpu: DaemonSettings['gpu'], report: LoadReporter): Promise<Llama> => {
    let llama = runtimes.get(gpu);
    if (!llama) {
      llama = getLlama({
        gpu: gpu === 'off' ? false : 'auto',
        build: 'never',
        usePrebuiltBinaries: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => report.log(`llama.cpp ${level}: ${message.trimEnd()}`),
      });
      runtimes.set(gpu, llama);
      llama.catch(() => runtimes.delete(gpu));
    }
    return llama;
  };

  return {
    async loadChatModel(settings, storageDir, report) {
      const located = await locateChatModel(settings.model, {
        modelsDir: modelsDirOf(storageDir),
        allowDownloads: settings.allowDownloads,
        onDownloadProgress: (progress, uri) =>
          report.downloading(progress.totalBytes ? (100 * progress.receivedBytes) / progress.totalBytes : 0, uri),
        log: (message) => report.log(message),
      });
      report.loading(path.basename(located.path));
      const llama = await runtime(settings.gpu, report);
      const threads = pickThreads(settings.threads, llama.cpuMathCores, await fileSizeOrZero(located.path));
      return loadLlamaCppChatModel({
        llama,
        modelPath: located.path,
        maxContextSize: settings.contextSize,
        threads,
        onLoadProgress: (fraction) => report.loading(path.basename(located.path), fraction),
      });
    },

    async loadSafetyClassifier(settings, storageDir, report) {
      report.loading(settings.guardrailModel);
      return loadTransformersGuardrail({
        model: settings.guardrailModel,
        cacheDir: path.join(modelsDirOf(storageDir), 'transformers'),
        allowDownloads: settings.allowDownloads,
        onDownloadProgress: (percent) => report.downloading(percent, settings.guardrailModel),
      });
    },

    async loadEmbedder(settings, storageDir, report) {
      report.loading(settings.embeddingModel);
      return loadTransformersEmbedder({
        model: settings.embeddingModel,
        cacheDir: path.join(modelsDirOf(storageDir), 'transformers'),
        allowDownloads: settings.allowDownloads,
        onDownloadProgress: (percent) => report.downloading(percent, settings.embeddingModel),
      });
    },

    embeddingModelId: (settings) => transformersModelId(settings.embeddingModel),

    async dispose() {
      const all = [...runtimes.values()];
      runtimes.clear();
      for (const llama of all) await (await llama.catch(() => undefined))?.dispose();
    },
  };
}
