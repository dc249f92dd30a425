import type { HistoryRecord } from '../../../server/src/protocol';
import { checksStage, generationStage, guardrailStage, outcomeStage, replyStage } from './explainResults';
import { modelStage, promptStage, retrievalStage, suggestionOf, threadStage } from './explainStages';
import type { ExplainStage, TimeFormat } from './explainStages';
import { historyPage } from './historyPage';
import { escapeHtml, formatMs, localTime, numberOf, textOf } from './htmlText';

/**
 * "Explain this suggestion" as one static HTML page (pure, no VS Code): the record's trace as the
 * dataflow it went through, stage by stage in the order the daemon ran them, each with what it
 * produced, how long it took and a bar of its share of the total time. The page runs no script;
 * every text of the record is escaped and only https links are made (see htmlText).
 */

/** The stages, in dataflow order (the page's headings, and the tests' expectation). */
export const EXPLAIN_STAGE_TITLES = ['Thread', 'Retrieval', 'Prompt', 'Model', 'Generation', 'Checks', 'Guardrail', 'Reply', 'Outcome'] as const;

export interface ExplainPageOptions {
  /** Nonce of the page's stylesheet (fresh per render). */
  nonce: string;
  /** Timestamps as the person reads them; default local date and time. */
  formatTime?: TimeFormat;
}

/** Width of a stage's timing bar in CSS pixels. */
export const TIMING_BAR_WIDTH = 160;
const TIMING_BAR_HEIGHT = 8;

/** The stages of `record`, in dataflow order. */
export function explainStages(record: HistoryRecord, formatTime: TimeFormat = localTime): ExplainStage[] {
  return [
    threadStage(record, formatTime),
    retrievalStage(record),
    promptStage(record),
    modelStage(record),
    generationStage(record),
    checksStage(record),
    guardrailStage(record),
    replyStage(record),
    outcomeStage(record, formatTime),
  ];
}

export function explainPage(record: HistoryRecord, options: ExplainPageOptions): string {
  const formatTime = options.formatTime ?? localTime;
  const suggestion = suggestionOf(record);
  const totalMs = numberOf(suggestion.timings?.totalMs);
  const stages = explainStages(record, formatTime);
  const thread = typeof record.thread === 'object' && record.thread !== null ? record.thread : undefined;
  const heading = `#${numberOf(thread?.number) ?? '?'} ${textOf(thread?.title)}`;
  const meta = [
    textOf(thread?.repo, 'unknown repository'),
    `made ${formatTime(textOf(record.createdAt))}`,
    `by ${textOf(record.origin, 'unknown')}`,
    `total ${formatMs(totalMs)}`,
  ].join(' · ');
  const body = `<header>
<h1>${escapeHtml(heading)}</h1>
<p class="meta">${escapeHtml(meta)}</p>
<p class="meta">Suggestion <code>${escapeHtml(textOf(record.id))}</code>. Each stage below shows what it produced and how long it took; the bars show its share of the total time.</p>
</header>
<main>
${stages.map((stage, index) => stageHtml(stage, index + 1, totalMs)).join('\n')}
</main>`;
  return historyPage({ nonce: options.nonce, title: 'Explain suggestion' }, body);
}

function stageHtml(stage: ExplainStage, step: number, totalMs: number | null): string {
  const took = stage.ms === null ? '' : ` <span class="took">${escapeHtml(formatMs(stage.ms))}</span>${timingBar(stage.ms, totalMs, stage.title)}`;
  return `<section class="stage" id="stage-${stage.id}" aria-labelledby="h-${stage.id}">
<h2 id="h-${stage.id}"><span class="step">${step}</span> ${escapeHtml(stage.title)}${took}</h2>
<p class="produced">${stage.produced}</p>
${stage.body}
</section>`;
}

/**
 * A bar of `ms` as a share of `totalMs`: the track is TIMING_BAR_WIDTH wide, the fill
 * `ms / totalMs` of it (clamped to the track, two decimals); no fill without a total.
 */
export function timingBar(ms: number, totalMs: number | null, label: string): string {
  const share = totalMs !== null && totalMs > 0 ? Math.min(1, Math.max(0, ms / totalMs)) : 0;
  const width = round2(share * TIMING_BAR_WIDTH);
  const percent = Math.round(share * 100);
  const text = `${label}: ${formatMs(ms)}, ${percent}% of the total`;
  return `<svg class="timing" width="${TIMING_BAR_WIDTH}" height="${TIMING_BAR_HEIGHT}" viewBox="0 0 ${TIMING_BAR_WIDTH} ${TIMING_BAR_HEIGHT}" role="img" aria-label="${escapeHtml(text)}"><title>${escapeHtml(text)}</title><rect class="bar-track" x="0" y="0" width="${TIMING_BAR_WIDTH}" height="${TIMING_BAR_HEIGHT}" rx="2"/><rect class="bar-fill" x="0" y="0" width="${width}" height="${TIMING_BAR_HEIGHT}" rx="2"/></svg>`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
