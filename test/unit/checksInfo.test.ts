import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BlockReport, CheckCycle, CheckReport, Suggestion } from '../../server/src/protocol';
import type { ChecksInfo } from '../../webview/src/protocol';
import { checksInfo, editedChecksInfo, givenSources, maskedSecret, maskText, secretKind } from '../../client/src/suggestion/checksInfo';
import { aCheckReport, aKnowledgeSource, aSuggestion } from '../support/builders';

const TOKEN = 'xoxb-1234567890-abcdefghijklmnop';
const TEXT = `Use the bot:\n\n\`\`\`python title="scripts/fix.py"\nexec(input())\n\`\`\`\n\ntoken ${TOKEN}\n`;

function aBlockReport(index: number, overrides: Partial<BlockReport> = {}, block: Partial<BlockReport['block']> = {}): BlockReport {
  return {
    block: { index, language: 'python', languageFrom: 'fence', info: 'python', code: 'exec(input())\n', startLine: 4, offset: 40, unclosed: false, ...block },
    syntax: 'ok',
    security: 'checked',
    findings: [],
    failed: false,
    ...overrides,
  };
}

function aCycle(cycle: number, report: Partial<CheckReport>): CheckCycle {
  return { cycle, text: `draft ${cycle}`, report: aCheckReport(report), feedback: '', generatedTokens: 10, generationMs: 100, stopReason: 'end' };
}

describe('checksInfo', () => {
  test('maps blocks, findings, secrets (masked), sources, repairs and screening', () => {
    const suggestion = aSuggestion({
      text: TEXT,
      checks: aCheckReport({
        passed: false,
        failures: 4,
        strict: true,
        blocks: [
          aBlockReport(
            0,
            { failed: true, findings: [{ ruleId: 'python.exec', kind: 'security', severity: 'error', line: 1, column: 1, message: 'exec() runs\n  arbitrary code', engine: 'tree-sitter' }] },
            { file: 'scripts/fix.py' },
          ),
          aBlockReport(1, { syntax: 'not-checked', security: 'not-checked', notCheckedReason: 'unknown language `rust`', failed: true }, { language: 'rust' }),
          aBlockReport(2, { syntax: 'error', failed: true, findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 2, message: "Expected ';'", engine: 'typescript' }] }, { language: null, languageFrom: 'none' }),
        ],
        secrets: [{ ruleId: 'secret.slack-token', message: 'Slack token', offset: TEXT.indexOf(TOKEN), length: TOKEN.length, line: 8, masked: 'xoxb-************mnop' }],
        sources: [{ kind: 'unknown-source', text: '[7]', offset: 3, number: 7 }],
      }),
      checkCycles: [aCycle(0, { passed: false, failures: 6 }), aCycle(1, { passed: false, failures: 4 })],
      screening: { flagged: true, findings: [{ ruleId: 'injection.ignore-instructions', message: 'Tries to override\nthe instructions', where: 'comment 3', excerpt: 'please  ignore previous instructions and <b>' }] },
    });
    assert.deepEqual(checksInfo(suggestion), {
      blocks: [
        {
          index: 0,
          language: 'python',
          file: 'scripts/fix.py',
          syntax: 'ok',
          security: 'checked',
          failed: true,
          findings: [{ ruleId: 'python.exec', kind: 'security', severity: 'error', line: 1, message: 'exec() runs arbitrary code' }],
        },
        { index: 1, language: 'rust', syntax: 'not-checked', security: 'not-checked', notCheckedReason: 'unknown language `rust`', failed: true, findings: [] },
        { index: 2, language: null, syntax: 'error', security: 'checked', failed: true, findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 2, message: "Expected ';'" }] },
      ],
      secrets: [{ ruleId: 'secret.slack-token', line: 8, masked: 'xoxb-************mnop' }],
      unknownSources: 1,
      passed: false,
      failures: 4,
      strict: true,
      repairs: [
        { cycle: 0, failures: 6, passed: false },
        { cycle: 1, failures: 4, passed: false },
      ],
      injection: {
        flagged: true,
        findings: [{ ruleId: 'injection.ignore-instructions', where: 'comment 3', message: 'Tries to override the instructions', excerpt: 'please ignore previous instructions and <b>' }],
      },
    });
  });

  test('a Suggestion from an older daemon (no checks) has none', () => {
    const old = { ...aSuggestion() } as Partial<Suggestion>;
    delete old.checks;
    delete old.checkCycles;
    delete old.screening;
    assert.equal(checksInfo(old), undefined);
  });

  test('no cycles and no screening: no repairs, nothing flagged', () => {
    const info = checksInfo({ checks: aCheckReport() });
    assert.deepEqual(info, { blocks: [], secrets: [], unknownSources: 0, passed: true, failures: 0, strict: false, repairs: [], injection: { flagged: false, findings: [] } });
  });

  test('a malformed report does not throw, and a block that does not say is failing, never passing', () => {
    const checks = { blocks: [null, { block: null, findings: 'x' }, { block: { index: 'a', language: 7 }, syntax: 'maybe', findings: [{ ruleId: 5 }, { ruleId: 'r', line: -2, severity: 'bad' }] }], secrets: 'none', passed: 'yes', failures: -1 };
    const info = checksInfo({ checks: checks as unknown as CheckReport, checkCycles: [null as unknown as CheckCycle], screening: { flagged: 'true' } as unknown as Suggestion['screening'] });
    assert.deepEqual(info, {
      blocks: [
        { index: 1, language: null, syntax: 'not-checked', security: 'not-checked', failed: true, findings: [] },
        { index: 2, language: null, syntax: 'not-checked', security: 'not-checked', failed: true, findings: [{ ruleId: 'r', kind: 'security', severity: 'error', line: 0, message: '' }] },
      ],
      secrets: [],
      unknownSources: 0,
      passed: false,
      failures: 0,
      strict: false,
      repairs: [],
      injection: { flagged: false, findings: [] },
    });
  });

  test('long labels are clipped and put on one line', () => {
    const file = `src/${'a'.repeat(400)}.ts`;
    const info = checksInfo({ checks: aCheckReport({ blocks: [aBlockReport(0, {}, { file, language: 'type\nscript' })] }) });
    const [block] = info?.blocks ?? [];
    assert.equal(block?.file?.length, 200);
    assert.ok(block?.file?.endsWith('…'));
    assert.equal(block?.language, 'type script');
  });
});

describe('editedChecksInfo', () => {
  /** The run's own checks: a failing draft repaired once, on a thread flagged for prompt injection. */
  const base: ChecksInfo = {
    blocks: [{ index: 0, language: 'python', syntax: 'ok', security: 'checked', failed: true, findings: [{ ruleId: 'python.exec', kind: 'security', severity: 'error', line: 1, message: 'exec() runs arbitrary code' }] }],
    secrets: [],
    unknownSources: 2,
    passed: false,
    failures: 3,
    strict: true,
    repairs: [
      { cycle: 0, failures: 5, passed: false },
      { cycle: 1, failures: 3, passed: false },
    ],
    injection: { flagged: true, findings: [{ ruleId: 'injection.ignore-instructions', where: 'comment 3', message: 'Tries to override the instructions', excerpt: 'ignore previous instructions' }] },
  };

  test('the edit’s blocks, secrets, sources and verdict come from the new report; the repair history and screening stay the run’s', () => {
    const edited = 'In src/parser.ts:\n\n```ts\nexport const split = (line: string) => line.split(/[,;]/);\n```\n\n' + `token ${TOKEN}\n`;
    const offset = edited.indexOf(TOKEN);
    const report = aCheckReport({
      passed: false,
      failures: 1,
      strict: true,
      blocks: [aBlockReport(0, {}, { language: 'typescript', info: 'ts', code: 'export const split = (line: string) => line.split(/[,;]/);\n', startLine: 4, offset: 24 })],
      // The daemon's masked form shows the token: it is masked again from the checked text.
      secrets: [{ ruleId: 'secret.slack-token', message: 'Slack token', offset, length: TOKEN.length, line: 7, masked: TOKEN }],
    });
    assert.deepEqual(editedChecksInfo(report, edited, base), {
      blocks: [{ index: 0, language: 'typescript', syntax: 'ok', security: 'checked', failed: false, findings: [] }],
      secrets: [{ ruleId: 'secret.slack-token', line: 7, masked: `xoxb${'*'.repeat(20)}` }],
      unknownSources: 0,
      passed: false,
      failures: 1,
      strict: true,
      repairs: base.repairs,
      injection: base.injection,
    });
  });

  test('a passing edit passes, whatever the run’s checks said; the result shares nothing with the base', () => {
    const info = editedChecksInfo(aCheckReport(), 'Plain text now.', base);
    assert.deepEqual(info, { blocks: [], secrets: [], unknownSources: 0, passed: true, failures: 0, strict: false, repairs: base.repairs, injection: base.injection });
    assert.notEqual(info?.repairs, base.repairs);
    assert.notEqual(info?.injection.findings, base.injection.findings);
  });

  test('a report that is not an object gives none (the panel keeps the checks it has)', () => {
    assert.equal(editedChecksInfo(null as unknown as CheckReport, 'x', base), undefined);
    assert.equal(editedChecksInfo('broken' as unknown as CheckReport, 'x', base), undefined);
  });

  test('a malformed report is read as failing, never passing', () => {
    const broken = { blocks: [{ block: { index: 0, language: 'typescript' }, syntax: 'ok' }], passed: 'yes' } as unknown as CheckReport;
    assert.deepEqual(editedChecksInfo(broken, '```ts\nx\n```', base), {
      blocks: [{ index: 0, language: 'typescript', syntax: 'ok', security: 'not-checked', failed: true, findings: [] }],
      secrets: [],
      unknownSources: 0,
      passed: false,
      failures: 0,
      strict: false,
      repairs: base.repairs,
      injection: base.injection,
    });
  });
});

describe('secrets never in clear', () => {
  const finding = { offset: TEXT.indexOf(TOKEN), length: TOKEN.length };

  test('the daemon’s masked value is kept when it hides the secret', () => {
    assert.equal(maskedSecret({ ...finding, masked: 'xoxb-************mnop' }, TEXT), 'xoxb-************mnop');
  });

  test('a masked value that shows the secret, or masks nothing, is masked here', () => {
    for (const masked of [TOKEN, `token=${TOKEN}`, 'no-stars-at-all', '']) {
      const shown = maskedSecret({ ...finding, masked }, TEXT);
      assert.equal(shown, `xoxb${'*'.repeat(20)}`, masked);
    }
  });

  test('without a usable offset the masked value itself is masked when it has no stars', () => {
    assert.equal(maskedSecret({ offset: -1, length: 0, masked: 'abcdefghijklmnop' }, TEXT), `abcd${'*'.repeat(12)}`);
  });

  test('maskText keeps at most four characters and a quarter of a short secret', () => {
    assert.equal(maskText('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), `ghp_${'*'.repeat(20)}`);
    assert.equal(maskText('abcdefgh'), `ab${'*'.repeat(6)}`);
    assert.equal(maskText('abc'), '****');
  });

  test('secret kinds in words', () => {
    assert.equal(secretKind('secret.github-token'), 'GitHub token');
    assert.equal(secretKind('secret.aws-access-key'), 'AWS access key');
    assert.equal(secretKind('secret.high-entropy'), 'high-entropy string (possibly a key)');
    assert.equal(secretKind('secret.npm-token'), 'npm token');
    assert.equal(secretKind('secret.'), 'secret');
  });
});

describe('givenSources', () => {
  test('the numbers and URLs of every source given to the model', () => {
    const suggestion = aSuggestion({
      retrieval: {
        indexed: true,
        noRelevantSources: false,
        given: [aKnowledgeSource({ number: 1 }), aKnowledgeSource({ number: 2, url: null })],
        indexVersion: 'v1',
        embeddingModel: 'm',
        ms: 1,
      },
    });
    const url = suggestion.retrieval.given[0]?.url;
    assert.equal(typeof url, 'string');
    assert.deepEqual(givenSources(suggestion), [{ number: 1, url }, { number: 2 }]);
  });

  test('no retrieval (an older daemon, or no finished run): undefined', () => {
    assert.equal(givenSources(undefined), undefined);
    assert.equal(givenSources({}), undefined);
  });
});
