import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25Index, MAX_QUERY_TERMS, type Bm25Snapshot } from '../../server/src/knowledge/search/bm25Index';
import { lexicalTerms, MAX_RUN_CHARS, stemTerm } from '../../server/src/knowledge/search/lexicalTerms';

describe('lexicalTerms', () => {
  test('lowercases and splits on anything that is not a letter, digit or underscore', () => {
    assert.deepEqual(lexicalTerms('Tokenizer, PARSER; (buffer)-overflow/stack'), ['tokenizer', 'parser', 'buffer', 'overflow', 'stack']);
  });

  test('a camelCase identifier yields the whole and its parts (stemmed: parse → pars)', () => {
    assert.deepEqual(lexicalTerms('parseConfig'), ['parseconfig', 'pars', 'config']);
    assert.deepEqual(lexicalTerms('HTTPServer'), ['httpserver', 'http', 'server']);
    assert.deepEqual(lexicalTerms('HTTP2Response'), ['http2response', 'http2', 'respons']);
  });

  test('a snake_case identifier yields the whole and its parts; edge underscores are trimmed', () => {
    assert.deepEqual(lexicalTerms('max_chunk_tokens'), ['max_chunk_tokens', 'max', 'chunk', 'token']);
    assert.deepEqual(lexicalTerms('__init__'), ['init']);
    assert.deepEqual(lexicalTerms('my_parseConfig'), ['my_parseconfig', 'parseconfig', 'pars', 'config']);
  });

  test('stopwords, one-character terms and contraction leftovers are dropped; numbers of two digits or more are kept', () => {
    assert.deepEqual(lexicalTerms("The server doesn't start: it returns 404 on port 8080, not 5"), ['server', 'start', 'return', '404', 'port', '8080']);
    assert.deepEqual(lexicalTerms('a I x 7 the of and'), []);
  });

  test('the stemmer makes word families meet', () => {
    const same = (a: string, b: string): void => assert.equal(stemTerm(a), stemTerm(b), `${a} / ${b}`);
    same('crashes', 'crash');
    same('crashed', 'crashing');
    same('configuring', 'configure');
    same('configured', 'configures');
    same('running', 'run');
    same('stopped', 'stop');
    same('installing', 'install');
    same('queries', 'query');
    same('applied', 'apply');
    same('classes', 'class');
    same('caches', 'cache');
    same('statuses', 'status');
    same('settings', 'set');
    same('embedding', 'embed');
    same('needed', 'need');
  });

  test('the stemmer leaves short words, exceptions and non-ASCII words alone', () => {
    for (const word of ['use', 'bus', 'status', 'analysis', 'string', 'thing', 'embed', 'speed', 'need', 'café', 'naïve', 'http2']) {
      assert.equal(stemTerm(word), word);
    }
    assert.equal(stemTerm('strings'), 'string');
  });

  test('Unicode: NFKC, locale-independent lowercasing, letters of any script', () => {
    assert.deepEqual(lexicalTerms('ﬁle Ｆｕｌｌｗｉｄｔｈ'), ['fil', 'fullwidth']);
    assert.deepEqual(lexicalTerms('ПРИВЕТ мир café'), ['привет', 'мир', 'café']);
    assert.deepEqual(lexicalTerms('TITLE'), ['titl']); // never the Turkish dotless ı
  });

  test('CJK runs yield character bigrams, mixed runs are split by script', () => {
    assert.deepEqual(lexicalTerms('中文文档'), ['中文', '文文', '文档']);
    assert.deepEqual(lexicalTerms('使用parseConfig函数'), ['使用', 'parseconfig', 'pars', 'config', '函数']);
    assert.deepEqual(lexicalTerms('字'), ['字']);
  });

  test('noise is not split into junk: long runs are dropped, hex ids and base64 stay whole', () => {
    assert.deepEqual(lexicalTerms(`keep ${'a'.repeat(MAX_RUN_CHARS + 1)} this`), ['keep']);
    assert.deepEqual(lexicalTerms(`${'b'.repeat(MAX_RUN_CHARS)}`), ['b'.repeat(MAX_RUN_CHARS)]);
    assert.deepEqual(lexicalTerms('fixed in 3f2a9c1d0e'), ['fix', '3f2a9c1d0e']);
    assert.deepEqual(lexicalTerms('aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNl'), ['agvsbg8gd29ybgqgdghpcybpcybiyxnl']);
  });

  test('a 5 MB input is tokenized in linear time and its terms are bounded', () => {
    const text = 'The parseConfig function crashes on tabs; see issue 1234. '.repeat(90_000);
    const started = performance.now();
    const terms = lexicalTerms(text);
    const ms = performance.now() - started;
    assert.equal(terms.length, 90_000 * 9); // parseconfig pars config function crash tab see issu 1234
    assert.ok(ms < 10_000, `took ${ms} ms`);
  });
});

/** Bytes as the snapshot stores them. */
function packed(bytes: number[]): string {
  return Buffer.from(bytes).toString('base64');
}

function assertClose(actual: number | undefined, expected: number, tolerance: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

/** BM25 with k1 = 1.2, b = 0.75, written out for the hand-computed case. */
function bm25Term(idf: number, tf: number, length: number, averageLength: number): number {
  return (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * length) / averageLength));
}

function tinyIndex(): Bm25Index {
  const index = new Bm25Index();
  index.add(1, 'cat dog');
  index.add(2, 'cat cat fish');
  index.add(3, 'bird');
  return index;
}

/** A deterministic corpus: document i mentions a few words of a small vocabulary and a word of its own. */
const VOCABULARY = ['parser', 'crash', 'config', 'network', 'timeout', 'install', 'windows', 'linux', 'docker', 'cache', 'token', 'model'];
function corpusText(i: number): string {
  const words = [VOCABULARY[i % 12], VOCABULARY[(i * 7) % 12], VOCABULARY[(i * 5 + 3) % 12], `topic${i % 37}`, `unique${i}`];
  return words.concat(words.slice(0, i % 3)).join(' ');
}

const QUERIES = ['parser crash', 'docker timeout on linux', 'config cache token topic5', 'unique17 model', 'windows install topic36 unique250'];

describe('Bm25Index', () => {
  test('scores match BM25 computed by hand (k1 1.2, b 0.75, IDF ln(1 + (N − n + 0.5)/(n + 0.5)))', () => {
    const hits = tinyIndex().search('cat fish', 10);
    // N = 3, avgdl = (2 + 3 + 1) / 3 = 2; n(cat) = 2, n(fish) = 1.
    const idfCat = Math.log(1 + 1.5 / 2.5);
    const idfFish = Math.log(1 + 2.5 / 1.5);
    assert.deepEqual(hits.map((hit) => hit.id), [2, 1]);
    assertClose(hits[0]?.score, bm25Term(idfCat, 2, 3, 2) + bm25Term(idfFish, 1, 3, 2), 1e-12);
    // By hand: 0.470004 × 4.4 / 3.65 + 0.980829 × 2.2 / 2.65 = 0.566579 + 0.814274.
    assertClose(hits[0]?.score, 1.380853, 1e-6);
    assertClose(hits[1]?.score, idfCat, 1e-12); // tf 1 at the average length: the factor is exactly 1
  });

  test('coverage is the IDF share of the known query terms a document contains', () => {
    const index = tinyIndex();
    const idfCat = Math.log(1.6);
    const idfFish = Math.log(1 + 2.5 / 1.5);
    const [both, catOnly] = index.search('cat fish zebra', 10); // zebra is unknown: it counts for nothing
    assert.equal(both?.coverage, 1);
    assertClose(catOnly?.coverage, idfCat / (idfCat + idfFish), 1e-12);
    assertClose(catOnly?.coverage, 0.323954, 1e-6);
  });

  test('only documents with a query term are returned; empty and stopword queries find nothing', () => {
    const index = tinyIndex();
    assert.deepEqual(index.search('bird', 10).map((hit) => hit.id), [3]);
    assert.deepEqual(index.search('the of and', 10), []);
    assert.deepEqual(index.search('', 10), []);
    assert.deepEqual(index.search('cat', 0), []);
    assert.deepEqual(new Bm25Index().search('cat', 5), []);
  });

  test('k limits the hits; equal scores are ordered by id; the filter skips documents', () => {
    const index = new Bm25Index();
    for (const id of [9, 4, 7, 1]) index.add(id, 'same words here');
    assert.deepEqual(index.search('words', 3).map((hit) => hit.id), [1, 4, 7]);
    assert.deepEqual(index.search('words', 10, (id) => id !== 4).map((hit) => hit.id), [1, 7, 9]);
  });

  test('add replaces a document, remove deletes it, has and size follow', () => {
    const index = tinyIndex();
    index.add(1, 'parrot');
    assert.equal(index.size, 3);
    assert.deepEqual(index.search('dog', 10), []);
    assert.deepEqual(index.search('parrot', 10).map((hit) => hit.id), [1]);
    assert.equal(index.documentFrequency('cat'), 1);
    assert.equal(index.remove(2), true);
    assert.equal(index.remove(2), false);
    assert.equal(index.has(2), false);
    assert.equal(index.size, 2);
    assert.equal(index.documentFrequency('cat'), 0);
    assert.equal(index.averageDocumentLength, 1);
    assert.throws(() => index.add(-1, 'x'), RangeError);
    assert.throws(() => index.add(1.5, 'x'), RangeError);
  });

  test('incremental adds, replacements and removals keep the statistics exact: same answers as an index built from scratch', () => {
    const incremental = new Bm25Index();
    for (let i = 0; i < 900; i++) incremental.add(i, corpusText(i));
    incremental.search('parser', 5); // builds the posting lists, so later changes go through the update paths
    const live = new Map<number, string>();
    for (let i = 0; i < 900; i++) live.set(i, corpusText(i));
    for (let i = 0; i < 900; i += 3) {
      incremental.remove(i);
      live.delete(i);
    }
    for (let i = 1; i < 900; i += 10) {
      incremental.add(i, corpusText(i + 5000));
      live.set(i, corpusText(i + 5000));
    }
    incremental.search('crash', 5); // rebuild in between
    for (let i = 2; i < 900; i += 11) {
      // Fewer than a rebuild waits for: the final searches skip these in the posting lists.
      if (incremental.remove(i)) live.delete(i);
    }
    for (let i = 900; i < 1000; i++) {
      incremental.add(i, corpusText(i));
      live.set(i, corpusText(i));
    }
    const fresh = new Bm25Index();
    for (const [id, text] of live) fresh.add(id, text);

    assert.equal(incremental.size, fresh.size);
    assert.equal(incremental.averageDocumentLength, fresh.averageDocumentLength);
    for (const term of [...VOCABULARY.map(stemTerm), 'topic5', 'unique3', 'unique5001']) {
      assert.equal(incremental.documentFrequency(term), fresh.documentFrequency(term), term);
    }
    for (const query of QUERIES) assert.deepEqual(incremental.search(query, 20), fresh.search(query, 20), query);
    assert.deepEqual(incremental.toJSON(), fresh.toJSON()); // the snapshot is canonical
  });

  test('removing most documents compacts the index (terms too) and keeps answering right', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 6000; i++) index.add(i, `shared word${i} other${i}`);
    index.search('shared', 1);
    for (let i = 10; i < 6000; i++) index.remove(i);
    const hits = index.search('shared word3 word4000', 20);
    assert.deepEqual(hits.map((hit) => hit.id), [3, 0, 1, 2, 4, 5, 6, 7, 8, 9]);
    assert.equal(index.documentFrequency('word4000'), 0);
    assert.equal(index.toJSON().terms.length, 21);
  });

  test('toJSON → JSON → fromJSON gives identical search results and the same snapshot', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 400; i++) index.add(i * 3, corpusText(i));
    index.remove(30);
    const snapshot = JSON.parse(JSON.stringify(index)) as unknown;
    const restored = Bm25Index.fromJSON(snapshot);
    assert.equal(restored.size, index.size);
    for (const query of QUERIES) assert.deepEqual(restored.search(query, 15), index.search(query, 15), query);
    assert.deepEqual(restored.toJSON(), index.toJSON());
  });

  test('the snapshot interns terms, most frequent first, and packs each document into varints', () => {
    const snapshot = tinyIndex().toJSON();
    assert.deepEqual(snapshot.terms, ['cat', 'bird', 'dog', 'fish']);
    assert.deepEqual(snapshot.ids, [1, 2, 3]);
    // Per document: distinct terms, then (gap to the previous index − 1, frequency) per term.
    assert.equal(snapshot.documents, packed([2, 0, 1, 1, 1, /**/ 2, 0, 2, 2, 1, /**/ 1, 1, 1]));
  });

  test('a corrupt snapshot is rejected with an error that says what is wrong', () => {
    const good = tinyIndex().toJSON();
    const corrupt = (change: Partial<Record<keyof Bm25Snapshot, unknown>>): unknown => ({ ...good, ...change });
    const cases: Array<[unknown, RegExp]> = [
      [null, /not an object/],
      ['{}', /not an object/],
      [corrupt({ format: 'other' }), /format/],
      [corrupt({ version: 2 }), /version 2/],
      [corrupt({ tokenizerVersion: 0 }), /tokenizer version 0.*rebuild/],
      [corrupt({ terms: 'cat' }), /must be arrays/],
      [corrupt({ terms: ['cat', 'cat', 'dog', 'fish'] }), /appears twice/],
      [corrupt({ terms: ['cat', '', 'dog', 'fish'] }), /non-empty string/],
      [corrupt({ ids: [1, 1, 3] }), /not ascending/],
      [corrupt({ ids: [1, -2, 3] }), /non-negative/],
      [corrupt({ documents: 42 }), /base64/],
      [corrupt({ documents: 'AgABAQ@@' }), /base64/],
      [corrupt({ ids: [1, 2, 3, 4] }), /ends in the middle/],
      [corrupt({ documents: packed([2, 0, 1, 1, 1, 2, 0, 2, 2, 1, 1, 1]) }), /ends in the middle/],
      [corrupt({ documents: packed([2, 0, 1, 1, 1, 2, 0, 2, 2, 1, 1, 1, 1, 0]) }), /left over/],
      [corrupt({ documents: packed([2, 0, 1, 1, 1, 2, 0, 2, 2, 1, 1, 9, 1]) }), /refers to term 9 of 4/],
      [corrupt({ documents: packed([2, 0, 0, 1, 1, 2, 0, 2, 2, 1, 1, 1, 1]) }), /frequency of 0/],
      [corrupt({ documents: packed([9, 0, 1]) }), /9 distinct terms/],
      [corrupt({ documents: packed([0xff, 0xff, 0xff, 0xff, 0x7f]) }), /32 bits/],
    ];
    for (const [snapshot, message] of cases) {
      assert.throws(
        () => Bm25Index.fromJSON(snapshot),
        (error: Error) => /BM25 snapshot/.test(error.message) && message.test(error.message),
        JSON.stringify(snapshot),
      );
    }
  });

  test('a whole issue as the query: its terms are capped, the most telling ones kept', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 200; i++) index.add(i, `common filler rare${i}`);
    const words: string[] = [];
    for (let i = 0; i < 200; i++) words.push(`rare${i}`, 'common', 'filler');
    const issue = words.join(' ').concat(' common'.repeat(5000));
    const started = performance.now();
    const hits = index.search(issue, 500);
    const ms = performance.now() - started;
    // Every document contains `common` and `filler`, but those have the lowest IDF and are cut: only
    // the documents of the MAX_QUERY_TERMS kept rare terms are found.
    assert.equal(hits.length, MAX_QUERY_TERMS);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});
