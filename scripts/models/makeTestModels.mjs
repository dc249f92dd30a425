#!/usr/bin/env node
// `npm run test:models`: writes the tiny models the tests and examples use, into test/.models/
// (git-ignored): tiny-llama.gguf (a random-weight Llama-3-style chat model), tiny-guard/ and
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
if (force || !existsSync(gguf)) run('makeTinyLlamaGguf.mjs', [gguf, '--ctx', '4096']);
if (force || !existsSync(path.join(out, 'tiny-guard', 'onnx', 'model.onnx')) || !existsSync(path.join(out, 'tiny-embed', 'onnx', 'model.onnx'))) {
  run('makeTinyBertOnnx.mjs', [out]);
}
console.log(`tiny models in ${path.relative(process.cwd(), out) || out}: tiny-llama.gguf, tiny-guard/, tiny-embed/`);
