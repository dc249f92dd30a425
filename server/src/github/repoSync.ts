/**
 * Brings one repository's cached list up to date.
 *
 * Incremental (the default once a sync has succeeded): issues with `filterBy: {since}` and pull
 * requests (which have no such filter) newest-update first, paging only until an item is older
 * than `since`; `since` is the newest `updatedAt` GitHub gave last time minus `overlapMs` (GitHub
 * stamps an update a moment before it becomes visible). Full (the first sync, `mode: 'full'`, or an
 * incremental one that hit the cap): the `maxItems` most recently updated issues and pull requests,
 * replacing what was cached. Either way one search finds the open items mentioning the viewer.
 *
 * All or nothing: the cache is written only after every request succeeded, so a failed sync leaves
 * the previous files byte for byte as they were.
 */
import { ThreadwiseError } from '../errors';
import type { GitHubListItem } from '../protocol';
import type { GitHubClient } from './gitHubClient';
import { byNewestUpdate, toListItem } from './listItem';
import type { ListItemNode, RepoListResponse } from './queries';
import type { RepoCache, SyncState } from './repoCache';
import { repoIssuesOperation, repoMentionsOperation, repoPullRequestsOperation } from './responses';
import type { Operation } from './responses';

export interface SyncOptions {
  /** Most issues, and most pull requests, a full sync fetches (the most recently updated). Default 500. */
  maxItems: number;
  /** Most rows kept in the cache, newest first. Default 2000. */
  keepItems: number;
  /** How far before the last watermark an incremental sync starts. Default 60 s. */
  overlapMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = { maxItems: 500, keepItems: 2000, overlapMs: 60_000 };

export interface SyncRequest {
  repo: string;
  mode: 'incremental' | 'full';
  /** The signed-in login, stored with the lists. */
  viewer: string;
  /** This machine's time (ms) when the sync started: becomes `syncedAt`. */
  startedAtMs: number;
}

export interface SyncResult {
  items: GitHubListItem[];
  state: SyncState;
  /** Whether the cached rows were replaced rather than merged. */
  full: boolean;
  /** Rows GitHub sent. */
  fetched: number;
  /** Rows that were new or had a different `updatedAt`. */
  changed: number;
  /** Set when the lists could not be written (the result is still good; the next sync repeats the work). */
  cacheError?: string;
}

export async function syncRepo(client: GitHubClient, cache: RepoCache, request: SyncRequest, options: SyncOptions = DEFAULT_SYNC_OPTIONS): Promise<SyncResult> {
  const [owner = '', name = ''] = request.repo.split('/');
  const previousState = request.mode === 'full' ? null : await cache.readSync();
  const previousItems = previousState === null ? null : await cache.readItems();
  const incremental = previousState !== null && previousItems !== null;
  const since = incremental && previousState.watermark !== null ? Date.parse(previousState.watermark) - options.overlapMs : null;

  const list = async (operation: Operation<RepoListResponse>, withSince: boolean): Promise<{ nodes: ListItemNode[]; capped: boolean }> => {
    const nodes: ListItemNode[] = [];
    let cursor: string | null = null;
    for (;;) {
      const variables: Record<string, string | number | null> = { owner, name, first: Math.min(100, options.maxItems - nodes.length), cursor };
      const answer: RepoListResponse = await client.request(operation, withSince && since !== null ? { ...variables, since: new Date(since).toISOString() } : variables);
      if (answer.page === null) throw repositoryNotFound(request.repo);
      for (const node of answer.page.nodes) {
        if (since !== null && Date.parse(node.updatedAt) < since) return { nodes, capped: false };
        nodes.push(node);
      }
      const next = answer.page.pageInfo.endCursor;
      if (!answer.page.pageInfo.hasNextPage || next === null || answer.page.nodes.length === 0) return { nodes, capped: false };
      if (nodes.length >= options.maxItems) return { nodes, capped: true };
      cursor = next;
    }
  };

  const issues = await list(repoIssuesOperation, true);
  const pulls = await list(repoPullRequestsOperation, false);
  const mentions = await client.request(repoMentionsOperation, { searchQuery: `repo:${owner}/${name} is:open mentions:@me` });

  // An incremental sync that hit the cap saw only the newest changes: older cached rows may be stale.
  const full = !incremental || issues.capped || pulls.capped;
  const before = new Map<number, GitHubListItem>(full || previousItems === null ? [] : previousItems.map((item) => [item.number, item]));
  const merged = new Map(before);
  const fetched = [...issues.nodes, ...pulls.nodes, ...mentions.nodes].map((node) => toListItem(request.repo, node));
  let changed = 0;
  for (const item of fetched) {
    const known = merged.get(item.number);
    if (known && Date.parse(known.updatedAt) > Date.parse(item.updatedAt)) continue;
    if (!known || known.updatedAt !== item.updatedAt) changed++;
    merged.set(item.number, item);
  }
  const items = [...merged.values()].sort(byNewestUpdate).slice(0, options.keepItems);

  let watermark = incremental ? previousState.watermark : null;
  for (const node of [...issues.nodes, ...pulls.nodes]) {
    if (watermark === null || Date.parse(node.updatedAt) > Date.parse(watermark)) watermark = node.updatedAt;
  }
  const state: SyncState = {
    syncedAt: new Date(request.startedAtMs).toISOString(),
    watermark,
    viewer: request.viewer,
    mentioned: mentions.nodes.map((node) => node.number),
  };

  const result: SyncResult = { items, state, full, fetched: fetched.length, changed };
  try {
    // Items first: a crash before sync.json is written costs an overlapping sync, never a gap.
    await cache.writeItems(items);
    await cache.writeSync(state);
  } catch (error) {
    result.cacheError = error instanceof Error ? error.message : String(error);
  }
  return result;
}

function repositoryNotFound(repo: string): ThreadwiseError {
  return new ThreadwiseError('github-not-found', `GitHub has no repository ${repo}, or the token cannot see it`, 'check the name, and that the token can read the repository (private ones need the repo scope)');
}
