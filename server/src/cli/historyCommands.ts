import type { CliIo } from '../cli';
import { toThreadwiseError } from '../errors';
import { HistoryService } from '../history/historyService';
import type { HistoryEntry } from '../protocol';
import { DEFAULT_SETTINGS } from '../settings';
import type { DatasetCommand, ExportCommand, HistoryCommand } from './historyArgs';
import { ProgressLine } from './progressLine';

const EXIT_OK = 0;
const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

/**
 * The history from a terminal: `export`, `dataset` and `history`. They open the database in the
 * data folder directly (no model, no daemon), never apply retention, and print what they did.
 */
function openHistory(dataDir: string, io: CliIo, apiUrl?: string): HistoryService {
  return new HistoryService({
    storageDir: dataDir,
    settings: () => DEFAULT_SETTINGS,
    origin: () => 'cli',
    secretValues: () => [],
    log: (level, message) => {
      if (level === 'error' || level === 'warn') io.stderr.write(`[${level}] ${message}\n`);
    },
    onChanged: () => undefined,
    retention: false,
    ...(apiUrl ? { gitHubApiUrl: () => apiUrl } : {}),
  });
}

/** Runs `work` with Ctrl+C turned into an abort; maps failures to exit codes. */
async function withInterrupt(io: CliIo, work: (signal: AbortSignal, progress: ProgressLine) => Promise<number>): Promise<number> {
  const abort = new AbortController();
  const progress = new ProgressLine(io.stderr);
  const remove = io.onInterrupt(() => abort.abort(new Error('interrupted')));
  try {
    return await work(abort.signal, progress);
  } catch (error) {
    progress.clear();
    if (abort.signal.aborted) {
      io.stderr.write('threadwise: interrupted; nothing was written\n');
      return EXIT_INTERRUPTED;
    }
    const typed = toThreadwiseError(error);
    io.stderr.write(`threadwise: ${typed.describe()}\n`);
    return typed.reason === 'invalid-params' ? EXIT_USAGE : EXIT_RUNTIME;
  } finally {
    remove();
  }
}

export async function runExport(command: ExportCommand, io: CliIo): Promise<number> {
  const history = openHistory(command.dataDir, io);
  try {
    return await withInterrupt(io, async (signal, progress) => {
      const result = await history.exportRecords(
        { format: command.format, out: command.out, disposition: command.disposition, ...(command.since ? { since: command.since } : {}), ...(command.repo ? { repo: command.repo } : {}) },
        signal,
        (done, total) => progress.update(`Exporting ${done}/${total} suggestions…`),
      );
      progress.clear();
      if (command.json) io.stdout.write(`${JSON.stringify(result)}\n`);
      else io.stdout.write(`exported ${result.exported} ${plural(result.exported, 'suggestion')} to ${result.path} (${result.format}, ${result.rows} ${plural(result.rows, 'row')} in the file, ${result.bytes} bytes)\n`);
      return EXIT_OK;
    });
  } finally {
    await history.dispose();
  }
}

export async function runDataset(command: DatasetCommand, io: CliIo): Promise<number> {
  const history = openHistory(command.dataDir, io, command.apiUrl);
  try {
    return await withInterrupt(io, async (signal, progress) => {
      const result = await history.exportDataset(
        { out: command.out, disposition: command.disposition, ...(command.since ? { since: command.since } : {}), ...(command.repo ? { repo: command.repo } : {}) },
        signal,
        (examples) => progress.update(`Writing examples: ${examples}…`),
      );
      progress.clear();
      if (command.json) io.stdout.write(`${JSON.stringify(result)}\n`);
      else io.stdout.write(`wrote ${result.examples} ${plural(result.examples, 'example')} from ${result.threads} ${plural(result.threads, 'thread')} to ${result.path} (${result.rows} lines in the file, ${result.bytes} bytes)\n`);
      if (result.examples === 0 && !command.json) io.stderr.write('threadwise: no maintainer replies found in the GitHub cache; sync the repository in VS Code or run `threadwise index` first\n');
      return EXIT_OK;
    });
  } finally {
    await history.dispose();
  }
}

export async function runHistory(command: HistoryCommand, io: CliIo): Promise<number> {
  const history = openHistory(command.dataDir, io);
  try {
    return await withInterrupt(io, async () => {
      if (command.action === 'show') {
        const record = await history.get({ id: command.id });
        io.stdout.write(`${JSON.stringify(record, null, command.json ? undefined : 2)}\n`);
        return EXIT_OK;
      }
      if (command.action === 'clear') {
        const count = await (await history.store()).count(command.repo ? { repo: command.repo } : {});
        if (!command.yes) {
          io.stderr.write(`threadwise: history clear deletes ${count} recorded ${plural(count, 'suggestion')}${command.repo ? ` of ${command.repo}` : ''}; add --yes to do it\n`);
          return EXIT_USAGE;
        }
        const { deleted } = await history.clear(command.repo ? { repo: command.repo } : {});
        io.stdout.write(`deleted ${deleted} recorded ${plural(deleted, 'suggestion')}\n`);
        return EXIT_OK;
      }
      const { entries, hasMore } = await history.list({
        limit: command.limit,
        ...(command.repo ? { repo: command.repo } : {}),
        ...(command.outcome ? { outcome: command.outcome } : {}),
        ...(command.thread ? { thread: command.thread } : {}),
      });
      if (command.json) {
        io.stdout.write(`${JSON.stringify({ entries, hasMore })}\n`);
        return EXIT_OK;
      }
      if (entries.length === 0) io.stderr.write(`no recorded suggestions in ${history.path}\n`);
      for (const entry of entries) io.stdout.write(`${entryLine(entry)}\n`);
      if (hasMore) io.stderr.write(`… more: --limit ${Math.min(command.limit * 5, 1000)}\n`);
      return EXIT_OK;
    });
  } finally {
    await history.dispose();
  }
}

/** `2026-11-21 10:04  acme/widgets#42  edited(12)  checks ok  ttft 240 ms  18.2 tok/s  <id>  Title`. */
function entryLine(entry: HistoryEntry): string {
  const when = entry.createdAt.slice(0, 16).replace('T', ' ');
  const outcome = entry.outcome === 'edited' ? `edited(${entry.editDistance ?? '?'})` : (entry.outcome ?? 'pending');
  const checks = entry.checksPassed ? 'checks ok' : 'checks FAIL';
  const ttft = entry.timeToFirstTokenMs === null ? 'ttft n/a' : `ttft ${Math.round(entry.timeToFirstTokenMs)} ms`;
  // The title is a stranger's text: one line, no control characters, so it cannot move the cursor.
  const title = [...entry.title].map((char) => (/\p{Cc}/u.test(char) ? ' ' : char)).join('').slice(0, 80);
  return [when, `${entry.repo}#${entry.number}`, outcome, checks, ttft, `${entry.tokensPerSecond.toFixed(1)} tok/s`, entry.id, title].join('  ');
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
