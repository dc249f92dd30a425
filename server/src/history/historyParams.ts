import { isAbsolute } from 'node:path';
import { ThreadwiseError } from '../errors';
import { EXPORT_DISPOSITIONS, EXPORT_FORMATS, OUTCOME_FILTERS, REPO_NAME_PATTERN } from '../protocol';
import type { ExportDisposition, ExportFormat, HistoryListParams, HistoryOutcomeParams } from '../protocol';

/**
 * Checks the params of the history requests, which come from a client (or a command line) and are
 * untrusted: anything malformed is an `invalid-params` error that names the field, never a crash.
 */
const REPORTED_OUTCOMES: readonly HistoryOutcomeParams['outcome'][] = ['posted', 'copied', 'discarded'];
/** A posted text longer than this is refused: GitHub's own comment limit is 65,536 characters. */
const MAX_FINAL_TEXT = 262_144;

export function invalidParams(message: string): ThreadwiseError {
  return new ThreadwiseError('invalid-params', message);
}

function record(params: unknown, what: string): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw invalidParams(`${what}: params must be an object`);
  return params as Record<string, unknown>;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParams(`${field} must be a string`);
  return value;
}

export function optionalRepo(value: unknown, field = 'repo'): string | undefined {
  const repo = optionalString(value, field);
  if (repo === undefined) return undefined;
  if (!REPO_NAME_PATTERN.test(repo)) throw invalidParams(`${field} must look like "owner/name", got ${JSON.stringify(repo.slice(0, 80))}`);
  return repo;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalidParams(`${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * A `--since` / `since` value: a date (`2026-11-01`, midnight UTC) or an ISO-8601 timestamp.
 * Anything else, or a date that does not exist (`2026-02-30`), is refused.
 */
export function parseSince(value: unknown, field = 'since'): Date | undefined {
  const text = optionalString(value, field)?.trim();
  if (text === undefined || text === '') return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = dateOnly ? new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]))) : new Date(text);
  const roundTrips = !dateOnly || date.toISOString().slice(0, 10) === text;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime()) || !roundTrips) {
    throw invalidParams(`${field} must be a date like 2026-11-01 or an ISO-8601 timestamp, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return date;
}

export function parseListParams(params: unknown): HistoryListParams {
  const p = record(params, 'history/list');
  const result: HistoryListParams = {};
  const repo = optionalRepo(p.repo);
  if (repo !== undefined) result.repo = repo;
  const outcome = oneOf(p.outcome, OUTCOME_FILTERS, 'outcome');
  if (outcome !== undefined) result.outcome = outcome;
  if (p.thread !== undefined && p.thread !== null) {
    if (typeof p.thread !== 'number' || !Number.isInteger(p.thread) || p.thread < 1) throw invalidParams('thread must be a positive integer');
    result.thread = p.thread;
  }
  if (p.limit !== undefined && p.limit !== null) {
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 1) throw invalidParams('limit must be a positive integer');
    result.limit = Math.min(p.limit, 1000);
  }
  const before = optionalString(p.before, 'before');
  if (before !== undefined) result.before = before;
  return result;
}

export function parseId(params: unknown): string {
  const id = optionalString(record(params, 'history').id, 'id');
  if (!id) throw invalidParams('id is required');
  return id;
}

export function parseOutcomeParams(params: unknown): HistoryOutcomeParams {
  const p = record(params, 'history/outcome');
  const id = parseId(p);
  const outcome = oneOf(p.outcome, REPORTED_OUTCOMES, 'outcome');
  if (!outcome) throw invalidParams('outcome is required');
  const finalText = optionalString(p.finalText, 'finalText');
  if (finalText !== undefined && finalText.length > MAX_FINAL_TEXT) throw invalidParams(`finalText is longer than ${MAX_FINAL_TEXT} characters`);
  const commentUrl = optionalString(p.commentUrl, 'commentUrl');
  if (commentUrl !== undefined && !/^https:\/\/[^\s]+$/.test(commentUrl)) throw invalidParams('commentUrl must be an https URL');
  return { id, outcome, ...(finalText !== undefined ? { finalText } : {}), ...(commentUrl !== undefined ? { commentUrl } : {}) };
}

export interface ExportTarget {
  out: string;
  since?: Date;
  repo?: string;
  disposition: ExportDisposition;
}

export function parseExportTarget(params: Record<string, unknown>): ExportTarget {
  const out = optionalString(params.out, 'out');
  if (!out || !isAbsolute(out)) throw invalidParams('out must be an absolute file path');
  const since = parseSince(params.since);
  const repo = optionalRepo(params.repo);
  const disposition = oneOf(params.disposition, EXPORT_DISPOSITIONS, 'disposition') ?? 'replace';
  return { out, disposition, ...(since ? { since } : {}), ...(repo ? { repo } : {}) };
}

export function parseExportParams(params: unknown): ExportTarget & { format: ExportFormat } {
  const p = record(params, 'history/export');
  const format = oneOf(p.format, EXPORT_FORMATS, 'format');
  if (!format) throw invalidParams(`format is required (${EXPORT_FORMATS.join(', ')})`);
  return { ...parseExportTarget(p), format };
}

export function parseDatasetParams(params: unknown): ExportTarget {
  return parseExportTarget(record(params, 'history/dataset'));
}

export function parseClearParams(params: unknown): { repo?: string } {
  const repo = optionalRepo(record(params, 'history/clear').repo);
  return repo ? { repo } : {};
}
