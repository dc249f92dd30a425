import os from 'node:os';
import path from 'node:path';
import { parseDataset, parseExport, parseHistory } from './historyArgs';
import type { DatasetCommand, ExportCommand, HistoryCommand } from './historyArgs';
import { parseGitHubThreadArg } from './threadArg';

/** Bad command line: the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface SuggestCommand {
  command: 'suggest';
  /** A thread JSON file, `-` for standard input, or an `owner/repo#N` reference. */
  thread: string;
  model?: string;
  guardModel?: string;
  out?: string;
  mode: 'append' | 'replace';
  json: boolean;
  dataDir: string;
  offline: boolean;
  verbose: boolean;
  threads?: number;
  contextSize?: number;
  maxTokens?: number;
  temperature?: number;
  /** GitHub's API root for `owner/repo#N` threads (`--api-url`, else $GITHUB_API_URL, else api.github.com). */
  apiUrl: string;
  /** `--post`: after the draft, ask and post it as a comment on the thread. */
  post: boolean;
  /** `--yes`: post without asking (needed when standard input is not a terminal). */
  yes: boolean;
  /** `--embed-model`: the embedding model of the repository's index (a local folder or a model id). */
  embedModel?: string;
  /** `--max-fix-cycles`: repair cycles when the draft fails its checks (default: 2). */
  maxFixCycles?: number;
}

/** `threadwise index <path>`: builds or updates the knowledge index of a docs folder. */
export interface IndexCommand {
  command: 'index';
  /** The folder to index (absolute). */
  path: string;
  /** `owner/name`; default: the folder's git remote on GitHub, else a local index of the folder. */
  repo?: string;
  embedModel?: string;
  dataDir: string;
  offline: boolean;
  verbose: boolean;
  json: boolean;
  /** Re-chunk and re-embed everything. */
  full: boolean;
  /** Globs replacing the default include / exclude lists. */
  include?: string[];
  exclude?: string[];
  apiUrl: string;
}

/** `threadwise search "<query>"`: searches an index the way Suggest Reply does. */
export interface SearchCommand {
  command: 'search';
  query: string;
  repo?: string;
  /** `--folder`: the local index of a folder without a GitHub repository. */
  folder?: string;
  k?: number;
  json: boolean;
  embedModel?: string;
  dataDir: string;
  offline: boolean;
  verbose: boolean;
  apiUrl: string;
}

/** `threadwise check <file|->`: the reply checks on any Markdown or code. */
export interface CheckCommand {
  command: 'check';
  /** A file, or `-` for standard input. */
  file: string;
  /** `--language`: check the input as bare code in this language (default: by the file's extension; Markdown for .md/.txt and stdin). */
  language?: string;
  json: boolean;
  /** `--strict`: the rules for a thread flagged for prompt injection (every finding fails, unchecked code fails). */
  strict: boolean;
  /** `--fail-on`: lowest severity that fails (default: warning). */
  failOn?: 'error' | 'warning';
  /** `--external`: also run bandit/semgrep when on PATH. */
  external: ('bandit' | 'semgrep')[];
  semgrepConfig?: string;
}

export type CliCommand =
  | SuggestCommand
  | IndexCommand
  | SearchCommand
  | CheckCommand
  | ExportCommand
  | DatasetCommand
  | HistoryCommand
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `Usage: threadwise suggest <thread.json | - | owner/repo#N | issue URL> [options]
       threadwise index <folder> [--repo owner/name] [--embed-model DIR|ID] [--full] [options]
       threadwise search "<query>" [--repo owner/name | --folder DIR] [--k N] [--json] [options]
       threadwise check <file | -> [--language LANG] [--strict] [--fail-on error|warning] [--json]
       threadwise export --format jsonl|csv|parquet --out PATH [--since DATE] [--repo owner/name]
                         [--disposition append|replace|merge]
       threadwise dataset --out PATH [--since DATE] [--repo owner/name] [--disposition ...]
       threadwise history [list [--repo R] [--outcome O] [--thread N] [--limit N] | show ID | clear [--repo R] --yes]

Drafts a reply to a GitHub thread with a local Llama 3 model, checks it with the guardrail,
streams it to the terminal and writes it as JSONL. A thread on GitHub is fetched with the token
in GITHUB_TOKEN or GH_TOKEN, else the one \`gh auth token\` prints.

suggest drafts with the repository's knowledge index when one exists (built by \`index\` or by
VS Code). index reads the folder's docs (md, mdx, rst, adoc, txt, html) and the closed issues in
the GitHub cache, and updates only what changed. search prints the best chunks with their links.

check runs the reply checks on Markdown (every fenced code block: syntax and security in its
language; the whole text: secrets) or on one code file (its language from the extension or
--language), and prints the findings as FILE:LINE:COL. suggest checks every draft the same way
and, when a draft fails, asks the model to repair it (at most --max-fix-cycles times).

Every suggestion is recorded with its lineage in <data-dir>/history/history.sqlite (secrets
masked). export writes the records to a file (merge: keyed by suggestion id, so running it again
changes nothing); dataset writes a fine-tuning set in chat JSONL, one example per maintainer reply
in the cached GitHub threads; history lists records, shows one as JSON, or deletes them.

Options:
  --model <PATH|hf:URI>    chat model: a local GGUF file or hf:owner/repo/file.gguf
                           (default: a Llama 3 model picked by memory, downloaded on first use)
  --guard-model <DIR|ID>   guardrail: a local transformers.js text-classification folder or a model id
  --out <DIR>              write responses.jsonl and chats.jsonl into DIR
  --mode <append|replace>  add to the JSONL files or replace them (default: append)
  --json                   print one JSON object with the Suggestion instead of streaming text
  --data-dir <DIR>         storage for downloaded models (default: ${defaultDataDir()})
  --offline                never download: models must be local or already downloaded
  --threads <N>            generation threads (default: physical cores)
  --context-size <N>       largest context window in tokens (default: 8192)
  --max-tokens <N>         most tokens in the reply (default: 768)
  --temperature <T>        sampling temperature, 0 for greedy (default: 0.7)
  --verbose                print the daemon's log to standard error
  --api-url <URL>          GitHub API root (default: $GITHUB_API_URL or https://api.github.com;
                           GitHub Enterprise Server: https://HOST/api)
  --post                   after drafting, show the reply and post it to the thread if you say yes
  --yes                    with --post: post without asking (required without a terminal)
  --embed-model <DIR|ID>   embedding model of the index: a local transformers.js feature-extraction
                           folder or a model id (default: Xenova/all-MiniLM-L6-v2)
  --repo <owner/name>      index/search: the repository (default: the folder's GitHub remote)
  --folder <DIR>           search: the index of a folder without a GitHub repository
  --k <N>                  search: how many chunks (default: 5)
  --full                   index: re-chunk and re-embed everything instead of only what changed
  --include <GLOB>         index: docs to read (repeatable; replaces the default list)
  --exclude <GLOB>         index: files and folders to leave out (repeatable; replaces the default list)
  --max-fix-cycles <N>     suggest: repair cycles when a draft fails its checks (default: 2; 0: none)
  --language <LANG>        check: treat the input as code in LANG (python, ts, bash, json, yaml, ...)
  --strict                 check: fail every finding and any code no checker reads
  --fail-on <error|warning>  check: lowest severity that fails (default: warning)
  --external <TOOLS>       check: also run bandit and/or semgrep when on PATH (comma-separated)
  --semgrep-config <PATH>  check: local semgrep rules for --external semgrep
  --format <F>             export: jsonl (whole records), csv or parquet (one flat row per record)
  --since <DATE>           export/dataset: only records (replies) made then or later (2026-11-01)
  --disposition <D>        export/dataset: replace (default), append, or merge by id
  --outcome <O>            history: posted, edited, copied, discarded or pending
  --thread <N>             history: only this issue or pull request number
  --limit <N>              history: most records listed (default: 20)
  -h, --help               show this help
  -v, --version            show the version

Exit codes: 0 ok, 1 runtime error (model missing, load failure, ...), 2 bad usage or input,
3 check: a check failed, 130 interrupted (the partial draft is still written, marked cancelled).`;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'threadwise');
}

/** Options that take a value, per command; the last one given wins unless it is repeatable. */
type CommandName = 'suggest' | 'index' | 'search' | 'check' | 'export' | 'dataset' | 'history';

const VALUE_OPTIONS: Record<CommandName, readonly string[]> = {
  suggest: ['--model', '--guard-model', '--out', '--mode', '--data-dir', '--threads', '--context-size', '--max-tokens', '--temperature', '--api-url', '--embed-model', '--max-fix-cycles'],
  check: ['--language', '--fail-on', '--external', '--semgrep-config'],
  index: ['--repo', '--embed-model', '--data-dir', '--api-url', '--include', '--exclude'],
  search: ['--repo', '--folder', '--k', '--embed-model', '--data-dir', '--api-url'],
  export: ['--format', '--out', '--since', '--repo', '--disposition', '--data-dir'],
  dataset: ['--out', '--since', '--repo', '--disposition', '--data-dir', '--api-url'],
  history: ['--repo', '--outcome', '--thread', '--limit', '--data-dir'],
};
const FLAG_OPTIONS: Record<CommandName, readonly string[]> = {
  check: ['--json', '--strict'],
  suggest: ['--json', '--offline', '--verbose', '--post', '--yes'],
  index: ['--json', '--offline', '--verbose', '--full'],
  search: ['--json', '--offline', '--verbose'],
  export: ['--json'],
  dataset: ['--json'],
  history: ['--json', '--yes'],
};
const REPEATABLE = new Set(['--include', '--exclude']);

export interface RawArgs {
  positional: string[];
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Set<string>;
}

function splitArgs(command: CommandName, rest: readonly string[]): RawArgs {
  const raw: RawArgs = { positional: [], values: new Map(), lists: new Map(), flags: new Set() };
  const takesValue = new Set(VALUE_OPTIONS[command]);
  const isFlag = new Set(FLAG_OPTIONS[command]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (takesValue.has(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      if (REPEATABLE.has(name)) raw.lists.set(name, [...(raw.lists.get(name) ?? []), value]);
      else raw.values.set(name, value);
    } else if (isFlag.has(arg)) {
      raw.flags.add(arg);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg} for ${command}`);
    } else {
      raw.positional.push(arg);
    }
  }
  return raw;
}

/** Parses the arguments after `threadwise`. Throws UsageError with a message that says what is wrong. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliCommand {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '-v' || argv[0] === '--version' || argv[0] === 'version') return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'index') return parseIndex(splitArgs('index', rest), env);
  if (command === 'search') return parseSearch(splitArgs('search', rest), env);
  if (command === 'check') return parseCheck(splitArgs('check', rest));
  if (command === 'export') return parseExport(splitArgs('export', rest), env);
  if (command === 'dataset') return parseDataset(splitArgs('dataset', rest), env);
  if (command === 'history') return parseHistory(splitArgs('history', rest), env);
  if (command !== 'suggest') throw new UsageError(`unknown command "${command}"`);

  const { positional, values, flags } = splitArgs('suggest', rest);
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'suggest needs a thread: a JSON file, - or owner/repo#N' : `unexpected argument ${positional[1]}`);
  const mode = values.get('--mode') ?? 'append';
  if (mode !== 'append' && mode !== 'replace') throw new UsageError('--mode must be append or replace');

  const command_: SuggestCommand = {
    command: 'suggest',
    thread: positional[0]!,
    mode,
    json: flags.has('--json'),
    offline: flags.has('--offline'),
    verbose: flags.has('--verbose'),
    dataDir: path.resolve(values.get('--data-dir') ?? defaultDataDir(env)),
    apiUrl: apiUrl(values.get('--api-url') ?? (env.GITHUB_API_URL || DEFAULT_API_URL)),
    post: flags.has('--post'),
    yes: flags.has('--yes'),
  };
  if (command_.yes && !command_.post) throw new UsageError('--yes only makes sense with --post');
  const model = values.get('--model');
  if (model !== undefined) command_.model = model;
  const guardModel = values.get('--guard-model');
  if (guardModel !== undefined) command_.guardModel = guardModel;
  const embedModel = values.get('--embed-model');
  if (embedModel !== undefined) command_.embedModel = embedModel;
  const out = values.get('--out');
  if (out !== undefined) command_.out = path.resolve(out);
  const threads = integer(values, '--threads', 1, 1024);
  if (threads !== undefined) command_.threads = threads;
  const contextSize = integer(values, '--context-size', 512, 1 << 20);
  if (contextSize !== undefined) command_.contextSize = contextSize;
  const maxTokens = integer(values, '--max-tokens', 16, 1 << 16);
  if (maxTokens !== undefined) command_.maxTokens = maxTokens;
  const maxFixCycles = integer(values, '--max-fix-cycles', 0, 5);
  if (maxFixCycles !== undefined) command_.maxFixCycles = maxFixCycles;
  const temperature = values.get('--temperature');
  if (temperature !== undefined) {
    const value = Number(temperature);
    if (!Number.isFinite(value) || value < 0 || value > 2) throw new UsageError('--temperature must be a number from 0 to 2');
    command_.temperature = value;
  }
  return command_;
}

function parseIndex({ positional, values, lists, flags }: RawArgs, env: NodeJS.ProcessEnv): IndexCommand {
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'index needs a folder: threadwise index <folder>' : `unexpected argument ${positional[1]}`);
  const command: IndexCommand = {
    command: 'index',
    path: path.resolve(positional[0]!),
    json: flags.has('--json'),
    offline: flags.has('--offline'),
    verbose: flags.has('--verbose'),
    full: flags.has('--full'),
    dataDir: path.resolve(values.get('--data-dir') ?? defaultDataDir(env)),
    apiUrl: apiUrl(values.get('--api-url') ?? (env.GITHUB_API_URL || DEFAULT_API_URL)),
  };
  const repo = values.get('--repo');
  if (repo !== undefined) command.repo = repoArg(repo);
  const embedModel = values.get('--embed-model');
  if (embedModel !== undefined) command.embedModel = embedModel;
  const include = lists.get('--include');
  if (include) command.include = include;
  const exclude = lists.get('--exclude');
  if (exclude) command.exclude = exclude;
  return command;
}

function parseSearch({ positional, values, flags }: RawArgs, env: NodeJS.ProcessEnv): SearchCommand {
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'search needs a query: threadwise search "<query>"' : `unexpected argument ${positional[1]} (quote the query)`);
  if (positional[0]!.trim() === '') throw new UsageError('the query is empty');
  const command: SearchCommand = {
    command: 'search',
    query: positional[0]!,
    json: flags.has('--json'),
    offline: flags.has('--offline'),
    verbose: flags.has('--verbose'),
    dataDir: path.resolve(values.get('--data-dir') ?? defaultDataDir(env)),
    apiUrl: apiUrl(values.get('--api-url') ?? (env.GITHUB_API_URL || DEFAULT_API_URL)),
  };
  const repo = values.get('--repo');
  const folder = values.get('--folder');
  if (repo !== undefined && folder !== undefined) throw new UsageError('give --repo or --folder, not both');
  if (repo !== undefined) command.repo = repoArg(repo);
  if (folder !== undefined) command.folder = path.resolve(folder);
  const k = integer(values, '--k', 1, 100);
  if (k !== undefined) command.k = k;
  const embedModel = values.get('--embed-model');
  if (embedModel !== undefined) command.embedModel = embedModel;
  return command;
}

function parseCheck({ positional, values, flags }: RawArgs): CheckCommand {
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'check needs a file or - for standard input' : `unexpected argument ${positional[1]}`);
  const command: CheckCommand = { command: 'check', file: positional[0]!, json: flags.has('--json'), strict: flags.has('--strict'), external: [] };
  const language = values.get('--language');
  if (language !== undefined) {
    if (!/^\.?[A-Za-z0-9_+#-]{1,30}$/.test(language)) throw new UsageError(`--language must be a language name or extension such as python or .ts, got ${JSON.stringify(language.slice(0, 40))}`);
    command.language = language;
  }
  const failOn = values.get('--fail-on');
  if (failOn !== undefined) {
    if (failOn !== 'error' && failOn !== 'warning') throw new UsageError('--fail-on must be error or warning');
    command.failOn = failOn;
  }
  const external = values.get('--external');
  if (external !== undefined) {
    const tools = [...new Set(external.split(',').map((tool) => tool.trim()).filter((tool) => tool !== ''))];
    for (const tool of tools) if (tool !== 'bandit' && tool !== 'semgrep') throw new UsageError(`--external takes bandit and/or semgrep, not ${JSON.stringify(tool)}`);
    command.external = tools as CheckCommand['external'];
  }
  const semgrepConfig = values.get('--semgrep-config');
  if (semgrepConfig !== undefined) command.semgrepConfig = path.resolve(semgrepConfig);
  return command;
}

function repoArg(value: string): string {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value) || /(^|\/)\.+($|\/)/.test(value)) throw new UsageError(`--repo must be owner/name, got ${JSON.stringify(value.slice(0, 80))}`);
  return value;
}

export const DEFAULT_API_URL = 'https://api.github.com';

function apiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url must be a URL like https://api.github.com, got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--api-url must be an http(s) URL');
  if (url.username || url.password) throw new UsageError('--api-url must not hold credentials: put the token in GITHUB_TOKEN');
  return url.href.replace(/\/+$/, '');
}

function integer(values: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** `owner/repo#123` or an issue/PR URL: a thread on GitHub rather than a file. */
export function isThreadReference(value: string): boolean {
  return parseGitHubThreadArg(value) !== undefined;
}
