/**
 * `npm run bench:retrieval` — the knowledge index of issue 5 on a generated docs corpus with the tiny
 * embedding model (test/.models/tiny-embed), side by side in the same run with LangChain.js's HNSWLib
 * vector store fed the same chunk texts through the same embedder (only the store differs):
 *  1. ingestion throughput (chunks/s) of updateIndex over files on disk, split into its phases
 *     (scan + chunk, embed, index build, write to disk), and LangChain's (embed, add, save);
 *  2. query latency p50/p99, the query's embedding included: hybridSearch (BM25 + vectors, the
 *     daemon's top-k and relevance floor), our vector-only path (embed + HNSW search) and LangChain's
 *     similaritySearch (vector-only), run interleaved query by query;
 *  3. HNSW recall@10 against exact search at the index's efSearch (target ≥ 0.95), plus an ef sweep;
 *  4. memory of a fresh process — the daemon's view — before and after loading the largest tier's
 *     index (ours and LangChain's), and of this process before and after building it.
 * Tiers of about 1k, 10k and 100k chunks (`--quick` or BENCH_QUICK=1: 1k and 10k). BENCH_QUERIES sets
 * the queries per tier (default 300). The tiny model has random weights: its figures are speed and
 * recall, not answer quality. Prints a table, writes bench/results/retrieval-<timestamp>.json, and
 * reports progress on stderr. No figure is asserted: the ratios are against LangChain measured here.
 *
 * Run by itself with `--memory-probe <threadwise|langchain> <dir>` it is the probe process of 4.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { chunkDocument } from '../server/src/knowledge/chunk/chunkDocument';
import { EMBED_BATCH_SIZE, embedInBatches } from '../server/src/knowledge/embed/embedder';
import type { Embedder } from '../server/src/knowledge/embed/embedder';
import { loadTransformersEmbedder } from '../server/src/knowledge/embed/transformersEmbedder';
import { updateIndex } from '../server/src/knowledge/indexer';
import { hybridSearch } from '../server/src/knowledge/retrieve/hybridSearch';
import { exactCosineTopK, recallAtK } from '../server/src/knowledge/search/exactSearch';
import type { VectorHit } from '../server/src/knowledge/search/hnswVectorIndex';
import { searchableText } from '../server/src/knowledge/store/chunkRecord';
import { IndexStore } from '../server/src/knowledge/store/indexStore';
import type { KnowledgeIndex } from '../server/src/knowledge/store/knowledgeIndex';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { ROOT, TINY_EMBED } from '../test/support/paths';

const THIS_FILE = fileURLToPath(import.meta.url);
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const TIERS = QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const WARMUP_QUERIES = 10;
const SEED = 20_260_105;
/** Neighbours compared for recall and returned by the vector-only searches. */
const RECALL_K = 10;
/** The hybrid search as the daemon runs it for a reply. */
const TOP_K = DEFAULT_SETTINGS.knowledgeTopK;
const MIN_SIMILARITY = DEFAULT_SETTINGS.knowledgeMinSimilarity;
const RECALL_TARGET = 0.95;
const EF_SWEEP = [16, 32, 64, 128, 256];
/** LangChain's 100k tier is skipped when its 10k ingestion projects past this (seconds). */
const LANGCHAIN_BUDGET_S = Number(process.env.BENCH_LANGCHAIN_BUDGET_S ?? 420);

const say = (message: string): void => void process.stderr.write(`[bench:retrieval] ${message}\n`);
const seconds = (ms: number): number => Number((ms / 1000).toFixed(2));
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Memory: a collectable heap (gc exposed at run time when node was not started with --expose-gc)
// ---------------------------------------------------------------------------------------------

interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const collectGarbage = exposeGc();

function memory(): MemorySample {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

// ---------------------------------------------------------------------------------------------
// LangChain with the same embedder
// ---------------------------------------------------------------------------------------------

/** LangChain's Embeddings over our embedder, in our batch size, so only the vector store differs. */
class SameEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    await embedInBatches(this.embedder, texts, (_start, batch) => {
      for (const vector of batch) vectors.push(Array.from(vector));
    });
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([text]);
    return Array.from(vector!);
  }
}

function loadEmbedder(cacheDir: string): Promise<Embedder> {
  return loadTransformersEmbedder({ model: TINY_EMBED, cacheDir, allowDownloads: false });
}

// ---------------------------------------------------------------------------------------------
// Probe mode: a fresh process loads one index, as the daemon does on start
// ---------------------------------------------------------------------------------------------

interface ProbeResult {
  bare: MemorySample;
  withEmbedder: MemorySample;
  loaded: MemorySample;
  afterQuery: MemorySample;
  loadSeconds: number;
  chunks: number;
}

if (process.argv[2] === '--memory-probe') {
  const [kind, dir] = process.argv.slice(3);
  const bare = memory();
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-bench-probe-'));
  const embedder = await loadEmbedder(cacheDir);
  const withEmbedder = memory();
  const start = performance.now();
  let query: () => Promise<unknown>;
  let chunks: number;
  if (kind === 'threadwise') {
    const index = await new IndexStore(dir!).load();
    if (!index) throw new Error(`no index in ${dir}`);
    chunks = index.chunkCount;
    query = () => hybridSearch(index, embedder, 'proxy timeout behind a corporate firewall', { folder: null, repo: null, webUrl: null }, { k: TOP_K, minSimilarity: MIN_SIMILARITY });
  } else {
    const store = await HNSWLib.load(dir!, new SameEmbeddings(embedder));
    chunks = store.index.getCurrentCount();
    query = () => store.similaritySearch('proxy timeout behind a corporate firewall', RECALL_K);
  }
  const loadSeconds = seconds(performance.now() - start);
  const loaded = memory();
  await query();
  const afterQuery = memory();
  await embedder.dispose();
  await rm(cacheDir, { recursive: true, force: true });
  const result: ProbeResult = { bare, withEmbedder, loaded, afterQuery, loadSeconds, chunks };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** Memory on the largest tier: fresh processes loading each store, and this process around updateIndex. */
interface MemoryFigures {
  chunks: number;
  inThisProcess: { beforeBuild: MemorySample; afterBuild: MemorySample };
  freshProcess: { threadwise: ProbeResult; langchain: ProbeResult | null };
}

async function probeMemory(kind: 'threadwise' | 'langchain', dir: string): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE, '--memory-probe', kind, dir], { cwd: ROOT, maxBuffer: 1 << 20 });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ProbeResult;
}

// ---------------------------------------------------------------------------------------------
// The generated corpus: seeded, topics with their own words, one error code per file
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable PRNG; the same seed writes the same corpus. */
class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Topic {
  slug: string;
  words: readonly string[];
}

const TOPICS: readonly Topic[] = [
  { slug: 'install', words: ['install', 'package', 'npm', 'binary', 'platform', 'linux', 'macos', 'windows', 'prerequisites', 'upgrade', 'uninstall', 'path'] },
  { slug: 'proxy', words: ['proxy', 'firewall', 'certificate', 'tls', 'https', 'timeout', 'corporate', 'tunnel', 'socks', 'handshake', 'network', 'mirror'] },
  { slug: 'auth', words: ['token', 'login', 'oauth', 'scope', 'credential', 'session', 'expiry', 'refresh', 'sso', 'keychain', 'secret', 'signin'] },
  { slug: 'cache', words: ['cache', 'eviction', 'ttl', 'stale', 'invalidate', 'memory', 'disk', 'warm', 'hit', 'miss', 'entries', 'purge'] },
  { slug: 'parser', words: ['parser', 'syntax', 'tabs', 'indentation', 'yaml', 'grammar', 'ast', 'unicode', 'escape', 'quote', 'comment', 'lexer'] },
  { slug: 'plugins', words: ['plugin', 'hook', 'extension', 'register', 'lifecycle', 'manifest', 'sandbox', 'api', 'loader', 'dependency', 'compatibility', 'entrypoint'] },
  { slug: 'logging', words: ['log', 'level', 'verbose', 'trace', 'rotate', 'format', 'json', 'stderr', 'debug', 'output', 'redact', 'sink'] },
  { slug: 'cli', words: ['command', 'flag', 'argument', 'shell', 'completion', 'exit', 'stdin', 'prompt', 'alias', 'subcommand', 'help', 'terminal'] },
  { slug: 'database', words: ['database', 'migration', 'schema', 'sqlite', 'postgres', 'connection', 'pool', 'transaction', 'table', 'backup', 'restore', 'replica'] },
  { slug: 'deploy', words: ['deploy', 'docker', 'container', 'kubernetes', 'image', 'registry', 'rollout', 'healthcheck', 'helm', 'environment', 'ingress', 'volume'] },
  { slug: 'testing', words: ['test', 'fixture', 'mock', 'snapshot', 'coverage', 'flaky', 'runner', 'assertion', 'parallel', 'ci', 'matrix', 'retry'] },
  { slug: 'performance', words: ['latency', 'throughput', 'profile', 'cpu', 'benchmark', 'allocation', 'leak', 'concurrency', 'batch', 'queue', 'backpressure', 'heap'] },
  { slug: 'webhooks', words: ['webhook', 'event', 'payload', 'signature', 'delivery', 'endpoint', 'header', 'verify', 'replay', 'hmac', 'subscription', 'callback'] },
  { slug: 'sync', words: ['sync', 'conflict', 'merge', 'offline', 'remote', 'pull', 'push', 'branch', 'rebase', 'checkout', 'upstream', 'fetch'] },
  { slug: 'search', words: ['search', 'index', 'ranking', 'query', 'relevance', 'embedding', 'vector', 'tokenizer', 'stemming', 'filter', 'facet', 'highlight'] },
  { slug: 'release', words: ['release', 'changelog', 'semver', 'tag', 'publish', 'artifact', 'signing', 'checksum', 'notes', 'deprecation', 'breaking', 'nightly'] },
  { slug: 'encoding', words: ['encoding', 'utf8', 'bom', 'charset', 'newline', 'crlf', 'locale', 'emoji', 'normalize', 'bytes', 'decode', 'invalid'] },
  { slug: 'permissions', words: ['permission', 'role', 'admin', 'owner', 'access', 'policy', 'grant', 'deny', 'audit', 'group', 'member', 'visibility'] },
  { slug: 'config', words: ['config', 'setting', 'option', 'default', 'override', 'variable', 'file', 'precedence', 'validate', 'reload', 'profile', 'dotenv'] },
  { slug: 'editor', words: ['editor', 'vscode', 'keybinding', 'theme', 'workspace', 'diagnostics', 'hover', 'completion', 'language', 'server', 'lsp', 'statusbar'] },
];

const FILLER = [
  'the', 'a', 'of', 'and', 'to', 'in', 'is', 'you', 'that', 'it', 'for', 'on', 'are', 'with', 'as', 'be', 'this', 'from', 'or', 'by',
  'can', 'when', 'use', 'your', 'how', 'each', 'which', 'do', 'if', 'will', 'then', 'them', 'make', 'see', 'more', 'first', 'new', 'work',
  'part', 'take', 'get', 'after', 'back', 'only', 'every', 'give', 'under', 'name', 'through', 'just', 'before', 'change', 'need', 'try',
  'again', 'point', 'build', 'value', 'list', 'key', 'type', 'string', 'result', 'data', 'file', 'error', 'warning', 'version', 'project',
  'user', 'team', 'run', 'time', 'once', 'should', 'must', 'may', 'usually', 'instead', 'because', 'without', 'between', 'default',
  'example', 'section', 'step', 'below', 'above', 'note', 'also', 'still', 'already', 'always', 'never', 'other', 'same', 'both', 'all',
];
const VERBS = ['configure', 'enable', 'disable', 'set', 'check', 'run', 'update', 'remove', 'add', 'restart', 'inspect', 'verify', 'change', 'debug', 'fix', 'tune'];
const FAILURES = ['fails with', 'crashes with', 'stops with', 'reports', 'exits with', 'hangs and prints', 'returns'];
const FENCE_LANGUAGES = ['bash', 'ts', 'json', 'yaml'];

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** What a generated file says, for the queries that ask about it. */
interface GeneratedFile {
  relPath: string;
  text: string;
  topic: Topic;
  /** An error code that appears in this file only (`ERR_PROXY_00042`). */
  code: string;
}

function sentence(random: Random, topic: Topic): string {
  const words: string[] = [];
  const length = random.int(8, 18);
  for (let i = 0; i < length; i++) {
    if (random.chance(0.04)) words.push(`\`${topic.slug}.${random.pick(topic.words)}\``);
    else words.push(random.chance(0.35) ? random.pick(topic.words) : random.pick(FILLER));
  }
  return `${capitalize(words.join(' '))}.`;
}

function paragraph(random: Random, topic: Topic): string {
  const sentences: string[] = [];
  for (let i = random.int(3, 6); i > 0; i--) sentences.push(sentence(random, topic));
  return sentences.join(' ');
}

function codeFence(random: Random, topic: Topic): string[] {
  const language = random.pick(FENCE_LANGUAGES);
  const lines: string[] = [];
  for (let i = random.int(3, 8); i > 0; i--) {
    const key = `${topic.slug}.${random.pick(topic.words)}`;
    const value = random.int(1, 9000);
    if (language === 'bash') lines.push(`threadwise ${random.pick(VERBS)} --${random.pick(topic.words)} ${value}`);
    else if (language === 'ts') lines.push(`await client.${random.pick(VERBS)}({ ${random.pick(topic.words)}: ${value} });`);
    else if (language === 'json') lines.push(`  "${key}": ${value},`);
    else lines.push(`${key}: ${value}`);
  }
  return [`\`\`\`${language}`, ...lines, '```'];
}

function table(random: Random, topic: Topic): string[] {
  const rows = ['| Option | Default | Description |', '| --- | --- | --- |'];
  for (let i = random.int(3, 5); i > 0; i--) rows.push(`| \`${topic.slug}.${random.pick(topic.words)}\` | ${random.int(0, 500)} | ${sentence(random, topic)} |`);
  return rows;
}

/** One docs page: front matter sometimes, a title, 8–12 sections with prose, code, tables and lists. */
function generateFile(random: Random, number: number): GeneratedFile {
  const topic = random.pick(TOPICS);
  const code = `ERR_${topic.slug.toUpperCase()}_${String(number).padStart(5, '0')}`;
  const lines: string[] = [];
  if (random.chance(0.3)) lines.push('---', `title: ${capitalize(topic.slug)} guide ${number}`, `tags: [${topic.slug}, ${random.pick(topic.words)}]`, '---', '');
  lines.push(`# ${capitalize(topic.slug)}: ${random.pick(topic.words)} and ${random.pick(topic.words)}`, '', paragraph(random, topic), '');
  const sections = random.int(8, 12);
  const codeSection = random.int(0, sections - 1);
  for (let s = 0; s < sections; s++) {
    lines.push(`## ${capitalize(random.pick(VERBS))} the ${random.pick(topic.words)} ${random.pick(topic.words)}`, '');
    for (let p = random.int(1, 3); p > 0; p--) lines.push(paragraph(random, topic), '');
    if (s === codeSection) {
      const [a, b] = [random.pick(topic.words), random.pick(topic.words)];
      lines.push(`If the ${a} ${random.pick(FAILURES)} \`${code}\`, ${random.pick(VERBS)} the ${b} first. ${sentence(random, topic)}`, '');
    }
    if (random.chance(0.35)) lines.push(...codeFence(random, topic), '');
    if (random.chance(0.15)) lines.push(...table(random, topic), '');
    if (random.chance(0.25)) {
      for (let i = random.int(3, 5); i > 0; i--) lines.push(`- ${sentence(random, topic)}`);
      lines.push('');
    }
    if (random.chance(0.2)) lines.push(`### ${capitalize(random.pick(topic.words))} ${random.pick(topic.words)}`, '', paragraph(random, topic), '');
  }
  return { relPath: `docs/${topic.slug}/page-${String(number).padStart(5, '0')}.md`, text: lines.join('\n'), topic, code };
}

/** Files for about `chunks` chunks: the chunks per file are measured on a sample from another seed. */
function generateCorpus(chunks: number): GeneratedFile[] {
  const sample = new Random(SEED + 1);
  let sampled = 0;
  for (let i = 0; i < 200; i++) sampled += chunkDocument(generateFile(sample, i).text, 'markdown').length;
  const files = Math.max(1, Math.round(chunks / (sampled / 200)));
  const random = new Random(SEED);
  return Array.from({ length: files }, (_, i) => generateFile(random, i));
}

interface Query {
  text: string;
  /** The error code the query names, whose chunks are its answer; null for a topic question. */
  code: string | null;
}

/** Two in three queries name a file's error code (a known answer); the rest ask about a topic. */
function generateQueries(files: readonly GeneratedFile[], count: number): Query[] {
  const random = new Random(SEED + 2);
  return Array.from({ length: count }, (_, i): Query => {
    const file = random.pick(files);
    const [a, b] = [random.pick(file.topic.words), random.pick(file.topic.words)];
    if (i % 3 !== 2) return { text: `${a} ${random.pick(FAILURES)} ${file.code} after I ${random.pick(VERBS)} the ${b}`, code: file.code };
    return { text: `how do I ${random.pick(VERBS)} the ${a} ${b} with ${random.pick(file.topic.words)}`, code: null };
  });
}

async function writeCorpus(root: string, files: readonly GeneratedFile[]): Promise<void> {
  const folders = new Set(files.map((file) => path.dirname(path.join(root, file.relPath))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  for (const file of files) await writeFile(path.join(root, file.relPath), file.text);
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles, in milliseconds. */
function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { p50: round(at(50), 3), p99: round(at(99), 3), mean: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length, 3) };
}

const ratio = (ours: number, theirs: number): number | null => (theirs > 0 && Number.isFinite(ours) ? round(ours / theirs, 3) : null);

/** hnswlib's file header: M at byte 72, efConstruction at byte 88 (both size_t). */
async function hnswFileParameters(file: string): Promise<{ m: number; efConstruction: number }> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(96);
    await handle.read(header, 0, 96, 0);
    return { m: Number(header.readBigUInt64LE(72)), efConstruction: Number(header.readBigUInt64LE(88)) };
  } finally {
    await handle.close();
  }
}

/**
 * HnswVectorIndex's default efSearch: not exported, so read from its source; checked below by
 * comparing searches at the untouched default with searches after setEfSearch(this value).
 */
async function declaredDefaultEf(): Promise<number> {
  const source = await readFile(path.join(ROOT, 'server', 'src', 'knowledge', 'search', 'hnswVectorIndex.ts'), 'utf8');
  const match = /const DEFAULT_EF_SEARCH = (\d+);/.exec(source);
  if (!match) throw new Error('DEFAULT_EF_SEARCH not found in hnswVectorIndex.ts');
  return Number(match[1]);
}

/** Answers that a searcher's top `TOP_K` found, over the queries that have a known answer. */
function answerRate(queries: readonly Query[], answers: ReadonlyMap<string, ReadonlySet<string>>, found: ReadonlyArray<readonly string[]>): number {
  let asked = 0;
  let hit = 0;
  queries.forEach((query, i) => {
    if (query.code === null) return;
    asked++;
    const expected = answers.get(query.code);
    if (expected && (found[i] ?? []).slice(0, TOP_K).some((chunkId) => expected.has(chunkId))) hit++;
  });
  return asked === 0 ? 0 : round(hit / asked, 3);
}

// ---------------------------------------------------------------------------------------------
// One tier
// ---------------------------------------------------------------------------------------------

/** The index store, with its commit (the write to disk) timed apart from the rest of "saving". */
class TimedIndexStore extends IndexStore {
  commitMs = 0;

  override async commit(index: KnowledgeIndex): Promise<void> {
    const start = performance.now();
    await super.commit(index);
    this.commitMs += performance.now() - start;
  }
}

/** LangChain's ingestion time on the previous tier, to project whether the next one fits the budget. */
let previousLangchainSeconds: number | null = null;
let previousLangchainChunks = 1;

interface LangchainIngestion {
  embedSeconds: number;
  addSeconds: number;
  saveSeconds: number;
  totalSeconds: number;
  chunksPerSecond: number;
}

interface LangchainFigures {
  ingestion: LangchainIngestion;
  latencyMs: { similaritySearch: Latency };
  recall: { ef: number; m: number; efConstruction: number; recallAt10: number; sweep: EfPoint[] };
  answerInTop5: number;
}

interface EfPoint {
  ef: number;
  recallAt10: number;
  /** Mean time of one HNSW search of k = 10, without the query's embedding. */
  searchMicros: number;
}

function efSweep(search: (vector: Float32Array, ef: number) => VectorHit[], vectors: readonly Float32Array[], exact: ReadonlyArray<readonly VectorHit[]>): EfPoint[] {
  return EF_SWEEP.map((ef) => {
    const start = performance.now();
    const approx = vectors.map((vector) => search(vector, ef));
    const searchMicros = round(((performance.now() - start) * 1000) / vectors.length, 1);
    return { ef, recallAt10: round(recallAtK(approx, exact), 4), searchMicros };
  });
}

async function runTier(target: number, embedder: Embedder, work: string, probe: boolean) {
  const label = `${target / 1000}k`;
  const tierDir = path.join(work, label);
  const docsDir = path.join(tierDir, 'docs-folder');
  const files = generateCorpus(target);
  say(`${label}: writing ${files.length} generated Markdown files`);
  await writeCorpus(docsDir, files);

  // --- Threadwise: updateIndex over the files on disk ---
  const store = new TimedIndexStore(path.join(tierDir, 'threadwise-index'));
  const phaseStart = new Map<string, number>();
  const logs: string[] = [];
  let lastShown = -1;
  const memoryBefore = probe ? memory() : null;
  const start = performance.now();
  const report = await updateIndex(
    { key: `local:bench-${label}`, folder: docsDir, repo: null, store, issues: null },
    {
      embedder,
      settings: { include: DEFAULT_SETTINGS.knowledgeInclude, exclude: DEFAULT_SETTINGS.knowledgeExclude },
      log: (message) => logs.push(message),
      onProgress: ({ phase, done, total }) => {
        if (!phaseStart.has(phase)) phaseStart.set(phase, performance.now());
        if (phase === 'embedding' && total > 0) {
          const tenth = Math.floor((10 * done) / total);
          if (tenth !== lastShown) say(`${label}: threadwise embedding ${done}/${total}`);
          lastShown = tenth;
        }
      },
    },
  );
  const end = performance.now();
  const memoryAfter = probe ? memory() : null;
  for (const line of logs) say(`${label}: indexer said: ${line}`);
  const index = report.index;
  const chunks = index.chunkCount;
  const embedStart = phaseStart.get('embedding') ?? end;
  const saveStart = phaseStart.get('saving') ?? end;
  const phases = {
    scanAndChunkSeconds: seconds(embedStart - start),
    embedSeconds: seconds(saveStart - embedStart),
    indexBuildSeconds: seconds(end - saveStart - store.commitMs),
    writeSeconds: seconds(store.commitMs),
  };
  const totalSeconds = seconds(end - start);
  const storeSeconds = (end - embedStart) / 1000;
  say(`${label}: threadwise indexed ${chunks} chunks of ${files.length} files in ${totalSeconds} s`);

  // The same chunk texts, in label order (the order they were embedded in).
  const records = [...index.records.values()].sort((a, b) => a.label - b.label);
  const texts = records.map((record) => searchableText(record));
  const answers = new Map<string, Set<string>>();
  for (const record of records) {
    for (const [code] of record.text.matchAll(/ERR_[A-Z]+_\d{5}/g)) {
      if (!answers.has(code)) answers.set(code, new Set());
      answers.get(code)!.add(record.chunkId);
    }
  }

  // --- LangChain HNSWLib: what HNSWLib.fromDocuments does (embedDocuments, then addVectors), then save ---
  const embeddings = new SameEmbeddings(embedder);
  const langchainDir = path.join(tierDir, 'langchain-store');
  let langchain: HNSWLib | null = null;
  let langchainIngestion: LangchainIngestion | null = null;
  let langchainSkipped: string | null = null;
  const projected = previousLangchainSeconds === null ? 0 : previousLangchainSeconds * (chunks / previousLangchainChunks) * 1.3;
  if (projected > LANGCHAIN_BUDGET_S) {
    langchainSkipped = `its ingestion would take about ${Math.round(projected)} s (projected from the previous tier), over the ${LANGCHAIN_BUDGET_S} s budget (BENCH_LANGCHAIN_BUDGET_S)`;
    say(`${label}: LangChain skipped: ${langchainSkipped}`);
  } else {
    say(`${label}: LangChain HNSWLib ingesting the same ${texts.length} chunk texts`);
    const documents = records.map((record, i) => new Document({ pageContent: texts[i]!, metadata: { chunkId: record.chunkId } }));
    const t0 = performance.now();
    const vectors = await embeddings.embedDocuments(texts);
    const t1 = performance.now();
    langchain = new HNSWLib(embeddings, { space: 'cosine' });
    await langchain.addVectors(vectors, documents);
    const t2 = performance.now();
    await langchain.save(langchainDir);
    const t3 = performance.now();
    langchainIngestion = {
      embedSeconds: seconds(t1 - t0),
      addSeconds: seconds(t2 - t1),
      saveSeconds: seconds(t3 - t2),
      totalSeconds: seconds(t3 - t0),
      chunksPerSecond: round(texts.length / ((t3 - t0) / 1000), 1),
    };
    previousLangchainSeconds = (t3 - t0) / 1000;
    previousLangchainChunks = texts.length;
  }

  // --- Queries, interleaved: hybrid, vector-only, LangChain (rotating which goes first) ---
  const queries = generateQueries(files, QUERIES);
  const context = { folder: docsDir, repo: null, webUrl: null };
  const runners: Array<{ name: 'hybrid' | 'vector' | 'langchain'; run: (query: string) => Promise<string[]> }> = [
    { name: 'hybrid', run: async (query) => (await hybridSearch(index, embedder, query, context, { k: TOP_K, minSimilarity: MIN_SIMILARITY })).map((hit) => hit.chunkId) },
    {
      name: 'vector',
      run: async (query) => {
        const [vector] = await embedder.embed([query]);
        return index.vectors.search(vector!, RECALL_K).map((hit) => index.records.get(hit.id)?.chunkId ?? '');
      },
    },
  ];
  if (langchain) {
    const lc = langchain;
    runners.push({ name: 'langchain', run: async (query) => (await lc.similaritySearch(query, RECALL_K)).map((doc) => String(doc.metadata.chunkId)) });
  }
  for (const query of queries.slice(0, WARMUP_QUERIES)) for (const runner of runners) await runner.run(query.text);
  const times = new Map(runners.map((runner) => [runner.name, [] as number[]]));
  const found = new Map(runners.map((runner) => [runner.name, [] as string[][]]));
  say(`${label}: timing ${queries.length} queries through ${runners.map((r) => r.name).join(', ')}`);
  for (const [i, query] of queries.entries()) {
    for (let j = 0; j < runners.length; j++) {
      const runner = runners[(i + j) % runners.length]!;
      const t = performance.now();
      const ids = await runner.run(query.text);
      times.get(runner.name)!.push(performance.now() - t);
      found.get(runner.name)![i] = ids;
    }
  }

  // --- Recall@10 against exact search, on the queries' embeddings ---
  say(`${label}: recall@10 against exact search`);
  const queryVectors = await embedder.embed(queries.map((query) => query.text));
  const ourVectors: Array<[number, Float32Array]> = records.map((record) => [record.label, index.vectors.vector(record.label)]);
  const exact = queryVectors.map((vector) => exactCosineTopK(vector, ourVectors, RECALL_K));
  const atDefault = queryVectors.map((vector) => index.vectors.search(vector, RECALL_K));
  const defaultEf = await declaredDefaultEf();
  index.vectors.setEfSearch(defaultEf);
  const defaultConfirmed = queryVectors.every((vector, i) => JSON.stringify(index.vectors.search(vector, RECALL_K)) === JSON.stringify(atDefault[i]));
  const ourSweep = efSweep((vector, ef) => (index.vectors.setEfSearch(ef), index.vectors.search(vector, RECALL_K)), queryVectors, exact);
  index.vectors.setEfSearch(defaultEf);
  const ourParameters = await hnswFileParameters(path.join(store.dir, `gen-${index.manifest.generation}`, 'vectors.hnsw'));

  let langchainRecall: LangchainFigures['recall'] | null = null;
  if (langchain) {
    const native = langchain.index;
    const theirVectors: Array<[number, Float32Array]> = Array.from({ length: native.getCurrentCount() }, (_, id) => [id, Float32Array.from(native.getPoint(id))]);
    const theirExact = queryVectors.map((vector) => exactCosineTopK(vector, theirVectors, RECALL_K));
    const search = (vector: Float32Array): VectorHit[] => {
      const result = native.searchKnn(Array.from(vector), RECALL_K);
      return result.neighbors.map((id, i) => ({ id, similarity: 1 - (result.distances[i] ?? 1) }));
    };
    const ef = native.getEf();
    const recallAt10 = round(recallAtK(queryVectors.map(search), theirExact), 4);
    const sweep = efSweep((vector, value) => (native.setEf(value), search(vector)), queryVectors, theirExact);
    native.setEf(ef);
    langchainRecall = { ef, ...(await hnswFileParameters(path.join(langchainDir, 'hnswlib.index'))), recallAt10, sweep };
  }

  // --- Memory, in a fresh process per store, on the largest tier ---
  let memoryFigures: MemoryFigures | null = null;
  if (probe && memoryBefore && memoryAfter) {
    say(`${label}: memory probes (fresh processes loading the index from disk)`);
    const ours = await probeMemory('threadwise', store.dir);
    const theirs = langchain ? await probeMemory('langchain', langchainDir) : null;
    memoryFigures = { chunks, inThisProcess: { beforeBuild: memoryBefore, afterBuild: memoryAfter }, freshProcess: { threadwise: ours, langchain: theirs } };
  }

  const hybrid = latency(times.get('hybrid')!);
  const vectorOnly = latency(times.get('vector')!);
  const ourRecall = round(recallAtK(atDefault, exact), 4);
  const ourChunksPerSecond = round(chunks / totalSeconds, 1);
  const ourStoreChunksPerSecond = round(chunks / storeSeconds, 1);
  const theirs: LangchainFigures | null =
    langchain && langchainIngestion && langchainRecall
      ? { ingestion: langchainIngestion, latencyMs: { similaritySearch: latency(times.get('langchain')!) }, recall: langchainRecall, answerInTop5: answerRate(queries, answers, found.get('langchain')!) }
      : null;
  return {
    tier: label,
    files: files.length,
    chunks,
    queries: queries.length,
    queriesWithKnownAnswer: queries.filter((query) => query.code !== null).length,
    built: {
      threadwise: `updateIndex over ${files.length} generated Markdown files on disk (scan, clean, chunk, embed in batches of ${EMBED_BATCH_SIZE}, HNSW + BM25, commit to disk)`,
      langchain: langchain
        ? `HNSWLib as fromDocuments builds it (embedDocuments in batches of ${EMBED_BATCH_SIZE} through the same embedder, addVectors), then save(), over the same ${texts.length} chunk texts`
        : `skipped: ${langchainSkipped}`,
    },
    threadwise: {
      ingestion: { totalSeconds, chunksPerSecond: ourChunksPerSecond, embedIndexWriteChunksPerSecond: ourStoreChunksPerSecond, ...phases },
      latencyMs: { hybrid, vectorOnly },
      recall: { ef: defaultEf, efConfirmed: defaultConfirmed, ...ourParameters, recallAt10: ourRecall, target: RECALL_TARGET, sweep: ourSweep },
      answerInTop5: { hybrid: answerRate(queries, answers, found.get('hybrid')!), vectorOnly: answerRate(queries, answers, found.get('vector')!) },
    },
    langchain: theirs ?? { skipped: langchainSkipped ?? 'not run' },
    ratiosThreadwiseOverLangchain: theirs
      ? {
          ingestionChunksPerSecond: ratio(ourChunksPerSecond, theirs.ingestion.chunksPerSecond),
          ingestionChunksPerSecondEmbedIndexWrite: ratio(ourStoreChunksPerSecond, theirs.ingestion.chunksPerSecond),
          hybridP50: ratio(hybrid.p50, theirs.latencyMs.similaritySearch.p50),
          hybridP99: ratio(hybrid.p99, theirs.latencyMs.similaritySearch.p99),
          vectorOnlyP50: ratio(vectorOnly.p50, theirs.latencyMs.similaritySearch.p50),
          vectorOnlyP99: ratio(vectorOnly.p99, theirs.latencyMs.similaritySearch.p99),
          recallAt10: ratio(ourRecall, theirs.recall.recallAt10),
        }
      : null,
    memory: memoryFigures,
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

type TierResult = Awaited<ReturnType<typeof runTier>>;

const fmt = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
const row = (cells: string[]): string => `  ${cells[0]!.padEnd(46)}${cells.slice(1).map((cell) => cell.padStart(16)).join('')}`;

function printTier(tier: TierResult): void {
  const tw = tier.threadwise;
  const lc = 'ingestion' in tier.langchain ? tier.langchain : null;
  const lcp = lc?.latencyMs.similaritySearch;
  const lcr = lc?.recall;
  const r = tier.ratiosThreadwiseOverLangchain;
  console.log('');
  console.log(`tier ${tier.tier}: ${tier.files} files, ${tier.chunks} chunks, ${tier.queries} queries (${tier.queriesWithKnownAnswer} with a known answer)`);
  console.log(`  Threadwise built by: ${tier.built.threadwise}`);
  console.log(`  LangChain built by:  ${tier.built.langchain}`);
  console.log(row(['', 'Threadwise', 'LangChain', 'TW/LC']));
  console.log(row(['ingestion chunks/s, end to end', fmt(tw.ingestion.chunksPerSecond, 1), fmt(lc?.ingestion.chunksPerSecond, 1), fmt(r?.ingestionChunksPerSecond, 3)]));
  console.log(row(['ingestion chunks/s, embed + index + write', fmt(tw.ingestion.embedIndexWriteChunksPerSecond, 1), fmt(lc?.ingestion.chunksPerSecond, 1), fmt(r?.ingestionChunksPerSecondEmbedIndexWrite, 3)]));
  console.log(
    `    Threadwise ${tw.ingestion.totalSeconds} s = scan+chunk ${tw.ingestion.scanAndChunkSeconds} s, embed ${tw.ingestion.embedSeconds} s, index build ${tw.ingestion.indexBuildSeconds} s, write ${tw.ingestion.writeSeconds} s` +
      (lc ? `; LangChain ${lc.ingestion.totalSeconds} s = embed ${lc.ingestion.embedSeconds} s, add ${lc.ingestion.addSeconds} s, save ${lc.ingestion.saveSeconds} s` : ''),
  );
  console.log(row([`query p50 ms: TW hybrid k=${TOP_K}, LC k=${RECALL_K}`, fmt(tw.latencyMs.hybrid.p50, 3), fmt(lcp?.p50, 3), fmt(r?.hybridP50, 3)]));
  console.log(row([`query p99 ms: TW hybrid k=${TOP_K}, LC k=${RECALL_K}`, fmt(tw.latencyMs.hybrid.p99, 3), fmt(lcp?.p99, 3), fmt(r?.hybridP99, 3)]));
  console.log(row([`query p50 ms: vector-only k=${RECALL_K}, both`, fmt(tw.latencyMs.vectorOnly.p50, 3), fmt(lcp?.p50, 3), fmt(r?.vectorOnlyP50, 3)]));
  console.log(row([`query p99 ms: vector-only k=${RECALL_K}, both`, fmt(tw.latencyMs.vectorOnly.p99, 3), fmt(lcp?.p99, 3), fmt(r?.vectorOnlyP99, 3)]));
  const ourLabel = `ef ${tw.recall.ef}${tw.recall.efConfirmed ? '' : '?'} M ${tw.recall.m}`;
  console.log(row([`HNSW recall@${RECALL_K} vs exact (target ≥ ${RECALL_TARGET})`, fmt(tw.recall.recallAt10, 4), fmt(lcr?.recallAt10, 4), fmt(r?.recallAt10, 3)]));
  console.log(row(['  at the index parameters', ourLabel, lcr ? `ef ${lcr.ef} M ${lcr.m}` : '—', '']));
  console.log(row([`answer in top ${TOP_K}: TW hybrid / vector-only`, `${fmt(tw.answerInTop5.hybrid, 3)} / ${fmt(tw.answerInTop5.vectorOnly, 3)}`, fmt(lc ? lc.answerInTop5 : null, 3), '']));
  const sweep = (points: readonly EfPoint[]): string => points.map((p) => `ef ${p.ef}: ${p.recallAt10.toFixed(4)} (${p.searchMicros} µs)`).join(', ');
  console.log(`    recall@${RECALL_K} by ef (HNSW search time without embedding), Threadwise: ${sweep(tw.recall.sweep)}`);
  if (lcr) console.log(`    same, LangChain: ${sweep(lcr.sweep)}`);
  if (!tw.recall.efConfirmed) console.log(`    note: searches at the index's default ef differ from searches at ef ${tw.recall.ef}: its default is not ${tw.recall.ef}`);
  if (tw.recall.recallAt10 < RECALL_TARGET) console.log(`    note: recall@${RECALL_K} at the default ef ${tw.recall.ef} misses the ${RECALL_TARGET} target; see the ef sweep above`);
}

function printMemory(tier: TierResult): void {
  const figures = tier.memory;
  if (!figures) return;
  const line = (name: string, probe: ProbeResult): void =>
    console.log(
      `  ${name.padEnd(11)} load ${probe.loadSeconds} s; RSS ${probe.withEmbedder.rssMiB} → ${probe.loaded.rssMiB} MiB (after a query ${probe.afterQuery.rssMiB}), ` +
        `heap ${probe.withEmbedder.heapUsedMiB} → ${probe.loaded.heapUsedMiB} MiB, external ${probe.withEmbedder.externalMiB} → ${probe.loaded.externalMiB} MiB; ` +
        `index costs ${(probe.afterQuery.rssMiB - probe.withEmbedder.rssMiB).toFixed(1)} MiB RSS`,
    );
  console.log('');
  console.log(`memory with the ${tier.tier} tier (${figures.chunks} chunks): a fresh node process (--expose-gc, gc before each sample) loads the embedder, then the index from disk, then runs one query:`);
  line('Threadwise', figures.freshProcess.threadwise);
  if (figures.freshProcess.langchain) line('LangChain', figures.freshProcess.langchain);
  const ours = figures.freshProcess.threadwise;
  const theirs = figures.freshProcess.langchain;
  if (theirs) console.log(`  TW/LC index RSS: ${fmt(ratio(ours.afterQuery.rssMiB - ours.withEmbedder.rssMiB, theirs.afterQuery.rssMiB - theirs.withEmbedder.rssMiB), 3)}`);
  const { beforeBuild, afterBuild } = figures.inThisProcess;
  console.log(`  this process around updateIndex (gc before each sample): RSS ${beforeBuild.rssMiB} → ${afterBuild.rssMiB} MiB, heap ${beforeBuild.heapUsedMiB} → ${afterBuild.heapUsedMiB} MiB`);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'threadwise-bench-retrieval-'));
try {
  const started = performance.now();
  const embedder = await loadEmbedder(path.join(work, 'model-cache'));
  say(`${QUICK ? 'quick run' : 'full run'}: tiers ${TIERS.join(', ')} chunks, ${QUERIES} queries each, model ${path.relative(ROOT, TINY_EMBED)} (${embedder.dimensions} dimensions), work folder ${work}`);
  const tiers: TierResult[] = [];
  for (const target of TIERS) {
    tiers.push(await runTier(target, embedder, work, target === TIERS[TIERS.length - 1]));
    await rm(path.join(work, `${target / 1000}k`), { recursive: true, force: true });
  }
  await embedder.dispose();

  const result = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version, platform: `${process.platform}-${process.arch}` },
    model: { path: path.relative(ROOT, TINY_EMBED), dimensions: embedder.dimensions, note: 'random weights: speed and recall only, not answer quality' },
    corpus: { seed: SEED, topics: TOPICS.length, generator: 'bench/retrieval.ts generateFile: Markdown pages with front matter, headings, prose, code fences, tables and lists; one error code per file' },
    search: { hybridTopK: TOP_K, minSimilarity: MIN_SIMILARITY, recallK: RECALL_K },
    tiers,
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
    totalSeconds: seconds(performance.now() - started),
  };

  console.log(`retrieval benchmark (${result.mode}): ${result.model.path}, ${result.model.dimensions} dimensions (${result.model.note}); ${result.machine.cpus} CPUs, node ${result.machine.node}`);
  console.log(`Threadwise's hybridSearch fuses BM25 and HNSW vectors; LangChain's HNSWLib is vector-only, so the vector-only rows are the apples-to-apples comparison.`);
  console.log(`Latencies include embedding the query. TW/LC > 1 means Threadwise's figure is higher (better for chunks/s and recall, worse for latency).`);
  console.log(`"Answer in top ${TOP_K}" counts the queries that name a file's error code; with random weights the vectors find few of them, BM25 most.`);
  for (const tier of tiers) printTier(tier);
  for (const tier of tiers) printMemory(tier);
  console.log('');
  console.log(`peak RSS of the benchmark process ${result.peakRssMiB} MiB; total ${result.totalSeconds} s`);

  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `retrieval-${result.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`figures written to ${path.relative(ROOT, file)}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
