import type { ChatTurn, HistoryRecord, InjectionFinding, KnowledgeSource, Suggestion } from '../../../server/src/protocol';
import { definitionList, escapeHtml, formatBytes, formatCount, formatMs, formatNumber, linkHtml, listOf, numberOf, plural, tableHtml, textOf } from './htmlText';

/**
 * The first four stages of "Explain this suggestion" (pure, no VS Code): the thread as it was, what
 * retrieval gave the model, the prompt, and the model with its sampling settings. Each stage says
 * what it produced in one line and shows the details; every text from the record is escaped.
 */

/** One stage of the dataflow, as the explain page draws it. */
export interface ExplainStage {
  /** Anchor id, e.g. `thread`. */
  id: string;
  /** The heading, e.g. `Thread`. */
  title: string;
  /** How long the stage took; null when the suggestion's timings do not measure it. */
  ms: number | null;
  /** What the stage produced, one line of HTML (escaped). */
  produced: string;
  /** The details, HTML (escaped). */
  body: string;
}

/** Formats an ISO timestamp for the page (local time in the panel; fixed in tests). */
export type TimeFormat = (iso: string) => string;

/** The suggestion of a record, with every field optional: a record from an older daemon may lack some. */
export function suggestionOf(record: HistoryRecord): Partial<Suggestion> {
  return typeof record.suggestion === 'object' && record.suggestion !== null ? record.suggestion : {};
}

export function threadStage(record: HistoryRecord, formatTime: TimeFormat): ExplainStage {
  const thread: Partial<HistoryRecord['thread']> = typeof record.thread === 'object' && record.thread !== null ? record.thread : {};
  const ref = `${textOf(thread.repo, '?')}#${numberOf(thread.number) ?? '?'}`;
  const kind = thread.kind === 'pull' ? 'Pull request' : 'Issue';
  const comments = numberOf(thread.commentCount) ?? 0;
  const screening = suggestionOf(record).screening;
  const findings = listOf<InjectionFinding>(screening?.findings);
  const flagged = screening?.flagged === true;
  const screeningText = !screening ? 'not recorded' : flagged ? `flagged: ${plural(findings.length, 'finding')} (the checks ran in strict mode)` : 'nothing found';
  const updated = typeof thread.updatedAt === 'string' ? formatTime(thread.updatedAt) : 'unknown (a thread file without it)';
  const rows: Array<[string, string]> = [
    ['Reference', linkHtml(thread.url, ref)],
    ['Kind', kind],
    ['Title', escapeHtml(textOf(thread.title))],
    ['Updated on GitHub', escapeHtml(updated)],
    ['Comments', formatCount(comments)],
    ['Injection screening', escapeHtml(screeningText)],
  ];
  const findingTable =
    findings.length === 0
      ? ''
      : tableHtml(
          ['Rule', 'Where', 'Message', 'Excerpt'],
          findings.map((finding) => [
            `<code>${escapeHtml(textOf(finding.ruleId))}</code>`,
            escapeHtml(textOf(finding.where)),
            escapeHtml(textOf(finding.message)),
            `<code>${escapeHtml(textOf(finding.excerpt))}</code>`,
          ]),
          'Prompt-injection findings',
        );
  return {
    id: 'thread',
    title: 'Thread',
    ms: null,
    produced: `${escapeHtml(kind)} ${escapeHtml(ref)} with ${plural(comments, 'comment')}; injection screening: ${escapeHtml(flagged ? 'flagged' : screening ? 'clean' : 'not recorded')}`,
    body: definitionList(rows) + findingTable,
  };
}

export function retrievalStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const retrieval = suggestion.retrieval;
  const given = listOf<KnowledgeSource>(retrieval?.given);
  const cited = new Set(listOf<KnowledgeSource>(suggestion.sources).map((source) => source.number));
  const citedCount = given.filter((source) => cited.has(source.number)).length;
  const ms = numberOf(suggestion.timings?.retrievalMs) ?? numberOf(retrieval?.ms);
  const rows: Array<[string, string]> = [
    ['Index', retrieval?.indexed ? 'searched' : 'none'],
    ['Index version', escapeHtml(textOf(retrieval?.indexVersion, '—'))],
    ['Embedding model', escapeHtml(textOf(retrieval?.embeddingModel, '—'))],
  ];
  if (typeof retrieval?.skippedReason === 'string') rows.push(['Skipped', escapeHtml(retrieval.skippedReason)]);
  if (retrieval?.noRelevantSources) rows.push(['Result', 'nothing relevant found: the prompt told the model so']);
  let produced: string;
  if (!retrieval) produced = 'not recorded';
  else if (typeof retrieval.skippedReason === 'string') produced = `skipped: ${escapeHtml(retrieval.skippedReason)}`;
  else produced = `${plural(given.length, 'source')} given to the model, ${formatCount(citedCount)} cited in the reply`;
  const table =
    given.length === 0
      ? ''
      : tableHtml(
          ['#', 'Source', 'Kind', 'Score', 'Cited'],
          given.map((source) => [
            `[${formatCount(source.number)}]`,
            linkHtml(source.url, textOf(source.title, '(untitled)')),
            escapeHtml(textOf(source.kind)),
            formatNumber(source.score, 4),
            cited.has(source.number) ? 'yes' : 'no',
          ]),
          'Sources given to the model',
        );
  return { id: 'retrieval', title: 'Retrieval', ms, produced, body: definitionList(rows) + table };
}

export function promptStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const chat = listOf<ChatTurn>(suggestion.chat);
  const tokens = suggestion.tokens;
  const elision = suggestion.elision;
  const rows: Array<[string, string]> = [
    ['Prompt tokens', formatCount(tokens?.prompt)],
    ['Turns', formatCount(chat.length)],
  ];
  if (elision) {
    const elided = numberOf(elision.elidedComments) ?? 0;
    const total = numberOf(elision.totalComments) ?? 0;
    const cut = numberOf(elision.truncatedBodyChars) ?? 0;
    rows.push(['Comments left out', elided === 0 ? `none (all ${formatCount(total)} included)` : `${formatCount(elided)} of ${formatCount(total)}, from the middle of the thread`]);
    rows.push(['Opening post cut', cut === 0 ? 'no' : `${plural(cut, 'character')} cut to fit the context`]);
  }
  const turns = chat
    .map((turn, index) => {
      const text = textOf(turn.text);
      const role = textOf(turn.role, 'unknown');
      return `<details><summary>${index + 1}. ${escapeHtml(role)} · ${plural(text.length, 'character')}</summary><pre>${escapeHtml(text)}</pre></details>`;
    })
    .join('');
  return {
    id: 'prompt',
    title: 'Prompt',
    ms: null,
    produced: `${plural(chat.length, 'chat turn')}, ${formatCount(tokens?.prompt)} tokens`,
    body: definitionList(rows) + (turns === '' ? '<p class="muted">The chat was not recorded.</p>' : `<div class="turns">${turns}</div>`),
  };
}

export function modelStage(record: HistoryRecord): ExplainStage {
  const suggestion = suggestionOf(record);
  const model = suggestion.model;
  const sampling = suggestion.sampling;
  const loadMs = numberOf(suggestion.timings?.loadMs);
  const gpu = model?.gpu;
  const sha = typeof record.modelSha256 === 'string' && record.modelSha256 !== '' ? `<code>${escapeHtml(record.modelSha256)}</code>` : 'not hashed yet';
  const rows: Array<[string, string]> = [
    ['Name', escapeHtml(textOf(model?.name, '—'))],
    ['File', `<code>${escapeHtml(textOf(model?.file, '—'))}</code>`],
    ['Size', formatBytes(model?.sizeBytes)],
    ['SHA-256', sha],
    ['Context size', `${formatCount(model?.contextSize)} tokens`],
    ['GPU', typeof gpu === 'string' && gpu !== '' ? escapeHtml(gpu) : 'none (CPU)'],
    ['Temperature', formatNumber(sampling?.temperature, 2)],
    ['Seed', formatCount(sampling?.seed)],
    ['Max tokens', formatCount(sampling?.maxTokens)],
    ['Max fix cycles', formatCount(sampling?.maxFixCycles)],
    ['Load time', loadMs === 0 ? 'already loaded' : formatMs(loadMs)],
  ];
  return {
    id: 'model',
    title: 'Model',
    ms: loadMs,
    produced: `${escapeHtml(textOf(model?.name, 'unknown model'))}${loadMs === 0 ? ', already loaded' : `, loaded in ${formatMs(loadMs)}`}`,
    body: definitionList(rows),
  };
}
