import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupItems, needsReply } from '../../server/src/github/groups';
import type { GitHubGroup, GitHubGroupId, GitHubListItem } from '../../server/src/protocol';
import { maintainer, stranger, timestampAt } from '../support/builders';

function anItem(number: number, overrides: Partial<GitHubListItem> = {}): GitHubListItem {
  return {
    repo: 'acme/widgets',
    number,
    kind: 'issue',
    title: `Item ${number}`,
    state: 'open',
    isDraft: false,
    url: `https://github.com/acme/widgets/issues/${number}`,
    labels: [],
    commentCount: 0,
    updatedAt: timestampAt(number),
    author: stranger('reporter'),
    assignees: [],
    lastCommenter: null,
    ...overrides,
  };
}

function numbers(groups: GitHubGroup[], id: GitHubGroupId): number[] {
  const group = groups.find((g) => g.id === id);
  assert.ok(group, `group ${id} exists`);
  return group.items.map((item) => item.number);
}

describe('groupItems', () => {
  test('the five groups come in order with their labels, even when empty', () => {
    const groups = groupItems([], 'me', []);
    assert.deepEqual(
      groups.map((g) => [g.id, g.label, g.items.length]),
      [
        ['assigned', 'Assigned to me', 0],
        ['mentioning', 'Mentioning me', 0],
        ['created', 'Created by me', 0],
        ['needsReply', 'Needs a reply', 0],
        ['recent', 'Recently updated', 0],
      ],
    );
  });

  test('assigned, mentioning and created hold open items of the viewer only, newest update first', () => {
    const items = [
      anItem(1, { assignees: ['me'], updatedAt: timestampAt(10) }),
      anItem(2, { assignees: ['someone', 'ME'], updatedAt: timestampAt(30) }), // logins compare case-insensitively
      anItem(3, { assignees: ['me'], state: 'closed' }),
      anItem(4, { author: maintainer('me') }),
      anItem(5, { author: maintainer('me'), state: 'merged', kind: 'pull' }),
      anItem(6),
      anItem(7, { state: 'closed' }),
    ];
    const groups = groupItems(items, 'me', [6, 7, 99]);
    assert.deepEqual(numbers(groups, 'assigned'), [2, 1]);
    assert.deepEqual(numbers(groups, 'mentioning'), [6], 'closed and unknown numbers are left out');
    assert.deepEqual(numbers(groups, 'created'), [4]);
  });

  test('needs a reply: the last word is not a maintainer\'s', () => {
    const items = [
      anItem(1), // no comments, author without a role
      anItem(2, { author: maintainer('lead', 'OWNER') }), // no comments, maintainer opened it
      anItem(3, { lastCommenter: maintainer('helper', 'COLLABORATOR') }),
      anItem(4, { author: maintainer('lead'), lastCommenter: stranger('user', 'CONTRIBUTOR') }),
      anItem(5, { lastCommenter: stranger('user', 'FIRST_TIME_CONTRIBUTOR'), state: 'closed' }),
      anItem(6, { lastCommenter: maintainer('member', 'MEMBER') }),
    ];
    assert.deepEqual(numbers(groupItems(items, 'me', []), 'needsReply'), [4, 1]);
    assert.equal(needsReply(items[0]!), true);
    assert.equal(needsReply(items[2]!), false);
  });

  test('recently updated holds everything, closed too, newest first and capped', () => {
    const items = Array.from({ length: 60 }, (_, i) => anItem(i + 1, { state: i % 2 === 0 ? 'open' : 'closed' }));
    const shuffled = [...items].reverse().sort((a, b) => (a.number % 7) - (b.number % 7));
    const recent = numbers(groupItems(shuffled, 'me', []), 'recent');
    assert.equal(recent.length, 50);
    assert.deepEqual(recent, Array.from({ length: 50 }, (_, i) => 60 - i));
    assert.equal(numbers(groupItems(items, 'me', [], { recentLimit: 5 }), 'recent').length, 5);
  });

  test('equal timestamps order by the higher number first, so the order is stable', () => {
    const items = [anItem(1, { updatedAt: timestampAt(5) }), anItem(3, { updatedAt: timestampAt(5) }), anItem(2, { updatedAt: timestampAt(5) })];
    assert.deepEqual(numbers(groupItems(items, null, []), 'recent'), [3, 2, 1]);
  });

  test('signed out (no viewer): the personal groups are empty, the others still fill', () => {
    const items = [anItem(1, { assignees: ['me'], author: maintainer('me') })];
    const groups = groupItems(items, null, [1]);
    assert.deepEqual(numbers(groups, 'assigned'), []);
    assert.deepEqual(numbers(groups, 'mentioning'), []);
    assert.deepEqual(numbers(groups, 'created'), []);
    assert.deepEqual(numbers(groups, 'recent'), [1]);
  });

  test('the input array is not reordered', () => {
    const items = [anItem(1), anItem(2)];
    groupItems(items, 'me', []);
    assert.deepEqual(items.map((i) => i.number), [1, 2]);
  });
});
