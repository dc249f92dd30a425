import type { BlockReport, CheckReport, CheckedLanguage, CodeBlock, CodeFinding, DaemonSettings, ExternalToolRun, FindingSeverity, KnowledgeSource, Thread } from '../protocol';
import { citationFindings } from './citations';
import { extractCodeBlocks } from './code/blocks';
import type { CodeCheckers } from './code/codeCheckers';
import { runExternalTools } from './code/externalTools';
import { normalizeLanguage } from './code/languages';
import { findSecrets } from './secrets';

export interface CheckTextOptions {
  checkers: CodeCheckers;
  /** Lowest severity of a code finding that fails (strict mode fails every finding). */
  failOn: 'error' | 'warning';
  /** The thread was flagged for prompt injection: every finding fails, and so does code no checker reads. */
  strict: boolean;
  /** Check `text` as one block of bare code in this language (a fence word or file extension) instead of as Markdown. */
  language?: string;
  /** Fabricated-source checking: the sources given to the model and the thread (its URLs are known). Omitted: not checked. */
  sources?: { given: readonly Pick<KnowledgeSource, 'number' | 'url'>[]; thread?: Thread };
  /** External scanners to run when on PATH (none by default). */
  external?: { tools: ('bandit' | 'semgrep')[]; semgrepConfig?: string; timeoutMs: number };
  signal?: AbortSignal;
  now?: () => number;
}

/** The external scanners get this long per text. */
const EXTERNAL_TOOLS_TIMEOUT_MS = 30_000;

/** The `external` option the settings ask for (`threadwise.checks.externalTools`), none when empty. */
export function externalToolsOption(settings: Pick<DaemonSettings, 'checksExternalTools' | 'checksSemgrepConfig'>): Pick<CheckTextOptions, 'external'> {
  if (settings.checksExternalTools.length === 0) return {};
  return { external: { tools: settings.checksExternalTools, semgrepConfig: settings.checksSemgrepConfig, timeoutMs: EXTERNAL_TOOLS_TIMEOUT_MS } };
}

const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, warning: 1, error: 2 };

/**
 * The checks of one reply (DESIGN.md's evaluate stage, less the guardrail): every fenced code block
 * through the checker of its language (syntax, then security), the external scanners when asked,
 * the whole text for secrets, and the citations against the given sources. Pure but for the
 * external tools; never throws for bad input: a checker that cannot run marks its blocks "not
 * checked" with the reason.
 */
export async function checkText(text: string, options: CheckTextOptions): Promise<CheckReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const blocks = options.language === undefined ? extractCodeBlocks(text) : [bareCodeBlock(text, options.language)];
  const reports: BlockReport[] = [];
  for (const block of blocks) reports.push(await checkBlock(block, options));

  const externalTools: ExternalToolRun[] = [];
  if (options.external && options.external.tools.length > 0) {
    const checkable = reports.flatMap((report) => {
      const language = checkedLanguageOf(report.block);
      return language === null ? [] : [{ index: report.block.index, language, code: report.block.code }];
    });
    const external = await runExternalTools(checkable, {
      tools: options.external.tools,
      ...(options.external.semgrepConfig ? { semgrepConfig: options.external.semgrepConfig } : {}),
      timeoutMs: options.external.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    externalTools.push(...external.runs);
    for (const report of reports) {
      const more = external.findings.get(report.block.index);
      if (more && more.length > 0) report.findings = sortFindings([...report.findings, ...more]);
    }
  }

  for (const report of reports) report.failed = blockFails(report, options);
  const secrets = findSecrets(text);
  const sources = options.sources ? citationFindings(text, options.sources.given, options.sources.thread) : [];
  const failures =
    reports.reduce((sum, report) => sum + failingCount(report, options), 0) + secrets.length + sources.length;
  return { blocks: reports, secrets, sources, strict: options.strict, passed: failures === 0, failures, externalTools, ms: now() - started };
}

async function checkBlock(block: CodeBlock, options: CheckTextOptions): Promise<BlockReport> {
  const language = checkedLanguageOf(block);
  if (language === null) {
    const reason = block.language === null ? 'no language on the fence, and none could be detected' : `no checker for the language \`${block.language}\``;
    return { block, syntax: 'not-checked', security: 'not-checked', notCheckedReason: reason, findings: [], failed: false };
  }
  const lookup = await options.checkers.forLanguage(language);
  if ('error' in lookup) {
    return { block, syntax: 'not-checked', security: 'not-checked', notCheckedReason: lookup.error, findings: [], failed: false };
  }
  try {
    const result = lookup.checker.check(block.code, language, { strict: options.strict });
    return { block, syntax: result.syntax, security: 'checked', findings: sortFindings(result.findings), failed: false };
  } catch (error) {
    // A checker bug must not cost the reply: the block is reported as not checked, with the reason.
    const reason = `the ${language} checker failed: ${error instanceof Error ? error.message : String(error)}`;
    return { block, syntax: 'not-checked', security: 'not-checked', notCheckedReason: reason, findings: [], failed: false };
  }
}

/** A finding fails at `failOn` and above; in strict mode every finding fails. */
export function findingFails(finding: CodeFinding, options: Pick<CheckTextOptions, 'failOn' | 'strict'>): boolean {
  if (finding.kind === 'syntax') return true;
  return options.strict || SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[options.failOn];
}

function failingCount(report: BlockReport, options: CheckTextOptions): number {
  const failing = report.findings.filter((finding) => findingFails(finding, options)).length;
  // Code no checker read cannot pass in strict mode: it counts as one failure.
  return failing + (options.strict && report.syntax === 'not-checked' ? 1 : 0);
}

function blockFails(report: BlockReport, options: CheckTextOptions): boolean {
  return failingCount(report, options) > 0;
}

function checkedLanguageOf(block: CodeBlock): CheckedLanguage | null {
  return block.language === null ? null : normalizeLanguage(block.language).checked;
}

function sortFindings(findings: CodeFinding[]): CodeFinding[] {
  return [...findings].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.ruleId.localeCompare(b.ruleId));
}

/** `text` as the one block of a code file: its language from the given word or extension. */
function bareCodeBlock(text: string, languageWord: string): CodeBlock {
  const word = languageWord.replace(/^\./, '').trim().toLowerCase();
  const { language } = normalizeLanguage(word);
  return { index: 0, language: language === '' ? null : language, languageFrom: language === '' ? 'none' : 'fence', info: languageWord, code: text, startLine: 1, offset: 0, unclosed: false };
}
