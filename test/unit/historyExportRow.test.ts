import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exportColumns, toExportRow } from '../../server/src/history/export/exportRow';
import { failingRules } from '../../server/src/history/export/failingRules';
import { aCheckReport } from '../support/builders';
import { aFullHistoryRecord, aHistoryRecord } from '../support/historyRecords';

describe('toExportRow', () => {
  test('flattens a full record into every column, in column order', () => {
    const record = aFullHistoryRecord({ id: 'sugg-9' });
    const row = toExportRow(record);
    assert.deepEqual(Object.keys(row), exportColumns.map((column) => column.name));
    const { prompt_json, sources_json, check_cycles_json, screening_json, ...flat } = row;
    assert.deepEqual(flat, {
      id: 'sugg-9',
      created_at: '2024-01-15T11:00:00.000Z',
      origin: 'vscode',
      repo: 'acme/widgets',
      thread_number: 42,
      thread_kind: 'issue',
      thread_title: 'Crash when opening a large file',
      thread_url: 'https://github.com/acme/widgets/issues/42',
      thread_updated_at: '2024-01-15T10:30:00.000Z',
      comment_count: 1,
      model_name: 'Llama 3.2 1B Instruct',
      model_file: 'llama-3.2-1b.Q4_K_M.gguf',
      model_size_bytes: 8_123_456_789,
      model_sha256: 'ab'.repeat(32),
      context_size: 8192,
      gpu: 'cuda',
      temperature: 0.7,
      seed: 42,
      max_tokens: 768,
      max_fix_cycles: 2,
      index_version: '17',
      embedding_model: 'Xenova/all-MiniLM-L6-v2',
      sources_given: 2,
      sources_cited: 1,
      guardrail_label: 'SAFE',
      guardrail_score: 0.98,
      guardrail_unsafe_score: 0.02,
      guardrail_unsafe: false,
      checks_passed: true,
      check_failures: 0,
      repair_cycles: 1,
      failing_rules: 'no-eval,secret.github-token',
      load_ms: 0,
      retrieval_ms: 0,
      time_to_first_token_ms: 35,
      tokens_per_second: 40,
      generation_ms: 300,
      checks_ms: 3,
      guardrail_ms: 12,
      total_ms: 350,
      tokens_prompt: 420,
      tokens_evaluated: 400,
      tokens_reused: 20,
      tokens_generated: 12,
      stop_reason: 'end',
      cancelled: false,
      outcome: 'edited',
      edit_distance: 7,
      final_length: 52,
      outcome_at: '2024-01-15T12:00:00.000Z',
      comment_url: 'https://github.com/acme/widgets/issues/42#issuecomment-1',
      reply: 'Thanks for the report! Could you share the log?',
    });
    assert.deepEqual(JSON.parse(prompt_json as string), record.suggestion.chat);
    const sources = JSON.parse(sources_json as string) as { number: number; score: number; cited: boolean; text: string }[];
    assert.deepEqual(sources.map((s) => [s.number, s.score, s.cited]), [[1, 0.0325, true], [2, 0.0161, false]]);
    assert.equal(sources[0]!.text, '## Linux\n\nRun `make install` as root.');
    assert.deepEqual(JSON.parse(check_cycles_json as string), record.suggestion.checkCycles);
    assert.deepEqual(JSON.parse(screening_json as string), record.suggestion.screening);
  });

  test('nullable parts of a bare record come out as null, a CPU run as a null gpu', () => {
    const row = toExportRow(aHistoryRecord({ modelSha256: null, thread: { url: null, updatedAt: null }, suggestion: { timings: { ...aHistoryRecord().suggestion.timings, timeToFirstTokenMs: null } } }));
    const nulls = Object.entries(row).filter(([, value]) => value === null).map(([name]) => name);
    assert.deepEqual(nulls, ['thread_url', 'thread_updated_at', 'model_sha256', 'gpu', 'index_version', 'embedding_model', 'time_to_first_token_ms', 'outcome', 'edit_distance', 'final_length', 'outcome_at', 'comment_url']);
    assert.equal(row.repair_cycles, 0);
    assert.equal(row.failing_rules, '');
    assert.equal(row.sources_json, '[]');
    assert.equal(row.check_cycles_json, '[]');
  });

  test('every column that can be null is declared nullable, and only those', () => {
    const nullable = exportColumns.filter((column) => column.nullable).map((column) => column.name);
    assert.deepEqual(nullable, ['thread_url', 'thread_updated_at', 'model_sha256', 'gpu', 'index_version', 'embedding_model', 'time_to_first_token_ms', 'outcome', 'edit_distance', 'final_length', 'outcome_at', 'comment_url']);
  });

  test('the model file is reduced to its base name with either separator', () => {
    const windows = aHistoryRecord({ suggestion: { model: { ...aHistoryRecord().suggestion.model, file: 'C:\\Users\\me\\models\\tiny.gguf' } } });
    assert.equal(toExportRow(windows).model_file, 'tiny.gguf');
  });
});

describe('failingRules', () => {
  const block = (failed: boolean, severities: ('error' | 'warning' | 'info')[], syntax: 'ok' | 'not-checked' = 'ok') => ({
    block: { index: 0, language: 'python', languageFrom: 'fence' as const, info: 'py', code: 'x', startLine: 1, offset: 0, unclosed: false },
    syntax,
    security: 'checked' as const,
    findings: severities.map((severity, i) => ({ ruleId: `rule.${severity}.${i}`, kind: 'security' as const, severity, line: 1, message: 'm', engine: 'rules' })),
    failed,
  });

  test('lists each failing rule once, in order of first failure across cycles', () => {
    const first = aCheckReport({ blocks: [block(true, ['warning', 'info'])], sources: [{ kind: 'unknown-url', text: 'https://x.example', offset: 3 }] });
    const second = aCheckReport({ blocks: [block(true, ['warning'])], secrets: [{ ruleId: 'secret.npm-token', message: 'npm', offset: 0, length: 4, line: 1, masked: 'npm_****' }] });
    assert.deepEqual(failingRules([first, second]), ['rule.warning.0', 'source.unknown-url', 'secret.npm-token']);
  });

  test('findings of a block that passed do not count; strict mode counts every finding and unchecked code', () => {
    assert.deepEqual(failingRules([aCheckReport({ blocks: [block(false, ['error'])] })]), []);
    assert.deepEqual(failingRules([aCheckReport({ strict: true, blocks: [block(true, ['info']), block(true, [], 'not-checked')] })]), ['rule.info.0', 'not-checked']);
  });
});
