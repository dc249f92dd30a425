import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument } from '../../server/src/knowledge/chunk/chunkDocument';
import { decodeText } from '../../server/src/knowledge/clean/decode';
import type { DocFormat } from '../../server/src/knowledge/types';
import { lineOf } from '../support/knowledge/chunkAssertions';
import { bytes, doc, DOC_FORMATS } from '../support/knowledge/textFixtures';

// chunkDocument on input that is not LF Markdown: CRLF and lone CR (through decodeText), invalid
// UTF-8, empty documents, and the rst, AsciiDoc, HTML and plain-text formats.

// --- line endings and bytes ------------------------------------------------------------------------

describe('chunkDocument: line endings and bytes', () => {
  const lf = doc('# One', '', 'First section text.', '', '# Two', '', 'Second section text.', 'Second line.');

  test('CRLF and lone CR input (after decodeText) gives the same chunks and line numbers as LF', () => {
    const expected = chunkDocument(lf, 'markdown');
    for (const newline of ['\r\n', '\r']) {
      const { text, invalidBytes } = decodeText(bytes(lf.replaceAll('\n', newline)));
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
    const { text, invalidBytes } = decodeText(bytes('# Title\n\nBad ', [0xff, 0xc3, 0x28], ' bytes.\n'));
    assert.equal(invalidBytes, true);
    const chunks = chunkDocument(text, 'markdown');
    assert.equal(chunks.length, 1);
    assert.ok(chunks[0]!.text.includes('\ufffd'));
    assert.deepEqual(chunks[0]!.headingPath, ['Title']);
  });

  test('empty and whitespace-only documents give no chunks', () => {
    for (const format of DOC_FORMATS) {
      assert.deepEqual(chunkDocument('', format), []);
      assert.deepEqual(chunkDocument(' \n\t\n\r\n   ', format), []);
    }
    assert.deepEqual(chunkDocument('---\ntitle: only front matter\n---\n', 'markdown'), []);
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
