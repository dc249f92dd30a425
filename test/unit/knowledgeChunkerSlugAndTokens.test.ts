import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { githubSlug, inlineMarkdownToText } from '../../server/src/knowledge/chunk/slug';
import { estimateTokens } from '../../server/src/knowledge/chunk/tokens';

// The pieces chunkDocument is built from: GitHub heading slugs, inline Markdown to text, and the
// token estimate.

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
