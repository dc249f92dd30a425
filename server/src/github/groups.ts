/**
 * The sidebar's groups, from the cached rows alone (pure, so it works offline):
 *   Assigned to me · Mentioning me · Created by me · Needs a reply · Recently updated.
 * An item may sit in several groups. Inside each group the newest update comes first.
 */
import type { CommentAuthorAssociation, GitHubGroup, GitHubListItem } from '../protocol';
import { byNewestUpdate } from './listItem';

export interface GroupOptions {
  /** Most items in "Recently updated". Default 50. */
  recentLimit?: number;
}

const MAINTAINER_ROLES: ReadonlySet<CommentAuthorAssociation> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function isMaintainer(association: CommentAuthorAssociation): boolean {
  return MAINTAINER_ROLES.has(association);
}

/**
 * "Needs a reply": the last word is not a maintainer's — the newest comment is from someone
 * without a maintainer role, or nobody has commented and the author has none.
 */
export function needsReply(item: GitHubListItem): boolean {
  const lastSpeaker = item.lastCommenter ?? item.author;
  return !isMaintainer(lastSpeaker.association);
}

/**
 * Groups `items` for `viewer` (null when nobody is signed in: the personal groups are then empty).
 * `mentioned` holds the numbers of open items that mention the viewer.
 */
export function groupItems(items: readonly GitHubListItem[], viewer: string | null, mentioned: Iterable<number>, options: GroupOptions = {}): GitHubGroup[] {
  const sorted = [...items].sort(byNewestUpdate);
  const open = sorted.filter((item) => item.state === 'open');
  const me = viewer?.toLowerCase() ?? null;
  const mentions = new Set(mentioned);
  const isMe = (login: string): boolean => me !== null && login.toLowerCase() === me;
  return [
    { id: 'assigned', label: 'Assigned to me', items: open.filter((item) => item.assignees.some(isMe)) },
    { id: 'mentioning', label: 'Mentioning me', items: me === null ? [] : open.filter((item) => mentions.has(item.number)) },
    { id: 'created', label: 'Created by me', items: open.filter((item) => isMe(item.author.login)) },
    { id: 'needsReply', label: 'Needs a reply', items: open.filter(needsReply) },
    { id: 'recent', label: 'Recently updated', items: sorted.slice(0, options.recentLimit ?? 50) },
  ];
}
