import type { HistoryRecord } from '../../protocol';
import { failingRules } from './failingRules';

/**
 * The flat row of a history export, as CSV and Parquet write it (JSONL writes the whole record
 * instead). One column per figure an analyst filters or plots on; the nested parts (the chat, the
 * sources, the check cycles, the screening) as JSON text in `*_json` columns, so nothing is lost.
 *
 * Types: `string` (UTF-8), `int` (64-bit in Parquet), `double`, `bool`, `timestamp` (ISO-8601 text
 * in CSV, milliseconds since the epoch, UTC, in Parquet).
 */
export type ExportColumnType = 'string' | 'int' | 'double' | 'bool' | 'timestamp';

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportColumnType;
  /** Whether the value can be null (an empty cell in CSV). */
  readonly nullable: boolean;
  readonly description: string;
}

const s = <N extends string>(name: N, description: string, nullable = false) => ({ name, type: 'string', nullable, description }) as const;
const i = <N extends string>(name: N, description: string, nullable = false) => ({ name, type: 'int', nullable, description }) as const;
const d = <N extends string>(name: N, description: string, nullable = false) => ({ name, type: 'double', nullable, description }) as const;
const b = <N extends string>(name: N, description: string) => ({ name, type: 'bool', nullable: false, description }) as const;
const t = <N extends string>(name: N, description: string, nullable = false) => ({ name, type: 'timestamp', nullable, description }) as const;

/** The columns in file order. Changing the order or a name changes the file format: append and merge refuse a file whose header differs. */
export const exportColumns = [
  s('id', 'Suggestion id (the merge key).'),
  t('created_at', 'When the suggestion was completed.'),
  s('origin', 'Who asked: vscode, cli, or the LSP client name.'),
  s('repo', 'Repository owner/name (local/<file> for a thread file).'),
  i('thread_number', 'Issue or pull request number.'),
  s('thread_kind', 'issue or pull.'),
  s('thread_title', 'Thread title at the time.'),
  s('thread_url', 'Thread URL.', true),
  t('thread_updated_at', 'The thread updatedAt on GitHub at the time.', true),
  i('comment_count', 'Comments in the thread, review comments included.'),
  s('model_name', 'Chat model name.'),
  s('model_file', 'Base name of the model file.'),
  i('model_size_bytes', 'Size of the model file in bytes.'),
  s('model_sha256', 'SHA-256 of the model file; null until hashed.', true),
  i('context_size', 'Context window in tokens.'),
  s('gpu', 'GPU backend used; null on the CPU.', true),
  d('temperature', 'Sampling temperature of the first draft.'),
  i('seed', 'Sampling seed of the first draft.'),
  i('max_tokens', 'Most tokens a draft could have.'),
  i('max_fix_cycles', 'Most repair cycles allowed.'),
  s('index_version', 'Knowledge index generation searched; null without an index.', true),
  s('embedding_model', 'Embedding model of the index; null without an index.', true),
  i('sources_given', 'Sources given to the model.'),
  i('sources_cited', 'Sources the reply cites.'),
  s('guardrail_label', 'Guardrail top label (UNCHECKED when it could not run).'),
  d('guardrail_score', 'Score of the top label, 0..1.'),
  d('guardrail_unsafe_score', 'Highest unsafe-label score, 0..1.'),
  b('guardrail_unsafe', 'Whether the reply was labelled unsafe.'),
  b('checks_passed', 'Whether the final text passed its checks.'),
  i('check_failures', 'Failing findings of the final text.'),
  i('repair_cycles', 'Repair cycles run after the first draft.'),
  s('failing_rules', 'Rules that failed in any draft, comma-separated, in order of first failure.'),
  d('load_ms', 'Waiting for the model to load.'),
  d('retrieval_ms', 'Retrieving sources.'),
  d('time_to_first_token_ms', 'Start of generation to the first chunk; null when nothing was generated.', true),
  d('tokens_per_second', 'Decode speed of the first draft.'),
  d('generation_ms', 'Generating every draft.'),
  d('checks_ms', 'Checking every draft.'),
  d('guardrail_ms', 'Running the guardrail.'),
  d('total_ms', 'Request received to suggestion complete.'),
  i('tokens_prompt', 'Tokens in the prompt.'),
  i('tokens_evaluated', 'Prompt tokens the model evaluated.'),
  i('tokens_reused', 'Prompt tokens reused from the KV cache.'),
  i('tokens_generated', 'Tokens generated.'),
  s('stop_reason', 'end, maxTokens or cancelled.'),
  b('cancelled', 'Whether the request was cancelled.'),
  s('outcome', 'posted, edited, copied or discarded; null while pending.', true),
  i('edit_distance', 'Levenshtein distance from the suggestion to the text posted.', true),
  i('final_length', 'Length of the text posted, in UTF-16 code units.', true),
  t('outcome_at', 'When the outcome was reported.', true),
  s('comment_url', 'The comment on GitHub, when posted.', true),
  s('reply', 'The suggested text.'),
  s('prompt_json', 'The chat given to the model: [{role, text}].'),
  s('sources_json', 'Sources given to the model, each with its score and whether the reply cites it.'),
  s('check_cycles_json', 'Every draft with its check report.'),
  s('screening_json', 'The prompt-injection screening of the thread.'),
] as const satisfies readonly ExportColumn[];

export type ExportColumnName = (typeof exportColumns)[number]['name'];
export type ExportValue = string | number | boolean | null;
/** One record, flattened: a value for every column (its type as the column says, null only where nullable). */
export type ExportRow = { [K in ExportColumnName]: ExportValue };

/** Flattens a record for CSV and Parquet; keys come in `exportColumns` order. */
export function toExportRow(record: HistoryRecord): ExportRow {
  const { suggestion: sg, thread, outcome } = record;
  const cited = new Set(sg.sources.map((source) => source.number));
  return {
    id: record.id,
    created_at: record.createdAt,
    origin: record.origin,
    repo: thread.repo,
    thread_number: thread.number,
    thread_kind: thread.kind,
    thread_title: thread.title,
    thread_url: thread.url,
    thread_updated_at: thread.updatedAt,
    comment_count: thread.commentCount,
    model_name: sg.model.name,
    model_file: baseName(sg.model.file),
    model_size_bytes: sg.model.sizeBytes,
    model_sha256: record.modelSha256,
    context_size: sg.model.contextSize,
    gpu: sg.model.gpu === false ? null : sg.model.gpu,
    temperature: sg.sampling.temperature,
    seed: sg.sampling.seed,
    max_tokens: sg.sampling.maxTokens,
    max_fix_cycles: sg.sampling.maxFixCycles,
    index_version: sg.retrieval.indexVersion,
    embedding_model: sg.retrieval.embeddingModel,
    sources_given: sg.retrieval.given.length,
    sources_cited: sg.sources.length,
    guardrail_label: sg.safety.label,
    guardrail_score: sg.safety.score,
    guardrail_unsafe_score: sg.safety.unsafeScore,
    guardrail_unsafe: sg.safety.unsafe,
    checks_passed: sg.checks.passed,
    check_failures: sg.checks.failures,
    repair_cycles: Math.max(0, sg.checkCycles.length - 1),
    failing_rules: failingRules(sg.checkCycles.length > 0 ? sg.checkCycles.map((cycle) => cycle.report) : [sg.checks]).join(','),
    load_ms: sg.timings.loadMs,
    retrieval_ms: sg.timings.retrievalMs,
    time_to_first_token_ms: sg.timings.timeToFirstTokenMs,
    tokens_per_second: sg.timings.tokensPerSecond,
    generation_ms: sg.timings.generationMs,
    checks_ms: sg.timings.checksMs,
    guardrail_ms: sg.timings.guardrailMs,
    total_ms: sg.timings.totalMs,
    tokens_prompt: sg.tokens.prompt,
    tokens_evaluated: sg.tokens.evaluated,
    tokens_reused: sg.tokens.reused,
    tokens_generated: sg.tokens.generated,
    stop_reason: sg.stopReason,
    cancelled: sg.cancelled,
    outcome: outcome?.outcome ?? null,
    edit_distance: outcome?.editDistance ?? null,
    final_length: outcome?.finalLength ?? null,
    outcome_at: outcome?.at ?? null,
    comment_url: outcome?.commentUrl ?? null,
    reply: sg.text,
    prompt_json: JSON.stringify(sg.chat),
    sources_json: JSON.stringify(sg.retrieval.given.map((source) => ({ ...source, cited: cited.has(source.number) }))),
    check_cycles_json: JSON.stringify(sg.checkCycles),
    screening_json: JSON.stringify(sg.screening),
  };
}

/** The last path segment, with either separator (a record made on Windows read on Linux, or the reverse). */
function baseName(file: string): string {
  return /[^\\/]*$/.exec(file)?.[0] ?? file;
}
