import type { HistoryMetrics } from '../../protocol';
import { recordFilter } from './recordFilter';
import type { RecordScope } from './recordFilter';
import type { SqliteDatabase } from './sqliteDatabase';

/** Most speed points returned: the newest ones, so a plot of a long history stays light. */
const MAX_SPEED_POINTS = 2000;

/**
 * The dashboard's numbers, computed in SQL over the records in scope:
 * - speed: time to first token and tokens/s of every suggestion that generated something;
 * - rules: per rule, the suggestions in which one of its findings failed a draft (any cycle), over
 *   the suggestions checked;
 * - acceptance: records by outcome, `pending` for none reported.
 */
export async function historyMetrics(db: SqliteDatabase, scope: RecordScope): Promise<HistoryMetrics> {
  const filter = recordFilter(scope, 's');
  const and = filter.where ? `${filter.where} AND` : 'WHERE';
  const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM suggestions s ${filter.where}`, filter.values))?.n ?? 0;
  const speed = await db.all<{ createdAt: string; timeToFirstTokenMs: number | null; tokensPerSecond: number; modelName: string }>(
    `SELECT * FROM (
       SELECT s.created_at AS createdAt, s.ttft_ms AS timeToFirstTokenMs, s.tokens_per_second AS tokensPerSecond, s.model_name AS modelName
       FROM suggestions s ${and} s.ttft_ms IS NOT NULL ORDER BY s.created_at DESC, s.id DESC LIMIT ?
     ) ORDER BY createdAt`,
    [...filter.values, MAX_SPEED_POINTS],
  );
  const rules = await db.all<{ rule: string; failures: number }>(
    `SELECT f.rule AS rule, COUNT(DISTINCT f.suggestion_id) AS failures
     FROM check_findings f JOIN suggestions s ON s.id = f.suggestion_id ${and} f.fails = 1
     GROUP BY f.rule ORDER BY failures DESC, rule`,
    filter.values,
  );
  const acceptanceRows = await db.all<{ outcome: string | null; n: number }>(
    `SELECT o.outcome AS outcome, COUNT(*) AS n FROM suggestions s LEFT JOIN outcomes o ON o.suggestion_id = s.id ${filter.where} GROUP BY o.outcome`,
    filter.values,
  );
  const acceptance = { posted: 0, edited: 0, copied: 0, discarded: 0, pending: 0 };
  for (const row of acceptanceRows) {
    const key = row.outcome ?? 'pending';
    if (key in acceptance) acceptance[key as keyof typeof acceptance] += row.n;
  }
  // Every record was checked (an empty draft passes with nothing to check), cancelled ones included.
  return { total, speed, rules: rules.map((row) => ({ ...row, checked: total })), acceptance };
}
