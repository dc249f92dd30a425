import assert from 'node:assert/strict';
import type { TextChunk } from '../../../server/src/knowledge/types';

/** The 1-based line number of the first line of `text` that contains `needle`; fails the test when none does. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

/** The first chunk whose text contains `needle`; fails the test when none does. */
export function chunkContaining(chunks: readonly TextChunk[], needle: string): TextChunk {
  const found = chunks.filter((c) => c.text.includes(needle));
  assert.equal(found.length > 0, true, `no chunk contains ${JSON.stringify(needle)}`);
  return found[0]!;
}

/**
 * The line-range contract: line i of a chunk's text is (part of) original line startLine + i, except
 * where cleaning blanked the original line (front matter, comments), where the chunk line is empty.
 */
export function assertLineRangesHold(original: string, chunks: readonly TextChunk[]): void {
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
