import { createHash } from 'node:crypto';
import path from 'node:path';
import { ThreadwiseError, toThreadwiseError } from '../errors';
import { RepoCache } from '../github/repoCache';
import type { DaemonSettings, KnowledgeFolder, KnowledgeHealth, KnowledgeSearchHit, KnowledgeSource, Thread } from '../protocol';
import { issueToDocument } from './clean/issueDocument';
import type { Embedder } from './embed/embedder';
import { updateIndex } from './indexer';
import type { UpdateReport } from './indexer';
import { webUrlOf } from './ingest/webLinks';
import { hybridSearch } from './retrieve/hybridSearch';
import { threadQuery } from './retrieve/threadQuery';
import { IndexStore } from './store/indexStore';
import type { KnowledgeIndex } from './store/knowledgeIndex';
import { countSources } from './store/manifest';
import type { SourceDocument } from './types';

export type KnowledgeLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The part of the GitHub service the knowledge layer reads: the API root and closed threads. */
export interface ClosedThreadSource {
  readonly auth: { apiUrl: string };
  closedThreads(repo: string, options: { fetchLimit?: number; signal?: AbortSignal }): Promise<Thread[]>;
}

export interface KnowledgeServiceOptions {
  storageDir: string;
  settings(): Readonly<DaemonSettings>;
  /** The embedding model, loaded on first use. */
  embedder(): Promise<Embedder>;
  /** Its model id, known without loading it (an index that is up to date never loads the model). */
  embeddingModelId(): string;
  github: ClosedThreadSource;
  log(level: KnowledgeLogLevel, message: string): void;
  /** Called whenever an index's health changes (the daemon publishes its status). */
  onHealthChange(): void;
  /** Quiet time after a file change before the index is updated (default 1,500 ms). */
  debounceMs?: number;
}

/** What retrieval gives the suggest-reply pipeline. */
export interface ThreadRetrieval {
  indexed: boolean;
  skippedReason?: string;
  /** Best first, before numbering; the prompt builder numbers the ones that fit. */
  candidates: Array<Omit<KnowledgeSource, 'number'>>;
  indexVersion: string | null;
  embeddingModel: string | null;
}

export interface IndexFolderOptions {
  full?: boolean;
  signal?: AbortSignal;
  /** Fetch missing closed issues from GitHub (signed in) before indexing; default: cached ones only. */
  fetchIssues?: boolean;
  onProgress?(progress: NonNullable<KnowledgeHealth['progress']>): void;
}

interface IndexEntry {
  key: string;
  folder: string | null;
  repo: string | null;
  store: IndexStore;
  /** The committed index searches use; undefined until first loaded from disk. */
  live: KnowledgeIndex | null | undefined;
  health: KnowledgeHealth;
  /** Whether the workspace names this index (watched, updated in the background). */
  registered: boolean;
  /** The queue: the job running or last run, and at most one more waiting behind it. */
  tail: Promise<unknown>;
  waiting: { full: boolean; fetchIssues: boolean; promise: Promise<UpdateReport | null> } | null;
  controller: AbortController;
  timer: NodeJS.Timeout | null;
}

/** Closed threads fetched from GitHub per update after a sync; the rest follow in later ones. */
const ISSUE_FETCH_LIMIT = 50;

/**
 * The daemon's knowledge: one index per workspace repository (or per folder without one), kept
 * up to date in the background — on start, on file changes, after GitHub syncs, on Reindex — and
 * searched by Suggest Reply. Updates of one index run one at a time; a burst of triggers while
 * one runs collapses into a single follow-up run. Searches always use the last committed index.
 */
export class KnowledgeService {
  private readonly entries = new Map<string, IndexEntry>();
  private disposed = false;

  constructor(private readonly options: KnowledgeServiceOptions) {}

  /** Health of the workspace's indexes, for the status item. */
  health(): KnowledgeHealth[] {
    return [...this.entries.values()].filter((entry) => entry.registered).map((entry) => ({ ...entry.health }));
  }

  /** Registers the workspace folders; their indexes are brought up to date in the background. */
  setFolders(value: unknown): KnowledgeHealth[] {
    const folders = parseFolders(value);
    const wanted = new Set<string>();
    for (const folder of folders) {
      const key = keyOf(folder);
      if (wanted.has(key)) {
        this.options.log('warn', `knowledge: ${folder.path} maps to ${key} like an earlier folder; only the first is indexed`);
        continue;
      }
      wanted.add(key);
      const entry = this.entryFor(key, folder.path, folder.repo);
      if (!entry.registered || entry.folder !== path.resolve(folder.path)) {
        entry.registered = true;
        entry.folder = path.resolve(folder.path);
        this.schedule(entry, 0, true);
      }
    }
    for (const entry of this.entries.values()) {
      if (entry.registered && !wanted.has(entry.key)) {
        entry.registered = false;
        entry.controller.abort(new Error('the folder left the workspace'));
        entry.controller = new AbortController();
        if (entry.timer) clearTimeout(entry.timer);
      }
    }
    this.options.onHealthChange();
    return this.health();
  }

  /** Files changed on disk (the client's watcher): the indexes holding them update after a quiet moment. */
  filesChanged(paths: readonly string[]): void {
    for (const entry of this.entries.values()) {
      if (!entry.registered || entry.folder === null) continue;
      const inside = paths.some((file) => {
        const relative = path.relative(entry.folder!, file);
        return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
      });
      if (inside) this.schedule(entry, this.options.debounceMs ?? 1500, false);
    }
  }

  /** A repository synced with GitHub: closed issues flow into its index if the workspace has one. */
  repositorySynced(repo: string): void {
    const entry = this.entries.get(repo.toLowerCase());
    if (entry?.registered && this.options.settings().knowledgeIssues) this.schedule(entry, this.options.debounceMs ?? 1500, true);
  }

  /** Settings changed: what they affect is re-indexed (an embedding model change re-embeds everything). */
  settingsChanged(before: Readonly<DaemonSettings>, after: Readonly<DaemonSettings>): void {
    const affects =
      before.embeddingModel !== after.embeddingModel ||
      before.knowledgeIssues !== after.knowledgeIssues ||
      JSON.stringify(before.knowledgeInclude) !== JSON.stringify(after.knowledgeInclude) ||
      JSON.stringify(before.knowledgeExclude) !== JSON.stringify(after.knowledgeExclude) ||
      (!before.knowledgeEnabled && after.knowledgeEnabled);
    if (!affects || !after.knowledgeEnabled) return;
    for (const entry of this.entries.values()) if (entry.registered) this.schedule(entry, 0, false);
  }

  /** Updates (or rebuilds) the workspace's indexes now, or the one named by `key`. */
  async reindex(params: { key?: unknown; full?: unknown }, signal?: AbortSignal): Promise<KnowledgeHealth[]> {
    if (params.key !== undefined && params.key !== null && typeof params.key !== 'string') throw new ThreadwiseError('knowledge-index', 'key must be owner/name or local:<folder>');
    const key = typeof params.key === 'string' ? params.key.toLowerCase() : undefined;
    const targets = [...this.entries.values()].filter((entry) => entry.registered && (key === undefined || entry.key === key));
    if (key !== undefined && targets.length === 0) {
      throw new ThreadwiseError('knowledge-index', `no index named ${JSON.stringify(key).slice(0, 120)} in this workspace`, 'open the repository\'s folder in VS Code first');
    }
    for (const entry of targets) await this.enqueue(entry, { full: params.full === true, fetchIssues: true, signal, rethrow: true });
    return this.health();
  }

  /**
   * Indexes one folder now (the CLI's `threadwise index`). Resolves with what changed; throws a
   * ThreadwiseError when indexing fails, and the abort reason when `signal` aborts it.
   */
  async indexFolder(folder: string, repo: string | null, options: IndexFolderOptions = {}): Promise<{ report: UpdateReport; health: KnowledgeHealth }> {
    const key = keyOf({ path: folder, repo });
    const entry = this.entryFor(key, folder, repo);
    entry.folder = path.resolve(folder);
    const report = await this.enqueue(entry, { full: options.full === true, fetchIssues: options.fetchIssues === true, signal: options.signal, rethrow: true, onProgress: (progress) => options.onProgress?.(progress) });
    return { report: report!, health: { ...entry.health } };
  }

  /** Searches one index the way Suggest Reply does. `key` is `owner/name` or `local:<folder>`. */
  async search(params: { key: unknown; query: unknown; k?: unknown }): Promise<KnowledgeSearchHit[]> {
    if (typeof params.key !== 'string' || params.key.trim() === '') throw new ThreadwiseError('knowledge-index', 'search needs the index: owner/name or local:<folder>');
    if (typeof params.query !== 'string' || params.query.trim() === '') throw new ThreadwiseError('knowledge-index', 'search needs a query');
    const settings = this.options.settings();
    const k = params.k === undefined ? settings.knowledgeTopK : Number(params.k);
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new ThreadwiseError('knowledge-index', 'k must be an integer from 1 to 100');
    const entry = this.lookup(params.key);
    const index = await this.liveIndex(entry);
    if (!index) throw new ThreadwiseError('knowledge-index', `there is no index for ${params.key} yet`, 'build it with `threadwise index <folder>` or "Threadwise: Reindex Knowledge"');
    const embedder = await this.embedderFor(index);
    const hits = await hybridSearch(index, embedder, params.query.slice(0, 20_000), this.contextOf(entry, index), { k, minSimilarity: settings.knowledgeMinSimilarity });
    return hits.map((hit, i) => ({ ...hit, number: i + 1 }));
  }

  /** Sources for a thread from its repository's index; never throws (no sources, with the reason). */
  async retrieveForThread(thread: Thread): Promise<ThreadRetrieval> {
    const settings = this.options.settings();
    const none = (indexed: boolean, skippedReason: string, index?: KnowledgeIndex | null): ThreadRetrieval => ({
      indexed,
      skippedReason,
      candidates: [],
      indexVersion: index ? String(index.manifest.generation) : null,
      embeddingModel: index?.manifest.embeddingModel ?? null,
    });
    if (!settings.knowledgeEnabled) return none(false, 'knowledge is turned off (threadwise.knowledgeEnabled)');
    let index: KnowledgeIndex | null = null;
    try {
      const entry = this.lookup(thread.repo);
      index = await this.liveIndex(entry);
      if (!index) return none(false, `no index for ${thread.repo} yet`);
      const embedder = await this.embedderFor(index);
      const candidates = await hybridSearch(index, embedder, threadQuery(thread), this.contextOf(entry, index), { k: settings.knowledgeTopK, minSimilarity: settings.knowledgeMinSimilarity });
      return {
        indexed: true,
        candidates: candidates.map(withoutRanks),
        indexVersion: String(index.manifest.generation),
        embeddingModel: index.manifest.embeddingModel,
      };
    } catch (error) {
      const typed = toThreadwiseError(error);
      this.options.log('warn', `knowledge: retrieval for ${thread.repo}#${thread.number} failed: ${typed.describe()}`);
      return none(index !== null, `retrieval failed: ${typed.describe()}`, index);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.controller.abort(new Error('the daemon is shutting down'));
    }
  }

  // -------------------------------------------------------------------------------------------

  private entryFor(key: string, folder: string | null, repo: string | null): IndexEntry {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const entry: IndexEntry = {
      key,
      folder: folder === null ? null : path.resolve(folder),
      repo,
      store: new IndexStore(this.indexDir(key, repo), (message) => this.options.log('warn', message)),
      live: undefined,
      health: { key, ...(folder !== null ? { folder: path.resolve(folder) } : {}), state: 'empty', files: 0, issues: 0, chunks: 0, lastUpdated: null, lastError: null },
      registered: false,
      tail: Promise.resolve(),
      waiting: null,
      controller: new AbortController(),
      timer: null,
    };
    this.entries.set(key, entry);
    return entry;
  }

  /** The entry of a key, registered or not (an index on disk from the CLI or another window). */
  private lookup(key: string): IndexEntry {
    const normalized = key.startsWith('local:') ? `local:${path.resolve(key.slice('local:'.length))}` : key.toLowerCase();
    if (!normalized.startsWith('local:') && !/^[a-z0-9_.-]+\/[a-z0-9_.-]+$/.test(normalized)) {
      throw new ThreadwiseError('knowledge-index', `${JSON.stringify(key).slice(0, 120)} is not owner/name or local:<folder>`);
    }
    return this.entries.get(normalized) ?? this.entryFor(normalized, normalized.startsWith('local:') ? normalized.slice('local:'.length) : null, normalized.startsWith('local:') ? null : normalized);
  }

  private indexDir(key: string, repo: string | null): string {
    if (repo !== null) return path.join(path.dirname(RepoCache.folder(this.options.storageDir, this.options.github.auth.apiUrl, repo)), 'index');
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
    return path.join(this.options.storageDir, 'local', digest, 'index');
  }

  private async liveIndex(entry: IndexEntry): Promise<KnowledgeIndex | null> {
    if (entry.live === undefined) {
      entry.live = await entry.store.load();
      if (entry.live) this.setHealthFrom(entry, entry.live);
    }
    return entry.live;
  }

  private async embedderFor(index: KnowledgeIndex): Promise<Embedder> {
    const embedder = await this.options.embedder();
    if (embedder.model !== index.manifest.embeddingModel || embedder.dimensions !== index.manifest.dimensions) {
      throw new ThreadwiseError(
        'knowledge-index',
        `the index was built with ${index.manifest.embeddingModel} but threadwise.embeddingModel is ${embedder.model}`,
        'reindex it (Threadwise: Reindex Knowledge, or threadwise index <folder>)',
      );
    }
    return embedder;
  }

  private contextOf(entry: IndexEntry, index: KnowledgeIndex) {
    return { folder: entry.folder ?? index.manifest.folder, repo: entry.repo, webUrl: entry.repo ? webUrlOf(this.options.github.auth.apiUrl) : null };
  }

  private schedule(entry: IndexEntry, delayMs: number, fetchIssues: boolean): void {
    if (this.disposed || !this.options.settings().knowledgeEnabled) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.enqueue(entry, { full: false, fetchIssues });
    }, delayMs);
    entry.timer.unref?.();
  }

  /** Queues an update behind the running one; requests made while one waits join it. */
  private enqueue(
    entry: IndexEntry,
    job: { full: boolean; fetchIssues: boolean; signal?: AbortSignal; rethrow?: boolean; onProgress?: IndexFolderOptions['onProgress'] },
  ): Promise<UpdateReport | null> {
    if (entry.waiting && !job.signal && !job.rethrow) {
      entry.waiting.full ||= job.full;
      entry.waiting.fetchIssues ||= job.fetchIssues;
      return entry.waiting.promise;
    }
    const waiting = { full: job.full, fetchIssues: job.fetchIssues, promise: Promise.resolve<UpdateReport | null>(null) };
    waiting.promise = entry.tail.then(() => {
      if (entry.waiting === waiting) entry.waiting = null;
      return this.execute(entry, waiting.full, waiting.fetchIssues, job.signal, job.rethrow === true, job.onProgress);
    });
    entry.waiting = waiting;
    entry.tail = waiting.promise.catch(() => null);
    return waiting.promise;
  }

  private async execute(
    entry: IndexEntry,
    full: boolean,
    fetchIssues: boolean,
    external: AbortSignal | undefined,
    rethrow: boolean,
    onProgress: IndexFolderOptions['onProgress'],
  ): Promise<UpdateReport | null> {
    if (this.disposed) return null;
    const settings = this.options.settings();
    const signal = external ? AbortSignal.any([external, entry.controller.signal]) : entry.controller.signal;
    const started = Date.now();
    entry.health = { ...entry.health, state: 'indexing', progress: { phase: 'scanning', done: 0, total: 0 } };
    this.options.onHealthChange();
    let lastPublished = 0;
    try {
      const embedder = { model: this.options.embeddingModelId(), load: () => this.options.embedder() };
      const report = await updateIndex(
        { key: entry.key, folder: entry.folder, repo: entry.repo, store: entry.store, issues: this.issueProvider(entry, settings, fetchIssues, signal) },
        {
          embedder,
          settings: { include: settings.knowledgeInclude, exclude: settings.knowledgeExclude },
          full,
          signal,
          log: (message) => this.options.log('info', message),
          onProgress: (progress) => {
            entry.health = { ...entry.health, state: 'indexing', progress };
            onProgress?.(progress);
            // A status per batch is plenty; the client's status item cannot show more.
            const now = Date.now();
            if (now - lastPublished >= 250 || progress.done === progress.total) {
              lastPublished = now;
              this.options.onHealthChange();
            }
          },
        },
      );
      entry.live = report.index;
      this.setHealthFrom(entry, report.index);
      this.options.log(
        'info',
        `knowledge: ${entry.key}: ${report.committed ? `generation ${report.index.manifest.generation}` : 'up to date'} — ` +
          `${report.added.length} added, ${report.changed.length} changed, ${report.removed.length} removed, ${report.unchanged} unchanged; ` +
          `${report.chunksEmbedded} chunks embedded, ${report.chunksReused} reused, ${report.chunksResumed} resumed (${Date.now() - started} ms)`,
      );
      return report;
    } catch (error) {
      const rest = withoutProgress(entry.health);
      if (signal.aborted) {
        entry.health = { ...rest, state: entry.live ? 'ready' : 'empty' };
        this.options.log('info', `knowledge: ${entry.key}: indexing stopped (${String((signal.reason as Error | undefined)?.message ?? 'cancelled')}); what was embedded is kept for the next run`);
        if (rethrow) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
        return null;
      }
      const typed = toThreadwiseError(error);
      entry.health = { ...rest, state: 'error', lastError: typed.describe() };
      this.options.log('error', `knowledge: ${entry.key}: indexing failed: ${typed.describe()}${typed.reason === 'internal' && error instanceof Error ? `\n${error.stack}` : ''}`);
      if (rethrow) throw typed;
      return null;
    } finally {
      this.options.onHealthChange();
    }
  }

  private issueProvider(entry: IndexEntry, settings: Readonly<DaemonSettings>, fetch: boolean, signal: AbortSignal): (() => Promise<SourceDocument[]>) | null {
    if (entry.repo === null) return null;
    if (!settings.knowledgeIssues) return () => Promise.resolve([]);
    const repo = entry.repo;
    return async () => {
      const threads = await this.options.github.closedThreads(repo, { fetchLimit: fetch ? ISSUE_FETCH_LIMIT : 0, signal });
      return threads.map((thread) => issueToDocument(thread)).filter((doc): doc is SourceDocument => doc !== null);
    };
  }

  private setHealthFrom(entry: IndexEntry, index: KnowledgeIndex): void {
    const counts = countSources(index.manifest);
    const rest = withoutProgress(entry.health);
    entry.health = { ...rest, state: 'ready', ...counts, lastUpdated: index.manifest.generation > 0 ? index.manifest.updatedAt : null, lastError: null };
  }
}

function withoutRanks(hit: Omit<KnowledgeSearchHit, 'number'>): Omit<KnowledgeSource, 'number'> {
  const source: Partial<Omit<KnowledgeSearchHit, 'number'>> = { ...hit };
  delete source.vectorRank;
  delete source.lexicalRank;
  delete source.similarity;
  return source as Omit<KnowledgeSource, 'number'>;
}

function withoutProgress(health: KnowledgeHealth): KnowledgeHealth {
  const copy = { ...health };
  delete copy.progress;
  return copy;
}

/** The index key of a folder: its repository, else the folder itself. */
export function keyOf(folder: { path: string; repo: string | null }): string {
  return folder.repo !== null ? folder.repo.toLowerCase() : `local:${path.resolve(folder.path)}`;
}

/** Validates `setFolders` params from the client. */
function parseFolders(value: unknown): KnowledgeFolder[] {
  const folders = (value as { folders?: unknown } | null)?.folders;
  if (!Array.isArray(folders)) throw new ThreadwiseError('knowledge-index', 'setFolders needs { folders: [{ path, repo }] }');
  return folders.map((folder: unknown, i) => {
    const f = folder as Partial<KnowledgeFolder> | null;
    if (!f || typeof f.path !== 'string' || !path.isAbsolute(f.path)) throw new ThreadwiseError('knowledge-index', `folders[${i}].path must be an absolute path`);
    if (f.repo !== null && (typeof f.repo !== 'string' || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(f.repo))) {
      throw new ThreadwiseError('knowledge-index', `folders[${i}].repo must be owner/name or null`);
    }
    return { path: f.path, repo: f.repo };
  });
}
