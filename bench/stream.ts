/**
 * `npm run bench:stream` — in one run, on the same tiny model, prompt and token count:
 *  1. tokens/s the daemon delivers to an LSP client over stdio (measured by the client, from the
 *     first chunk received to the last) vs raw node-llama-cpp generation in process
 *     (LlamaChat.generateResponse, from the first chunk to the last); target ratio ≥ 0.95;
 *  2. prompt tokens evaluated on regenerate vs cold; target ≤ 10%.
 * Runs alternate raw/daemon and report medians. Writes bench/results/stream.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getLlama, LlamaChat } from 'node-llama-cpp';
import { toChatHistory } from '../server/src/llm/llamaCppChatModel';
import { threadToChat } from '../server/src/pipeline/threadToChat';
import type { Thread } from '../server/src/protocol';
import { DaemonProcess } from '../test/support/daemonProcess';
import { EXAMPLE_THREAD, ROOT, TINY_GUARD, TINY_LLAMA_ENDLESS } from '../test/support/paths';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONTEXT = 4096;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const thread = JSON.parse(await readFile(EXAMPLE_THREAD, 'utf8')) as Thread;

// --- raw node-llama-cpp, in this process ---
const llama = await getLlama({ gpu: false, build: 'never' });
const model = await llama.loadModel({ modelPath: TINY_LLAMA_ENDLESS });
const tokens = { count: (t: string) => model.tokenize(t).length, truncate: (t: string, n: number) => model.detokenize(model.tokenize(t).slice(0, n)) };
const chat = threadToChat(thread, { maxPromptTokens: CONTEXT - TOKENS, tokens });
const context = await model.createContext({ contextSize: CONTEXT, sequences: 1, threads: 1 });

const sequence = context.getSequence();
const session = new LlamaChat({ contextSequence: sequence });

async function rawRun(round: number): Promise<{ tokensPerSecond: number; generated: number }> {
  let first = 0;
  let last = 0;
  let chunks = 0;
  const before = sequence.tokenMeter.getState().usedOutputTokens;
  await session.generateResponse(toChatHistory(chat.turns), {
    maxTokens: TOKENS,
    temperature: 0.7,
    seed: round + 1,
    onTextChunk: () => {
      const now = performance.now();
      if (chunks++ === 0) first = now;
      last = now;
    },
  });
  const generated = sequence.tokenMeter.getState().usedOutputTokens - before;
  return { tokensPerSecond: ((generated - 1) * 1000) / (last - first), generated };
}

// --- the daemon over stdio, as VS Code's client would see it ---
const daemon = await DaemonProcess.start({ model: TINY_LLAMA_ENDLESS, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: TOKENS, contextSize: CONTEXT, threads: 1 });

async function daemonRun(round: number): Promise<{ tokensPerSecond: number; generated: number; evaluated: number; prompt: number }> {
  let first = 0;
  let last = 0;
  let chunks = 0;
  const call = daemon.suggest(
    { ...thread, number: 1000 + round },
    {
      onChunk: () => {
        const now = performance.now();
        if (chunks++ === 0) first = now;
        last = now;
      },
    },
  );
  const { result } = await call.outcome;
  if (!result) throw new Error('daemon run failed');
  return { tokensPerSecond: ((result.tokens.generated - 1) * 1000) / (last - first), generated: result.tokens.generated, evaluated: result.tokens.evaluated, prompt: result.tokens.prompt };
}

await rawRun(0); // warm-up
await daemonRun(-1);
const raw: number[] = [];
const viaDaemon: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  raw.push((await rawRun(round)).tokensPerSecond);
  viaDaemon.push((await daemonRun(round)).tokensPerSecond);
}

await daemon.stop();

// --- regenerate vs cold: a fresh daemon, so the cold request shares nothing with earlier ones ---
const freshDaemon = await DaemonProcess.start({ model: TINY_LLAMA_ENDLESS, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: 64, contextSize: CONTEXT, threads: 1 });
const cold = (await freshDaemon.suggest(thread).outcome).result!;
const regenerated = (await freshDaemon.suggest(thread, { regenerate: true }).outcome).result!;
await freshDaemon.stop();
session.dispose();
await context.dispose();
await model.dispose();
await llama.dispose();

const figures = {
  date: new Date().toISOString(),
  model: path.relative(ROOT, TINY_LLAMA_ENDLESS),
  tokensPerRun: TOKENS,
  rounds: ROUNDS,
  rawTokensPerSecond: median(raw),
  daemonTokensPerSecond: median(viaDaemon),
  streamRatio: median(viaDaemon) / median(raw),
  promptTokens: cold.tokens.prompt,
  coldEvaluated: cold.tokens.evaluated,
  regenerateEvaluated: regenerated.tokens.evaluated,
  regenerateRatio: regenerated.tokens.evaluated / cold.tokens.evaluated,
  samples: { raw, daemon: viaDaemon },
};
await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
await writeFile(path.join(ROOT, 'bench', 'results', 'stream.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`tokens/s, median of ${ROUNDS} runs of ${TOKENS} tokens:`);
console.log(`  raw node-llama-cpp      ${figures.rawTokensPerSecond.toFixed(1)}`);
console.log(`  daemon over stdio LSP   ${figures.daemonTokensPerSecond.toFixed(1)}`);
console.log(`  ratio                   ${figures.streamRatio.toFixed(3)}  (target ≥ 0.95)`);
console.log(`prompt tokens evaluated (prompt of ${figures.promptTokens} tokens):`);
console.log(`  cold                    ${figures.coldEvaluated}`);
console.log(`  regenerate              ${figures.regenerateEvaluated}`);
console.log(`  ratio                   ${(figures.regenerateRatio * 100).toFixed(2)}%  (target ≤ 10%)`);
