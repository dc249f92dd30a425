/**
 * The generated docs corpus: seeded (the same seed writes the same files), Markdown pages on twenty
 * topics that each have their own words, one error code per file, and the queries put to the stores.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkDocument } from '../../server/src/knowledge/chunk/chunkDocument';
import { seededRandom } from '../../test/support/seededRandom';

/** The seed of the corpus (the sample that sizes it and the queries use the next two). */
export const CORPUS_SEED = 20_260_105;

/** The seeded generator (mulberry32) with the picks the corpus needs; the same seed writes the same corpus. */
class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of `items`, which must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A subject of the docs: its pages and the queries about them use its own words. */
export interface Topic {
  slug: string;
  words: readonly string[];
}

/** Twenty topics; a page and each query about it draw on one. */
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

/** Common words between the topic words of a sentence. */
const FILLER = [
  'the', 'a', 'of', 'and', 'to', 'in', 'is', 'you', 'that', 'it', 'for', 'on', 'are', 'with', 'as', 'be', 'this', 'from', 'or', 'by',
  'can', 'when', 'use', 'your', 'how', 'each', 'which', 'do', 'if', 'will', 'then', 'them', 'make', 'see', 'more', 'first', 'new', 'work',
  'part', 'take', 'get', 'after', 'back', 'only', 'every', 'give', 'under', 'name', 'through', 'just', 'before', 'change', 'need', 'try',
  'again', 'point', 'build', 'value', 'list', 'key', 'type', 'string', 'result', 'data', 'file', 'error', 'warning', 'version', 'project',
  'user', 'team', 'run', 'time', 'once', 'should', 'must', 'may', 'usually', 'instead', 'because', 'without', 'between', 'default',
  'example', 'section', 'step', 'below', 'above', 'note', 'also', 'still', 'already', 'always', 'never', 'other', 'same', 'both', 'all',
];
/** What a reader does to something: section titles, instructions, queries. */
const VERBS = ['configure', 'enable', 'disable', 'set', 'check', 'run', 'update', 'remove', 'add', 'restart', 'inspect', 'verify', 'change', 'debug', 'fix', 'tune'];
/** How a failure is told, before its error code. */
const FAILURES = ['fails with', 'crashes with', 'stops with', 'reports', 'exits with', 'hangs and prints', 'returns'];
/** The languages of the code fences. */
const FENCE_LANGUAGES = ['bash', 'ts', 'json', 'yaml'];

/** The number of topics the pages are drawn from. */
export const TOPIC_COUNT = TOPICS.length;

/** What a generated file says, for the queries that ask about it. */
export interface GeneratedFile {
  relPath: string;
  text: string;
  topic: Topic;
  /** An error code that appears in this file only (`ERR_PROXY_00042`). */
  code: string;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** 8–18 words, about a third of them from the topic, now and then a `topic.key` in backticks. */
function sentence(random: Random, topic: Topic): string {
  const words: string[] = [];
  const length = random.int(8, 18);
  for (let i = 0; i < length; i++) {
    if (random.chance(0.04)) words.push(`\`${topic.slug}.${random.pick(topic.words)}\``);
    else words.push(random.chance(0.35) ? random.pick(topic.words) : random.pick(FILLER));
  }
  return `${capitalize(words.join(' '))}.`;
}

/** 3–6 sentences. */
function paragraph(random: Random, topic: Topic): string {
  const sentences: string[] = [];
  for (let i = random.int(3, 6); i > 0; i--) sentences.push(sentence(random, topic));
  return sentences.join(' ');
}

/** A fenced block of 3–8 lines of bash, TypeScript, JSON or YAML. */
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

/** An options table of 3–5 rows. */
function table(random: Random, topic: Topic): string[] {
  const rows = ['| Option | Default | Description |', '| --- | --- | --- |'];
  for (let i = random.int(3, 5); i > 0; i--) rows.push(`| \`${topic.slug}.${random.pick(topic.words)}\` | ${random.int(0, 500)} | ${sentence(random, topic)} |`);
  return rows;
}

/**
 * One docs page: front matter sometimes, a title, 8–12 sections with prose, code, tables and lists,
 * and the page's error code (made from `number`) in one sentence of one section.
 */
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
export function generateCorpus(chunks: number): GeneratedFile[] {
  const sample = new Random(CORPUS_SEED + 1);
  let sampled = 0;
  for (let i = 0; i < 200; i++) sampled += chunkDocument(generateFile(sample, i).text, 'markdown').length;
  const files = Math.max(1, Math.round(chunks / (sampled / 200)));
  const random = new Random(CORPUS_SEED);
  return Array.from({ length: files }, (_, i) => generateFile(random, i));
}

/** A question put to every searcher. */
export interface Query {
  text: string;
  /** The error code the query names, whose chunks are its answer; null for a topic question. */
  code: string | null;
}

/** Two in three queries name a file's error code (a known answer); the rest ask about a topic. */
export function generateQueries(files: readonly GeneratedFile[], count: number): Query[] {
  const random = new Random(CORPUS_SEED + 2);
  return Array.from({ length: count }, (_, i): Query => {
    const file = random.pick(files);
    const [a, b] = [random.pick(file.topic.words), random.pick(file.topic.words)];
    if (i % 3 !== 2) return { text: `${a} ${random.pick(FAILURES)} ${file.code} after I ${random.pick(VERBS)} the ${b}`, code: file.code };
    return { text: `how do I ${random.pick(VERBS)} the ${a} ${b} with ${random.pick(file.topic.words)}`, code: null };
  });
}

/** Writes the files under `root` (the folder that is indexed), each at its relPath. */
export async function writeCorpus(root: string, files: readonly GeneratedFile[]): Promise<void> {
  const folders = new Set(files.map((file) => path.dirname(path.join(root, file.relPath))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  for (const file of files) await writeFile(path.join(root, file.relPath), file.text);
}
