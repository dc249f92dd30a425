import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GitHubGroup, GitHubListItem, GitHubRepoListing } from '../../server/src/protocol';
import { buildTree, clockTime, itemDescription, itemIcon, itemStateText, matchesFilter, timeAgo, uniqueItems } from '../../client/src/sidebar/treeModel';
import type { GroupNode, ItemNode, NoticeNode, RepoState } from '../../client/src/sidebar/treeModel';
import { toThreadView } from '../../client/src/threadView/threadViewModel';
import { aThread } from '../support/builders';

const NOW = new Date(2026, 2, 10, 12, 0, 0); // local time: 10 March 2026, 12:00

function anItem(overrides: Partial<GitHubListItem> = {}): GitHubListItem {
  return {
    repo: 'octo/widgets',
    number: 12,
    kind: 'issue',
    title: 'Parser crashes on empty input',
    state: 'open',
    isDraft: false,
    url: 'https://github.com/octo/widgets/issues/12',
    labels: ['bug'],
    commentCount: 3,
    updatedAt: new Date(NOW.getTime() - 2 * 3_600_000).toISOString(),
    author: { login: 'alice', association: 'NONE' },
    assignees: [],
    lastCommenter: null,
    ...overrides,
  };
}

const GROUP_LABELS: Array<[GitHubGroup['id'], string]> = [
  ['assigned', 'Assigned to me'],
  ['mentioning', 'Mentioning me'],
  ['created', 'Created by me'],
  ['needsReply', 'Needs a reply'],
  ['recent', 'Recently updated'],
];

function aListing(items: Partial<Record<GitHubGroup['id'], GitHubListItem[]>>, overrides: Partial<GitHubRepoListing> = {}): GitHubRepoListing {
  return {
    repo: 'octo/widgets',
    groups: GROUP_LABELS.map(([id, label]) => ({ id, label, items: items[id] ?? [] })),
    syncedAt: new Date(2026, 2, 10, 10, 42).toISOString(),
    stale: false,
    ...overrides,
  };
}

describe('item rows', () => {
  test('icons by kind and state', () => {
    assert.deepEqual(itemIcon({ kind: 'issue', state: 'open', isDraft: false }), { id: 'issues', color: 'charts.green' });
    assert.deepEqual(itemIcon({ kind: 'issue', state: 'closed', isDraft: false }), { id: 'issue-closed', color: 'charts.purple' });
    assert.deepEqual(itemIcon({ kind: 'pull', state: 'open', isDraft: false }), { id: 'git-pull-request', color: 'charts.green' });
    assert.deepEqual(itemIcon({ kind: 'pull', state: 'open', isDraft: true }), { id: 'git-pull-request-draft', color: 'descriptionForeground' });
    assert.deepEqual(itemIcon({ kind: 'pull', state: 'closed', isDraft: false }), { id: 'git-pull-request-closed', color: 'charts.red' });
    assert.deepEqual(itemIcon({ kind: 'pull', state: 'merged', isDraft: false }), { id: 'git-merge', color: 'charts.purple' });
    assert.equal(itemStateText({ kind: 'pull', state: 'open', isDraft: true }), 'Draft pull request');
    assert.equal(itemStateText({ kind: 'issue', state: 'closed', isDraft: false }), 'Closed issue');
  });

  test('description: number, labels, comments, age', () => {
    assert.equal(itemDescription(anItem({ labels: ['bug', 'help wanted'] }), NOW), '#12 · bug, help wanted · 3 comments · 2h ago');
    assert.equal(itemDescription(anItem({ labels: [], commentCount: 1 }), NOW), '#12 · 1 comment · 2h ago');
    assert.equal(itemDescription(anItem({ labels: [], commentCount: 0, updatedAt: 'garbage' }), NOW), '#12');
  });

  test('timeAgo and clockTime', () => {
    const ago = (ms: number) => timeAgo(new Date(NOW.getTime() - ms).toISOString(), NOW);
    assert.equal(ago(10_000), 'just now');
    assert.equal(ago(5 * 60_000), '5m ago');
    assert.equal(ago(3 * 3_600_000), '3h ago');
    assert.equal(ago(4 * 86_400_000), '4d ago');
    assert.equal(timeAgo(new Date(2026, 0, 4, 9).toISOString(), NOW), 'Jan 4');
    assert.equal(timeAgo(new Date(2024, 10, 2, 9).toISOString(), NOW), 'Nov 2, 2024');
    assert.equal(clockTime(new Date(2026, 2, 10, 9, 5).toISOString(), NOW), '09:05');
    assert.equal(clockTime(new Date(2026, 2, 9, 23, 59).toISOString(), NOW), 'Mar 9 23:59');
  });
});

describe('filter', () => {
  const item = anItem({ number: 42, title: 'Crash in Tokenizer', labels: ['bug', 'P1'], author: { login: 'Alice', association: 'NONE' } });

  test('every term must match the title, number, a label or the author', () => {
    for (const filter of ['crash', 'TOKENIZER', '42', '#42', 'p1', 'bug crash', '@alice', 'ali', '  crash   tok  ', '']) {
      assert.equal(matchesFilter(item, filter), true, filter);
    }
    for (const filter of ['parser', '#4', '43', 'crash parser', '@bob', 'enhancement']) {
      assert.equal(matchesFilter(item, filter), false, filter);
    }
  });
});

describe('buildTree', () => {
  test('repository → five groups with counts → items; needs-reply item in two groups keeps distinct ids', () => {
    const a = anItem({ number: 1, title: 'First' });
    const b = anItem({ number: 2, title: 'Second', kind: 'pull', state: 'merged' });
    const state: RepoState = { repo: 'octo/widgets', listing: aListing({ needsReply: [a], recent: [a, b] }), loading: false };
    const [repo] = buildTree([state], '', NOW);
    assert.ok(repo);
    assert.equal(repo.repo, 'octo/widgets');
    assert.equal(repo.description, '');
    assert.equal(repo.stale, false);
    const groups = repo.children as GroupNode[];
    assert.deepEqual(
      groups.map((group) => [group.label, group.description]),
      [
        ['Assigned to me', '0'],
        ['Mentioning me', '0'],
        ['Created by me', '0'],
        ['Needs a reply', '1'],
        ['Recently updated', '2'],
      ],
    );
    const recent = groups[4]?.children ?? [];
    assert.deepEqual(
      recent.map((node) => [node.id, node.label, node.contextValue, node.icon.id]),
      [
        ['octo/widgets/recent/1', 'First', 'threadwise.issue', 'issues'],
        ['octo/widgets/recent/2', 'Second', 'threadwise.pull', 'git-merge'],
      ],
    );
    assert.equal(groups[3]?.children[0]?.id, 'octo/widgets/needsReply/1');
  });

  test('a filter keeps matching items and says how many of how many', () => {
    const items = [anItem({ number: 1, title: 'Crash on start' }), anItem({ number: 2, title: 'Docs typo', labels: ['docs'] })];
    const [repo] = buildTree([{ repo: 'octo/widgets', listing: aListing({ recent: items, assigned: [items[1] as GitHubListItem] }), loading: false }], 'crash', NOW);
    const groups = (repo?.children ?? []) as GroupNode[];
    assert.equal(groups.find((group) => group.groupId === 'recent')?.description, '1 of 2');
    assert.deepEqual(groups.find((group) => group.groupId === 'recent')?.children.map((node: ItemNode) => node.item.number), [1]);
    assert.equal(groups.find((group) => group.groupId === 'assigned')?.description, '0 of 1');
    assert.equal(groups.find((group) => group.groupId === 'created')?.description, '0', 'an empty group is not "0 of 0"');
  });

  test('a stale listing: offline marker with the cache time, reason in the tooltip', () => {
    const listing = aListing({}, { stale: true, staleReason: 'offline' });
    const [repo] = buildTree([{ repo: 'octo/widgets', listing, loading: false }], '', NOW);
    assert.equal(repo?.description, 'offline — cached 10:42');
    assert.equal(repo?.stale, true);
    assert.match(repo?.tooltip ?? '', /Showing the cached copy: offline\./);
    const limited = buildTree([{ repo: 'octo/widgets', listing: aListing({}, { stale: true, staleReason: 'rate limited until 12:04' }), loading: true }], '', NOW);
    assert.equal(limited[0]?.description, 'rate limited — cached 10:42 · syncing…');
    assert.match(limited[0]?.tooltip ?? '', /rate limited until 12:04/);
  });

  test('an error shows as a row under the repository, above the last listing', () => {
    const error = { message: 'Repository octo/gone was not found.', reason: 'github-not-found', hint: 'Check threadwise.repositories.' };
    const [withListing] = buildTree([{ repo: 'octo/widgets', listing: aListing({}), error, loading: false }], '', NOW);
    const notice = withListing?.children[0] as NoticeNode;
    assert.equal(notice.kind, 'notice');
    assert.equal(notice.severity, 'error');
    assert.equal(notice.label, 'Repository octo/gone was not found.');
    assert.equal(notice.tooltip, 'Repository octo/gone was not found.\nCheck threadwise.repositories.');
    assert.equal(notice.reason, 'github-not-found');
    assert.equal(withListing?.children.length, 6);
    const [bare] = buildTree([{ repo: 'octo/gone', error, loading: false }], '', NOW);
    assert.equal(bare?.children.length, 1);
  });

  test('a repository never synced says so', () => {
    const [loading] = buildTree([{ repo: 'octo/new', loading: true }], '', NOW);
    assert.deepEqual(loading?.children.map((node) => (node as NoticeNode).label), ['Loading…']);
    assert.equal(loading?.description, 'syncing…');
  });

  test('uniqueItems: each item once, newest first', () => {
    const old = anItem({ number: 1, updatedAt: '2026-01-01T00:00:00Z' });
    const fresh = anItem({ number: 2, updatedAt: '2026-03-01T00:00:00Z' });
    const other = anItem({ repo: 'octo/other', number: 1, updatedAt: '2026-02-01T00:00:00Z' });
    const listings = [aListing({ recent: [old, fresh], needsReply: [old] }), aListing({ recent: [other] }, { repo: 'octo/other' })];
    assert.deepEqual(
      uniqueItems(listings).map((item) => `${item.repo}#${item.number}`),
      ['octo/widgets#2', 'octo/other#1', 'octo/widgets#1'],
    );
  });
});

test('toThreadView keeps what the page shows, PR files and review threads only when there are some', () => {
  const issue = aThread({ labels: ['bug'], state: 'open', url: 'https://github.com/octo/widgets/issues/1', id: 'I_1', updatedAt: '2026-01-02T00:00:00Z' });
  const view = toThreadView(issue);
  assert.equal(view.ref, `${issue.repo}#${issue.number}`);
  assert.deepEqual(view.labels, ['bug']);
  assert.equal(view.comments.length, issue.comments.length);
  assert.equal('files' in view, false);
  assert.equal('reviewThreads' in view, false);
  assert.equal('id' in view, false);

  const pull = toThreadView(
    aThread({
      kind: 'pull',
      files: [{ path: 'src/a.ts', additions: 3, deletions: 1, changeType: 'MODIFIED' }],
      reviewThreads: [{ path: 'src/a.ts', line: 4, diffHunk: '@@ -1 +1 @@\n-a\n+b', isResolved: false, isOutdated: false, comments: [] }],
    }),
  );
  assert.deepEqual(pull.files, [{ path: 'src/a.ts', additions: 3, deletions: 1, changeType: 'MODIFIED' }]);
  assert.equal(pull.reviewThreads?.[0]?.line, 4);
});
