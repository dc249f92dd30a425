import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { citationFindings, citedSources, findCitationMarks, findUrls } from '../../server/src/checks/citations';
import type { KnowledgeSource } from '../../server/src/protocol';
import { aComment, aThread } from '../support/builders';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function aSource(number: number, overrides: Partial<KnowledgeSource> = {}): KnowledgeSource {
  return {
    number,
    chunkId: `chunk-${number}`,
    kind: 'doc',
    title: `docs/guide.md › Part ${number}`,
    headingPath: [`Part ${number}`],
    path: 'docs/guide.md',
    startLine: 10 * number,
    endLine: 10 * number + 5,
    commitSha: SHA,
    url: `https://github.com/acme/widgets/blob/${SHA}/docs/guide.md#L${10 * number}-L${10 * number + 5}`,
    text: `Part ${number} of the guide.`,
    score: 1 / number,
    ...overrides,
  };
}

const three = [aSource(1), aSource(2), aSource(3)];

/** [number, text] of each mark, and that each mark's text is where its offset says. */
function marksOf(reply: string): Array<[number, string]> {
  const marks = findCitationMarks(reply);
  for (const mark of marks) assert.equal(reply.slice(mark.offset, mark.offset + mark.text.length), mark.text);
  return marks.map((m) => [m.number, m.text]);
}

function urlsOf(reply: string): string[] {
  const urls = findUrls(reply);
  for (const { url, offset } of urls) assert.equal(reply.slice(offset, offset + url.length), url);
  return urls.map((u) => u.url);
}

describe('findCitationMarks: what is a citation', () => {
  test('single, listed, chained and ranged numbers', () => {
    assert.deepEqual(marksOf('Set it [1]. Both [1, 2] and [2;3] say so[1][3], see [2-4] and [ 1 – 2 ].'), [
      [1, '[1]'],
      [1, '[1, 2]'],
      [2, '[1, 2]'],
      [2, '[2;3]'],
      [3, '[2;3]'],
      [1, '[1]'],
      [3, '[3]'],
      [2, '[2-4]'],
      [3, '[2-4]'],
      [4, '[2-4]'],
      [1, '[ 1 – 2 ]'],
      [2, '[ 1 – 2 ]'],
    ]);
  });

  test('a number repeated in one bracket is one mark; a mixed list of numbers and ranges is read whole', () => {
    assert.deepEqual(marksOf('[2, 2, 1-3]'), [
      [2, '[2, 2, 1-3]'],
      [1, '[2, 2, 1-3]'],
      [3, '[2, 2, 1-3]'],
    ]);
  });

  test('ranges are capped, and a reversed or oversized range is not a citation', () => {
    assert.equal(findCitationMarks('[1-20]').length, 20);
    assert.deepEqual(marksOf('values in [1-100], [5-2] or [1, 3-50]'), []);
  });

  test('task boxes, zero, leading zeros, years, words and footnotes are not citations', () => {
    assert.deepEqual(marksOf('- [x] done\n- [ ] todo\n- [X] also\n[0] [01] [2024] [a] [1.2] [^1] [1a]'), []);
  });

  test('nothing inside fenced code blocks, of backticks or tildes, closed or not', () => {
    const reply = ['Intro [1].', '```ts', 'const a = b[2];', '```', '~~~~', '[3]', '```', 'still code [4]', '~~~~', 'Outro [5].', '  ```', 'unclosed [6]'].join('\n');
    assert.deepEqual(marksOf(reply), [
      [1, '[1]'],
      [5, '[5]'],
    ]);
  });

  test('fences in block quotes and list items, and a longer closing fence', () => {
    const reply = '> ```\n> [7]\n> ```\n- ```js\n  x[8]\n  ```\n1. ````\n   [9]\n   ``````\nafter [2]';
    assert.deepEqual(marksOf(reply), [[2, '[2]']]);
  });

  test('nothing inside inline code spans, whatever the length of the backtick run', () => {
    assert.deepEqual(marksOf('Use `arr[1]` or ``a ` [2] `` or ```[3]``` but [4] and ``unclosed [5]'), [
      [4, '[4]'],
      [5, '[5]'],
    ]);
    // A span does not cross a blank line: the backtick there is a plain character.
    assert.deepEqual(marksOf('a ` [1]\n\n[2] `'), [
      [1, '[1]'],
      [2, '[2]'],
    ]);
    // A span does run over a single line break.
    assert.deepEqual(marksOf('a ` [1]\n[2] ` [3]'), [[3, '[3]']]);
  });

  test('[1](url) is a citation whose URL is checked; link text is not', () => {
    const reply = 'See [1](https://github.com/acme/widgets/blob/x/docs/guide.md) and [the guide](https://x.test/guide).';
    assert.deepEqual(marksOf(reply), [[1, '[1]']]);
    assert.deepEqual(urlsOf(reply), ['https://github.com/acme/widgets/blob/x/docs/guide.md', 'https://x.test/guide']);
  });

  test('reference definitions and reference link labels are not citations; a list of references is', () => {
    const reply = 'See [the guide][1] and [2].\n\n[1]: https://x.test/guide\n   [3]: <https://x.test/three>\n[4]: Installation guide';
    assert.deepEqual(marksOf(reply), [
      [2, '[2]'],
      [4, '[4]'],
    ]);
    assert.deepEqual(urlsOf(reply), ['https://x.test/guide', 'https://x.test/three']);
  });

  test('a bracket inside a URL belongs to the URL', () => {
    assert.deepEqual(marksOf('https://x.test/?a[1]=2 then [2]'), [[2, '[2]']]);
  });

  test('offsets are UTF-16 offsets, after emoji and accents', () => {
    // 😀 is two UTF-16 units and one code point; the é is e + a combining accent (two units).
    const reply = '😀 Cafe\u0301 ☕ — 日本語 [2]';
    const [mark] = findCitationMarks(reply);
    assert.equal(mark!.offset, reply.indexOf('[2]'));
    assert.equal(mark!.offset, 2 + 1 + 5 + 1 + 1 + 1 + 1 + 1 + 3 + 1);
  });

  test('hostile input stays fast', () => {
    const started = performance.now();
    findCitationMarks('['.repeat(50_000) + '1'.repeat(50_000) + '`'.repeat(3000) + ' `'.repeat(20_000) + '[1, '.repeat(20_000));
    findUrls('https://x.test/' + ')'.repeat(100_000) + ' ' + 'https://'.repeat(20_000));
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });
});

describe('findUrls', () => {
  test('bare URLs, autolinks and Markdown links, with trailing punctuation trimmed', () => {
    const reply =
      'Read https://x.test/a. Or <https://x.test/b>, or [c](https://x.test/c "title"), (see https://x.test/d), ' +
      'https://x.test/wiki/Foo_(bar) and **https://x.test/e**! http://x.test/f?q=1&r=2; https://x.test/g:';
    assert.deepEqual(urlsOf(reply), [
      'https://x.test/a',
      'https://x.test/b',
      'https://x.test/c',
      'https://x.test/d',
      'https://x.test/wiki/Foo_(bar)',
      'https://x.test/e',
      'http://x.test/f?q=1&r=2',
      'https://x.test/g',
    ]);
  });

  test('not inside code, and not other schemes or bare hosts', () => {
    assert.deepEqual(urlsOf('`https://x.test/a`\n```\nhttps://x.test/b\n```\nftp://x.test/c www.x.test https:// x'), []);
  });
});

describe('citedSources', () => {
  test('exactly the given sources cited, in number order, each once', () => {
    const given = [aSource(3), aSource(1), aSource(2), aSource(4)];
    const cited = citedSources('Per [3] and [1][3], not `[2]`; also [3-3] and [9].', given);
    assert.deepEqual(cited.map((s) => s.number), [1, 3]);
    assert.equal(cited[0], given[1], 'the given objects themselves');
  });

  test('no citations, no sources', () => {
    assert.deepEqual(citedSources('Thanks for the report!', three), []);
  });
});

describe('citationFindings', () => {
  const thread = aThread({
    url: 'https://github.com/acme/widgets/issues/42',
    body: 'Crashes, log at https://gist.github.com/reporter/abc123.\n```\nsee http://localhost:8080/debug\n```',
    comments: [
      aComment({ body: 'Same here: https://example.com/report.', url: 'https://github.com/acme/widgets/issues/42#issuecomment-1' }),
    ],
    reviewThreads: [
      {
        path: 'src/a.ts',
        line: 3,
        diffHunk: '@@ -1 +1 @@\n-// https://old.example.com/spec',
        isResolved: false,
        isOutdated: false,
        comments: [aComment({ body: 'Per https://review.example.com/rule', url: 'https://github.com/acme/widgets/pull/42#discussion_r1' })],
      },
    ],
  });

  test('a reply citing [1] and [4] with three sources given: one unknown-source for [4]', () => {
    const reply = 'Raise the limit [1]. Then restart the daemon [4].';
    assert.deepEqual(citationFindings(reply, three, thread), [{ kind: 'unknown-source', text: '[4]', offset: reply.indexOf('[4]'), number: 4 }]);
  });

  test('each unknown number of a bracket is its own finding at the bracket', () => {
    const reply = 'Done [2-5].';
    assert.deepEqual(citationFindings(reply, three, thread), [
      { kind: 'unknown-source', text: '[2-5]', offset: 5, number: 4 },
      { kind: 'unknown-source', text: '[2-5]', offset: 5, number: 5 },
    ]);
  });

  test('every citation is unknown when no source was given', () => {
    assert.deepEqual(citationFindings('See [1].', [], thread).map((f) => f.text), ['[1]']);
  });

  test('URLs from the thread are not flagged, wherever in the thread they are', () => {
    const reply = [
      'Thanks! Your log (https://gist.github.com/reporter/abc123) and http://localhost:8080/debug,',
      'https://example.com/report, https://github.com/acme/widgets/issues/42, https://review.example.com/rule,',
      'https://old.example.com/spec and https://github.com/acme/widgets/pull/42#discussion_r1 helped.',
    ].join('\n');
    assert.deepEqual(citationFindings(reply, three, thread), []);
  });

  test('an invented URL is flagged at its offset, in order with the marks', () => {
    const reply = 'See [5] and https://docs.widgets.example/limits, as in [1].';
    assert.deepEqual(citationFindings(reply, three, thread), [
      { kind: 'unknown-source', text: '[5]', offset: 4, number: 5 },
      { kind: 'unknown-url', text: 'https://docs.widgets.example/limits', offset: 12 },
    ]);
  });

  test("a source's URL matches normalized: case of scheme and host, a trailing slash, any #fragment", () => {
    const page = `github.com/acme/widgets/blob/${SHA}/docs/guide.md`;
    const reply = [
      `[1](https://${page}#L10-L15)`,
      `HTTPS://GitHub.com/acme/widgets/blob/${SHA}/docs/guide.md`,
      `https://${page}/`,
      // Another line anchor in a given page points into a file the model was given: not a fabricated source.
      `https://${page}#L200`,
      `https://${page}#install`,
    ].join('\n');
    assert.deepEqual(citationFindings(reply, three, thread), []);
    // The path is compared as written: another file, another commit or another case is another page.
    const others = [`https://github.com/acme/widgets/blob/${SHA}/docs/other.md#L10-L15`, `https://github.com/acme/widgets/blob/main/docs/guide.md`, `https://github.com/acme/widgets/blob/${SHA}/docs/GUIDE.md`];
    assert.deepEqual(
      citationFindings(others.join(' '), three, thread).map((f) => f.text),
      others,
    );
  });

  test('an issue source is matched by its URL; sources without a URL match nothing', () => {
    const issue = aSource(2, { kind: 'issue', path: undefined, issueNumber: 7, url: 'https://github.com/acme/widgets/issues/7' });
    const noLink = aSource(3, { url: null });
    const reply = 'As in [2] (https://github.com/acme/widgets/issues/7) and https://github.com/acme/widgets/issues/8.';
    assert.deepEqual(citationFindings(reply, [aSource(1), issue, noLink], thread), [
      { kind: 'unknown-url', text: 'https://github.com/acme/widgets/issues/8', offset: reply.indexOf('https://github.com/acme/widgets/issues/8') },
    ]);
  });

  test('URLs and citations in code are not checked', () => {
    assert.deepEqual(citationFindings('Run `curl https://evil.test/x [9]`.\n```\nhttps://evil.test/y [8]\n```', three, thread), []);
  });
});
