import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument, chunkTokenBound, DEFAULT_CHUNK_OPTIONS } from '../../server/src/knowledge/chunk/chunkDocument';
import { scanMarkdownBlocks, type BlockKind } from '../../server/src/knowledge/chunk/markdownBlocks';
import { githubSlug, inlineMarkdownToText } from '../../server/src/knowledge/chunk/slug';
import { estimateTokens } from '../../server/src/knowledge/chunk/tokens';
import { decodeText } from '../../server/src/knowledge/clean/decode';
import type { ChunkOptions, DocFormat, TextChunk } from '../../server/src/knowledge/types';

// --- helpers -------------------------------------------------------------------------------------

/** Fixtures are written as arrays of lines, so that the line numbers asserted below can be read off them. */
function doc(...lines: string[]): string {
  return lines.join('\n');
}

/** The 1-based line number of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

function chunkContaining(chunks: readonly TextChunk[], needle: string): TextChunk {
  const found = chunks.filter((c) => c.text.includes(needle));
  assert.equal(found.length > 0, true, `no chunk contains ${JSON.stringify(needle)}`);
  return found[0]!;
}

/**
 * The line-range contract: line i of a chunk's text is (part of) original line startLine + i, except
 * where cleaning blanked the original line (front matter, comments), where the chunk line is empty.
 */
function assertLineRangesHold(original: string, chunks: readonly TextChunk[]): void {
  const lines = original.replace(/\r\n?/g, '\n').split('\n');
  for (const chunk of chunks) {
    const chunkLines = chunk.text.split('\n');
    assert.equal(chunkLines.length, chunk.endLine - chunk.startLine + 1, `chunk ${chunk.startLine}-${chunk.endLine} has ${chunkLines.length} lines`);
    chunkLines.forEach((line, i) => {
      const source = lines[chunk.startLine - 1 + i];
      assert.ok(source !== undefined, `chunk line ${i} is past the end of the document`);
      assert.ok(line === '' || source.includes(line), `line ${chunk.startLine + i}: ${JSON.stringify(line.slice(0, 60))} is not in ${JSON.stringify(source.slice(0, 60))}`);
    });
  }
}

/** A deterministic pseudo-random generator (mulberry32), so generated documents are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the parser reads each file once and keeps a cache of tokens so that later passes are cheap ' +
  'configure the option in settings when the build fails on a clean checkout run the install step again ' +
  'errors are reported with their line and column the daemon restarts itself after a crash'
).split(' ');

/** A sentence of 8–20 words from WORDS. */
function sentence(random: () => number): string {
  const n = 8 + Math.floor(random() * 13);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
}

/** A docs page as people write them: sections of several paragraphs, some lists and small code blocks. */
function realisticDoc(seed: number, sections: number): string {
  const random = seeded(seed);
  const out: string[] = ['# Guide', ''];
  for (let s = 0; s < sections; s++) {
    out.push(`## Topic ${s}`, '');
    const paragraphs = 8 + Math.floor(random() * 6);
    for (let p = 0; p < paragraphs; p++) {
      const roll = random();
      if (roll < 0.15) {
        out.push('```sh', `tool run --step ${p}`, `tool check --verbose`, '```', '');
      } else if (roll < 0.3) {
        for (let k = 0; k < 3; k++) out.push(`- ${sentence(random)}`);
        out.push('');
      } else {
        out.push(Array.from({ length: 3 + Math.floor(random() * 4) }, () => sentence(random)).join(' '), '');
      }
    }
  }
  return out.join('\n');
}

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

// --- line endings and bytes ------------------------------------------------------------------------

describe('chunkDocument: line endings and bytes', () => {
  const lf = doc('# One', '', 'First section text.', '', '# Two', '', 'Second section text.', 'Second line.');

  test('CRLF and lone CR input (after decodeText) gives the same chunks and line numbers as LF', () => {
    const expected = chunkDocument(lf, 'markdown');
    for (const newline of ['\r\n', '\r']) {
      const { text, invalidBytes } = decodeText(new TextEncoder().encode(lf.replaceAll('\n', newline)));
      assert.equal(invalidBytes, false);
      assert.deepEqual(chunkDocument(text, 'markdown'), expected);
    }
    assert.deepEqual(
      expected.map((c) => [c.startLine, c.endLine]),
      [
        [1, 3],
        [5, 8],
      ],
    );
  });

  test('CRLF passed straight to chunkDocument is normalised too', () => {
    assert.deepEqual(chunkDocument(lf.replaceAll('\n', '\r\n'), 'markdown'), chunkDocument(lf, 'markdown'));
  });

  test('invalid UTF-8 does not crash and shows up as U+FFFD', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('# Title\n\nBad '), 0xff, 0xc3, 0x28, ...new TextEncoder().encode(' bytes.\n')]);
    const { text, invalidBytes } = decodeText(bytes);
    assert.equal(invalidBytes, true);
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.ok(chunks[0]!.text.includes('\ufffd'));
    assert.deepEqual(chunks[0]!.headingPath, ['Title']);
  });

  test('empty and whitespace-only documents give no chunks', () => {
    for (const format of ['markdown', 'rst', 'asciidoc', 'html', 'text'] as const) {
      assert.deepEqual(chunkDocument('', format), []);
      assert.deepEqual(chunkDocument(' \n\t\n\r\n   ', format), []);
    }
    assert.deepEqual(chunkDocument('---\ntitle: only front matter\n---\n', 'markdown'), []);
  });
});

// --- sizes, overlap and line ranges ------------------------------------------------------------------

describe('chunkDocument: sizes, overlap and line ranges', () => {
  const text = realisticDoc(7, 12);
  const chunks = chunkDocument(text, 'markdown');

  test('on a realistic page, chunks are mostly within 200–400 tokens and never above 400', () => {
    assert.ok(chunks.length >= 20, `only ${chunks.length} chunks`);
    for (const chunk of chunks) assert.ok(chunk.tokens <= DEFAULT_CHUNK_OPTIONS.maxTokens, `a chunk of ${chunk.tokens} tokens`);
    const inRange = chunks.filter((c) => c.tokens >= 200 && c.tokens <= 400).length;
    assert.ok(inRange / chunks.length >= 0.75, `${inRange} of ${chunks.length} chunks are within 200–400 tokens`);
  });

  test('every chunk lies on its original lines', () => {
    assertLineRangesHold(text, chunks);
  });

  test('every non-blank line of the document is in some chunk (nothing is lost)', () => {
    const covered = new Set<number>();
    for (const c of chunks) for (let l = c.startLine; l <= c.endLine; l++) covered.add(l);
    text.split('\n').forEach((line, i) => {
      if (line.trim() !== '' && line !== '# Guide') assert.ok(covered.has(i + 1), `line ${i + 1} is in no chunk`);
    });
  });

  test('consecutive chunks of one section overlap; chunks of different sections do not', () => {
    let sameSection = 0;
    for (let k = 1; k < chunks.length; k++) {
      const previous = chunks[k - 1]!;
      const next = chunks[k]!;
      if (previous.anchor !== next.anchor) {
        assert.ok(next.startLine > previous.endLine);
        continue;
      }
      sameSection++;
      // The previous chunk ends in prose here unless it ends in a code block.
      if (previous.text.endsWith('```')) continue;
      assert.ok(next.startLine <= previous.endLine, `chunks ${k - 1} and ${k} do not overlap`);
      const repeated = next.text.split('\n')[0]!;
      assert.ok(previous.text.includes(repeated), 'the overlap repeats the end of the previous chunk');
      assert.ok(estimateTokens(repeated) <= DEFAULT_CHUNK_OPTIONS.overlapTokens);
    }
    assert.ok(sameSection >= 10, `only ${sameSection} pairs of chunks in the same section`);
  });

  test('the heading line is part of the first chunk of its section', () => {
    for (let s = 0; s < 12; s++) {
      const first = chunks.find((c) => c.headingPath.at(-1) === `Topic ${s}`)!;
      assert.ok(first.text.startsWith(`## Topic ${s}\n`));
      assert.equal(first.startLine, lineOf(text, `## Topic ${s}`));
      assert.deepEqual(first.headingPath, ['Guide', `Topic ${s}`]);
    }
  });

  test('a small tail of a section joins the chunk before it instead of standing alone', () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit sed do. '.repeat(3).trim(); // ~50 tokens
    const text = doc('# Tail', '', ...Array.from({ length: 7 }, () => [paragraph, '']).flat(), 'Tiny tail.');
    const chunks = chunkDocument(text, 'markdown');
    // Six paragraphs reach the 300-token target; the rest (one paragraph and the tail) is under
    // minTokens and fits under maxTokens, so it joins instead of making a second, small chunk.
    assert.equal(chunks.length, 1);
    assert.ok(chunks[0]!.text.endsWith('Tiny tail.'));
    assert.ok(chunks[0]!.tokens > 300 && chunks[0]!.tokens <= 400);
  });

  test('one-line paragraphs: the overlap is the last whole sentences of the previous paragraph', () => {
    const random = seeded(11);
    const paragraphs = Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => sentence(random)).join(' '));
    const text = doc('# Prose', '', ...paragraphs.flatMap((p) => [p, '']));
    const chunks = chunkDocument(text, 'markdown');
    assert.ok(chunks.length >= 2);
    assertLineRangesHold(text, chunks);
    for (let k = 1; k < chunks.length; k++) {
      const overlap = chunks[k]!.text.split('\n')[0]!;
      const source = text.split('\n')[chunks[k]!.startLine - 1]!;
      assert.equal(chunks[k]!.startLine, chunks[k - 1]!.endLine, 'starts on the last line of the previous chunk');
      assert.ok(source.endsWith(overlap) && overlap.length < source.length, 'a proper suffix of that line');
      assert.match(overlap, /^[A-Z].*\.$/, 'whole sentences');
      assert.ok(estimateTokens(overlap) <= DEFAULT_CHUNK_OPTIONS.overlapTokens);
    }
  });

  test('a line too long for one chunk is cut at sentence ends, and the parts overlap by whole sentences', () => {
    const random = seeded(3);
    const longLine = Array.from({ length: 30 }, () => sentence(random)).join(' ');
    const text = doc('# Long', '', longLine);
    const chunks = chunkDocument(text, 'markdown', { targetTokens: 150, maxTokens: 200, minTokens: 50, overlapTokens: 40 });
    assert.ok(chunks.length >= 3);
    assertLineRangesHold(text, chunks);
    for (let k = 1; k < chunks.length; k++) {
      const previous = chunks[k - 1]!.text;
      const next = chunks[k]!.text;
      assert.ok(chunks[k]!.tokens <= 200);
      let shared = '';
      for (let from = 0; from < previous.length; from++) {
        if (next.startsWith(previous.slice(from))) {
          shared = previous.slice(from);
          break;
        }
      }
      assert.match(shared, /^[A-Z].*\. $/, `chunk ${k} starts with the last whole sentences of chunk ${k - 1}`);
      assert.ok(estimateTokens(shared) <= 40);
    }
    assert.ok(chunks.at(-1)!.text.endsWith(longLine.slice(-30)));
  });
});

// --- huge input ------------------------------------------------------------------------------------

describe('chunkDocument: huge input stays bounded', () => {
  const bound = chunkTokenBound();

  test('the bound is 4 × maxTokens plus the overlap', () => {
    assert.equal(bound, 4 * 400 + 40);
  });

  test('a 5 MB generated Markdown file: every chunk within the bound, all lines covered', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      const piece =
        i % 50 === 0
          ? `## Part ${i}\n\n`
          : i % 11 === 0
            ? `\`\`\`js\n${'const value = compute(input); // comment\n'.repeat(40)}\`\`\`\n\n`
            : i % 13 === 0
              ? `| key | value |\n| --- | --- |\n${'| k | v |\n'.repeat(30)}\n`
              : `${'Words in a generated paragraph for the big file test. '.repeat(6)}\n\n`;
      parts.push(piece);
      size += piece.length;
    }
    // Plus one giant fence (bigger than 4 × maxTokens) and one giant single line.
    parts.push(`\`\`\`\n${'giant fence line with some code in it();\n'.repeat(3000)}\`\`\`\n\n`, `${'x'.repeat(200_000)}\n`);
    const text = parts.join('');
    assert.ok(text.length > 5_000_000);
    const chunks = chunkDocument(text, 'markdown');
    assert.ok(chunks.length > 1000);
    for (const chunk of chunks) {
      assert.ok(chunk.tokens <= bound, `chunk at line ${chunk.startLine} has ${chunk.tokens} tokens`);
      assert.ok(chunk.tokens <= 400 || /```|\| --- \|/.test(chunk.text), `an oversize chunk that is not code or a table at line ${chunk.startLine}`);
    }
    const lastLine = text.split('\n').length - 1; // the text ends with a newline
    assert.equal(chunks.at(-1)!.endLine, lastLine);
    const giantLine = chunks.filter((c) => c.startLine === lastLine);
    assert.ok(giantLine.length >= 200_000 / 4 / 400);
    assert.equal(giantLine.map((c) => c.text).join(''), 'x'.repeat(200_000), 'the giant line is cut, without overlap, into consecutive parts');
  });

  test('pathological single lines (no breaks at all) are cut at character boundaries', () => {
    for (const line of ['word '.repeat(200_000), '中'.repeat(300_000), '😀'.repeat(100_000), '`'.repeat(500_000)]) {
      const chunks = chunkDocument(line, 'markdown');
      assert.ok(chunks.length > 1);
      for (const chunk of chunks) {
        assert.ok(chunk.tokens <= 400);
        assert.ok(!/[\ud800-\udbff]$/.test(chunk.text), 'no chunk ends in half a surrogate pair');
      }
    }
  });
});

// --- other formats ---------------------------------------------------------------------------------

describe('chunkDocument: rst, asciidoc, html and text keep headings and line numbers', () => {
  // [format, text, the last line of the "Installing" section]
  const cases: ReadonlyArray<readonly [DocFormat, string, number]> = [
    ['rst', doc('=========', 'Project', '=========', '', 'Intro text.', '', 'Installing', '----------', '', 'Run the installer.', '', '.. code-block:: sh', '', '   # not a heading', '   make install'), 15],
    ['asciidoc', doc('= Project', ':toc:', '', 'Intro text.', '', '== Installing', '', 'Run the installer.', '', '[source,sh]', '----', '# not a heading', 'make install', '----'), 14],
    ['html', doc('<html><head><title>T</title></head><body>', '<h1>Project</h1>', '<p>Intro text.</p>', '<h2>Installing</h2>', '<p>Run the installer.</p>', '<pre>', '# not a heading', 'make install', '</pre>', '</body></html>'), 9],
    ['text', doc('Project', '=======', '', 'Intro text.', '', 'Installing', '----------', '', 'Run the installer.', '', '    # not a heading', '    make install'), 12],
  ];
  for (const [format, text, lastLine] of cases) {
    test(format, () => {
      const chunks = chunkDocument(text, format);
      assert.deepEqual(
        chunks.map((c) => c.headingPath),
        [['Project'], ['Project', 'Installing']],
      );
      const install = chunks[1]!;
      assert.equal(install.anchor, 'installing');
      assert.equal(install.startLine, lineOf(text, 'Installing'));
      assert.equal(install.endLine, lastLine);
      assert.ok(install.text.includes('make install'));
      assert.ok(install.text.includes('# not a heading'));
      assert.equal(chunks[0]!.startLine, lineOf(text, 'Project'));
    });
  }
});

// --- the pieces ------------------------------------------------------------------------------------

describe('githubSlug and inlineMarkdownToText', () => {
  test("GitHub's algorithm: lowercase, punctuation dropped except - and _, spaces to -", () => {
    const slug = (heading: string): string => githubSlug(heading, new Map());
    assert.equal(slug('Hello, World!'), 'hello-world');
    assert.equal(slug('What is `foo()`?'), 'what-is-foo');
    assert.equal(slug('snake_case and kebab-case'), 'snake_case-and-kebab-case');
    assert.equal(slug('Two  spaces'), 'two--spaces');
    assert.equal(slug('Ünïcödé 日本語 Привет'), 'ünïcödé-日本語-привет');
    assert.equal(slug('Emoji 🚀 rocket'), 'emoji--rocket');
    assert.equal(slug('v1.2.3 (beta)'), 'v123-beta');
    assert.equal(slug('_Emphasis_ and **strong** and [a link](https://x.y)'), 'emphasis-and-strong-and-a-link');
  });

  test('duplicates count per base slug, and a generated slug is itself taken', () => {
    const seen = new Map<string, number>();
    assert.deepEqual(
      ['A', 'A', 'A-1', 'A'].map((h) => githubSlug(h, seen)),
      ['a', 'a-1', 'a-1-1', 'a-2'],
    );
  });

  test('inline Markdown becomes its text', () => {
    assert.equal(inlineMarkdownToText('Use `a_b_c` with *care* and ![logo](x.png)<br> \\*literal\\*'), 'Use a_b_c with care and logo *literal*');
  });
});

describe('estimateTokens', () => {
  test('about chars/4 for prose, more for code, 0 for nothing, deterministic', () => {
    const prose = 'The quick brown fox jumps over the lazy dog and keeps running through the field.';
    assert.ok(Math.abs(estimateTokens(prose) - prose.length / 4) <= 3);
    const code = 'if (x[i] !== y) { return f(a, b) + g(c); }';
    assert.ok(estimateTokens(code) > code.length / 4 + 3);
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens(prose), estimateTokens(prose));
    assert.ok(estimateTokens('日本語のテキスト') >= 8);
  });
});
