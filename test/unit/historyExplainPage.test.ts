import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryRecord, Suggestion } from '../../server/src/protocol';
import { EXPLAIN_STAGE_TITLES, explainPage, explainStages, TIMING_BAR_WIDTH, timingBar } from '../../client/src/history/explainPage';
import { escapeHtml, httpsUrl, linkHtml } from '../../client/src/history/htmlText';
import { aCheckReport, aKnowledgeSource, aSuggestion, timestampAt } from '../support/builders';

const HOSTILE = '<img src=x onerror=alert(1)>';
const FIXED_TIME = (iso: string) => `at ${iso}`;

function aRecord(suggestion: Suggestion = aSuggestion(), overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    id: suggestion.id,
    createdAt: suggestion.createdAt,
    origin: 'vscode',
    thread: { repo: 'acme/widgets', number: 42, kind: 'issue', title: 'Crash when opening a large file', url: 'https://github.com/acme/widgets/issues/42', updatedAt: timestampAt(90), commentCount: 1 },
    modelSha256: 'ab'.repeat(32),
    suggestion,
    outcome: null,
    ...overrides,
  };
}

/** Every start tag of the page (text is escaped, so each `<` in the output opens one of ours). */
function startTags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

describe('explain page: untrusted text', () => {
  const hostile = aRecord(
    aSuggestion({
      text: `Reply ${HOSTILE} <script>alert(2)</script>`,
      chat: [{ role: 'user', text: `Title: ${HOSTILE}` }],
      retrieval: { indexed: true, noRelevantSources: false, given: [aKnowledgeSource({ title: HOSTILE, url: 'javascript:alert(3)' })], indexVersion: '7', embeddingModel: HOSTILE, ms: 4 },
      checks: aCheckReport({
        passed: false,
        failures: 1,
        blocks: [{ block: { index: 0, language: 'python', languageFrom: 'fence', info: 'python', code: 'x', startLine: 2, offset: 0, unclosed: false }, syntax: 'ok', security: 'checked', failed: true, findings: [{ ruleId: 'python.exec', kind: 'security', severity: 'error', line: 3, message: HOSTILE, engine: 'rules' }] }],
      }),
      screening: { flagged: true, findings: [{ ruleId: 'injection.role-spoofing', message: 'role spoofing', where: 'body', excerpt: HOSTILE }] },
    }),
    { thread: { repo: 'acme/widgets', number: 42, kind: 'issue', title: HOSTILE, url: 'javascript:alert(4)', updatedAt: null, commentCount: 0 } },
  );
  const html = explainPage(hostile, { nonce: 'n0nce', formatTime: FIXED_TIME });

  test('a hostile title appears escaped, and no tag carries an event handler', () => {
    assert.ok(html.includes('<h1>#42 &#60;img src=x onerror=alert(1)&#62;</h1>'));
    assert.ok(html.includes('<dt>Title</dt><dd>&#60;img src=x onerror=alert(1)&#62;</dd>'));
    assert.equal(html.includes(HOSTILE), false);
    const handlers = startTags(html).filter((tag) => /\son[a-z]+\s*=/i.test(tag));
    assert.deepEqual(handlers, []);
  });

  test('no script anywhere: no script tag, a CSP without script sources', () => {
    assert.equal(/<script/i.test(html), false);
    assert.ok(html.includes('&#60;script&#62;alert(2)&#60;/script&#62;'));
    assert.ok(html.includes(`content="default-src 'none'; style-src 'nonce-n0nce'; img-src 'none'; script-src 'none'; form-action 'none'"`));
    assert.ok(html.includes('<style nonce="n0nce">'));
    assert.equal(/\sstyle=/i.test(html), false, 'no inline style attribute (the CSP would block it)');
  });

  test('links only for https URLs; other schemes stay text', () => {
    assert.equal(/href="(?!https:\/\/)/.test(html), false);
    assert.ok(html.includes('<dt>Reference</dt><dd>acme/widgets#42</dd>'));
    assert.ok(html.includes('<td>&#60;img src=x onerror=alert(1)&#62;</td>'), 'the source title without a link');
    assert.equal(linkHtml('https://github.com/a/b/issues/1?x="y"', 'it'), '<a href="https://github.com/a/b/issues/1?x=%22y%22">it</a>');
    assert.equal(linkHtml('http://github.com/a', 'plain'), 'plain');
    assert.equal(linkHtml('https://user:pw@github.com/a', 'creds'), 'creds');
    assert.equal(httpsUrl(42), undefined);
    assert.equal(escapeHtml(`a&b<c>"d'`), 'a&#38;b&#60;c&#62;&#34;d&#39;');
  });
});

describe('explain page: the dataflow', () => {
  test('every stage heading appears once, in dataflow order', () => {
    const html = explainPage(aRecord(), { nonce: 'n', formatTime: FIXED_TIME });
    const headings = [...html.matchAll(/<h2 id="h-([a-z]+)"><span class="step">(\d+)<\/span> ([A-Za-z]+)/g)].map((match) => `${match[2]} ${match[3]}`);
    assert.deepEqual(headings, EXPLAIN_STAGE_TITLES.map((title, index) => `${index + 1} ${title}`));
    assert.deepEqual([...EXPLAIN_STAGE_TITLES], ['Thread', 'Retrieval', 'Prompt', 'Model', 'Generation', 'Checks', 'Guardrail', 'Reply', 'Outcome']);
  });

  test('each timed stage takes its time from suggestion.timings', () => {
    const stages = explainStages(aRecord(), FIXED_TIME);
    assert.deepEqual(
      stages.map((stage) => [stage.title, stage.ms]),
      [['Thread', null], ['Retrieval', 0], ['Prompt', null], ['Model', 0], ['Generation', 300], ['Checks', 3], ['Guardrail', 12], ['Reply', null], ['Outcome', null]],
    );
  });

  test('stages say what they produced', () => {
    const record = aRecord(
      aSuggestion({
        sources: [aKnowledgeSource({ number: 2 })],
        retrieval: { indexed: true, noRelevantSources: false, given: [aKnowledgeSource({ number: 1 }), aKnowledgeSource({ number: 2 })], indexVersion: '12', embeddingModel: 'Xenova/all-MiniLM-L6-v2', ms: 8 },
        timings: { loadMs: 1500, timeToFirstTokenMs: 35, requestToFirstChunkMs: 60, generationMs: 300, tokensPerSecond: 40, guardrailMs: 12, retrievalMs: 8, checksMs: 3, totalMs: 2000 },
      }),
      { outcome: { outcome: 'edited', editDistance: 17, finalLength: 60, at: timestampAt(200), commentUrl: 'https://github.com/acme/widgets/issues/42#issuecomment-1' } },
    );
    const produced = Object.fromEntries(explainStages(record, FIXED_TIME).map((stage) => [stage.title, stage.produced]));
    assert.equal(produced.Thread, 'Issue acme/widgets#42 with 1 comment; injection screening: clean');
    assert.equal(produced.Retrieval, '2 sources given to the model, 1 cited in the reply');
    assert.equal(produced.Prompt, '3 chat turns, 420 tokens');
    assert.equal(produced.Model, 'Llama 3.2 1B Instruct, loaded in 1.50 s');
    assert.equal(produced.Generation, '12 tokens at 40 tokens/s, first after 35 ms');
    assert.equal(produced.Checks, 'passed after 0 repairs');
    assert.equal(produced.Guardrail, 'SAFE (safe, unsafe score 0.02 vs threshold 0.5)');
    assert.equal(produced.Reply, '47 characters');
    assert.equal(produced.Outcome, 'edited, then posted (edit distance 17)');
    const html = explainPage(record, { nonce: 'n', formatTime: FIXED_TIME });
    assert.ok(html.includes('<dt>SHA-256</dt><dd><code>' + 'ab'.repeat(32) + '</code></dd>'));
    assert.ok(html.includes('<dt>Temperature</dt><dd>0.7</dd><dt>Seed</dt><dd>42</dd><dt>Max tokens</dt><dd>768</dd><dt>Max fix cycles</dt><dd>2</dd>'));
    assert.ok(html.includes('<dt>Comment</dt><dd><a href="https://github.com/acme/widgets/issues/42#issuecomment-1">'));
    assert.ok(html.includes('<td>[2]</td><td><a href="https://github.com/acme/widgets/blob/'), 'source 2 is linked');
    assert.match(html, /<td>\[1\]<\/td>.*?<td>no<\/td><\/tr><tr><td>\[2\]<\/td>.*?<td>yes<\/td>/);
  });

  test('every chat turn is a collapsible <pre>, and every check cycle shows its findings and feedback', () => {
    const record = aRecord(
      aSuggestion({
        checkCycles: [
          { cycle: 0, text: 'draft with eval', report: aCheckReport({ passed: false, failures: 1, blocks: [{ block: { index: 0, language: 'javascript', languageFrom: 'fence', info: 'js', code: 'eval(x)', startLine: 3, offset: 10, unclosed: false }, syntax: 'ok', security: 'checked', failed: true, findings: [{ ruleId: 'no-eval', kind: 'security', severity: 'error', line: 1, message: 'eval is evil', engine: 'eslint' }] }] }), feedback: 'Remove eval.', generatedTokens: 20, generationMs: 150, stopReason: 'end' },
          { cycle: 1, text: 'fixed draft', report: aCheckReport({ ms: 2 }), feedback: '', generatedTokens: 12, generationMs: 150, stopReason: 'end' },
        ],
      }),
    );
    const html = explainPage(record, { nonce: 'n', formatTime: FIXED_TIME });
    assert.equal(html.match(/<details><summary>\d+\. (system|user|assistant) · /g)?.length, 3);
    assert.ok(html.includes('<h3>First draft — 1 failure · checked in 1 ms · 20 tokens in 150 ms</h3>'));
    assert.ok(html.includes('<h3>Repair 1 — passed · checked in 2 ms · 12 tokens in 150 ms</h3>'));
    assert.ok(html.includes('<td><code>no-eval</code></td><td>error</td><td>block 1 (javascript), line 1</td><td>eval is evil</td><td>yes</td>'));
    assert.ok(html.includes('<summary>Feedback sent to the model</summary><pre>Remove eval.</pre>'));
    assert.ok(html.includes('<p class="produced">passed after 1 repair</p>'));
  });

  test('a record missing fields (an older daemon) still renders, saying what is unknown', () => {
    const broken = { ...aRecord(), modelSha256: null, suggestion: { id: 'x', text: 'hi' } } as unknown as HistoryRecord;
    const html = explainPage(broken, { nonce: 'n', formatTime: FIXED_TIME });
    assert.ok(html.includes('<dt>SHA-256</dt><dd>not hashed yet</dd>'));
    assert.ok(html.includes('<p class="produced">not recorded</p>'));
    assert.ok(html.includes('<pre class="reply">hi</pre>'));
  });
});

describe('timing bar', () => {
  test('the fill is the share of the total, on a fixed track', () => {
    assert.equal(TIMING_BAR_WIDTH, 160);
    assert.match(timingBar(300, 400, 'Generation'), /<rect class="bar-fill" x="0" y="0" width="120" height="8"/);
    assert.match(timingBar(1, 3, 'Checks'), /<rect class="bar-fill" x="0" y="0" width="53.33" /);
    assert.match(timingBar(500, 400, 'Load'), /class="bar-fill" x="0" y="0" width="160" /, 'clamped to the track');
    assert.match(timingBar(10, null, 'X'), /class="bar-fill" x="0" y="0" width="0" /);
    assert.ok(timingBar(300, 400, 'Generation').includes('<title>Generation: 300 ms, 75% of the total</title>'));
  });
});
