import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument, chunkTokenBound, DEFAULT_CHUNK_OPTIONS } from '../../server/src/knowledge/chunk/chunkDocument';
import { estimateTokens } from '../../server/src/knowledge/chunk/tokens';
import { assertLineRangesHold, lineOf } from '../support/knowledge/chunkAssertions';
import { realisticDoc, sentence } from '../support/knowledge/generatedDocs';
import { seededRandom } from '../support/seededRandom';
import { doc } from '../support/knowledge/textFixtures';

// How big chunkDocument's chunks are and where they lie: token sizes, overlap, line ranges, nothing
// lost, and bounded output on huge input (a 5 MB file, giant fences, giant single lines).

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
    const random = seededRandom(11);
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
    const random = seededRandom(3);
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
