import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CodeCheckers } from '../checks/code/codeCheckers';
import { defaultCodeCheckers } from '../checks/code/defaultCheckers';
import { languageOfPath } from '../checks/code/languages';
import { runCheckRequest, MAX_CHECK_TEXT_CHARS } from '../checks/checkRequest';
import { findingFails } from '../checks/checkText';
import { toThreadwiseError } from '../errors';
import type { BlockReport, CheckReport } from '../protocol';
import { DEFAULT_SETTINGS } from '../settings';
import type { CheckCommand } from './args';
import type { CliIo } from '../cli';

/** `threadwise check` exits with this when a check fails (0: all passed; 1: could not check; 2: bad usage). */
export const EXIT_CHECK_FAILED = 3;

/** Extensions read as Markdown (a reply, a doc) rather than as one block of code. */
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdx', '.txt', '']);

/**
 * `threadwise check <file|->`: the checks Suggest Reply runs on a draft, on any Markdown or code,
 * without a model. Prints findings as `FILE:LINE:COL severity rule message` (lines of the input
 * file, not of the block), or the CheckReport as JSON with `--json`.
 */
export async function runCheck(command: CheckCommand, io: CliIo, checkers = new CodeCheckers(defaultCodeCheckers())): Promise<number> {
  let text: string;
  try {
    const bytes = command.file === '-' ? await io.readStdin() : await readFile(command.file);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr.write(`threadwise: cannot read ${command.file === '-' ? 'standard input' : command.file}: ${error instanceof TypeError ? 'it is not UTF-8 text' : (code ?? (error as Error).message)}\n`);
    return 2;
  }
  if (text.length > MAX_CHECK_TEXT_CHARS) {
    io.stderr.write(`threadwise: ${command.file} is too large to check (${text.length} characters; at most ${MAX_CHECK_TEXT_CHARS})\n`);
    return 2;
  }
  const language = command.language ?? codeLanguageOf(command.file);
  const settings = {
    ...DEFAULT_SETTINGS,
    checksFailOn: command.failOn ?? DEFAULT_SETTINGS.checksFailOn,
    checksExternalTools: command.external,
    checksSemgrepConfig: command.semgrepConfig ?? '',
  };
  let report: CheckReport;
  try {
    ({ report } = await runCheckRequest({ text, ...(language ? { language } : {}), strict: command.strict }, { checkers, settings }));
  } catch (error) {
    io.stderr.write(`threadwise: ${toThreadwiseError(error).describe()}\n`);
    return 1;
  }
  if (command.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else io.stdout.write(formatReport(command.file === '-' ? '<stdin>' : command.file, report, { failOn: settings.checksFailOn, strict: command.strict }));
  return report.passed ? 0 : EXIT_CHECK_FAILED;
}

/** The language of a code file by its extension; undefined for Markdown and text (checked as a reply). */
function codeLanguageOf(file: string): string | undefined {
  if (file === '-') return undefined;
  if (MARKDOWN_EXTENSIONS.has(path.extname(file).toLowerCase())) return undefined;
  return languageOfPath(file) ?? path.extname(file).slice(1);
}

/** The report for a terminal: one header line per block, one line per finding, then a summary. */
export function formatReport(file: string, report: CheckReport, rules: { failOn: 'error' | 'warning'; strict: boolean }): string {
  const lines: string[] = [];
  for (const block of report.blocks) {
    lines.push(blockHeader(block));
    for (const finding of block.findings) {
      const line = block.block.startLine + finding.line - 1;
      const fails = findingFails(finding, rules) ? '' : ' (not failing)';
      lines.push(`  ${file}:${line}:${finding.column ?? 1}  ${finding.severity}${fails}  ${finding.ruleId}  ${oneLine(finding.message)}  [${finding.engine}]`);
    }
  }
  for (const secret of report.secrets) lines.push(`  ${file}:${secret.line}  error  ${secret.ruleId}  ${secret.message}: ${secret.masked}`);
  for (const source of report.sources) lines.push(`  ${file}  error  source.${source.kind}  ${oneLine(source.text)} is not backed by a given source`);
  for (const run of report.externalTools) lines.push(`  ${run.tool}: ${run.ran ? 'ran' : `did not run (${run.error ?? 'unknown reason'})`}`);
  const failing = report.blocks.filter((block) => block.failed).length;
  const unchecked = report.blocks.filter((block) => block.syntax === 'not-checked').length;
  const summary = [
    `${report.blocks.length} code ${report.blocks.length === 1 ? 'block' : 'blocks'}`,
    `${failing} failing`,
    ...(unchecked > 0 ? [`${unchecked} not checked`] : []),
    `${report.secrets.length} possible ${report.secrets.length === 1 ? 'secret' : 'secrets'}`,
    ...(report.strict ? ['strict'] : []),
    `${Math.round(report.ms)} ms`,
  ];
  lines.push(`${report.passed ? 'passed' : `FAILED (${report.failures} ${report.failures === 1 ? 'failure' : 'failures'})`}: ${summary.join(' · ')}`);
  return `${lines.join('\n')}\n`;
}

function blockHeader(report: BlockReport): string {
  const { block } = report;
  const language = block.language ?? 'no language';
  const target = block.file ? ` → ${block.file}` : '';
  const state = report.syntax === 'not-checked' ? `not checked: ${report.notCheckedReason ?? 'unknown reason'}` : `syntax ${report.syntax}, ${report.findings.filter((f) => f.kind === 'security').length} security findings`;
  return `block ${block.index + 1} (${language}${block.languageFrom === 'detected' ? ', detected' : ''}, line ${block.startLine}${target}): ${state}${report.failed ? ' — FAILS' : ''}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
