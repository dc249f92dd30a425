import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Thread } from '../../server/src/protocol';
import { changedFilesBlock, conversationOf } from '../../server/src/pipeline/pullRequestContext';
import { threadToChat, TURN_OVERHEAD_TOKENS, type TokenCounter } from '../../server/src/pipeline/threadToChat';

const words: TokenCounter = {
  count: (text) => text.split(/\s+/).filter(Boolean).length,
  truncate: (text, max) => text.split(/\s+/).filter(Boolean).slice(0, Math.max(0, max)).join(' '),
};

function aPull(extra: Partial<Thread> = {}): Thread {
  return {
    repo: 'octo/widgets',
    number: 5,
    kind: 'pull',
    title: 'Stream parseAll',
    body: 'Adds streaming.',
    author: { login: 'carol', association: 'CONTRIBUTOR' },
    createdAt: '2026-01-01T00:00:00Z',
    comments: [
      { author: { login: 'bob', association: 'MEMBER' }, body: 'Looks good overall.', createdAt: '2026-01-02T00:00:00Z' },
      { author: { login: 'carol', association: 'CONTRIBUTOR' }, body: 'Pushed the fixes.', createdAt: '2026-01-04T00:00:00Z' },
    ],
    files: [
      { path: 'src/parse.ts', additions: 40, deletions: 2, changeType: 'MODIFIED' },
      { path: 'src/stream.ts', additions: 120, deletions: 0, changeType: 'ADDED' },
    ],
    reviewThreads: [
      {
        path: 'src/stream.ts',
        line: 17,
        diffHunk: '@@ -0,0 +1,17 @@\n+export function stream() {\n+  // ```\n+  return chunks;',
        isResolved: false,
        isOutdated: false,
        comments: [
          { author: { login: 'bob', association: 'MEMBER' }, body: 'This leaks the reader on error.', createdAt: '2026-01-03T00:00:00Z' },
          { author: { login: 'carol', association: 'CONTRIBUTOR' }, body: 'Fixed in the next push.', createdAt: '2026-01-03T12:00:00Z' },
        ],
      },
      { path: 'src/old.ts', line: null, diffHunk: '@@ -1 +1 @@\n-a\n+b', isResolved: true, isOutdated: true, comments: [{ author: { login: 'bob', association: 'MEMBER' }, body: 'Nit.', createdAt: '2026-01-05T00:00:00Z' }] },
    ],
    ...extra,
  };
}

describe('pull request context', () => {
  test('changed files are listed with their line counts; issues list none', () => {
    assert.equal(changedFilesBlock(aPull()), 'Changed files (2): src/parse.ts (+40 −2), src/stream.ts (+120 −0, added).');
    assert.equal(changedFilesBlock(aPull({ files: [] })), '');
    const many = aPull({ files: Array.from({ length: 45 }, (_, i) => ({ path: `f${i}.ts`, additions: 1, deletions: 0, changeType: 'MODIFIED' })) });
    assert.match(changedFilesBlock(many), /^Changed files \(45\): f0\.ts .*f29\.ts \(\+1 −0\), and 15 more\.$/);
  });

  test('review comments join the comments in time order, the first with the end of its diff hunk', () => {
    const entries = conversationOf(aPull());
    assert.deepEqual(entries.map((e) => e.body.split('\n').at(-1)), ['Looks good overall.', 'This leaks the reader on error.', 'Fixed in the next push.', 'Pushed the fixes.', 'Nit.']);
    assert.deepEqual(entries.map((e) => e.location), [undefined, 'src/stream.ts:17', 'src/stream.ts:17', undefined, 'src/old.ts (outdated)']);
    const first = entries[1]!.body;
    assert.ok(first.startsWith('````diff\n'), 'a fence longer than the backtick run inside the hunk');
    assert.ok(first.includes('+  return chunks;\n````'), first);
    assert.ok(!entries[2]!.body.includes('```'), 'only the first comment of a review thread carries the hunk');
  });

  test('threadToChat puts the files in the opening turn and the review discussion in the turns, by role', () => {
    const chat = threadToChat(aPull(), { maxPromptTokens: 4000, tokens: words });
    const texts = chat.turns.map((t) => t.text);
    assert.match(texts[1]!, /Changed files \(2\): src\/parse\.ts/);
    const review = chat.turns.find((t) => t.text.includes('This leaks the reader on error.'));
    assert.equal(review?.role, 'assistant', 'a maintainer\'s review comment is the assistant side');
    assert.match(review.text, /^@bob \(MEMBER\) commented on the diff at src\/stream\.ts:17 on 2026-01-03T00:00:00Z:/);
    assert.equal(chat.elision.totalComments, 5);
    assert.equal(chat.elision.truncatedBodyChars, 0);
  });

  test('a tight budget elides the oldest entries, review comments included, and counts them', () => {
    const whole = threadToChat(aPull(), { maxPromptTokens: 4000, tokens: words });
    const cost = whole.turns.reduce((sum, t) => sum + words.count(t.text) + TURN_OVERHEAD_TOKENS, 0);
    const chat = threadToChat(aPull(), { maxPromptTokens: cost - 10, tokens: words });
    assert.ok(chat.elision.elidedComments > 0, JSON.stringify(chat.elision));
    assert.equal(chat.elision.totalComments, 5);
    assert.ok(chat.turns.some((t) => t.text.includes('Nit.')), 'the newest entry is kept');
  });
});
