// Relay connections as GitHub serves them: `first`/`after` from the start, `last`/`before` from the
// end, opaque cursors holding the item's sort key (keyset pagination, so a page boundary stays put
// when items before it change), `totalCount` over the whole filtered list.
//
// The limits (first/last required, 0..100) are checked before execution by paginationRules.ts, as
// GitHub rejects the whole query; this module only slices.
import { compareKeys, decodeCursor, encodeCursor, type CursorKey } from './fixtureFormat';
import { githubError } from './graphqlErrors';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: T[];
  edges: Edge<T>[];
}

/**
 * One page of `items`, which must already be sorted ascending by `keyOf` (a unique key: end it with
 * a database id). `wrap` turns a stored item into what the schema resolves (a view object).
 */
export function paginate<S, T>(items: readonly S[], args: ConnectionArgs, keyOf: (item: S) => CursorKey, wrap: (item: S) => T): Connection<T> {
  let start = 0;
  let end = items.length;
  if (typeof args.after === 'string') {
    const after = cursorKey(args.after);
    while (start < end && compareKeys(keyOf(items[start]!), after) <= 0) start++;
  }
  if (typeof args.before === 'string') {
    const before = cursorKey(args.before);
    while (end > start && compareKeys(keyOf(items[end - 1]!), before) >= 0) end--;
  }
  if (typeof args.first === 'number' && end - start > args.first) end = start + args.first;
  if (typeof args.last === 'number' && end - start > args.last) start = end - args.last;
  const window = items.slice(start, end);
  const edges = window.map((item) => ({ cursor: encodeCursor(keyOf(item)), node: wrap(item) }));
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    nodes: edges.map((edge) => edge.node),
    edges,
  };
}

/** `paginate` for a list with no sort key of its own (labels, assignees, files): cursors are positions. */
export function paginateByIndex<S, T>(items: readonly S[], args: ConnectionArgs, wrap: (item: S) => T): Connection<T> {
  return paginate(items, args, (item) => [items.indexOf(item)], wrap);
}

function cursorKey(cursor: string): CursorKey {
  const key = decodeCursor(cursor);
  if (!key) throw githubError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return key;
}
