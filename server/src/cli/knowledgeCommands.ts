/**
 * `threadwise index <folder>` and `threadwise search "<query>"`: the knowledge index from a
 * terminal, on the same Daemon (and the same storage) as VS Code and `threadwise suggest`.
 */
import { stat } from 'node:fs/promises';
import { Daemon } from '../daemon';
import type { DaemonPort } from '../daemon';
import type { EngineFactory } from '../engines';
import { createLocalEngines } from '../engines';
import { ThreadwiseError, toThreadwiseError } from '../errors';
import { readGitHubRemote } from '../knowledge/ingest/gitCheckout';
import { webUrlOf } from '../knowledge/ingest/webLinks';
import { keyOf } from '../knowledge/knowledgeService';
import type { DaemonSettings, KnowledgeHealth, KnowledgeSearchHit } from '../protocol';
import type { IndexCommand, SearchCommand } from './args';
import { findGitHubToken } from './githubToken';
import type { GhTokenReader } from './githubToken';
import { ProgressLine } from './progressLine';

export interface KnowledgeCliIo {
  stdout: { write(text: string): boolean; isTTY?: boolean };
  stderr: { write(text: string): boolean; isTTY?: boolean };
  onInterrupt(handler: () => void): () => void;
  engines?: EngineFactory;
  env?: NodeJS.ProcessEnv;
  readGhToken?: GhTokenReader;
}

const EXIT_OK = 0;
const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

export async function runIndex(command: IndexCommand, io: KnowledgeCliIo): Promise<number> {
  try {
    if (!(await stat(command.path)).isDirectory()) throw new Error('not a folder');
  } catch {
    io.stderr.write(`threadwise: ${command.path} is not a folder\n`);
    return EXIT_USAGE;
  }
  const progress = new ProgressLine(io.stderr);
  const daemon = newDaemon(command, io, progress);
  const abort = new AbortController();
  const removeInterrupt = io.onInterrupt(() => {
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.stderr.write('\nthreadwise: stopping; what was embedded so far is kept and the next run resumes (Ctrl+C again to quit at once)\n');
    abort.abort(new Error('interrupted'));
  });
  try {
    await daemon.github.setAuth({ token: null, apiUrl: command.apiUrl });
    const repo = command.repo ?? (await remoteRepo(command.path, command.apiUrl));
    const fetchIssues = repo !== null && (await syncIssues(daemon, repo, command, io, progress));
    progress.update(`Indexing ${repo ?? command.path}…`);
    const { report, health } = await daemon.knowledge.indexFolder(command.path, repo, {
      full: command.full,
      signal: abort.signal,
      fetchIssues,
      onProgress: (p) => progress.update(progressText(p, io.stderr.isTTY === true)),
    });
    progress.clear();
    if (command.json) {
      const summary = {
        key: keyOf({ path: command.path, repo }),
        repo,
        folder: command.path,
        generation: report.index.manifest.generation,
        committed: report.committed,
        added: report.added,
        changed: report.changed,
        removed: report.removed,
        unchanged: report.unchanged,
        skipped: report.skipped,
        chunksEmbedded: report.chunksEmbedded,
        chunksReused: report.chunksReused,
        chunksResumed: report.chunksResumed,
        health,
      };
      io.stdout.write(`${JSON.stringify(summary)}\n`);
      return EXIT_OK;
    }
    io.stdout.write(
      `${report.committed ? 'indexed' : 'up to date:'} ${repo ?? command.path}${repo ? ` from ${command.path}` : ''} — ` +
        `${health.files} files, ${health.issues} issues and pull requests, ${health.chunks} chunks (generation ${report.index.manifest.generation})\n` +
        `  ${report.added.length} added, ${report.changed.length} changed, ${report.removed.length} removed, ${report.unchanged} unchanged, ${report.skipped} skipped\n` +
        `  ${report.chunksEmbedded} chunks embedded, ${report.chunksReused} reused from the last index, ${report.chunksResumed} resumed from an interrupted run\n`,
    );
    if (repo === null) io.stdout.write(`  no GitHub repository found for ${command.path}: search it with --folder ${command.path}\n`);
    return EXIT_OK;
  } catch (error) {
    progress.clear();
    if (abort.signal.aborted) {
      io.stderr.write('threadwise: indexing stopped; the last committed index is unchanged\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr.write(`threadwise: ${toThreadwiseError(error).describe()}\n`);
    return EXIT_RUNTIME;
  } finally {
    removeInterrupt();
    await daemon.dispose();
  }
}

export async function runSearch(command: SearchCommand, io: KnowledgeCliIo): Promise<number> {
  const progress = new ProgressLine(io.stderr);
  const daemon = newDaemon(command, io, progress);
  try {
    await daemon.github.setAuth({ token: null, apiUrl: command.apiUrl });
    let key: string;
    if (command.folder !== undefined) key = keyOf({ path: command.folder, repo: null });
    else if (command.repo !== undefined) key = command.repo;
    else {
      const repo = await remoteRepo(process.cwd(), command.apiUrl);
      key = keyOf({ path: process.cwd(), repo });
    }
    const hits = await daemon.knowledge.search({ key, query: command.query, ...(command.k !== undefined ? { k: command.k } : {}) });
    progress.clear();
    if (command.json) {
      io.stdout.write(`${JSON.stringify(hits)}\n`);
      return EXIT_OK;
    }
    if (hits.length === 0) {
      io.stdout.write(`nothing relevant in ${key} for that query\n`);
      return EXIT_OK;
    }
    for (const hit of hits) io.stdout.write(formatHit(hit));
    return EXIT_OK;
  } catch (error) {
    progress.clear();
    const typed = toThreadwiseError(error);
    io.stderr.write(`threadwise: ${typed.describe()}\n`);
    return EXIT_RUNTIME;
  } finally {
    await daemon.dispose();
  }
}

function newDaemon(command: IndexCommand | SearchCommand, io: KnowledgeCliIo, progress: ProgressLine): Daemon {
  const settings: Partial<DaemonSettings> = { allowDownloads: !command.offline };
  if (command.embedModel !== undefined) settings.embeddingModel = command.embedModel;
  if (command.command === 'index') {
    if (command.include) settings.knowledgeInclude = command.include;
    if (command.exclude) settings.knowledgeExclude = command.exclude;
  }
  const port: DaemonPort = {
    status: (status) => {
      if (status.state === 'downloading' || status.state === 'loading') progress.update(`${status.message}…`);
    },
    log: (level, message) => {
      if (command.verbose || level === 'error') {
        progress.clear();
        io.stderr.write(`[${level}] ${message}\n`);
      }
    },
  };
  return new Daemon(port, { storageDir: command.dataDir, settings, engines: io.engines ?? createLocalEngines() });
}

async function remoteRepo(folder: string, apiUrl: string): Promise<string | null> {
  const web = webUrlOf(apiUrl);
  return web ? readGitHubRemote(folder, new URL(web).hostname) : null;
}

/**
 * With a token at hand, syncs the repository's list so closed issues with maintainers' answers can
 * join the index; without one the cached threads (from VS Code or `suggest`) are used as they are.
 */
async function syncIssues(daemon: Daemon, repo: string, command: IndexCommand, io: KnowledgeCliIo, progress: ProgressLine): Promise<boolean> {
  if (command.offline) return false;
  let token: string;
  try {
    token = (await findGitHubToken(io.env ?? process.env, command.apiUrl, io.readGhToken)).token;
  } catch {
    if (command.verbose) io.stderr.write('threadwise: no GitHub token: only cached issues are indexed\n');
    return false;
  }
  try {
    progress.update(`Syncing ${repo} with GitHub…`);
    await daemon.github.setAuth({ token, apiUrl: command.apiUrl });
    await daemon.github.list({ repo, sync: 'incremental' });
    return true;
  } catch (error) {
    progress.clear();
    io.stderr.write(`threadwise: could not sync ${repo} with GitHub (${error instanceof ThreadwiseError ? error.describe() : String(error)}); indexing the cached issues\n`);
    return false;
  }
}

/** Non-terminals get a line per phase and per tenth, not one per batch. */
function progressText(progress: NonNullable<KnowledgeHealth['progress']>, tty: boolean): string {
  if (progress.total === 0) return `Indexing: ${progress.phase}…`;
  const done = tty ? progress.done : Math.floor((progress.done / progress.total) * 10) * Math.ceil(progress.total / 10);
  const unit = progress.phase === 'embedding' ? ' chunks' : progress.phase === 'scanning' ? ' files' : '';
  return `Indexing: ${progress.phase} ${Math.min(done, progress.total)}/${progress.total}${unit}…`;
}

function formatHit(hit: KnowledgeSearchHit): string {
  const lines = hit.startLine !== undefined ? ` (L${hit.startLine}–L${hit.endLine ?? hit.startLine})` : '';
  const ranks = [
    hit.vectorRank !== null ? `vectors #${hit.vectorRank}${hit.similarity !== null ? ` (${hit.similarity.toFixed(2)})` : ''}` : null,
    hit.lexicalRank !== null ? `words #${hit.lexicalRank}` : null,
  ].filter((part) => part !== null);
  const out = [`[${hit.number}] ${hit.title}${lines}  score ${hit.score.toFixed(4)} · ${ranks.join(' · ')}`];
  if (hit.url) out.push(`    ${hit.url}`);
  if (hit.localPath) out.push(`    ${hit.localPath}${hit.startLine !== undefined ? `:${hit.startLine}` : ''}`);
  const excerpt = hit.text.split('\n').filter((line) => line.trim() !== '').slice(0, 3).map((line) => `    │ ${line.slice(0, 160)}`);
  out.push(...excerpt, '');
  return `${out.join('\n')}\n`;
}
