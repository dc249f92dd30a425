import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the tests run from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = path.join(ROOT, 'test', '.models');
export const TINY_LLAMA = path.join(MODELS, 'tiny-llama.gguf');
/** Never ends a reply before maxTokens: for cancellation and runs of a known length. */
export const TINY_LLAMA_ENDLESS = path.join(MODELS, 'tiny-llama-endless.gguf');
export const TINY_GUARD = path.join(MODELS, 'tiny-guard');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.mjs');
export const CLI_BIN = path.join(ROOT, 'bin', 'threadwise.mjs');
export const EXAMPLE_THREAD = path.join(ROOT, 'examples', 'parser-crash.thread.json');
export const TINY_EMBED = path.join(MODELS, 'tiny-embed');
