import type { BlockReport, CheckCycle, CheckReport, CitationFinding, HistoryRecord, SecretFinding } from '../../../server/src/protocol';
import { suggestionOf } from './explainStages';
import type { ExplainStage, TimeFormat } from './explainStages';
import { definitionList, escapeHtml, formatCount, formatMs, formatNumber, linkHtml, listOf, numberOf, plural, tableHtml, textOf } from './htmlText';

/**
 * The last five stages of "Explain this suggestion" (pure, no VS Code): generation, the checks of
 * every draft, the guardrail, the reply and what the person did with it. Every text is escaped.
 */

const STOP_REASONS: Record<string, string> = {
  end: 'the model ended the reply',
  maxTokens: 'the token limit was reached',
  cancelled: 'cancelled',
};

export function generationStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const timings = suggestion.timings;
  const tokens = suggestion.tokens;
  const ttft = numberOf(timings?.timeToFirstTokenMs);
  const stop = STOP_REASONS[textOf(suggestion.stopReason)] ?? textOf(suggestion.stopReason, '—');
  const rows: Array<[string, string]> = [
    ['Time to first token', ttft === null ? 'nothing was generated' : formatMs(ttft)],
    ['Speed', `${formatNumber(timings?.tokensPerSecond)} tokens/s (first draft)`],
    ['Tokens evaluated', formatCount(tokens?.evaluated)],
    ['Tokens reused', `${formatCount(tokens?.reused)} (from the KV cache)`],
    ['Tokens generated', formatCount(tokens?.generated)],
    ['Generation time', `${formatMs(timings?.generationMs)} (every draft)`],
    ['Stop reason', escapeHtml(stop)],
  ];
  return {
    id: 'generation',
    title: 'Generation',
    ms: numberOf(timings?.generationMs),
    produced: `${formatCount(tokens?.generated)} tokens at ${formatNumber(timings?.tokensPerSecond)} tokens/s, first after ${formatMs(ttft)}${suggestion.cancelled ? ' (cancelled)' : ''}`,
    body: definitionList(rows),
  };
}

export function checksStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const recorded = listOf<CheckCycle>(suggestion.checkCycles);
  // A record without cycles (no repairs recorded) still has the report of its final text.
  const cycles: CheckCycle[] =
    recorded.length > 0 || !suggestion.checks
      ? recorded
      : [{ cycle: 0, text: textOf(suggestion.text), report: suggestion.checks, feedback: '', generatedTokens: numberOf(suggestion.tokens?.generated) ?? 0, generationMs: numberOf(suggestion.timings?.generationMs) ?? 0, stopReason: suggestion.stopReason ?? 'end' }];
  const final = suggestion.checks;
  const failures = numberOf(final?.failures) ?? 0;
  const repairs = Math.max(0, cycles.length - 1);
  const produced = !final
    ? 'not recorded'
    : `${final.passed ? 'passed' : `failed with ${plural(failures, 'failure')}`} after ${plural(repairs, 'repair')}${final.strict ? ' (strict mode)' : ''}`;
  const body = cycles.length === 0 ? '<p class="muted">No checks were recorded.</p>' : cycles.map(cycleHtml).join('');
  return { id: 'checks', title: 'Checks', ms: numberOf(suggestion.timings?.checksMs), produced, body };
}

function cycleHtml(cycle: CheckCycle): string {
  const report: Partial<CheckReport> = typeof cycle.report === 'object' && cycle.report !== null ? cycle.report : {};
  const number = numberOf(cycle.cycle) ?? 0;
  const name = number === 0 ? 'First draft' : `Repair ${number}`;
  const verdict = report.passed ? 'passed' : `${plural(numberOf(report.failures) ?? 0, 'failure')}`;
  const rows = findingRows(report);
  const findings = rows.length === 0 ? '<p class="muted">No findings.</p>' : tableHtml(['Rule', 'Severity', 'Line', 'Message', 'Fails'], rows, `Findings of ${name.toLowerCase()}`);
  const feedback = textOf(cycle.feedback);
  const feedbackHtml = feedback === '' ? '' : `<details><summary>Feedback sent to the model</summary><pre>${escapeHtml(feedback)}</pre></details>`;
  const external = listOf(report.externalTools)
    .map((run) => `${escapeHtml(textOf(run.tool))}: ${run.ran ? 'ran' : `did not run${run.error ? ` (${escapeHtml(run.error)})` : ''}`}`)
    .join('; ');
  return `<section class="cycle" aria-label="${escapeHtml(name)}"><h3>${escapeHtml(name)} — ${escapeHtml(verdict)} · checked in ${formatMs(report.ms)} · ${formatCount(cycle.generatedTokens)} tokens in ${formatMs(cycle.generationMs)}</h3>`
    + `<details><summary>Draft (${plural(textOf(cycle.text).length, 'character')})</summary><pre>${escapeHtml(textOf(cycle.text))}</pre></details>`
    + findings
    + (external === '' ? '' : `<p class="muted">External scanners: ${external}</p>`)
    + feedbackHtml
    + '</section>';
}

/** One row per finding: code findings by block, not-checked blocks, secrets (masked) and unknown sources. */
function findingRows(report: Partial<CheckReport>): string[][] {
  const rows: string[][] = [];
  for (const block of listOf<BlockReport>(report.blocks)) {
    const where = `block ${(numberOf(block.block?.index) ?? 0) + 1}${block.block?.language ? ` (${textOf(block.block.language)})` : ''}`;
    for (const finding of listOf(block.findings)) {
      rows.push([
        `<code>${escapeHtml(textOf(finding.ruleId))}</code>`,
        escapeHtml(textOf(finding.severity)),
        `${escapeHtml(where)}, line ${formatCount(finding.line)}`,
        escapeHtml(textOf(finding.message)),
        block.failed ? 'yes' : 'no',
      ]);
    }
    if (block.syntax === 'not-checked') {
      rows.push(['<code>not-checked</code>', 'info', escapeHtml(where), escapeHtml(textOf(block.notCheckedReason, 'no checker for this language')), block.failed ? 'yes' : 'no']);
    }
  }
  for (const secret of listOf<SecretFinding>(report.secrets)) {
    rows.push([`<code>${escapeHtml(textOf(secret.ruleId))}</code>`, 'error', `line ${formatCount(secret.line)}`, `${escapeHtml(textOf(secret.message))} <code>${escapeHtml(textOf(secret.masked))}</code>`, 'yes']);
  }
  for (const source of listOf<CitationFinding>(report.sources)) {
    const message = source.kind === 'unknown-source' ? 'cites a source that was not given' : 'a URL in neither the sources nor the thread';
    rows.push([`<code>${escapeHtml(textOf(source.kind))}</code>`, 'error', '—', `${escapeHtml(message)}: <code>${escapeHtml(textOf(source.text))}</code>`, 'yes']);
  }
  return rows;
}

export function guardrailStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const safety = suggestion.safety;
  const rows: Array<[string, string]> = [
    ['Label', escapeHtml(textOf(safety?.label, '—'))],
    ['Score', formatNumber(safety?.score, 3)],
    ['Unsafe score', formatNumber(safety?.unsafeScore, 3)],
    ['Threshold', formatNumber(safety?.threshold, 3)],
    ['Verdict', safety ? (safety.unsafe ? '<strong class="bad">unsafe</strong>' : 'safe') : '—'],
    ['Classifier', escapeHtml(textOf(safety?.model, '—'))],
  ];
  if (typeof safety?.error === 'string') rows.push(['Error', escapeHtml(safety.error)]);
  return {
    id: 'guardrail',
    title: 'Guardrail',
    ms: numberOf(suggestion.timings?.guardrailMs),
    produced: safety ? `${escapeHtml(textOf(safety.label))} (${safety.unsafe ? 'unsafe' : 'safe'}, unsafe score ${formatNumber(safety.unsafeScore, 3)} vs threshold ${formatNumber(safety.threshold, 3)})` : 'not recorded',
    body: definitionList(rows),
  };
}

export function replyStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const text = textOf(suggestion.text);
  return {
    id: 'reply',
    title: 'Reply',
    ms: null,
    produced: `${plural(text.length, 'character')}${suggestion.cancelled ? ', cut short: the run was cancelled' : ''}`,
    body: text === '' ? '<p class="muted">The reply is empty.</p>' : `<pre class="reply">${escapeHtml(text)}</pre>`,
  };
}

export function outcomeStage(record: HistoryRecord, formatTime: TimeFormat): ExplainStage {
  const outcome = typeof record.outcome === 'object' && record.outcome !== null ? record.outcome : null;
  if (!outcome) {
    return { id: 'outcome', title: 'Outcome', ms: null, produced: 'pending: nothing reported yet', body: '<p class="muted">The suggestion was not posted, copied or discarded yet.</p>' };
  }
  const distance = numberOf(outcome.editDistance);
  const words: Record<string, string> = {
    posted: 'posted as suggested',
    edited: `edited, then posted (edit distance ${formatCount(distance)})`,
    copied: 'copied',
    discarded: 'discarded',
  };
  const what = words[textOf(outcome.outcome)] ?? textOf(outcome.outcome, 'unknown');
  const rows: Array<[string, string]> = [
    ['Outcome', escapeHtml(what)],
    ['When', escapeHtml(typeof outcome.at === 'string' ? formatTime(outcome.at) : '—')],
  ];
  if (distance !== null) rows.push(['Edit distance', `${formatCount(distance)} characters changed`]);
  if (numberOf(outcome.finalLength) !== null) rows.push(['Posted length', plural(numberOf(outcome.finalLength) ?? 0, 'character')]);
  if (outcome.commentUrl !== undefined) rows.push(['Comment', linkHtml(outcome.commentUrl, textOf(outcome.commentUrl))]);
  return { id: 'outcome', title: 'Outcome', ms: null, produced: escapeHtml(what), body: definitionList(rows) };
}
