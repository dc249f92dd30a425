// GitHub's issue search syntax (`search(type: ISSUE, query: …)`), the part Threadwise uses:
//   repo:o/n  org:o / user:o  is:open|closed|merged|unmerged|issue|pr|draft  type:issue|pr
//   state:open|closed  author: assignee: mentions: involves: commenter: (a login or @me)
//   label:x (repeat for AND)  no:assignee|label  updated: created: (>=, >, <=, <, a..b, a date)
//   sort:updated|created|comments[-asc|-desc]  in:… (ignored)  free words (title, body, comments)
// A `-` before a qualifier negates it. Results are sorted created-desc unless `sort:` says otherwise
// (the fake has no "best match"). Unknown qualifiers are searched as words, like GitHub does.
import type { FixtureStore } from './fixtureStore';
import type { FixtureThread } from './fixtureTypes';
import { githubError } from './graphqlErrors';
import { hasCommented, involves, isAssigned, isAuthor, mentions } from './threadFacts';

type Predicate = (thread: FixtureThread) => boolean;

export interface ParsedSearch {
  matches: Predicate;
  compare: (a: FixtureThread, b: FixtureThread) => number;
}

/** Splits on spaces, keeping `"quoted words"` together (quotes removed). */
function tokens(query: string): string[] {
  return [...query.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replace(/"/g, ''));
}

const DAY = 86_400_000;

/** `>=2024-01-01`, `<2024-01-01T10:00:00Z`, `2024-01-01..2024-02-01`, `2024-01-01`: a [from, to) range in ms. */
function dateRange(spec: string): [number, number] {
  const time = (text: string, end: boolean): number => {
    if (text === '*') return end ? Infinity : -Infinity;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(ms)) throw githubError('UNPROCESSABLE', `The search date "${text}" is not a date (use YYYY-MM-DD or ISO-8601).`);
    return end && dateOnly ? ms + DAY : ms;
  };
  const range = /^(.+)\.\.(.+)$/.exec(spec);
  if (range) return [time(range[1]!, false), time(range[2]!, true)];
  const op = /^(>=|<=|>|<)?(.+)$/.exec(spec)!;
  const value = op[2]!;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const start = time(value, false);
  const after = dateOnly ? start + DAY : start + 1;
  switch (op[1]) {
    case '>=':
      return [start, Infinity];
    case '>':
      return [after, Infinity];
    case '<=':
      return [-Infinity, after];
    case '<':
      return [-Infinity, start];
    default:
      return [start, dateOnly ? start + DAY : start + 1];
  }
}

function inRange(iso: string | null, [from, to]: [number, number]): boolean {
  if (iso === null) return false;
  const ms = Date.parse(iso);
  return ms >= from && ms < to;
}

function sortOrder(spec: string): ParsedSearch['compare'] {
  const [field, direction = 'desc'] = spec.split('-');
  const sign = direction === 'asc' ? 1 : -1;
  const value = (t: FixtureThread): number =>
    field === 'comments' ? t.comments.length : Date.parse(field === 'updated' ? t.updatedAt : t.createdAt);
  return (a, b) => sign * (value(a) - value(b)) || sign * (a.databaseId - b.databaseId);
}

function qualifier(key: string, value: string, viewer: string): Predicate | undefined {
  const login = value === '@me' ? viewer : value;
  const lower = value.toLowerCase();
  switch (key) {
    case 'repo':
      return (t) => t.repo.toLowerCase() === lower;
    case 'org':
    case 'user':
      return (t) => t.repo.toLowerCase().startsWith(`${lower}/`);
    case 'is':
    case 'type':
    case 'state':
      switch (lower) {
        case 'open':
          return (t) => t.state === 'OPEN';
        case 'closed':
          return (t) => t.state !== 'OPEN';
        case 'merged':
          return (t) => t.state === 'MERGED';
        case 'unmerged':
          return (t) => t.kind === 'pull' && t.state === 'CLOSED';
        case 'issue':
          return (t) => t.kind === 'issue';
        case 'pr':
        case 'pull-request':
          return (t) => t.kind === 'pull';
        case 'draft':
          return (t) => t.kind === 'pull' && t.isDraft;
        default:
          return undefined;
      }
    case 'author':
      return (t) => isAuthor(t, login);
    case 'assignee':
      return (t) => isAssigned(t, login);
    case 'mentions':
      return (t) => mentions(t, login);
    case 'involves':
      return (t) => involves(t, login);
    case 'commenter':
      return (t) => hasCommented(t, login);
    case 'label':
      return (t) => t.labels.some((l) => l.toLowerCase() === lower);
    case 'no':
      if (lower === 'assignee') return (t) => t.assignees.length === 0;
      if (lower === 'label') return (t) => t.labels.length === 0;
      return undefined;
    case 'updated': {
      const range = dateRange(value);
      return (t) => inRange(t.updatedAt, range);
    }
    case 'created': {
      const range = dateRange(value);
      return (t) => inRange(t.createdAt, range);
    }
    case 'closed': {
      const range = dateRange(value);
      return (t) => inRange(t.closedAt, range);
    }
    case 'in':
      return () => true;
    default:
      return undefined;
  }
}

function wordMatches(word: string): Predicate {
  const needle = word.toLowerCase();
  return (t) =>
    t.title.toLowerCase().includes(needle) ||
    t.body.toLowerCase().includes(needle) ||
    t.comments.some((c) => c.body.toLowerCase().includes(needle));
}

export function parseSearch(query: string, viewer: string): ParsedSearch {
  const predicates: Predicate[] = [];
  let compare = sortOrder('created-desc');
  for (const token of tokens(query)) {
    const negated = token.startsWith('-') && token.includes(':');
    const text = negated ? token.slice(1) : token;
    const colon = text.indexOf(':');
    const key = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? text.slice(colon + 1) : '';
    if (key === 'sort') {
      compare = sortOrder(value.toLowerCase());
      continue;
    }
    const predicate = (key && value && qualifier(key, value, viewer)) || wordMatches(text);
    predicates.push(negated ? (t) => !predicate(t) : predicate);
  }
  return { matches: (t) => predicates.every((p) => p(t)), compare };
}

/** Every issue and pull request the query finds, in its order. */
export function searchThreads(store: FixtureStore, query: string, viewer: string): FixtureThread[] {
  const { matches, compare } = parseSearch(query, viewer);
  return store
    .allRepos()
    .flatMap((repo) => store.threadsOf(repo))
    .filter(matches)
    .sort(compare);
}
