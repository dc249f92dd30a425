import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadedEmbedder } from '../../server/src/knowledge/embed/embedder';
import { updateIndex } from '../../server/src/knowledge/indexer';
import type { IndexTarget, UpdateOptions } from '../../server/src/knowledge/indexer';
import { hybridSearch } from '../../server/src/knowledge/retrieve/hybridSearch';
import { IndexStore } from '../../server/src/knowledge/store/indexStore';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { ConceptEmbedder } from '../support/knowledge/conceptEmbedder';
import { makeDocsFolder, TEST_CONCEPTS } from '../support/knowledge/docsFolder';

let docs: Awaited<ReturnType<typeof makeDocsFolder>>;
let indexDir: string;
let embedder: ConceptEmbedder;
let logs: string[];

beforeEach(async () => {
  docs = await makeDocsFolder();
  indexDir = path.join(docs.root, '..', `${path.basename(docs.root)}-index`);
  embedder = new ConceptEmbedder(TEST_CONCEPTS);
  logs = [];
});
afterEach(async () => {
  await docs.cleanup();
  await rm(indexDir, { recursive: true, force: true });
});

const target = (): IndexTarget => ({ key: 'local:test', folder: docs.root, repo: null, store: new IndexStore(indexDir), issues: null });
const options = (extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
  embedder: loadedEmbedder(embedder),
  settings: { include: DEFAULT_SETTINGS.knowledgeInclude, exclude: DEFAULT_SETTINGS.knowledgeExclude },
  log: (message) => logs.push(message),
  ...extra,
});
const search = async (query: string, k = 3) => {
  const index = await new IndexStore(indexDir).load();
  assert.ok(index, 'an index was committed');
  return hybridSearch(index, embedder, query, { folder: docs.root, repo: null, webUrl: null }, { k, minSimilarity: 0.5 });
};

describe('updateIndex: a first build', () => {
  test('indexes every docs file but vendored ones, and commits generation 1', async () => {
    const report = await updateIndex(target(), options());
    assert.equal(report.committed, true);
    assert.deepEqual(report.added.sort(), ['doc:README.md', 'doc:docs/config.rst', 'doc:docs/install.md', 'doc:docs/troubleshooting.md']);
    assert.equal(report.index.manifest.generation, 1);
    assert.equal(report.chunksEmbedded, embedder.embedded);
    assert.ok(report.index.chunkCount >= 4);
    assert.equal(report.chunksEmbedded, new Set([...report.index.records.values()].map((r) => r.chunkId)).size);
  });

  test('round trip through disk: the loaded index answers like the built one', async () => {
    const built = (await updateIndex(target(), options())).index;
    const loaded = await new IndexStore(indexDir).load();
    assert.ok(loaded);
    assert.equal(loaded.chunkCount, built.chunkCount);
    assert.deepEqual(loaded.manifest, built.manifest);
    const context = { folder: docs.root, repo: null, webUrl: null };
    for (const query of ['parser crashes on tabs', 'proxy behind a firewall', 'install on debian']) {
      const fromBuilt = await hybridSearch(built, embedder, query, context, { k: 3, minSimilarity: 0.5 });
      const fromDisk = await hybridSearch(loaded, embedder, query, context, { k: 3, minSimilarity: 0.5 });
      assert.deepEqual(fromDisk, fromBuilt, query);
      assert.ok(fromDisk.length > 0, query);
    }
  });

  test('finds the right section with its path, lines and local file', async () => {
    await updateIndex(target(), options());
    const [best] = await search('PARSER_TABS tab indentation');
    assert.ok(best);
    assert.equal(best.path, 'docs/troubleshooting.md');
    assert.deepEqual(best.headingPath, ['Troubleshooting', 'Parser crashes on tabs']);
    assert.equal(best.localPath, path.join(docs.root, 'docs', 'troubleshooting.md'));
    assert.ok(best.startLine! >= 3 && best.endLine! >= best.startLine!);
    assert.equal(best.url, null, 'no repository, no link');
  });
});

describe('updateIndex: incremental updates', () => {
  test('nothing changed: nothing embedded, nothing committed', async () => {
    await updateIndex(target(), options());
    const before = embedder.embedded;
    const report = await updateIndex(target(), options());
    assert.equal(report.committed, false);
    assert.equal(report.chunksEmbedded, 0);
    assert.equal(embedder.embedded, before);
    assert.equal(report.unchanged, 4);
  });

  test('an index that is up to date never loads the embedding model', async () => {
    await updateIndex(target(), options());
    let loads = 0;
    const counting = { model: embedder.model, load: () => { loads++; return Promise.resolve(embedder); } };
    const report = await updateIndex(target(), options({ embedder: counting }));
    assert.equal(report.committed, false);
    assert.equal(loads, 0);
    await rm(path.join(docs.root, 'docs', 'config.rst'));
    const removal = await updateIndex(target(), options({ embedder: counting }));
    assert.deepEqual(removal.removed, ['doc:docs/config.rst']);
    assert.equal(loads, 0, 'a removal embeds nothing, so it loads nothing');
  });

  test('an edit re-embeds only the new chunks of that file', async () => {
    const first = await updateIndex(target(), options());
    const before = embedder.embedded;
    await docs.write('docs/config.rst', `Configuration\n=============\n\nOptions live in \`widgets.toml\`.\n\nProxy\n-----\n\nBehind a firewall set the proxy option.\n\nLogging\n-------\n\nSet \`log = "debug"\` for more output.\n`);
    const report = await updateIndex(target(), options());
    assert.deepEqual(report.changed, ['doc:docs/config.rst']);
    assert.deepEqual(report.added, []);
    assert.equal(report.unchanged, 3);
    assert.equal(report.chunksEmbedded, embedder.embedded - before);
    assert.ok(report.chunksEmbedded >= 1);
    assert.equal(report.index.manifest.generation, first.index.manifest.generation + 1);
    const hits = await search('log debug output logging', 3);
    assert.equal(hits[0]?.path, 'docs/config.rst');
  });

  test('a rename moves the chunks without embedding anything', async () => {
    const first = await updateIndex(target(), options());
    const chunksOfFile = first.index.manifest.sources['doc:docs/install.md']!.labels.length;
    const before = embedder.embedded;
    await rename(path.join(docs.root, 'docs', 'install.md'), path.join(docs.root, 'docs', 'setup.md'));
    const report = await updateIndex(target(), options());
    assert.deepEqual(report.added, ['doc:docs/setup.md']);
    assert.deepEqual(report.removed, ['doc:docs/install.md']);
    assert.equal(report.chunksEmbedded, 0);
    assert.equal(embedder.embedded, before);
    assert.equal(report.chunksReused, chunksOfFile);
    assert.equal(report.index.chunkCount, first.index.chunkCount);
    const [hit] = await search('install on debian linux');
    assert.equal(hit?.path, 'docs/setup.md');
  });

  test('a delete removes its chunks from both engines', async () => {
    const first = await updateIndex(target(), options());
    const gone = first.index.manifest.sources['doc:docs/troubleshooting.md']!.labels.length;
    await rm(path.join(docs.root, 'docs', 'troubleshooting.md'));
    const report = await updateIndex(target(), options());
    assert.deepEqual(report.removed, ['doc:docs/troubleshooting.md']);
    assert.equal(report.index.chunkCount, first.index.chunkCount - gone);
    assert.equal(report.index.vectors.size, report.index.chunkCount);
    assert.equal(report.index.lexical.size, report.index.chunkCount);
    const hits = await search('PARSER_TABS', 5);
    assert.ok(hits.every((hit) => hit.path !== 'docs/troubleshooting.md'));
  });

  test('an index committed with no chunks at all (a title-only README) grows on the next update', async () => {
    const bare = await makeDocsFolder({ 'README.md': '# widgets\n' });
    const bareTarget = (): IndexTarget => ({ key: 'local:bare', folder: bare.root, repo: null, store: new IndexStore(path.join(indexDir, 'bare')), issues: null });
    try {
      const first = await updateIndex(bareTarget(), options());
      assert.equal(first.committed, true);
      assert.equal(first.index.chunkCount, 0);
      await bare.write('docs/proxy.md', '# Proxy\n\nBehind a firewall set the proxy option.\n');
      const second = await updateIndex(bareTarget(), options());
      assert.deepEqual(second.added, ['doc:docs/proxy.md']);
      assert.ok(second.index.chunkCount >= 1);
    } finally {
      await bare.cleanup();
    }
  });

  test('binary, oversized and generated files are skipped with a log line', async () => {
    await docs.write('docs/logo.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await docs.write('docs/huge.md', `# Huge\n\n${'x'.repeat(1024 * 1024 + 10)}\n`);
    await docs.write('docs/api.md', '<!-- This file is auto-generated. Do not edit. -->\n# API\n\nGenerated.\n');
    const report = await updateIndex(target(), options());
    assert.ok(!report.added.includes('doc:docs/logo.md'));
    assert.ok(!report.added.includes('doc:docs/huge.md'));
    assert.ok(!report.added.includes('doc:docs/api.md'));
    assert.ok(logs.some((line) => /logo\.md: binary/.test(line)), logs.join('\n'));
    assert.ok(logs.some((line) => /huge\.md: .*over the/.test(line)), logs.join('\n'));
    assert.ok(logs.some((line) => /api\.md: it says it is generated/.test(line)), logs.join('\n'));
  });

  test('another embedding model re-embeds everything', async () => {
    await updateIndex(target(), options());
    const other = new ConceptEmbedder(TEST_CONCEPTS, { model: 'test/other-model' });
    const report = await updateIndex(target(), options({ embedder: loadedEmbedder(other) }));
    assert.equal(report.index.manifest.embeddingModel, 'test/other-model');
    assert.equal(report.added.length, 4);
    assert.equal(other.embedded, report.chunksEmbedded);
  });

  test('full rebuild re-embeds everything but keeps the generation counter growing', async () => {
    const first = await updateIndex(target(), options());
    const before = embedder.embedded;
    const report = await updateIndex(target(), options({ full: true }));
    assert.equal(report.chunksReused, 0);
    assert.equal(embedder.embedded - before, report.chunksEmbedded);
    assert.equal(report.index.manifest.generation, first.index.manifest.generation + 1);
  });
});

describe('updateIndex: crash safety', () => {
  const manyFiles = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await docs.write(`notes/note-${i}.md`, `# Note ${i}\n\nNote number ${i} on crash recovery and offline proxy use, item ${i * 7}.\n`);
    }
  };

  test('an update killed while embedding leaves the last index usable, and the next run resumes', async () => {
    const first = await updateIndex(target(), options());
    await manyFiles(100);
    embedder.failAfterCalls = embedder.calls + 2; // two batches of 32 get through, then the "kill"
    await assert.rejects(updateIndex(target(), options()), /embedder killed/);

    const survivor = await new IndexStore(indexDir).load();
    assert.ok(survivor);
    assert.equal(survivor.manifest.generation, first.index.manifest.generation);
    assert.equal(survivor.chunkCount, first.index.chunkCount);

    embedder.failAfterCalls = undefined;
    const before = embedder.embedded;
    const resumed = await updateIndex(target(), options());
    assert.equal(resumed.added.length, 100);
    assert.equal(resumed.chunksResumed, 64);
    assert.equal(embedder.embedded - before, resumed.chunksEmbedded);
    assert.equal(resumed.chunksEmbedded + resumed.chunksResumed + resumed.chunksReused, resumed.index.chunkCount - first.index.chunkCount);
    const names = await readdir(indexDir);
    assert.ok(!names.includes('journal.jsonl'), 'the journal is cleared after a commit');
  });

  test('an abort stops between batches and commits nothing', async () => {
    await updateIndex(target(), options());
    await manyFiles(80);
    const controller = new AbortController();
    const slow = new ConceptEmbedder(TEST_CONCEPTS);
    const embed = slow.embed.bind(slow);
    slow.embed = async (texts) => {
      if (slow.calls === 1) controller.abort(new Error('stop'));
      return embed(texts);
    };
    await assert.rejects(updateIndex(target(), options({ embedder: loadedEmbedder(slow), signal: controller.signal })));
    const survivor = await new IndexStore(indexDir).load();
    assert.equal(survivor?.manifest.generation, 1);
  });

  test('leftovers of an unfinished commit are ignored, then cleaned', async () => {
    await updateIndex(target(), options());
    await mkdir(path.join(indexDir, 'gen-2.tmp-999-1'), { recursive: true });
    await writeFile(path.join(indexDir, 'gen-2.tmp-999-1', 'manifest.json'), '{"half":');
    await mkdir(path.join(indexDir, 'gen-7'), { recursive: true }); // renamed into place, CURRENT never flipped
    const loaded = await new IndexStore(indexDir).load();
    assert.equal(loaded?.manifest.generation, 1);
    await docs.write('docs/new.md', '# New\n\nA new page about proxies.\n');
    await updateIndex(target(), options());
    const names = (await readdir(indexDir)).sort();
    assert.deepEqual(names.filter((n) => n.startsWith('gen-')), ['gen-1', 'gen-2']);
  });

  test('a damaged current generation falls back to the previous one', async () => {
    await updateIndex(target(), options());
    await docs.write('docs/new.md', '# New\n\nA new page about proxies.\n');
    await updateIndex(target(), options());
    await truncate(path.join(indexDir, 'gen-2', 'chunks.jsonl'), 10);
    const warnings: string[] = [];
    const loaded = await new IndexStore(indexDir, (message) => warnings.push(message)).load();
    assert.equal(loaded?.manifest.generation, 1);
    assert.ok(warnings.some((w) => /generation 2 .* unusable/.test(w)), warnings.join('\n'));
  });
});
