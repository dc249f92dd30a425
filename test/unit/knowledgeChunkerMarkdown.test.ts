import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument } from '../../server/src/knowledge/chunk/chunkDocument';
import { scanMarkdownBlocks, type BlockKind } from '../../server/src/knowledge/chunk/markdownBlocks';
import type { ChunkOptions } from '../../server/src/knowledge/types';
import { assertLineRangesHold, chunkContaining } from '../support/knowledge/chunkAssertions';
import { doc } from '../support/knowledge/textFixtures';

// How chunkDocument reads Markdown structure: front matter, code fences, tables, HTML blocks,
// headings (ATX and setext), anchors and heading paths. Sizes live in knowledgeChunkerSizes.test.ts.

// --- front matter ------------------------------------------------------------------------------

describe('chunkDocument: front matter', () => {
  test('YAML front matter is left out and line numbers still count it', () => {
    const text = doc('---', 'title: Secret front matter', 'tags: [a, b]', '---', '', '# Hello', '', 'Body text.');
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.ok(!chunks[0]!.text.includes('Secret front matter'));
    assert.equal(chunks[0]!.text, '# Hello\n\nBody text.');
    assert.equal(chunks[0]!.startLine, 6);
    assert.equal(chunks[0]!.endLine, 8);
  });

  test('TOML front matter is left out too', () => {
    const text = doc('+++', 'title = "Secret"', 'draft = false', '+++', 'Intro line.');
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]!.text, 'Intro line.');
    assert.equal(chunks[0]!.startLine, 5);
    assert.deepEqual(chunks[0]!.headingPath, []);
    assert.equal(chunks[0]!.anchor, null);
  });

  test('a --- line further down is not front matter', () => {
    const text = doc('Intro.', '', '---', 'title: kept', '---', '', 'More.');
    const chunks = chunkDocument(text, 'markdown');
    assert.ok(chunks.some((c) => c.text.includes('title: kept')));
  });
});

// --- code fences -------------------------------------------------------------------------------

describe('chunkDocument: code fences', () => {
  test('a longer fence wraps shorter ones, and # lines inside are not headings', () => {
    const text = doc(
      '# Real',
      '',
      '````markdown',
      '```bash',
      '# not a heading',
      '```',
      '## still not a heading',
      '````',
      '',
      'After the fence.',
    );
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0]!.headingPath, ['Real']);
    assert.ok(chunks[0]!.text.includes('## still not a heading'));
    assert.ok(chunks[0]!.text.endsWith('After the fence.'));
  });

  test('tilde fences: backtick lines inside do not close them', () => {
    const text = doc('# Top', '', '~~~', '```', '# inside tilde', '```', '~~~', '', '# Next', '', 'Next body.');
    const chunks = chunkDocument(text, 'markdown');
    assert.deepEqual(
      chunks.map((c) => c.headingPath),
      [['Top'], ['Next']],
    );
    assert.ok(chunkContaining(chunks, '# inside tilde').headingPath[0] === 'Top');
  });

  test('a closing fence must use the same character and be at least as long', () => {
    const blocks = scanMarkdownBlocks(['````', '```', '~~~~', '````', 'text'].slice());
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.start, b.end]),
      [
        ['code', 0, 4],
        ['paragraph', 4, 5],
      ],
    );
  });

  test('an unclosed fence runs to the end: nothing after it is a heading', () => {
    const text = doc('# Start', '', 'Some text.', '', '```python', 'x = 1', '', '# After', '', 'More code?');
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0]!.headingPath, ['Start']);
    assert.equal(chunks[0]!.endLine, 10);
  });

  test('a code block is never split, even when far bigger than the target', () => {
    const code = Array.from({ length: 20 }, (_, i) => `    call_something(${i}, "argument") # step ${i}`);
    const text = doc('# Code', '', 'Before.', '', '```python', ...code, '```', '', 'After.');
    const options: ChunkOptions = { targetTokens: 60, maxTokens: 80, minTokens: 20, overlapTokens: 10 };
    const chunks = chunkDocument(text, 'markdown', options);
    const holding = chunks.filter((c) => c.text.includes('call_something'));
    assert.equal(holding.length, 1, 'the fence is in exactly one chunk');
    assert.ok(holding[0]!.text.includes('```python') && holding[0]!.text.includes('step 19\n```'));
    assert.ok(holding[0]!.tokens > 80, `the code chunk has ${holding[0]!.tokens} tokens`);
  });

  test('the overlap is never taken from inside a code block', () => {
    const code = Array.from({ length: 20 }, (_, i) => `run step ${i}`);
    const para = (n: number): string => `Paragraph ${n} has a few words in it to fill the chunk up a little more.`;
    const text = doc('# S', '', para(1), '', '```', ...code, '```', '', para(2), '', para(3), '', para(4));
    const chunks = chunkDocument(text, 'markdown', { targetTokens: 60, maxTokens: 80, minTokens: 10, overlapTokens: 20 });
    for (let k = 1; k < chunks.length; k++) {
      const first = chunks[k]!.text.split('\n')[0]!;
      assert.ok(!first.startsWith('run step') && first !== '```', `chunk ${k} starts inside code: ${first}`);
    }
  });

  test('a fence inside a list item keeps its # lines out of the headings', () => {
    const text = doc('# List', '', '- step one:', '', '  ```sh', '  # comment in code', '  ```', '- step two', '', 'Done.');
    const chunks = chunkDocument(text, 'markdown');
    assert.deepEqual(
      chunks.map((c) => c.headingPath),
      [['List']],
    );
  });
});

// --- tables, HTML, headings ----------------------------------------------------------------------

describe('chunkDocument: tables, HTML blocks and headings', () => {
  test('a table stays whole, in one chunk, even with small chunk sizes', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `| option${i} | the default value of option ${i} |`);
    const text = doc('# Options', '', 'Intro paragraph.', '', '| Name | Meaning |', '| --- | :--- |', ...rows, '', 'Outro paragraph.');
    const chunks = chunkDocument(text, 'markdown', { targetTokens: 50, maxTokens: 60, minTokens: 10, overlapTokens: 5 });
    const holding = chunks.filter((c) => c.text.includes('| option'));
    assert.equal(holding.length, 1);
    assert.ok(holding[0]!.text.includes('| Name | Meaning |'));
    assert.ok(holding[0]!.text.includes('option11'));
    assert.ok(holding[0]!.tokens > 60, `the table chunk has ${holding[0]!.tokens} tokens`);
  });

  test('a code block bigger than 4 × maxTokens is cut between lines, each part within maxTokens', () => {
    const code = Array.from({ length: 200 }, (_, i) => `step(${i});`);
    const text = doc('# Huge', '', '```js', ...code, '```');
    const chunks = chunkDocument(text, 'markdown', { targetTokens: 30, maxTokens: 40, minTokens: 10, overlapTokens: 5 });
    assert.ok(chunks.length > 4);
    for (const chunk of chunks) assert.ok(chunk.tokens <= 40);
    assertLineRangesHold(text, chunks);
  });

  test('the table scanner needs a delimiter row with as many cells as the header', () => {
    const kinds = (lines: string[]): BlockKind[] => scanMarkdownBlocks(lines).map((b) => b.kind);
    assert.deepEqual(kinds(['| a | b |', '|---|---|', '| 1 | 2 |']), ['table']);
    assert.deepEqual(kinds(['a | b', '---']), ['heading']); // one delimiter cell: a setext heading, not a table
    assert.deepEqual(kinds(['Para line', '| a | b |', '| - | - |']), ['paragraph', 'table']);
  });

  test('HTML blocks: a # line inside <div> is not a heading; after a blank line Markdown resumes', () => {
    const text = doc('# Page', '', '<div align="center">', '# Not a heading', '</div>', '', '<details>', '<summary>More</summary>', '', '## Inside details', '', 'Hidden text.', '', '</details>');
    const chunks = chunkDocument(text, 'markdown');
    assert.deepEqual(
      chunks.map((c) => c.headingPath),
      [['Page'], ['Page', 'Inside details']],
    );
    assert.ok(chunks[0]!.text.includes('# Not a heading'));
  });

  test('setext headings (=== and ---) open sections; a paragraph above --- becomes the heading', () => {
    const text = doc('Main Title', '==========', '', 'Intro.', '', 'Sub Title', '---', '', 'Sub body.');
    const chunks = chunkDocument(text, 'markdown');
    assert.deepEqual(
      chunks.map((c) => [c.headingPath, c.anchor, c.startLine]),
      [
        [['Main Title'], 'main-title', 1],
        [['Main Title', 'Sub Title'], 'sub-title', 6],
      ],
    );
  });

  test('heading paths follow nesting; a heading with nothing under it gives no chunk of its own', () => {
    const text = doc('# Install', '## Linux', 'Apt.', '### Debian', 'Deb.', '## macOS', 'Brew.', '# Usage', 'Run it.', '#### Deep', 'Deep text.');
    const chunks = chunkDocument(text, 'markdown');
    assert.deepEqual(
      chunks.map((c) => c.headingPath),
      [['Install', 'Linux'], ['Install', 'Linux', 'Debian'], ['Install', 'macOS'], ['Usage'], ['Usage', 'Deep']],
    );
    assert.equal(chunks[0]!.text, '## Linux\nApt.');
  });

  test('duplicate headings get -1, -2 anchors, as on GitHub', () => {
    const text = doc('# Usage', 'a', '## Example', 'b', '# Usage', 'c', '## Example', 'd', '## Example', 'e');
    const anchors = chunkDocument(text, 'markdown').map((c) => c.anchor);
    assert.deepEqual(anchors, ['usage', 'example', 'usage-1', 'example-1', 'example-2']);
  });

  test('inline Markdown in headings is reduced to text for the path and the anchor', () => {
    const chunks = chunkDocument(doc('## The `init()` call, **fast** [docs](https://x.y) ##', 'Body.'), 'markdown');
    assert.deepEqual(chunks[0]!.headingPath, ['The init() call, fast docs']);
    assert.equal(chunks[0]!.anchor, 'the-init-call-fast-docs');
  });

  test('lists: one block per item, ordered items included; nested items and code stay in their item', () => {
    const blocks = scanMarkdownBlocks(['1. one', '2. two', '   - nested', '', '     ```', '     # code', '     ```', '3. three', 'lazy line', '', 'Para.']);
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.start, b.end, b.indivisible]),
      [
        ['list', 0, 1, false],
        ['list', 1, 7, true],
        ['list', 7, 9, false],
        ['blank', 9, 10, false],
        ['paragraph', 10, 11, false],
      ],
    );
  });

  test('# without a space, and #s indented four spaces, are not headings', () => {
    const kinds = scanMarkdownBlocks(['#hashtag', '', '    # indented code', '', '####### seven']).map((b) => b.kind);
    assert.deepEqual(kinds, ['paragraph', 'blank', 'code', 'blank', 'paragraph']);
  });
});
