import type { GitHubGroupId, GitHubListItem, GitHubRepoListing } from '../../../server/src/protocol';

/**
 * The Issues and Pull Requests tree as plain data (pure, no VS Code): what each row says, which
 * icon it has, and what a filter keeps. The tree provider turns these nodes into TreeItems.
 * Everything in a listing was written by strangers: labels here are plain strings, and the
 * provider shows them only as text.
 */

/** What the sidebar knows about one repository. */
export interface RepoState {
  repo: string;
  listing?: GitHubRepoListing;
  /** The last sync's failure (the listing, if any, is the one before it). */
  error?: { message: string; reason: string; hint?: string };
  /** A sync of this repository is running. */
  loading: boolean;
}

export type TreeNode = RepoNode | GroupNode | ItemNode | NoticeNode;

export interface RepoNode {
  kind: 'repo';
  id: string;
  repo: string;
  description: string;
  /** Plain text. */
  tooltip: string;
  stale: boolean;
  children: TreeNode[];
}

export interface GroupNode {
  kind: 'group';
  id: string;
  repo: string;
  groupId: GitHubGroupId;
  label: string;
  /** "3", or "1 of 3" while a filter hides some. */
  description: string;
  children: ItemNode[];
}

export interface ItemNode {
  kind: 'item';
  id: string;
  groupId: GitHubGroupId;
  item: GitHubListItem;
  label: string;
  description: string;
  icon: ItemIcon;
  contextValue: 'threadwise.issue' | 'threadwise.pull';
}

/** A row that says something: a failed sync (`error`), an empty result (`info`). */
export interface NoticeNode {
  kind: 'notice';
  id: string;
  repo: string;
  severity: 'error' | 'info';
  label: string;
  /** Plain text. */
  tooltip: string;
  /** For an error: sign in (`github-auth`) or open the log. */
  reason?: string;
}

/** A codicon id and the theme colour id it is drawn in. */
export interface ItemIcon {
  id: 'issues' | 'issue-closed' | 'git-pull-request' | 'git-pull-request-closed' | 'git-merge' | 'git-pull-request-draft';
  color: string;
}

/** Icon by kind and state, coloured as GitHub does (open green, merged and closed issues purple, closed PRs red). */
export function itemIcon(item: Pick<GitHubListItem, 'kind' | 'state' | 'isDraft'>): ItemIcon {
  if (item.kind === 'issue') return item.state === 'open' ? { id: 'issues', color: 'charts.green' } : { id: 'issue-closed', color: 'charts.purple' };
  if (item.state === 'merged') return { id: 'git-merge', color: 'charts.purple' };
  if (item.state === 'closed') return { id: 'git-pull-request-closed', color: 'charts.red' };
  if (item.isDraft) return { id: 'git-pull-request-draft', color: 'descriptionForeground' };
  return { id: 'git-pull-request', color: 'charts.green' };
}

/** "just now", "5m ago", "2h ago", "3d ago", then the date ("Mar 4", "Mar 4, 2024" in another year). */
export function timeAgo(iso: string, now: Date): string {
  const then = new Date(iso);
  const ms = now.getTime() - then.getTime();
  if (Number.isNaN(ms)) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days}d ago`;
  const month = MONTHS[then.getMonth()] ?? '';
  return then.getFullYear() === now.getFullYear() ? `${month} ${then.getDate()}` : `${month} ${then.getDate()}, ${then.getFullYear()}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Local "10:42", or "Mar 4 10:42" when it is not today. */
export function clockTime(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return date.toDateString() === now.toDateString() ? time : `${MONTHS[date.getMonth()] ?? ''} ${date.getDate()} ${time}`;
}

/** `#42 · bug, help wanted · 3 comments · 2h ago`. */
export function itemDescription(item: GitHubListItem, now: Date): string {
  const parts = [`#${item.number}`];
  if (item.labels.length > 0) parts.push(item.labels.join(', '));
  if (item.commentCount > 0) parts.push(`${item.commentCount} comment${item.commentCount === 1 ? '' : 's'}`);
  const ago = timeAgo(item.updatedAt, now);
  if (ago) parts.push(ago);
  return parts.join(' · ');
}

/** "Open issue", "Draft pull request", "Merged pull request", … */
export function itemStateText(item: Pick<GitHubListItem, 'kind' | 'state' | 'isDraft'>): string {
  const kind = item.kind === 'issue' ? 'issue' : 'pull request';
  const state = item.kind === 'pull' && item.state === 'open' && item.isDraft ? 'Draft' : { open: 'Open', closed: 'Closed', merged: 'Merged' }[item.state];
  return `${state} ${kind}`;
}

/**
 * Whether `item` matches the filter: every whitespace-separated term must match its title, its
 * number (`12` or `#12`), a label or its author's login (`@alice` or `alice`), case-insensitively.
 */
export function matchesFilter(item: GitHubListItem, filter: string): boolean {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((term) => {
    const number = /^#?(\d+)$/.exec(term);
    if (number && Number(number[1]) === item.number) return true;
    const login = term.replace(/^@/, '');
    return (
      item.title.toLowerCase().includes(term) ||
      item.labels.some((label) => label.toLowerCase().includes(term)) ||
      item.author.login.toLowerCase().includes(login)
    );
  });
}

/** The root rows: one per repository, with its groups (filtered) or a notice. */
export function buildTree(states: readonly RepoState[], filter: string, now: Date): RepoNode[] {
  return states.map((state) => repoNode(state, filter.trim(), now));
}

function repoNode(state: RepoState, filter: string, now: Date): RepoNode {
  const { repo, listing, error } = state;
  const children: TreeNode[] = [];
  if (error) {
    children.push({
      kind: 'notice',
      id: `${repo}/error`,
      repo,
      severity: 'error',
      label: error.message,
      tooltip: error.hint ? `${error.message}\n${error.hint}` : error.message,
      reason: error.reason,
    });
  }
  if (listing) {
    for (const group of listing.groups) {
      const items = filter === '' ? group.items : group.items.filter((item) => matchesFilter(item, filter));
      children.push({
        kind: 'group',
        // An empty group gets another id: VS Code keeps an element's collapsed state by id, so a group
        // first drawn empty (not collapsible) would otherwise stay collapsed once items arrive.
        id: items.length === 0 ? `${repo}/${group.id}/empty` : `${repo}/${group.id}`,
        repo,
        groupId: group.id,
        label: group.label,
        description: filter === '' || items.length === group.items.length ? String(items.length) : `${items.length} of ${group.items.length}`,
        children: items.map((item) => itemNode(item, group.id, now)),
      });
    }
  } else if (!error) {
    children.push({ kind: 'notice', id: `${repo}/loading`, repo, severity: 'info', label: state.loading ? 'Loading…' : 'Not synced yet', tooltip: repo });
  }

  let description = '';
  let tooltip = repo;
  if (listing?.stale) {
    const cached = listing.syncedAt ? clockTime(listing.syncedAt, now) : '';
    const reason = listing.staleReason ?? 'GitHub could not be reached';
    description = cached ? `${shortReason(reason)} — cached ${cached}` : shortReason(reason);
    tooltip = `${repo}\nShowing the cached copy: ${reason}.${listing.syncedAt ? `\nLast synced ${clockTime(listing.syncedAt, now)}.` : ''}`;
  } else if (listing?.syncedAt) {
    tooltip = `${repo}\nSynced ${clockTime(listing.syncedAt, now)}.`;
  }
  if (state.loading) description = description ? `${description} · syncing…` : 'syncing…';
  return { kind: 'repo', id: repo, repo, description, tooltip, stale: listing?.stale ?? false, children };
}

/** "offline", "rate limited", "signed out": the first words of the daemon's reason, for a description. */
function shortReason(reason: string): string {
  const short = reason.split(/\s+(?:until|since|at|for)\b|[(:;,.]/)[0]?.trim() ?? '';
  return short.length > 0 && short.length <= 24 ? short : 'offline';
}

function itemNode(item: GitHubListItem, groupId: GitHubGroupId, now: Date): ItemNode {
  return {
    kind: 'item',
    id: `${item.repo}/${groupId}/${item.number}`,
    groupId,
    item,
    label: item.title,
    description: itemDescription(item, now),
    icon: itemIcon(item),
    contextValue: item.kind === 'pull' ? 'threadwise.pull' : 'threadwise.issue',
  };
}

/** Every item of the listings once (an item is in several groups), newest update first. */
export function uniqueItems(listings: readonly GitHubRepoListing[]): GitHubListItem[] {
  const seen = new Map<string, GitHubListItem>();
  for (const listing of listings) {
    for (const group of listing.groups) {
      for (const item of group.items) {
        const key = `${item.repo.toLowerCase()}#${item.number}`;
        if (!seen.has(key)) seen.set(key, item);
      }
    }
  }
  return [...seen.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
