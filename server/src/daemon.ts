import { runCheckRequest } from './checks/checkRequest';
import { CodeCheckers } from './checks/code/codeCheckers';
import { defaultCodeCheckers } from './checks/code/defaultCheckers';
import type { SafetyClassifier } from './checks/safetyClassifier';
import type { EngineFactory, LoadReporter } from './engines';
import { toThreadwiseError } from './errors';
import type { Clock } from './github/clock';
import type { FetchLike } from './github/gitHubClient';
import { GitHubService } from './github/gitHubService';
import { HistoryService } from './history/historyService';
import type { Embedder } from './knowledge/embed/embedder';
import { KnowledgeService } from './knowledge/knowledgeService';
import type { ChatModel } from './llm/chatModel';
import { suggestReply } from './pipeline/suggestReply';
import type { ChecksRunResult, DaemonSettings, DaemonStatus, KnowledgeHealth, Suggestion, SuggestReplyProgress } from './protocol';
import { chatModelChanged, embedderChanged, guardrailChanged, resolveSettings } from './settings';
import { parseThread } from './thread/parseThread';
import { DisposableStore, toDisposable } from './util/disposable';
import { LazyEngine } from './util/lazyEngine';
import type { EngineState } from './util/lazyEngine';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** How the daemon talks back to whoever hosts it (the LSP connection, the CLI, a test). */
export interface DaemonPort {
  status(status: DaemonStatus): void;
  log(level: LogLevel, message: string): void;
  /** History records were added, changed or deleted (`repo` undefined: possibly any). */
  historyChanged?(change: { repo?: string; id?: string }): void;
}

export interface DaemonOptions {
  /** Folder for models and per-repository data. */
  storageDir: string;
  settings?: Partial<Record<keyof DaemonSettings, unknown>>;
  engines: EngineFactory;
  /** How the GitHub layer reaches GitHub (default: the global fetch); tests and benchmarks inject one. */
  fetch?: FetchLike;
  /** The GitHub layer's time and waits (default: the system clock). */
  clock?: Clock;
  /** The code checkers (default: every language Threadwise checks; each loads on first use). */
  checkers?: CodeCheckers;
  /** Who history records say asked: `cli`, or the LSP client's name (default `lsp`). */
  origin?: string;
  /** Whether this daemon applies `historyRetentionDays` (default true; the CLI does not). */
  historyRetention?: boolean;
}

export interface SuggestHandlers {
  signal: AbortSignal;
  onProgress(progress: SuggestReplyProgress): void;
}

type LoadActivity = { kind: 'downloading'; percent: number; what: string } | { kind: 'loading'; what: string } | undefined;
type EngineName = 'chat' | 'guard' | 'embed';

const ENGINE_LABELS: Record<EngineName, string> = { chat: 'chat model', guard: 'guardrail', embed: 'embedding model' };
const ENGINE_COMPONENTS = { chat: 'chat-model', guard: 'guardrail', embed: 'embedder' } as const;

/**
 * The daemon: owns the engines and runs the suggest-reply pipeline. It knows nothing of its
 * transport; `server.ts` connects it to LSP and `cli.ts` drives it from a terminal.
 */
export class Daemon {
  /** GitHub: sign-in, synced lists, whole threads, posting. Shares the storage folder. */
  readonly github: GitHubService;
  /** The docs and past issues: indexes per repository, kept fresh, searched by Suggest Reply. */
  readonly knowledge: KnowledgeService;
  /** Syntax and security checkers of code blocks, shared by Suggest Reply and the check request. */
  readonly checkers: CodeCheckers;
  /** Every suggestion, recorded with its lineage; outcomes, metrics, exports. */
  readonly history: HistoryService;
  private currentSettings: DaemonSettings;
  private readonly chatModel: LazyEngine<ChatModel>;
  private readonly guardrail: LazyEngine<SafetyClassifier>;
  private readonly embedder: LazyEngine<Embedder>;
  private readonly activity: Record<EngineName, LoadActivity> = { chat: undefined, guard: undefined, embed: undefined };
  private activeRequests = 0;
  private lastStatus: DaemonStatus = { state: 'starting', message: 'Starting' };
  /** Disposed in reverse order: the engines first, then the runtimes that made them. */
  private readonly resources = new DisposableStore();

  constructor(
    private readonly port: DaemonPort,
    private readonly options: DaemonOptions,
  ) {
    this.currentSettings = this.applySettings(options.settings);
    this.checkers = options.checkers ?? new CodeCheckers(defaultCodeCheckers());
    this.resources.add(toDisposable(() => options.engines.dispose()));
    this.chatModel = new LazyEngine(
      () => options.engines.loadChatModel(this.currentSettings, options.storageDir, this.reporter('chat')),
      (state) => this.onEngineState('chat', state),
    );
    this.guardrail = new LazyEngine(
      () => options.engines.loadSafetyClassifier(this.currentSettings, options.storageDir, this.reporter('guard')),
      (state) => this.onEngineState('guard', state),
    );
    this.embedder = new LazyEngine(
      () => options.engines.loadEmbedder(this.currentSettings, options.storageDir, this.reporter('embed')),
      (state) => this.onEngineState('embed', state),
    );
    this.resources.add(this.chatModel);
    this.resources.add(this.guardrail);
    this.resources.add(this.embedder);
    this.github = this.resources.add(
      new GitHubService({
        storageDir: options.storageDir,
        fetch: options.fetch,
        clock: options.clock,
        log: (level, message) => this.port.log(level, message),
        onSynced: (repo) => this.knowledge.repositorySynced(repo),
      }),
    );
    this.knowledge = this.resources.add(
      new KnowledgeService({
        storageDir: options.storageDir,
        settings: () => this.currentSettings,
        embedder: () => this.embedder.get(),
        embeddingModelId: () => options.engines.embeddingModelId(this.currentSettings),
        github: this.github,
        log: (level, message) => this.port.log(level, message),
        onHealthChange: () => this.publish(),
      }),
    );
    this.history = new HistoryService({
      storageDir: options.storageDir,
      settings: () => this.currentSettings,
      origin: () => options.origin ?? 'lsp',
      secretValues: () => this.github.secretValues(),
      log: (level, message) => this.port.log(level, message),
      onChanged: (change) => this.port.historyChanged?.(change),
      retention: options.historyRetention !== false,
      gitHubApiUrl: () => this.github.auth.apiUrl,
    });
    this.resources.add(toDisposable(() => this.history.dispose()));
    this.publish();
  }

  get settings(): Readonly<DaemonSettings> {
    return this.currentSettings;
  }

  get status(): DaemonStatus {
    return this.lastStatus;
  }

  /** Starts loading the engines in the background; failures show in the status and are retried on use. */
  preload(): void {
    void this.chatModel.get().catch(() => undefined);
    void this.guardrail.get().catch(() => undefined);
  }

  /** Applies new settings; engines whose settings changed are unloaded and load again on next use. */
  async updateSettings(partial: Partial<Record<keyof DaemonSettings, unknown>> | undefined): Promise<void> {
    const before = this.currentSettings;
    this.currentSettings = this.applySettings(partial);
    if (chatModelChanged(before, this.currentSettings)) {
      this.port.log('info', 'chat model settings changed: the model will load again on next use');
      await this.chatModel.reset();
    }
    if (guardrailChanged(before, this.currentSettings)) await this.guardrail.reset();
    if (embedderChanged(before, this.currentSettings)) await this.embedder.reset();
    this.knowledge.settingsChanged(before, this.currentSettings);
    this.publish();
  }

  /**
   * Drafts a reply to an untrusted thread value. Resolves with the Suggestion (cancelled ones
   * too); rejects with a ThreadwiseError for bad input or a failure the person must fix.
   */
  async suggestReply(params: { thread: unknown; regenerate?: boolean }, handlers: SuggestHandlers): Promise<Suggestion> {
    const thread = parseThread(params.thread);
    this.activeRequests++;
    this.publish();
    try {
      const suggestion = await suggestReply(
        { thread, regenerate: params.regenerate === true },
        {
          settings: this.currentSettings,
          chatModel: () => this.chatModel.get(),
          guardrail: () => this.guardrail.get(),
          retrieve: () => this.knowledge.retrieveForThread(thread),
          checkers: this.checkers,
          onProgress: (progress) => handlers.onProgress(progress),
          signal: handlers.signal,
        },
      );
      // Recorded before the reply goes back, so an outcome the client reports next finds it; a
      // failure to record is logged by the history and never fails the suggestion.
      await this.history.record(thread, suggestion);
      return suggestion;
    } catch (error) {
      const typed = toThreadwiseError(error);
      this.port.log(typed.reason === 'internal' ? 'error' : 'warn', `suggestReply failed: ${typed.describe()}${typed.reason === 'internal' && error instanceof Error ? `\n${error.stack}` : ''}`);
      throw typed;
    } finally {
      this.activeRequests--;
      this.publish();
    }
  }

  /** `threadwise/checks/run`: checks a text (an edited draft, a code file) with the daemon's settings. */
  async runChecks(params: unknown, signal?: AbortSignal): Promise<ChecksRunResult> {
    try {
      return await runCheckRequest(params, { checkers: this.checkers, settings: this.currentSettings, ...(signal ? { signal } : {}) });
    } catch (error) {
      const typed = toThreadwiseError(error);
      this.port.log(typed.reason === 'internal' ? 'error' : 'warn', `checks failed: ${typed.describe()}`);
      throw typed;
    }
  }

  async dispose(): Promise<void> {
    try {
      await this.resources.dispose();
    } catch (error) {
      this.port.log('warn', `dispose: ${String(error)}`);
    }
  }

  private applySettings(partial: Partial<Record<keyof DaemonSettings, unknown>> | undefined): DaemonSettings {
    const { settings, ignored } = resolveSettings(partial);
    for (const key of ignored) this.port.log('warn', `ignored the setting ${key}: its value has the wrong type or range`);
    return settings;
  }

  private engine(which: EngineName): { readonly snapshot: EngineState<unknown> } {
    return which === 'chat' ? this.chatModel : which === 'guard' ? this.guardrail : this.embedder;
  }

  private reporter(which: EngineName): LoadReporter {
    const set = (activity: LoadActivity): void => {
      // Loaders may report late (a last progress callback after the load resolved): ignore it then.
      if (this.engine(which).snapshot.kind !== 'loading') return;
      this.activity[which] = activity;
      this.publish();
    };
    return {
      downloading: (percent, what) => {
        const previous = this.activity[which];
        const rounded = Math.floor(percent);
        // One status per whole percent is plenty for a progress display.
        if (previous?.kind === 'downloading' && previous.percent === rounded) return;
        set({ kind: 'downloading', percent: rounded, what });
      },
      loading: (what) => {
        const previous = this.activity[which];
        if (previous?.kind === 'loading' && previous.what === what) return;
        set({ kind: 'loading', what });
      },
      log: (message) => this.port.log('debug', message),
    };
  }

  private onEngineState(which: EngineName, state: EngineState<unknown>): void {
    if (state.kind !== 'loading') this.activity[which] = undefined;
    if (state.kind === 'failed') this.port.log('error', `${ENGINE_LABELS[which]}: ${toThreadwiseError(state.error).describe()}`);
    if (state.kind === 'ready') this.port.log('info', `${ENGINE_LABELS[which]} ready`);
    this.publish();
  }

  private publish(): void {
    const next = this.computeStatus();
    const previous = this.lastStatus;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    this.lastStatus = next;
    this.port.status(next);
  }

  private computeStatus(): DaemonStatus {
    const knowledge = this.knowledge.health();
    const status = this.engineStatus(knowledge);
    return knowledge.length > 0 ? { ...status, knowledge } : status;
  }

  private engineStatus(knowledge: readonly KnowledgeHealth[]): DaemonStatus {
    const chat = this.chatModel.snapshot;
    const guard = this.guardrail.snapshot;
    const loadingEngine = (['chat', 'guard', 'embed'] as const).find((name) => this.activity[name] !== undefined);
    const activity = loadingEngine ? this.activity[loadingEngine] : undefined;
    if (chat.kind === 'failed') return errorStatus('chat-model', chat.error);
    if (activity?.kind === 'downloading') {
      return { state: 'downloading', component: ENGINE_COMPONENTS[loadingEngine!], progress: activity.percent, message: `Downloading ${activity.what} (${activity.percent}%)` };
    }
    if (activity?.kind === 'loading') return { state: 'loading', component: ENGINE_COMPONENTS[loadingEngine!], message: `Loading ${activity.what}` };
    if (chat.kind === 'loading') return { state: 'loading', component: 'chat-model', message: 'Loading the chat model' };
    if (guard.kind === 'failed') return errorStatus('guardrail', guard.error);
    if (this.activeRequests > 0) {
      return chat.kind === 'ready' ? { state: 'busy', component: 'chat-model', message: `Drafting with ${chat.engine.info.name}` } : { state: 'busy', message: 'Drafting' };
    }
    const indexing = knowledge.find((health) => health.state === 'indexing');
    if (indexing) return { state: 'indexing', component: 'knowledge', message: indexingMessage(indexing) };
    if (chat.kind === 'ready') return { state: 'ready', component: 'chat-model', message: `${chat.engine.info.name} ready` };
    return { state: 'idle', message: 'Ready to load the model on first use' };
  }
}

/** "Indexing octo/widgets: embedding 120/400 chunks". */
function indexingMessage(health: KnowledgeHealth): string {
  const progress = health.progress;
  const name = health.key.startsWith('local:') ? health.key.slice('local:'.length) : health.key;
  if (!progress || progress.total === 0) return `Indexing ${name}`;
  const unit = progress.phase === 'embedding' ? ' chunks' : progress.phase === 'scanning' ? ' files' : '';
  return `Indexing ${name}: ${progress.phase} ${progress.done}/${progress.total}${unit}`;
}

function errorStatus(component: NonNullable<DaemonStatus['component']>, error: unknown): DaemonStatus {
  const typed = toThreadwiseError(error);
  return { state: 'error', component, message: typed.describe(), error: { reason: typed.reason, message: typed.describe() } };
}
