/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): what
 * the two sides exchange in LSP's `initialize`. The client reads `threadwise.*` and sends
 * DaemonSettings in InitializationOptions; the daemon answers with ThreadwiseInitializeResult.
 */
import type { InitializeResult } from 'vscode-languageserver-protocol';

/** Settings the daemon needs; the client reads them from `threadwise.*` and sends them over. */
export interface DaemonSettings {
  /** Local GGUF path or `hf:owner/repo/file.gguf`; empty picks a Llama 3 default by the machine's memory. */
  model: string;
  /** `auto` uses a GPU when one is usable, `off` forces the CPU. */
  gpu: 'auto' | 'off';
  /** Generation threads; 0 means the number of physical cores. Always capped at the physical cores. */
  threads: number;
  /** Upper bound on the context window in tokens; the context is fitted to the prompt below it. */
  contextSize: number;
  /** Most tokens generated for one reply; also what the prompt budget keeps free. */
  maxReplyTokens: number;
  /** Sampling temperature; 0 is greedy. Regenerate draws a new seed. */
  temperature: number;
  /** Local folder with a transformers.js text-classification model, or a model id fetched on first use. */
  guardrailModel: string;
  /** A reply whose unsafe score is at least this is labelled unsafe. */
  guardrailThreshold: number;
  /** Whether models missing from disk may be downloaded. */
  allowDownloads: boolean;
  /** Local folder with a transformers.js feature-extraction model, or a model id fetched on first use. */
  embeddingModel: string;
  /** Whether replies are grounded in the repository's docs and past issues. */
  knowledgeEnabled: boolean;
  /** Globs (relative to a workspace folder) of the docs to index. */
  knowledgeInclude: string[];
  /** Globs of files and folders never indexed (vendored, generated, build output). */
  knowledgeExclude: string[];
  /** Whether closed issues and merged pull requests with a maintainer's answer are indexed. */
  knowledgeIssues: boolean;
  /** Most sources given to the model for one reply. */
  knowledgeTopK: number;
  /** Cosine similarity below which a chunk found only by the vectors counts as unrelated. */
  knowledgeMinSimilarity: number;
  /** Most repair cycles after the first draft when its checks fail (0: check only, never re-prompt). */
  maxFixCycles: number;
  /** Lowest finding severity that fails a check (`warning`: errors and warnings fail; `info` never fails unless strict). */
  checksFailOn: 'error' | 'warning';
  /** External scanners run too when they are on PATH: `bandit` (Python), `semgrep` (with `checksSemgrepConfig`). */
  checksExternalTools: ('bandit' | 'semgrep')[];
  /** Local semgrep rules file or folder (semgrep's registry configs need the network, so none is used by default). */
  checksSemgrepConfig: string;
  /** Whether every suggestion is recorded (with its lineage) in the history database. */
  historyEnabled: boolean;
  /** Records older than this many days are deleted; 0 keeps them forever. */
  historyRetentionDays: number;
}

/** Sent by the client as `initializationOptions` of the LSP `initialize` request. */
export interface InitializationOptions {
  /** Folder for downloaded models and per-repository data (VS Code's globalStorageUri, or `--data-dir`). */
  storageDir: string;
  settings?: Partial<DaemonSettings>;
  /** Who is asking, as history records name it (`vscode`); default the LSP client's name. */
  origin?: string;
}

/** daemon → client, the answer to `initialize`: LSP's result plus who the daemon process is. */
export interface ThreadwiseInitializeResult extends InitializeResult {
  threadwise: {
    /** The daemon's process id (shown in the log; tests use it to kill the daemon). */
    pid: number;
  };
}
