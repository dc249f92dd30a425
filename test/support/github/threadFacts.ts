// Facts about a thread that filters and search share: who it mentions, who took part.
import type { FixtureThread } from './fixtureTypes';

function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** True when `@login` appears (as a whole login) in the body or any top-level comment. */
export function mentions(thread: FixtureThread, login: string): boolean {
  const escaped = login.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^\\w/@-])@${escaped}(?![\\w-])`, 'i');
  return pattern.test(thread.body) || thread.comments.some((c) => pattern.test(c.body));
}

export function isAssigned(thread: FixtureThread, login: string): boolean {
  return thread.assignees.some((a) => sameLogin(a, login));
}

export function isAuthor(thread: FixtureThread, login: string): boolean {
  return sameLogin(thread.author, login);
}

export function hasCommented(thread: FixtureThread, login: string): boolean {
  return (
    thread.comments.some((c) => sameLogin(c.author, login)) ||
    (thread.kind === 'pull' && thread.reviewThreads.some((t) => t.comments.some((c) => sameLogin(c.author, login))))
  );
}

/** GitHub's `involves:`: author, assignee, mentioned or commenter. */
export function involves(thread: FixtureThread, login: string): boolean {
  return isAuthor(thread, login) || isAssigned(thread, login) || mentions(thread, login) || hasCommented(thread, login);
}

/** Author, then commenters (top-level, then review), in order of first appearance. */
export function participants(thread: FixtureThread): string[] {
  const logins = [thread.author, ...thread.comments.map((c) => c.author)];
  if (thread.kind === 'pull') for (const t of thread.reviewThreads) logins.push(...t.comments.map((c) => c.author));
  const seen = new Set<string>();
  return logins.filter((login) => {
    const key = login.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An approximation of GitHub's `bodyText`: the Markdown with its markup removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/(\*\*|__)(.*?)\1/g, '$2');
}
