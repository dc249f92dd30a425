/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): the
 * checks on a reply. Every fenced code block gets a syntax and a security check in its language;
 * the whole reply is scanned for secrets; fabricated citations (protocol/knowledge) join the same
 * report; the thread itself is screened for prompt injection. The Suggestion carries the report of
 * its final text and the trace of every repair cycle; `ChecksRunRequest` checks any text on demand
 * (the client re-checks an edited draft before posting it, the CLI's `threadwise check`).
 */
import { ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { ThreadwiseErrorData } from './errors';
import type { CitationFinding } from './knowledge';
import type { Thread } from './thread';

/** `error` fails the check; `warning` fails it too unless the setting allows warnings; `info` never does. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** A language the checkers know; other fence words stay as written (lower-cased) and are not checked. */
export type CheckedLanguage = 'typescript' | 'tsx' | 'javascript' | 'jsx' | 'json' | 'yaml' | 'python' | 'shell';

/** One fenced code block of a reply, in reply order. */
export interface CodeBlock {
  /** 0-based position among the reply's fenced blocks. */
  index: number;
  /** Normalised language (`ts` → `typescript`, `sh`/`bash`/`console` → `shell`, …), the fence's word lower-cased when unknown, null when neither the fence nor detection gave one. */
  language: string | null;
  /** Where `language` came from. */
  languageFrom: 'fence' | 'detected' | 'none';
  /** The fence's info string as written (untrusted text), e.g. `ts title="src/a.ts"`. */
  info: string;
  /** Workspace-relative file the block names (fence `title=`/`file=`/a path word, or a first-line `// file: …` comment), POSIX separators. */
  file?: string;
  /** The code, without the fences, as in the reply. */
  code: string;
  /** 1-based line of the reply holding the first code line (the line after the opening fence). */
  startLine: number;
  /** UTF-16 offset of `code` in the reply. */
  offset: number;
  /** The block has no closing fence (it runs to the end of the reply). */
  unclosed: boolean;
}

/** One finding on a block's code. Lines and columns are 1-based and relative to `CodeBlock.code`. */
export interface CodeFinding {
  /** Stable id: `syntax`, `no-eval`, `security/detect-child-process`, `python.exec`, `shell.curl-pipe-shell`, `bandit.B602`, … */
  ruleId: string;
  kind: 'syntax' | 'security';
  severity: FindingSeverity;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  /** The engine that found it: `typescript`, `json`, `yaml`, `tree-sitter`, `eslint`, `rules`, `bandit`, `semgrep`. */
  engine: string;
}

export interface BlockReport {
  block: CodeBlock;
  /** `not-checked` when no checker knows the language: never counted as passing. */
  syntax: 'ok' | 'error' | 'not-checked';
  security: 'checked' | 'not-checked';
  /** Why the block was not checked (no language, unknown language, checker failed to load). */
  notCheckedReason?: string;
  findings: CodeFinding[];
  /** The block fails: a failing finding, or (in strict mode) not checked. */
  failed: boolean;
}

/** A token or key in the reply. The secret itself never leaves the checker: only its masked form. */
export interface SecretFinding {
  /** `secret.github-token`, `secret.aws-access-key`, `secret.slack-token`, `secret.private-key`, `secret.high-entropy`, … */
  ruleId: string;
  message: string;
  /** UTF-16 offset and length of the secret in the checked text. */
  offset: number;
  length: number;
  /** 1-based line in the checked text. */
  line: number;
  /** The secret with all but a few characters replaced by `*`. */
  masked: string;
}

/** Something in the thread that tries to steer the model (the thread is data, never instructions). */
export interface InjectionFinding {
  /** `injection.ignore-instructions`, `injection.role-spoofing`, `injection.hidden-comment`, `injection.homoglyph`, `injection.invisible-characters`, … */
  ruleId: string;
  message: string;
  /** Where: `title`, `body`, `comment 3` (1-based), `review comment 2`. */
  where: string;
  /** A short excerpt around the match, whitespace collapsed (untrusted text). */
  excerpt: string;
}

export interface InjectionScreening {
  flagged: boolean;
  findings: InjectionFinding[];
}

/** Whether an external scanner ran for this report (only when the setting asks and it is on PATH). */
export interface ExternalToolRun {
  tool: 'bandit' | 'semgrep';
  ran: boolean;
  /** Why it did not run, or failed. */
  error?: string;
}

export interface CheckReport {
  blocks: BlockReport[];
  secrets: SecretFinding[];
  /** The fabricated-citation findings (see protocol/knowledge). */
  sources: CitationFinding[];
  /** Stricter rules applied because the thread was flagged for prompt injection. */
  strict: boolean;
  /** No failing block, secret or fabricated source. */
  passed: boolean;
  /** Failing findings in all: block findings that fail, not-checked blocks in strict mode, secrets, sources. */
  failures: number;
  externalTools: ExternalToolRun[];
  ms: number;
}

/** One draft and what the checks said of it: cycle 0 is the first draft, then one per repair. */
export interface CheckCycle {
  cycle: number;
  text: string;
  report: CheckReport;
  /** The findings fed back to the model after this cycle (empty for the last one). */
  feedback: string;
  generatedTokens: number;
  generationMs: number;
  stopReason: 'end' | 'maxTokens' | 'cancelled';
}

export interface ChecksRunParams {
  /** Markdown (a reply) or, with `language`, bare code. */
  text: string;
  /** Check `text` as one block of code in this language (a fence word or a file extension: `py`, `.ts`). */
  language?: string;
  /** The thread the text replies to: its URLs count as known, and a flagged thread makes the checks strict. */
  thread?: Thread;
  /** Fabricated-source checking against these source URLs and numbers (omitted: sources are not checked). */
  sources?: { number: number; url?: string }[];
  /** Force strict mode. */
  strict?: boolean;
}

export interface ChecksRunResult {
  report: CheckReport;
  /** Present when `thread` was given. */
  screening?: InjectionScreening;
}

/**
 * client → daemon. Checks a text (an edited draft before posting, a code block to preview, the
 * CLI's `threadwise check`). Findings are relative to each block; secrets come back masked.
 */
export namespace ChecksRunRequest {
  export const method = 'threadwise/checks/run' as const;
  export const type = new ProtocolRequestType<ChecksRunParams, ChecksRunResult, never, ThreadwiseErrorData, void>(method);
}
