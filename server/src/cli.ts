/**
 * `threadwise`: the daemon driven headless from a terminal (the GitHub-bot job: read a thread,
 * draft a checked reply, write JSONL). It runs the same Daemon as the LSP server, in process.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, USAGE, UsageError } from './cli/args';
import { confirmPost, terminalLineReader } from './cli/confirmPost';
import { formatReport, runCheck } from './cli/checkCommand';
import { runDataset, runExport, runHistory } from './cli/historyCommands';
import { runIndex, runSearch } from './cli/knowledgeCommands';
import type { LineReader } from './cli/confirmPost';
import { findGitHubToken } from './cli/githubToken';
import type { GhTokenReader } from './cli/githubToken';
import { parseGitHubThreadArg } from './cli/threadArg';
import type { SuggestCommand } from './cli/args';
import { writeSuggestionJsonl } from './cli/jsonlWriter';
import { ProgressLine } from './cli/progressLine';
import { Daemon } from './daemon';
import { createLocalEngines } from './engines';
import type { EngineFactory } from './engines';
import { ThreadwiseError, toThreadwiseError } from './errors';
import type { DaemonSettings, Suggestion, Thread } from './protocol';
import { parseThreadBytes } from './thread/parseThread';
import { VERSION } from './version';

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export interface CliIo {
  stdout: { write(text: string): boolean; isTTY?: boolean };
  stderr: { write(text: string): boolean; isTTY?: boolean };
  readStdin(): Promise<Buffer>;
  /** Registers the interrupt handler (Ctrl+C); returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  engines?: EngineFactory;
  /** Environment for the GitHub token (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** `gh auth token` (default: runs gh). */
  readGhToken?: GhTokenReader;
  /** Whether standard input is a terminal a person can answer `--post`'s question on. */
  stdinIsTTY?: boolean;
  /** Asks one question on the terminal; null when input ended. */
  readLine?: LineReader;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`threadwise: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  switch (command.command) {
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    case 'suggest':
      return runSuggest(command, io);
    case 'index':
      return runIndex(command, io);
    case 'search':
      return runSearch(command, io);
    case 'check':
      return runCheck(command, io);
    case 'export':
      return runExport(command, io);
    case 'dataset':
      return runDataset(command, io);
    case 'history':
      return runHistory(command, io);
  }
}

async function runSuggest(command: SuggestCommand, io: CliIo): Promise<number> {
  const progress = new ProgressLine(io.stderr);
  const daemon = new Daemon(
    {
      status: (status) => {
        if (status.state === 'downloading' || status.state === 'loading') progress.update(`${status.message}…`);
        else if (status.state === 'error') progress.clear();
      },
      log: (level, message) => {
        if (command.verbose || level === 'error') {
          progress.clear();
          io.stderr.write(`[${level}] ${message}\n`);
        }
      },
    },
    { storageDir: command.dataDir, settings: settingsOf(command), engines: io.engines ?? createLocalEngines(), origin: 'cli', historyRetention: false },
  );
  try {
    return await suggestWith(daemon, progress, command, io);
  } finally {
    await daemon.dispose();
  }
}

/** Reads the thread: a JSON file, standard input, or `owner/repo#N` / an issue URL fetched from GitHub. */
async function loadThread(daemon: Daemon, progress: ProgressLine, command: SuggestCommand, io: CliIo): Promise<Thread | number> {
  const ref = parseGitHubThreadArg(command.thread);
  if (ref) {
    try {
      const found = await findGitHubToken(io.env ?? process.env, command.apiUrl, io.readGhToken);
      progress.update(`Fetching ${ref.repo}#${ref.number} from GitHub…`);
      await daemon.github.setAuth({ token: found.token, apiUrl: command.apiUrl });
      const result = await daemon.github.thread({ repo: ref.repo, number: ref.number });
      progress.clear();
      if (result.stale) io.stderr.write(`threadwise: using the cached copy of ${ref.repo}#${ref.number}: ${result.staleReason ?? 'GitHub could not be reached'}\n`);
      return result.thread;
    } catch (error) {
      progress.clear();
      io.stderr.write(`threadwise: ${toThreadwiseError(error).describe()}\n`);
      return EXIT_RUNTIME;
    }
  }
  try {
    const bytes = command.thread === '-' ? await io.readStdin() : await readFile(command.thread);
    return parseThreadBytes(bytes, command.thread === '-' ? 'standard input' : command.thread);
  } catch (error) {
    const message = error instanceof ThreadwiseError ? error.describe() : `cannot read ${command.thread}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    io.stderr.write(`threadwise: ${message}\n`);
    return EXIT_USAGE;
  }
}

async function suggestWith(daemon: Daemon, progress: ProgressLine, command: SuggestCommand, io: CliIo): Promise<number> {
  const thread = await loadThread(daemon, progress, command, io);
  if (typeof thread === 'number') return thread;

  const abort = new AbortController();
  let interrupts = 0;
  const removeInterrupt = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nthreadwise: stopping; the partial draft is kept (Ctrl+C again to quit at once)\n');
      abort.abort();
    } else {
      process.exit(EXIT_INTERRUPTED);
    }
  });

  let streamed = false;
  try {
    const suggestion = await daemon.suggestReply(
      { thread },
      {
        signal: abort.signal,
        onProgress: (event) => {
          if (event.kind === 'phase') {
            if (!streamed && event.phase !== 'generating') progress.update(`${event.message}…`);
            return;
          }
          if (command.json) return;
          if (event.kind === 'repair') {
            // The draft on screen failed its checks: say so; the repaired draft streams below it.
            io.stdout.write(`${streamed ? '\n' : ''}--- ${event.message}\n`);
            streamed = false;
            return;
          }
          if (!streamed) progress.clear();
          streamed = true;
          io.stdout.write(event.text);
        },
      },
    );
    progress.clear();
    if (command.json) io.stdout.write(`${JSON.stringify(suggestion)}\n`);
    else io.stdout.write(`${streamed ? '\n' : ''}${checksSummary(suggestion, daemon.settings.checksFailOn)}${summaryLine(suggestion)}\n`);
    if (command.out) {
      const files = await writeSuggestionJsonl(command.out, suggestion, command.mode);
      if (!command.json) io.stderr.write(`wrote ${files.join(' and ')}\n`);
    }
    if (suggestion.cancelled) return EXIT_INTERRUPTED;
    return command.post ? await postSuggestion(daemon, thread, suggestion, command, io) : EXIT_OK;
  } catch (error) {
    progress.clear();
    const typed = toThreadwiseError(error);
    io.stderr.write(`${streamed ? '\n' : ''}threadwise: ${typed.describe()}\n`);
    return typed.reason === 'invalid-thread' ? EXIT_USAGE : EXIT_RUNTIME;
  } finally {
    removeInterrupt();
  }
}

/** `--post`: the confirmation, then `addComment`; prints the new comment's URL. */
async function postSuggestion(daemon: Daemon, thread: Thread, suggestion: Suggestion, command: SuggestCommand, io: CliIo): Promise<number> {
  const threadRef = `${thread.repo}#${thread.number}`;
  if (suggestion.checks.secrets.length > 0) {
    // A secret blocks posting outright: no confirmation can send it.
    const first = suggestion.checks.secrets[0]!;
    io.stderr.write(`threadwise: not posted: the reply holds what looks like a secret (${first.message}, line ${first.line}: ${first.masked}); remove it and post by hand\n`);
    return EXIT_RUNTIME;
  }
  const warnings = suggestion.safety.unsafe
    ? [`the guardrail labels this reply ${suggestion.safety.label} (${suggestion.safety.score.toFixed(2)})${suggestion.safety.error ? `: ${suggestion.safety.error}` : ''}`]
    : [];
  if (!suggestion.checks.passed) warnings.push(`the reply fails its checks (${suggestion.checks.failures} failing ${suggestion.checks.failures === 1 ? 'finding' : 'findings'}, listed above)`);
  const outcome = await confirmPost(
    { threadRef, body: suggestion.text, assumeYes: command.yes, interactive: io.stdinIsTTY ?? false, warnings },
    (text) => void io.stderr.write(text),
    io.readLine ?? (() => Promise.resolve(null)),
  );
  if (!outcome.post) {
    io.stderr.write(`threadwise: not posted: ${outcome.why}\n`);
    return command.yes || io.stdinIsTTY ? EXIT_OK : EXIT_USAGE;
  }
  try {
    if (!parseGitHubThreadArg(command.thread)) {
      // The thread came from a file: the token is needed only now.
      const found = await findGitHubToken(io.env ?? process.env, command.apiUrl, io.readGhToken);
      await daemon.github.setAuth({ token: found.token, apiUrl: command.apiUrl });
    }
    const posted = await daemon.github.postComment({ repo: thread.repo, number: thread.number, body: suggestion.text });
    io.stderr.write(`posted: ${posted.url}\n`);
    await daemon.history
      .outcome({ id: suggestion.id, outcome: 'posted', finalText: suggestion.text, commentUrl: posted.url })
      .catch((error: unknown) => io.stderr.write(`threadwise: the post was not recorded in the history: ${toThreadwiseError(error).describe()}\n`));
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`threadwise: posting failed: ${toThreadwiseError(error).describe()}\n`);
    return EXIT_RUNTIME;
  }
}

function settingsOf(command: SuggestCommand): Partial<DaemonSettings> {
  const settings: Partial<DaemonSettings> = { allowDownloads: !command.offline };
  if (command.model !== undefined) settings.model = command.model;
  if (command.guardModel !== undefined) settings.guardrailModel = command.guardModel;
  if (command.threads !== undefined) settings.threads = command.threads;
  if (command.contextSize !== undefined) settings.contextSize = command.contextSize;
  if (command.maxTokens !== undefined) settings.maxReplyTokens = command.maxTokens;
  if (command.temperature !== undefined) settings.temperature = command.temperature;
  if (command.embedModel !== undefined) settings.embeddingModel = command.embedModel;
  if (command.maxFixCycles !== undefined) settings.maxFixCycles = command.maxFixCycles;
  return settings;
}

/** The check report of the final draft, as `threadwise check` prints it, when something was found or repaired. */
function checksSummary(s: Suggestion, failOn: 'error' | 'warning'): string {
  const repaired = s.checkCycles.length > 1 ? `--- repaired ${s.checkCycles.length - 1} ${s.checkCycles.length === 2 ? 'time' : 'times'}: ${s.checkCycles.map((cycle) => cycle.report.failures).join(' → ')} failing findings\n` : '';
  const screening = s.screening.flagged ? `--- the thread was flagged for prompt injection (${s.screening.findings.map((f) => `${f.ruleId} in ${f.where}`).join(', ')}): checked strictly\n` : '';
  const nothingFound = s.checks.blocks.length === 0 && s.checks.passed;
  const report = nothingFound ? '' : formatReport('reply', s.checks, { failOn, strict: s.checks.strict }).trimEnd().split('\n').map((line) => `--- ${line}\n`).join('');
  return `${screening}${repaired}${report}`;
}

function summaryLine(s: Suggestion): string {
  const safety = s.safety.error ? `guardrail UNCHECKED (${s.safety.error})` : `guardrail ${s.safety.label} ${s.safety.score.toFixed(2)}${s.safety.unsafe ? ' — UNSAFE' : ''}`;
  const ttft = s.timings.timeToFirstTokenMs === null ? 'n/a' : `${Math.round(s.timings.timeToFirstTokenMs)} ms`;
  const parts = [
    s.cancelled ? 'cancelled' : `done (${s.stopReason})`,
    safety,
    `${s.tokens.generated} tokens at ${s.timings.tokensPerSecond.toFixed(1)} tok/s`,
    `first token ${ttft}`,
    `prompt ${s.tokens.prompt} tokens (${s.tokens.reused} reused)`,
  ];
  if (s.elision.elidedComments > 0) parts.push(`${s.elision.elidedComments} of ${s.elision.totalComments} comments elided`);
  return `--- ${parts.join(' · ')}`;
}

/** Entry point for `bin/threadwise.mjs`. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    stdinIsTTY: process.stdin.isTTY === true,
    readLine: terminalLineReader(process.stdin, process.stderr),
  });
  process.exitCode = code;
}
