/**
 * bench:checks — what the reply checks cost (issue 6):
 *   - per block: check latency p50/p99 (syntax + security) after warm-up, for 20-, 200- and
 *     2,000-line blocks per language, against a baseline measured in the same run: parsing the
 *     same code alone (TypeScript's parser, JSON.parse, yaml, tree-sitter) — the ratio is what the
 *     security pass and the findings cost on top of a parse;
 *   - load: the time to load every checker once, in a fresh process per language (imports,
 *     parser/grammar start-up, rule set), so no run benefits from another's load;
 *   - a whole reply (three blocks and prose, secrets scan included) through checkText.
 *
 *   npm run bench:checks            full run (~1–2 minutes)
 *   npm run bench:checks -- --quick fewer repetitions
 * Writes bench/results/checks-<timestamp>.json and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import YAML from 'yaml';
import { checkText } from '../server/src/checks/checkText';
import { CodeCheckers } from '../server/src/checks/code/codeCheckers';
import { defaultCodeCheckers } from '../server/src/checks/code/defaultCheckers';
import { loadGrammar } from '../server/src/checks/code/treeSitter';
import type { CheckedLanguage } from '../server/src/protocol';
import { codeOfLines } from './checks/generate';

const LANGUAGES: CheckedLanguage[] = ['typescript', 'tsx', 'javascript', 'json', 'yaml', 'python', 'shell'];
const SIZES = [20, 200, 2000];
const TARGET_MEDIAN_MS_200 = 50;

const quick = process.argv.includes('--quick');

if (process.argv.includes('--load-one')) {
  // Child mode: load the checker of one language in this fresh process and print the milliseconds.
  const language = process.argv[process.argv.indexOf('--load-one') + 1] as CheckedLanguage;
  const started = performance.now();
  const { defaultCodeCheckers: make } = await import('../server/src/checks/code/defaultCheckers');
  const { CodeCheckers: Checkers } = await import('../server/src/checks/code/codeCheckers');
  const imported = performance.now();
  const found = await new Checkers(make()).forLanguage(language);
  if ('error' in found) throw new Error(found.error);
  const loaded = performance.now();
  process.stdout.write(JSON.stringify({ importMs: imported - started, loadMs: loaded - imported, totalMs: loaded - started }));
  process.exit(0);
}

interface Latency {
  p50: number;
  p99: number;
  mean: number;
  runs: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), runs: sorted.length };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function time(runs: number, warmup: number, work: () => void): Latency {
  for (let i = 0; i < warmup; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return latency(samples);
}

/** Parsing alone, the baseline of each language's check. */
async function parserOnly(language: CheckedLanguage): Promise<(code: string) => void> {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
    case 'jsx': {
      const kind = { typescript: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, javascript: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX }[language];
      return (code) => void ts.createSourceFile(`block.${language}`, code, ts.ScriptTarget.Latest, false, kind);
    }
    case 'json':
      return (code) => void JSON.parse(code);
    case 'yaml':
      return (code) => void YAML.parseAllDocuments(code);
    case 'python':
    case 'shell': {
      const grammar = await loadGrammar(language === 'python' ? 'python' : 'bash');
      return (code) => grammar.parser.parse(code)?.delete();
    }
  }
}

function loadInFreshProcess(language: CheckedLanguage): { importMs: number; loadMs: number; totalMs: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join('bench', 'checks.ts'), '--load-one', language], { encoding: 'utf8' });
  const figures = JSON.parse(out) as { importMs: number; loadMs: number; totalMs: number };
  return { importMs: round(figures.importMs), loadMs: round(figures.loadMs), totalMs: round(figures.totalMs) };
}

const REPLY = [
  'Thanks for the report! The parser reads tabs as you describe; here is a fix [1]:',
  '',
  '```ts title="src/parse.ts"',
  codeOfLines('typescript', 40),
  '```',
  '',
  'And the script to reproduce it:',
  '',
  '```python',
  codeOfLines('python', 30),
  '```',
  '',
  '```bash',
  codeOfLines('shell', 10),
  '```',
  '',
  'See https://github.com/acme/yamlette/blob/main/docs/parsing.md for the rules.',
].join('\n');

async function main(): Promise<void> {
  const started = performance.now();
  const runsFor = (lines: number): number => (quick ? (lines >= 2000 ? 5 : 30) : lines >= 2000 ? 30 : lines >= 200 ? 150 : 400);
  const warmupFor = (lines: number): number => (lines >= 2000 ? 3 : 10);

  process.stderr.write('loading each checker in a fresh process…\n');
  const load: Record<string, { importMs: number; loadMs: number; totalMs: number }> = {};
  for (const language of LANGUAGES) load[language] = loadInFreshProcess(language);
  const allStarted = performance.now();
  const checkers = new CodeCheckers(defaultCodeCheckers());
  await checkers.loadAll();
  const loadAllInProcessMs = round(performance.now() - allStarted);

  const blocks: Array<{ language: CheckedLanguage; lines: number; check: Latency; parseOnly: Latency; ratio: number; findings: number }> = [];
  for (const language of LANGUAGES) {
    const found = await checkers.forLanguage(language);
    if ('error' in found) throw new Error(found.error);
    const parse = await parserOnly(language);
    for (const size of SIZES) {
      const code = codeOfLines(language, size);
      const lines = code.split('\n').length;
      const result = found.checker.check(code, language, { strict: false });
      if (result.syntax !== 'ok') throw new Error(`the generated ${language} block of ${lines} lines does not parse: ${JSON.stringify(result.findings.slice(0, 2))}`);
      process.stderr.write(`${language} ${lines} lines…\n`);
      const check = time(runsFor(size), warmupFor(size), () => void found.checker.check(code, language, { strict: false }));
      const parseOnly = time(runsFor(size), warmupFor(size), () => parse(code));
      blocks.push({ language, lines, check, parseOnly, ratio: round(check.p50 / Math.max(parseOnly.p50, 0.001)), findings: result.findings.length });
    }
  }

  const replySamples: number[] = [];
  for (let i = 0; i < (quick ? 20 : 100) + 5; i++) {
    const t = performance.now();
    await checkText(REPLY, { checkers, failOn: 'warning', strict: false, sources: { given: [{ number: 1, url: 'https://github.com/acme/yamlette/blob/main/docs/parsing.md' }] } });
    if (i >= 5) replySamples.push(performance.now() - t);
  }
  const reply = { lines: REPLY.split('\n').length, blocks: 3, check: latency(replySamples) };

  const medians200 = blocks.filter((block) => block.lines >= 200 && block.lines < 2000).map((block) => [block.language, block.check.p50] as const);
  const result = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()}-${os.arch()}` },
    targetMedianMsFor200Lines: TARGET_MEDIAN_MS_200,
    allMedians200UnderTarget: medians200.every(([, p50]) => p50 < TARGET_MEDIAN_MS_200),
    load,
    loadAllInProcessMs,
    blocks,
    reply,
    totalSeconds: round((performance.now() - started) / 1000),
  };
  mkdirSync('bench/results', { recursive: true });
  const file = path.join('bench', 'results', `checks-${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const lines: string[] = [];
  lines.push(`bench:checks (${result.mode}) on ${result.machine.cpus}× ${result.machine.cpuModel}, Node ${result.machine.node}`);
  lines.push('');
  lines.push('| language | lines | check p50 / p99 ms | parse-only p50 / p99 ms | check ÷ parse (p50) |');
  lines.push('|---|---|---|---|---|');
  for (const block of blocks) {
    lines.push(`| ${block.language} | ${block.lines} | ${block.check.p50.toFixed(2)} / ${block.check.p99.toFixed(2)} | ${block.parseOnly.p50.toFixed(2)} / ${block.parseOnly.p99.toFixed(2)} | ${block.ratio.toFixed(1)} |`);
  }
  lines.push('');
  lines.push('| language | load in a fresh process: import + load = total ms |');
  lines.push('|---|---|');
  for (const [language, figures] of Object.entries(load)) lines.push(`| ${language} | ${figures.importMs.toFixed(0)} + ${figures.loadMs.toFixed(0)} = ${figures.totalMs.toFixed(0)} |`);
  lines.push('');
  lines.push(`all checkers loaded in one process after those imports: ${loadAllInProcessMs.toFixed(0)} ms`);
  lines.push(`a whole reply (${reply.lines} lines, ${reply.blocks} blocks, secrets and sources): p50 ${reply.check.p50.toFixed(2)} ms, p99 ${reply.check.p99.toFixed(2)} ms`);
  lines.push(`target: median under ${TARGET_MEDIAN_MS_200} ms for 200 lines — ${result.allMedians200UnderTarget ? 'met' : 'NOT met'} (${medians200.map(([language, p50]) => `${language} ${p50.toFixed(1)}`).join(', ')})`);
  lines.push(`results: ${file}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
