import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hybridSearch } from '../../server/src/knowledge/retrieve/hybridSearch';
import { chunkIdOf, searchableText } from '../../server/src/knowledge/store/chunkRecord';
import { KnowledgeIndex } from '../../server/src/knowledge/store/knowledgeIndex';
import { ConceptEmbedder } from '../support/knowledge/conceptEmbedder';
import { TEST_CONCEPTS } from '../support/knowledge/docsFolder';

/**
 * A small corpus where each engine alone misses one of the two answers to "parser crash with tabs":
 * - the paraphrase shares no word with the query (BM25 cannot see it; the vectors can),
 * - the page naming the exact flag is mostly about other things (the vectors rank it low; BM25 finds it).
 */
// Keys are the chunks' headings, which are searched too: they avoid the query's words on purpose.
const CORPUS: Record<string, string> = {
  paraphrase: 'Segfault when indentation uses whitespace characters other than spaces.',
  exactFlag: 'PARSER_TABS=1 makes the parser accept tabs. Also: memory limits, proxy servers, firewall rules, offline mode, ram usage and leak hunting.',
  uploads: 'Segfault reports are uploaded automatically when you opt in.',
  history: 'The parser was rewritten in 2021 for speed and a smaller binary, with better error messages.',
  proxy: 'Behind a firewall set the proxy option; the network must allow the registry.',
  install: 'Installation on debian: apt install widgets, then run the setup wizard.',
};

const QUERY = 'parser crash with tabs';

async function buildIndex(embedder: ConceptEmbedder): Promise<{ index: KnowledgeIndex; idOf: Map<number, string> }> {
  const index = KnowledgeIndex.empty('local:test', embedder.model, embedder.dimensions, null);
  for (const [name, text] of Object.entries(CORPUS)) {
    const fields = { kind: 'doc' as const, headingPath: [name], text };
    const [vector] = await embedder.embed([searchableText(fields)]);
    index.putSource(`doc:${name}.md`, { hash: name }, [{ ...fields, chunkId: chunkIdOf(searchableText(fields)), sourceId: `doc:${name}.md`, file: `${name}.md`, anchor: null, startLine: 1, endLine: 1, vector: vector! }]);
  }
  const idOf = new Map([...index.records.values()].map((record) => [record.label, record.headingPath[0]!]));
  return { index, idOf };
}

const context = { folder: null, repo: null, webUrl: null };
const MIN_SIMILARITY = 0.4;

describe('hybrid retrieval', () => {
  test('BM25 alone and the vectors alone each miss an answer; the fusion finds both', async () => {
    const embedder = new ConceptEmbedder(TEST_CONCEPTS);
    const { index, idOf } = await buildIndex(embedder);
    const k = 2;

    const lexicalOnly = index.lexical.search(QUERY, k).map((hit) => idOf.get(hit.id));
    assert.ok(lexicalOnly.includes('exactFlag'), `BM25 finds the flag: ${lexicalOnly.join(', ')}`);
    assert.ok(!lexicalOnly.includes('paraphrase'), `BM25 misses the paraphrase: ${lexicalOnly.join(', ')}`);

    const [queryVector] = await embedder.embed([QUERY]);
    const vectorOnly = index.vectors.search(queryVector!, k).map((hit) => idOf.get(hit.id));
    assert.ok(vectorOnly.includes('paraphrase'), `vectors find the paraphrase: ${vectorOnly.join(', ')}`);
    assert.ok(!vectorOnly.includes('exactFlag'), `vectors miss the flag: ${vectorOnly.join(', ')}`);

    const fused = await hybridSearch(index, embedder, QUERY, context, { k, minSimilarity: MIN_SIMILARITY });
    assert.deepEqual(fused.map((hit) => hit.headingPath[0]).sort(), ['exactFlag', 'paraphrase']);
    const flag = fused.find((hit) => hit.headingPath[0] === 'exactFlag')!;
    assert.equal(flag.vectorRank, null, 'below the similarity floor, the flag counts only through BM25');
    assert.equal(flag.lexicalRank, 1);
    const paraphrase = fused.find((hit) => hit.headingPath[0] === 'paraphrase')!;
    assert.equal(paraphrase.lexicalRank, null);
    assert.equal(paraphrase.vectorRank, 1);
    assert.ok(paraphrase.similarity! >= MIN_SIMILARITY);
  });

  test('scores decrease and hits carry their source fields', async () => {
    const embedder = new ConceptEmbedder(TEST_CONCEPTS);
    const { index } = await buildIndex(embedder);
    const hits = await hybridSearch(index, embedder, QUERY, context, { k: 5, minSimilarity: MIN_SIMILARITY });
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
    assert.ok(hits.every((hit) => hit.kind === 'doc' && hit.path?.endsWith('.md') && hit.chunkId.length === 32));
  });

  test('nothing relevant: an unrelated query gets no hits at all', async () => {
    const embedder = new ConceptEmbedder(TEST_CONCEPTS);
    const { index } = await buildIndex(embedder);
    assert.deepEqual(await hybridSearch(index, embedder, 'banana bread recipe with walnuts', context, { k: 5, minSimilarity: MIN_SIMILARITY }), []);
  });

  test('at most two hits per source, so one long page cannot crowd out the rest', async () => {
    const embedder = new ConceptEmbedder(TEST_CONCEPTS);
    const index = KnowledgeIndex.empty('local:test', embedder.model, embedder.dimensions, null);
    const chunks = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const fields = { kind: 'doc' as const, headingPath: [`Part ${n}`], text: `Proxy and firewall notes, part ${n}.` };
        const [vector] = await embedder.embed([searchableText(fields)]);
        return { ...fields, chunkId: chunkIdOf(searchableText(fields)), sourceId: 'doc:long.md', file: 'long.md', anchor: null, vector: vector! };
      }),
    );
    index.putSource('doc:long.md', { hash: 'long' }, chunks);
    const other = { kind: 'doc' as const, headingPath: ['Other'], text: 'A proxy is needed offline.' };
    const [vector] = await embedder.embed([searchableText(other)]);
    index.putSource('doc:other.md', { hash: 'other' }, [{ ...other, chunkId: chunkIdOf(searchableText(other)), sourceId: 'doc:other.md', file: 'other.md', anchor: null, vector: vector! }]);
    const hits = await hybridSearch(index, embedder, 'proxy firewall', context, { k: 5, minSimilarity: MIN_SIMILARITY });
    assert.equal(hits.filter((hit) => hit.path === 'long.md').length, 2);
    assert.ok(hits.some((hit) => hit.path === 'other.md'));
  });
});
