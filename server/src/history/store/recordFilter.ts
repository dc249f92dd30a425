import type { SqlValue } from './sqliteDatabase';

/** Which records an export, a metric or a delete covers. */
export interface RecordScope {
  /** `owner/name`. */
  repo?: string;
  /** Only records made at or after this instant. */
  since?: Date;
}

/** A WHERE clause (empty when the scope is everything) and its values, for the suggestions table under `alias`. */
export function recordFilter(scope: RecordScope, alias: string): { where: string; values: SqlValue[] } {
  const clauses: string[] = [];
  const values: SqlValue[] = [];
  if (scope.repo !== undefined) {
    clauses.push(`${alias}.repo = ?`);
    values.push(scope.repo);
  }
  // created_at is always `Date.toISOString()` (UTC, fixed width), so text order is time order.
  if (scope.since !== undefined) {
    clauses.push(`${alias}.created_at >= ?`);
    values.push(scope.since.toISOString());
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', values };
}
