import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ThreadwiseError } from '../../server/src/errors';
import { isEmptyThread, parseThread, parseThreadBytes, threadRef } from '../../server/src/thread/parseThread';
import { aComment, aThread, maintainer } from '../support/builders';

type Json = Record<string, unknown>;

function minimal(overrides: Json = {}): Json {
  return {
    repo: 'acme/widgets',
    number: 7,
    kind: 'issue',
    title: 'It breaks',
    author: { login: 'reporter', association: 'NONE' },
    createdAt: '2024-01-15T09:00:00Z',
    ...overrides,
  };
}

function withComments(...comments: unknown[]): Json {
  return minimal({ comments });
}

const goodComment = { author: { login: 'helper', association: 'MEMBER' }, body: 'Try again?', createdAt: '2024-01-15T10:00:00Z' };

/** Asserts `action` throws ThreadwiseError('invalid-thread') whose message contains `fragment`. */
function assertInvalid(action: () => unknown, fragment: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ThreadwiseError, `expected a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.reason, 'invalid-thread');
    assert.ok(error.message.includes(fragment), `message ${JSON.stringify(error.message)} should include ${JSON.stringify(fragment)}`);
    assert.equal(error.hint, 'see "The Thread JSON form" in the README');
    return true;
  });
}

function bytesOf(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

describe('parseThread: valid input', () => {
  test('a minimal thread gets an empty body and no comments, and no optional keys', () => {
    assert.deepEqual(parseThread(minimal()), {
      repo: 'acme/widgets',
      number: 7,
      kind: 'issue',
      title: 'It breaks',
      body: '',
      author: { login: 'reporter', association: 'NONE' },
      createdAt: '2024-01-15T09:00:00Z',
      comments: [],
    });
  });

  test('a full thread round-trips, and unknown fields are dropped', () => {
    const full = {
      ...minimal({ kind: 'pull', body: 'Details', url: 'https://github.com/acme/widgets/pull/7', state: 'open', labels: ['bug'] }),
      comments: [goodComment],
      reactions: { '+1': 3 },
    };
    const parsed = parseThread(full);
    assert.deepEqual(parsed, {
      repo: 'acme/widgets',
      number: 7,
      kind: 'pull',
      title: 'It breaks',
      body: 'Details',
      author: { login: 'reporter', association: 'NONE' },
      createdAt: '2024-01-15T09:00:00Z',
      comments: [{ author: { login: 'helper', association: 'MEMBER' }, body: 'Try again?', createdAt: '2024-01-15T10:00:00Z' }],
      url: 'https://github.com/acme/widgets/pull/7',
      state: 'open',
      labels: ['bug'],
    });
    assert.ok(!('reactions' in parsed));
  });

  test('a missing association defaults to NONE; null body and null comments are empty', () => {
    const parsed = parseThread(minimal({ author: { login: 'x' }, body: null, comments: null }));
    assert.deepEqual(parsed.author, { login: 'x', association: 'NONE' });
    assert.equal(parsed.body, '');
    assert.deepEqual(parsed.comments, []);
    const comment = parseThread(withComments({ ...goodComment, body: null })).comments[0]!;
    assert.equal(comment.body, '');
  });

  test('a null author (a deleted account) becomes ghost, on the thread and on comments', () => {
    const parsed = parseThread({ ...withComments({ ...goodComment, author: null }), author: null });
    assert.deepEqual(parsed.author, { login: 'ghost', association: 'NONE' });
    assert.deepEqual(parsed.comments[0]!.author, { login: 'ghost', association: 'NONE' });
  });

  test('lone surrogates are replaced with U+FFFD and NUL characters are dropped, everywhere', () => {
    const parsed = parseThread({
      ...minimal({ title: 'a\uD800b', body: 'x\u0000y\u0000', labels: ['l\uDC00', 'n\u0000ul'], author: { login: 'lo\u0000gin', association: 'NONE' } }),
      comments: [{ ...goodComment, body: '\uDFFFend\u0000' }],
    });
    assert.equal(parsed.title, 'a\uFFFDb');
    assert.equal(parsed.body, 'xy');
    assert.deepEqual(parsed.labels, ['l\uFFFD', 'nul']);
    assert.equal(parsed.author.login, 'login');
    assert.equal(parsed.comments[0]!.body, '\uFFFDend');
    assert.ok(parsed.title.isWellFormed());
    // A valid pair is kept as it is.
    assert.equal(parseThread(minimal({ title: 'ok \uD83D\uDE00' })).title, 'ok \uD83D\uDE00');
  });

  test('state is lower-cased; null state and null labels are left out', () => {
    assert.equal(parseThread(minimal({ state: 'OPEN' })).state, 'open');
    assert.equal(parseThread(minimal({ state: 'Merged' })).state, 'merged');
    assert.equal(parseThread(minimal({ state: 'closed' })).state, 'closed');
    const parsed = parseThread(minimal({ state: null, labels: null }));
    assert.ok(!('state' in parsed));
    assert.ok(!('labels' in parsed));
    assert.deepEqual(parseThread(minimal({ labels: [] })).labels, []);
  });

  test('does not modify its input', () => {
    const input = minimal({ title: 'a\u0000b', state: 'OPEN' });
    const copy = structuredClone(input);
    parseThread(input);
    assert.deepEqual(input, copy);
  });
});

describe('parseThread: invalid input', () => {
  test('a value that is not an object', () => {
    assertInvalid(() => parseThread(null), 'thread must be an object');
    assertInvalid(() => parseThread([minimal()]), 'thread must be an object');
    assertInvalid(() => parseThread('{}', 'issue.json'), 'issue.json must be an object');
  });

  test('missing required fields name their path', () => {
    for (const field of ['repo', 'title', 'createdAt']) {
      const value = minimal();
      delete value[field];
      assertInvalid(() => parseThread(value), `thread.${field} must be a string`);
    }
    const noAuthor = minimal();
    delete noAuthor.author;
    assertInvalid(() => parseThread(noAuthor), 'thread.author must be an object');
    const noNumber = minimal();
    delete noNumber.number;
    assertInvalid(() => parseThread(noNumber), 'thread.number must be a positive integer');
    const noKind = minimal();
    delete noKind.kind;
    assertInvalid(() => parseThread(noKind), 'thread.kind must be "issue" or "pull"');
  });

  test('the source name is the root of the path', () => {
    assertInvalid(() => parseThread(minimal({ title: 3 }), 'issue-12.json'), 'issue-12.json.title must be a string');
  });

  test('bad comments name the comment index and field', () => {
    assertInvalid(() => parseThread(withComments(goodComment, { ...goodComment, author: { association: 'NONE' } })), 'thread.comments[1].author.login must be a string');
    assertInvalid(() => parseThread(withComments(goodComment, { ...goodComment, author: { login: 'a', association: 'ADMIN' } })), 'thread.comments[1].author.association must be one of OWNER, MEMBER');
    assertInvalid(() => parseThread(withComments('hello')), 'thread.comments[0] must be an object');
    assertInvalid(() => parseThread(withComments({ ...goodComment, body: 5 })), 'thread.comments[0].body must be a string');
    assertInvalid(() => parseThread(withComments({ ...goodComment, createdAt: 'yesterday' })), 'thread.comments[0].createdAt must be an ISO-8601 timestamp');
    assertInvalid(() => parseThread(withComments({ ...goodComment, createdAt: undefined })), 'thread.comments[0].createdAt must be a string');
    assertInvalid(() => parseThread(minimal({ comments: { 0: goodComment } })), 'thread.comments must be an array');
  });

  test('bad number and kind', () => {
    for (const number of [0, -1, 1.5, '7', Number.NaN, 2 ** 53, null]) {
      assertInvalid(() => parseThread(minimal({ number })), 'thread.number must be a positive integer');
    }
    for (const kind of ['Issue', 'pr', 'discussion', 1]) {
      assertInvalid(() => parseThread(minimal({ kind })), 'thread.kind must be "issue" or "pull"');
    }
  });

  test('bad repo formats are rejected with the value quoted', () => {
    const bad = ['acme', 'acme/widgets/extra', 'ac me/widgets', '/widgets', 'acme/', 'acme\\widgets', 'acme/wid#gets', `${'a'.repeat(101)}/b`, ''];
    for (const repo of bad) {
      assertInvalid(() => parseThread(minimal({ repo })), `thread.repo must look like "owner/name", got ${JSON.stringify(repo.slice(0, 80))}`);
    }
    assertInvalid(() => parseThread(minimal({ repo: 42 })), 'thread.repo must be a string');
    assert.equal(parseThread(minimal({ repo: 'Octo_Org-1/my.repo_2' })).repo, 'Octo_Org-1/my.repo_2');
  });

  test('bad state and labels', () => {
    assertInvalid(() => parseThread(minimal({ state: 'draft' })), 'thread.state must be open, closed or merged');
    assertInvalid(() => parseThread(minimal({ labels: 'bug' })), 'thread.labels must be an array of strings');
    assertInvalid(() => parseThread(minimal({ labels: ['bug', 3] })), 'thread.labels[1] must be a string');
  });

  test('a bad association on the thread author', () => {
    assertInvalid(() => parseThread(minimal({ author: { login: 'a', association: 'owner' } })), 'thread.author.association must be one of');
  });

  test('a timestamp that is not ISO-8601 is rejected', () => {
    assertInvalid(() => parseThread(minimal({ createdAt: '1' })), 'thread.createdAt must be an ISO-8601 timestamp');
    assertInvalid(() => parseThread(minimal({ createdAt: 'Jan 1' })), 'thread.createdAt must be an ISO-8601 timestamp');
  });
});

describe('parseThread: the GitHub fields (id, updatedAt, files, review threads, comment id and url)', () => {
  const reviewThread = {
    path: 'src/parser.ts',
    line: 12,
    diffHunk: '@@ -10,3 +10,4 @@',
    isResolved: false,
    isOutdated: true,
    comments: [{ ...goodComment, id: 'PRRC_1', url: 'https://github.com/acme/widgets/pull/7#discussion_r1' }],
  };
  const file = { path: 'src/parser.ts', additions: 4, deletions: 1, changeType: 'MODIFIED' };

  test('they round-trip', () => {
    const input = minimal({
      kind: 'pull',
      id: 'PR_kwDO1',
      updatedAt: '2024-01-16T09:00:00Z',
      files: [file],
      reviewThreads: [reviewThread, { ...reviewThread, line: null, comments: [] }],
      comments: [{ ...goodComment, id: 'IC_1', url: 'https://github.com/acme/widgets/pull/7#issuecomment-1' }],
    });
    const parsed = parseThread(input);
    assert.equal(parsed.id, 'PR_kwDO1');
    assert.equal(parsed.updatedAt, '2024-01-16T09:00:00Z');
    assert.deepEqual(parsed.files, [file]);
    assert.deepEqual(parsed.reviewThreads?.[0], reviewThread);
    assert.equal(parsed.reviewThreads?.[1]?.line, null);
    assert.deepEqual(parsed.comments[0], { ...goodComment, id: 'IC_1', url: 'https://github.com/acme/widgets/pull/7#issuecomment-1' });
    assert.deepEqual(parseThread(parsed), parsed);
  });

  test('left out or null, they stay out', () => {
    const parsed = parseThread(minimal({ id: null, updatedAt: null, files: null, reviewThreads: null }));
    for (const key of ['id', 'updatedAt', 'files', 'reviewThreads']) assert.ok(!(key in parsed), key);
    assert.ok(!('id' in parseThread(withComments(goodComment)).comments[0]!));
  });

  test('bad values name their path', () => {
    assertInvalid(() => parseThread(minimal({ updatedAt: 'yesterday' })), 'thread.updatedAt must be an ISO-8601 timestamp');
    assertInvalid(() => parseThread(minimal({ id: 7 })), 'thread.id must be a string');
    assertInvalid(() => parseThread(minimal({ files: {} })), 'thread.files must be an array');
    assertInvalid(() => parseThread(minimal({ files: [{ ...file, additions: -1 }] })), 'thread.files[0].additions must be a whole number');
    assertInvalid(() => parseThread(minimal({ files: [{ ...file, changeType: 'EXPLODED' }] })), 'thread.files[0].changeType must be one of');
    assertInvalid(() => parseThread(minimal({ reviewThreads: [{ ...reviewThread, line: 0 }] })), 'thread.reviewThreads[0].line must be a positive integer or null');
    assertInvalid(() => parseThread(minimal({ reviewThreads: [{ ...reviewThread, isResolved: 'yes' }] })), 'thread.reviewThreads[0].isResolved must be true or false');
    assertInvalid(() => parseThread(minimal({ reviewThreads: [{ ...reviewThread, path: null }] })), 'thread.reviewThreads[0].path must be a string');
    assertInvalid(() => parseThread(minimal({ reviewThreads: [{ ...reviewThread, comments: [{ ...goodComment, url: 3 }] }] })), 'thread.reviewThreads[0].comments[0].url must be a string');
    assertInvalid(() => parseThread(withComments({ ...goodComment, id: ['x'] })), 'thread.comments[0].id must be a string');
  });
});

describe('parseThreadBytes', () => {
  test('decodes UTF-8 JSON into a thread', () => {
    const thread = parseThreadBytes(bytesOf(minimal({ title: 'Ünïcødé ✓' })), 'issue.json');
    assert.equal(thread.title, 'Ünïcødé ✓');
    assert.equal(thread.repo, 'acme/widgets');
  });

  test('invalid UTF-8 bytes are rejected', () => {
    assertInvalid(() => parseThreadBytes(Buffer.from([0x7b, 0xff, 0x7d]), 'bad.json'), 'bad.json is not valid UTF-8 text');
  });

  test('invalid JSON is rejected with the parser message', () => {
    assertInvalid(() => parseThreadBytes(Buffer.from('{"repo": '), 'cut.json'), 'cut.json is not valid JSON (');
    assertInvalid(() => parseThreadBytes(Buffer.from(''), 'empty.json'), 'empty.json is not valid JSON');
  });

  test('a UTF-8 byte order mark is accepted', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bytesOf(minimal()))]);
    assert.equal(parseThreadBytes(bytes, 'bom.json').number, 7);
  });

  test('shape errors use the source as the path root', () => {
    assertInvalid(() => parseThreadBytes(bytesOf(withComments({ ...goodComment, author: { login: 1 } })), 'in.json'), 'in.json.comments[0].author.login must be a string');
  });
});

describe('isEmptyThread and threadRef', () => {
  test('a thread with only whitespace everywhere is empty', () => {
    assert.equal(isEmptyThread(aThread({ title: ' ', body: '\n\t', comments: [aComment({ body: '  ' })] })), true);
    assert.equal(isEmptyThread(aThread({ title: '', body: '', comments: [] })), true);
  });

  test('any text makes it non-empty', () => {
    assert.equal(isEmptyThread(aThread({ title: 'x', body: '', comments: [] })), false);
    assert.equal(isEmptyThread(aThread({ title: '', body: ' y ', comments: [] })), false);
    assert.equal(isEmptyThread(aThread({ title: '', body: '', comments: [aComment({ body: '' }), aComment({ body: 'z', author: maintainer('m') })] })), false);
  });

  test('threadRef is owner/name#number', () => {
    assert.equal(threadRef(aThread({ repo: 'octo/cat', number: 1234 })), 'octo/cat#1234');
  });
});
