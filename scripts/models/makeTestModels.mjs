#!/usr/bin/env node
// `npm run test:models`: writes the tiny models the tests and examples use, into test/.models/
// (git-ignored): tiny-llama.gguf (a random-weight Llama-3-style chat model), tiny-llama-endless.gguf (the same
// shape, but it practically never ends a reply before maxTokens), tiny-guard/ and
// tiny-embed/ (transformers.js text-classification and feature-extraction folders).
// Never downloads anything. Skips work when the files exist, unless --force.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../test/.models');
const force = process.argv.includes('--force');
mkdirSync(out, { recursive: true });

const run = (script, args) => execFileSync(process.execPath, [path.join(here, script), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

const gguf = path.join(out, 'tiny-llama.gguf');
if (force || !existsSync(gguf)) run('makeTinyLlamaGguf.mjs', [gguf, '--ctx', '8192']);
// Never stops on its own: for cancellation tests and benchmarks that need runs of a known length.
const endless = path.join(out, 'tiny-llama-endless.gguf');
if (force || !existsSync(endless)) run('makeTinyLlamaGguf.mjs', [endless, '--ctx', '8192', '--endless']);
if (force || !existsSync(path.join(out, 'tiny-guard', 'onnx', 'model.onnx')) || !existsSync(path.join(out, 'tiny-embed', 'onnx', 'model.onnx'))) {
  run('makeTinyBertOnnx.mjs', [out]);
}
console.log(`tiny models in ${path.relative(process.cwd(), out) || out}: tiny-llama.gguf, tiny-llama-endless.gguf, tiny-guard/, tiny-embed/`);
