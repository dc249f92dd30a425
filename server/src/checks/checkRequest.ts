import { ThreadwiseError } from '../errors';
import type { ChecksRunParams, ChecksRunResult, DaemonSettings, Thread } from '../protocol';
import { parseThread } from '../thread/parseThread';
import { checkText, externalToolsOption } from './checkText';
import type { CodeCheckers } from './code/codeCheckers';
import { screenThread } from './injection';

/** A text to check may be this long at most (a reply is a few KB; a code file to check, a few hundred KB). */
export const MAX_CHECK_TEXT_CHARS = 2_000_000;

/**
 * `threadwise/checks/run` on untrusted params: validates them (a clear `invalid-…` error, never a
 * crash), screens the thread when one is given (a flagged thread makes the checks strict), and
 * checks the text with the daemon's settings.
 */
export async function runCheckRequest(params: unknown, deps: { checkers: CodeCheckers; settings: DaemonSettings; signal?: AbortSignal }): Promise<ChecksRunResult> {
  const request = parseCheckParams(params);
  const screening = request.thread ? screenThread(request.thread) : undefined;
  const strict = request.strict === true || screening?.flagged === true;
  const { settings } = deps;
  const report = await checkText(request.text, {
    checkers: deps.checkers,
    failOn: settings.checksFailOn,
    strict,
    ...(request.language !== undefined ? { language: request.language } : {}),
    ...(request.sources !== undefined
      ? { sources: { given: request.sources.map((source) => ({ number: source.number, url: source.url ?? null })), ...(request.thread ? { thread: request.thread } : {}) } }
      : {}),
    ...externalToolsOption(settings),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  return screening ? { report, screening } : { report };
}

function parseCheckParams(value: unknown): ChecksRunParams & { thread?: Thread } {
  if (value === null || typeof value !== 'object') throw invalid('the check request must be an object');
  const params = value as Record<string, unknown>;
  if (typeof params.text !== 'string') throw invalid('`text` must be a string');
  if (params.text.length > MAX_CHECK_TEXT_CHARS) throw invalid(`\`text\` is ${params.text.length} characters; at most ${MAX_CHECK_TEXT_CHARS} can be checked`);
  const result: ChecksRunParams & { thread?: Thread } = { text: params.text };
  if (params.language !== undefined) {
    if (typeof params.language !== 'string' || params.language.length > 40) throw invalid('`language` must be a short string such as "python" or ".ts"');
    result.language = params.language;
  }
  if (params.thread !== undefined) result.thread = parseThread(params.thread, 'thread');
  if (params.strict !== undefined) {
    if (typeof params.strict !== 'boolean') throw invalid('`strict` must be true or false');
    result.strict = params.strict;
  }
  if (params.sources !== undefined) {
    if (!Array.isArray(params.sources) || params.sources.length > 100) throw invalid('`sources` must be a list of at most 100 { number, url? }');
    result.sources = params.sources.map((source: unknown, i) => {
      const entry = source as Record<string, unknown> | null;
      if (entry === null || typeof entry !== 'object' || typeof entry.number !== 'number' || !Number.isInteger(entry.number) || entry.number < 1) {
        throw invalid(`sources[${i}].number must be a positive integer`);
      }
      if (entry.url !== undefined && typeof entry.url !== 'string') throw invalid(`sources[${i}].url must be a string`);
      return typeof entry.url === 'string' ? { number: entry.number, url: entry.url } : { number: entry.number };
    });
  }
  return result;
}

function invalid(message: string): ThreadwiseError {
  return new ThreadwiseError('invalid-params', message);
}
