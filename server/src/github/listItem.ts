/**
 * List rows: GitHub's list nodes turned into the protocol's GitHubListItem, and the validator that
 * reads them back from a cache file.
 */
import type { CommentAuthorAssociation, GitHubItemState, GitHubListItem, ThreadAuthor } from '../protocol';
import type { ActorData, ListItemNode } from './queries';
import { array, bool, fields, int, isoTime, literal, nullable, str } from './shape';
import type { Check } from './shape';

const ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN', 'NONE'] as const;

/** GitHub's CommentAuthorAssociation; a value GitHub adds later reads as NONE (no maintainer role). */
export function toAssociation(value: string): CommentAuthorAssociation {
  return ASSOCIATIONS.find((known) => known === value) ?? 'NONE';
}

/** A deleted account (null author) is GitHub's "ghost". */
export function toAuthor(actor: ActorData, association: string): ThreadAuthor {
  return { login: actor?.login ?? 'ghost', association: toAssociation(association) };
}

export function toState(state: 'OPEN' | 'CLOSED' | 'MERGED'): GitHubItemState {
  return state === 'OPEN' ? 'open' : state === 'MERGED' ? 'merged' : 'closed';
}

export function toListItem(repo: string, node: ListItemNode): GitHubListItem {
  return {
    repo,
    number: node.number,
    kind: node.__typename === 'PullRequest' ? 'pull' : 'issue',
    title: node.title,
    state: toState(node.state),
    isDraft: node.isDraft,
    url: node.url,
    labels: node.labels,
    commentCount: node.commentCount,
    updatedAt: node.updatedAt,
    author: toAuthor(node.author, node.authorAssociation),
    assignees: node.assignees,
    lastCommenter: node.lastComment ? toAuthor(node.lastComment.author, node.lastComment.authorAssociation) : null,
  };
}

const author: Check<ThreadAuthor> = (value, path) => {
  const f = fields(value, path);
  return { login: f('login', str), association: f('association', literal(...ASSOCIATIONS)) };
};

/** A GitHubListItem as the cache stored it. */
export const listItemCheck: Check<GitHubListItem> = (value, path) => {
  const f = fields(value, path);
  return {
    repo: f('repo', str),
    number: f('number', int),
    kind: f('kind', literal('issue', 'pull')),
    title: f('title', str),
    state: f('state', literal('open', 'closed', 'merged')),
    isDraft: f('isDraft', bool),
    url: f('url', str),
    labels: f('labels', array(str)),
    commentCount: f('commentCount', int),
    updatedAt: f('updatedAt', isoTime),
    author: f('author', author),
    assignees: f('assignees', array(str)),
    lastCommenter: f('lastCommenter', nullable(author)),
  };
};

/** Newest update first; the higher number first on a tie, so the order is total. */
export function byNewestUpdate(a: GitHubListItem, b: GitHubListItem): number {
  return Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.number - a.number;
}
