import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KnowledgeSource, Suggestion } from '../../server/src/protocol';
import { sourcesInfo } from '../../client/src/suggestion/sourcesInfo';
import { findSource, sourceTarget, sourceUrl } from '../../client/src/suggestion/sourceTarget';
import type { SuggestionKnowledge } from '../../client/src/suggestion/sourceTarget';
import { aKnowledgeSource, aSuggestion } from '../support/builders';

const BLOB_URL = 'https://github.com/acme/widgets/blob/0123456789abcdef0123456789abcdef01234567/docs/install.md#L10-L24';
const ISSUE_URL = 'https://github.com/acme/widgets/issues/123';

const doc = aKnowledgeSource();
const issue = aKnowledgeSource({
  number: 2,
  kind: 'issue',
  title: '#123 Parser crashes on tabs',
  headingPath: [],
  path: undefined,
  startLine: undefined,
  endLine: undefined,
  commitSha: undefined,
  localPath: undefined,
  issueNumber: 123,
  url: ISSUE_URL,
});
/** Given to the model but not cited by the reply. */
const uncited = aKnowledgeSource({ number: 3, title: 'docs/faq.md › Tabs', path: 'docs/faq.md', localPath: '/work/widgets/docs/faq.md', startLine: 5, endLine: 9, url: null });

/** A reply that cites [1] and [2] out of the three sources it was given. */
function reply(overrides: Partial<Suggestion> = {}): Suggestion {
  return aSuggestion({
    sources: [doc, issue],
    retrieval: { indexed: true, noRelevantSources: false, given: [doc, issue, uncited], indexVersion: '4', embeddingModel: 'Xenova/all-MiniLM-L6-v2', ms: 12 },
    ...overrides,
  });
}

/** A reply citing only `source`. */
function citing(source: KnowledgeSource): Suggestion {
  return reply({ sources: [source], retrieval: { ...reply().retrieval, given: [source] } });
}

/** A Suggestion as an older daemon sends it: no knowledge fields at all. */
function fromOlderDaemon(): SuggestionKnowledge {
  const older: Partial<Suggestion> = aSuggestion();
  delete older.sources;
  delete older.retrieval;
  delete older.citationFindings;
  return older;
}

describe('sourceTarget', () => {
  test('a doc indexed on this machine opens as its file, with its lines', () => {
    assert.deepEqual(sourceTarget(reply(), 1, 'open'), {
      kind: 'file',
      number: 1,
      path: '/work/widgets/docs/install.md',
      startLine: 10,
      endLine: 24,
      title: 'docs/install.md › Install › Linux',
    });
  });

  test('Open on GitHub takes the link even when there is a local file', () => {
    assert.deepEqual(sourceTarget(reply(), 1, 'web'), { kind: 'url', number: 1, url: BLOB_URL, title: 'docs/install.md › Install › Linux' });
  });

  test('an issue opens its URL', () => {
    assert.deepEqual(sourceTarget(reply(), 2, 'open'), { kind: 'url', number: 2, url: ISSUE_URL, title: '#123 Parser crashes on tabs' });
  });

  test('a missing or backwards end line selects the start line only', () => {
    const noEnd = sourceTarget(citing({ ...doc, endLine: undefined }), 1, 'open');
    assert.equal(noEnd.kind === 'file' && `${noEnd.startLine}-${noEnd.endLine}`, '10-10');
    const backwards = sourceTarget(citing({ ...doc, startLine: 30, endLine: 12 }), 1, 'open');
    assert.equal(backwards.kind === 'file' && `${backwards.startLine}-${backwards.endLine}`, '30-30');
  });

  test('no file without an absolute path and a valid start line: the link instead', () => {
    for (const bad of [
      { localPath: 'docs/install.md' },
      { localPath: '../../etc/passwd' },
      { localPath: '' },
      { localPath: '/work/widgets/docs/install.md\0.png' },
      { startLine: undefined },
      { startLine: 0 },
      { startLine: 2.5 },
      { startLine: Number.NaN },
    ] satisfies Partial<KnowledgeSource>[]) {
      assert.deepEqual(sourceTarget(citing({ ...doc, ...bad }), 1, 'open'), { kind: 'url', number: 1, url: BLOB_URL, title: doc.title }, JSON.stringify(bad));
    }
  });

  test('links open only as https without credentials; otherwise there is nothing to open', () => {
    for (const url of ['javascript:alert(1)', 'http://github.com/acme/widgets', 'https://user:secret@github.com/acme', 'file:///etc/passwd', 'not a url', '', null]) {
      const source = { ...issue, url };
      const target = sourceTarget(citing(source), 2, 'open');
      assert.equal(target.kind, 'none', String(url));
      assert.match(target.kind === 'none' ? target.reason : '', /\[2\] has neither a local file nor a link/);
      const web = sourceTarget(citing(source), 2, 'web');
      assert.match(web.kind === 'none' ? web.reason : '', /\[2\] has no link on GitHub/);
    }
  });

  test('a GitHub Enterprise Server link opens (the daemon made it from the repository remote)', () => {
    const url = 'https://ghe.example.com:8443/acme/widgets/issues/7';
    assert.deepEqual(sourceTarget(citing({ ...issue, url }), 2, 'open'), { kind: 'url', number: 2, url, title: issue.title });
  });

  test('a source given but not cited still opens (an edited draft may cite it)', () => {
    assert.equal(findSource(reply(), 3), uncited);
    assert.deepEqual(sourceTarget(reply(), 3, 'open'), { kind: 'file', number: 3, path: '/work/widgets/docs/faq.md', startLine: 5, endLine: 9, title: 'docs/faq.md › Tabs' });
  });

  test('numbers that name no source, and replies without sources, open nothing', () => {
    for (const number of [4, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const target = sourceTarget(reply(), number, 'open');
      assert.equal(target.kind, 'none', String(number));
      assert.match(target.kind === 'none' ? target.reason : '', /is not among the sources of this reply/);
    }
    assert.equal(sourceTarget(undefined, 1, 'open').kind, 'none', 'no finished reply');
    assert.equal(sourceTarget(fromOlderDaemon(), 1, 'open').kind, 'none', 'an older daemon');
  });

  test('sourceUrl normalises the link it accepts', () => {
    assert.equal(sourceUrl({ url: 'https://GitHub.com/acme/widgets/issues/1' }), 'https://github.com/acme/widgets/issues/1');
    assert.equal(sourceUrl({ url: null }), undefined);
  });
});

describe('sourcesInfo', () => {
  test('the cited sources as the webview lists them, without local paths or source text', () => {
    assert.deepEqual(sourcesInfo(reply()), {
      cited: [
        { number: 1, kind: 'doc', title: 'docs/install.md › Install › Linux', startLine: 10, endLine: 24, url: BLOB_URL, openable: true },
        { number: 2, kind: 'issue', title: '#123 Parser crashes on tabs', url: ISSUE_URL, openable: true },
      ],
      given: [1, 2, 3],
      flags: [],
      noRelevantSources: false,
      indexed: true,
    });
  });

  test('possibly fabricated citations, and what retrieval did', () => {
    const info = sourcesInfo(
      reply({
        sources: [],
        retrieval: { indexed: false, skippedReason: 'no index for acme/widgets yet', noRelevantSources: false, given: [], indexVersion: null, embeddingModel: null, ms: 0 },
        citationFindings: [
          { kind: 'unknown-source', text: '[7]', offset: 40, number: 7 },
          { kind: 'unknown-url', text: 'https://docs.example.invalid/x', offset: 60 },
        ],
      }),
    );
    assert.deepEqual(info, {
      cited: [],
      given: [],
      flags: [
        { kind: 'unknown-source', text: '[7]', number: 7 },
        { kind: 'unknown-url', text: 'https://docs.example.invalid/x' },
      ],
      noRelevantSources: false,
      indexed: false,
      skippedReason: 'no index for acme/widgets yet',
    });
    assert.equal(sourcesInfo(reply({ sources: [], retrieval: { ...reply().retrieval, given: [], noRelevantSources: true } }))?.noRelevantSources, true);
  });

  test('a source with neither a usable file nor a usable link is listed but not openable', () => {
    const info = sourcesInfo(citing({ ...doc, localPath: undefined, url: 'javascript:alert(1)' }));
    assert.deepEqual(info?.cited, [{ number: 1, kind: 'doc', title: doc.title, startLine: 10, endLine: 24, openable: false }]);
  });

  test('untrusted titles become one bounded line; flags are bounded in number', () => {
    const info = sourcesInfo(
      reply({
        sources: [{ ...doc, title: `  Heading\n\n<script>x</script>\t${'a'.repeat(1000)}` }],
        citationFindings: Array.from({ length: 80 }, (_, index) => ({ kind: 'unknown-source' as const, text: `[${index + 10}]`, offset: index, number: index + 10 })),
      }),
    );
    const title = info?.cited[0]?.title ?? '';
    assert.ok(title.startsWith('Heading <script>x</script> aaa'), title.slice(0, 40));
    assert.equal(title.length, 300);
    assert.ok(title.endsWith('…'));
    assert.equal(info?.flags.length, 50);
  });

  test('an older daemon without the knowledge fields: no sources info', () => {
    assert.equal(sourcesInfo(fromOlderDaemon()), undefined);
  });
});
