import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BlockReport, CheckReport, CodeFinding, SecretFinding } from '../../server/src/protocol';
import {
  checkFailures,
  MAX_LISTED_FAILURES,
  postConfirmation,
  PREVIEW_MAX_CHARS,
  PREVIEW_MAX_LINES,
  previewText,
  secretBlock,
} from '../../client/src/suggestion/postConfirmation';
import type { CheckOutcome, GuardrailVerdict } from '../../client/src/suggestion/postConfirmation';
import { aCheckReport } from '../support/builders';

const PASSED: CheckOutcome = { ok: true, report: aCheckReport() };
const SAFE: GuardrailVerdict = { label: 'safe', score: 0.98, unsafe: false };

function aFinding(overrides: Partial<CodeFinding> = {}): CodeFinding {
  return { ruleId: 'python.exec', kind: 'security', severity: 'error', line: 3, message: 'exec() runs arbitrary code', engine: 'tree-sitter', ...overrides };
}

function aBlockReport(index: number, overrides: Partial<BlockReport> = {}, block: Partial<BlockReport['block']> = {}): BlockReport {
  return {
    block: { index, language: 'python', languageFrom: 'fence', info: 'python', code: 'exec(x)\n', startLine: 2, offset: 10, unclosed: false, ...block },
    syntax: 'ok',
    security: 'checked',
    findings: [],
    failed: false,
    ...overrides,
  };
}

function failing(report: Partial<CheckReport>): CheckOutcome {
  return { ok: true, report: aCheckReport({ passed: false, failures: 1, ...report }) };
}

/** A GitHub token as the checks would find it at `offset` of `text`. */
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
function aSecret(text: string, overrides: Partial<SecretFinding> = {}): SecretFinding {
  const offset = text.indexOf(TOKEN);
  return { ruleId: 'secret.github-token', message: 'GitHub token', offset, length: TOKEN.length, line: 3, masked: 'ghp_********************************Q7r8', ...overrides };
}

describe('postConfirmation: a text that passes', () => {
  test('a post names the thread, shows the exact text with its length, and offers Post', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'Thanks, **fixed** in #43.\n', checks: PASSED, safety: SAFE });
    assert.deepEqual(confirmation, {
      message: 'Post this reply to acme/parser#42 on GitHub?',
      detail: 'Thanks, **fixed** in #43.\n\n\n(26 characters)',
      button: 'Post',
      override: false,
    });
  });

  test('an update says so and offers Update', () => {
    const confirmation = postConfirmation({ action: 'update', ref: 'acme/parser#42', text: 'x', checks: PASSED });
    assert.deepEqual(confirmation, { message: 'Update your comment on acme/parser#42 on GitHub with this text?', detail: 'x\n\n(1 character)', button: 'Update', override: false });
  });
});

describe('postConfirmation: the override', () => {
  test('a failing block lists its findings and offers only Post Anyway', () => {
    const checks = failing({ blocks: [aBlockReport(0), aBlockReport(1, { failed: true, findings: [aFinding()] }, { file: 'scripts/fix.py' })] });
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks, safety: SAFE });
    assert.equal(confirmation.message, 'Post this reply to acme/parser#42 on GitHub? It fails its checks. Only post it anyway if you have read it and are sure.');
    assert.equal(confirmation.detail, ['What fails:', '• Block 2 (python, scripts/fix.py), line 3: python.exec (error) — exec() runs arbitrary code', '', 'x', '', '(1 character)'].join('\n'));
    assert.equal(confirmation.button, 'Post Anyway');
    assert.equal(confirmation.override, true);
  });

  test('an update of a failing text offers only Update Anyway', () => {
    const checks = failing({ sources: [{ kind: 'unknown-source', text: '[7]', offset: 4, number: 7 }] });
    const confirmation = postConfirmation({ action: 'update', ref: 'acme/parser#42', text: 'See [7].', checks });
    assert.equal(confirmation.message, 'Update your comment on acme/parser#42 on GitHub with this text? It fails its checks. Only update it anyway if you have read it and are sure.');
    assert.match(confirmation.detail, /^What fails:\n• Citation of a source that was not given: \[7\]\n\n/);
    assert.equal(confirmation.button, 'Update Anyway');
  });

  test('lists a few failures, then says how many more', () => {
    const findings = Array.from({ length: MAX_LISTED_FAILURES + 2 }, (_, at) => aFinding({ line: at + 1, ruleId: `rule-${at + 1}`, message: `finding ${at + 1}` }));
    const checks = failing({ blocks: [aBlockReport(0, { failed: true, findings }, { language: 'typescript' })] });
    const { detail } = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks });
    const listed = detail.split('\n\n')[0]?.split('\n') ?? [];
    assert.deepEqual(listed, [
      'What fails:',
      '• Block 1 (typescript), line 1: rule-1 (error) — finding 1',
      '• Block 1 (typescript), line 2: rule-2 (error) — finding 2',
      '• Block 1 (typescript), line 3: rule-3 (error) — finding 3',
      '• Block 1 (typescript), line 4: rule-4 (error) — finding 4',
      '• Block 1 (typescript), line 5: rule-5 (error) — finding 5',
      '…and 2 more',
    ]);
  });

  test('an unsafe guardrail verdict needs the override even when the checks pass', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks: PASSED, safety: { label: 'toxic', score: 0.912, unsafe: true } });
    assert.equal(confirmation.message, 'Post this reply to acme/parser#42 on GitHub? The guardrail flagged the generated draft as unsafe. Only post it anyway if you have read it and are sure.');
    assert.equal(confirmation.detail, 'What fails:\n• Guardrail: TOXIC (score 0.91)\n\nx\n\n(1 character)');
    assert.equal(confirmation.button, 'Post Anyway');
  });

  test('a guardrail that could not run (UNCHECKED) needs the override', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks: PASSED, safety: { label: 'UNCHECKED', score: 0, unsafe: true, error: 'model missing' } });
    assert.match(confirmation.message, /The guardrail could not check the generated draft\./);
    assert.match(confirmation.detail, /^What fails:\n• Guardrail: UNCHECKED: model missing\n/);
    assert.equal(confirmation.button, 'Post Anyway');
  });

  test('checks that could not run are said so, and need the override', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks: { ok: false, error: 'the daemon is not running' }, safety: SAFE });
    assert.equal(
      confirmation.message,
      'Post this reply to acme/parser#42 on GitHub? The checks could not run (the daemon is not running), so nothing is known about its code, secrets or sources. Only post it anyway if you have read it and are sure.',
    );
    assert.equal(confirmation.detail, 'x\n\n(1 character)');
    assert.equal(confirmation.button, 'Post Anyway');
    assert.equal(confirmation.override, true);
  });

  test('strict checks (a thread flagged for prompt injection) are noted', () => {
    const checks = failing({ strict: true, blocks: [aBlockReport(2, { failed: true, syntax: 'not-checked', security: 'not-checked', notCheckedReason: 'unknown language `rust`' }, { language: 'rust' })] });
    const { detail } = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', checks });
    assert.ok(detail.startsWith('The thread was flagged for prompt injection: the checks were strict.\n\nWhat fails:\n• Block 3 (rust): not checked (unknown language `rust`)\n\n'), detail);
  });
});

describe('checkFailures', () => {
  test('info findings and passing blocks are not failures; a failing report with nothing listed says how many', () => {
    const report = aCheckReport({
      passed: false,
      failures: 2,
      blocks: [aBlockReport(0, { failed: true, findings: [aFinding({ severity: 'info', ruleId: 'note' }), aFinding({ severity: 'warning', ruleId: 'no-eval', line: 9 })] }), aBlockReport(1, { findings: [aFinding()] })],
    });
    assert.deepEqual(checkFailures(report, ''), ['Block 1 (python), line 9: no-eval (warning) — exec() runs arbitrary code']);
    assert.deepEqual(checkFailures(aCheckReport({ passed: false, failures: 2 }), ''), ['2 failing findings']);
    assert.deepEqual(checkFailures(aCheckReport(), ''), []);
  });

  test('a malformed report does not throw', () => {
    const broken = { blocks: [{ failed: true }], secrets: null, sources: undefined, passed: false, failures: 1 } as unknown as CheckReport;
    assert.deepEqual(checkFailures(broken, ''), ['Block 1 (no language): fails its checks']);
  });
});

describe('secretBlock', () => {
  const text = `Set it up:\n\n    export GITHUB_TOKEN=${TOKEN}\n`;

  test('names the kind, the line and the masked value, and says to remove it; never the secret', () => {
    const message = secretBlock(aCheckReport({ passed: false, failures: 1, secrets: [aSecret(text)] }), text);
    assert.equal(
      message,
      'the reply contains a possible secret: GitHub token on line 3 (ghp_********************************Q7r8). Remove it from the draft before posting; nothing was sent.',
    );
    assert.ok(!message?.includes(TOKEN));
  });

  test('a masked value that would show the secret is masked again', () => {
    for (const masked of [TOKEN, `${TOKEN} (masked)`, '']) {
      const message = secretBlock(aCheckReport({ secrets: [aSecret(text, { masked })] }), text) ?? '';
      assert.ok(!message.includes(TOKEN), masked);
      assert.ok(!message.includes(TOKEN.slice(4, 12)), `no run of the secret past its prefix: ${message}`);
      assert.match(message, /GitHub token on line 3 \(ghp_\*{20}\)/);
    }
  });

  test('several secrets: the first three, then how many more', () => {
    const secret = aSecret(text);
    const secrets = [secret, { ...secret, ruleId: 'secret.aws-access-key', line: 5, masked: 'AKIA************' }, { ...secret, ruleId: 'secret.private-key', line: 7, masked: '-----BEGIN****' }, { ...secret, ruleId: 'secret.custom-thing', line: 9, masked: 'ab****' }];
    const message = secretBlock(aCheckReport({ secrets }), text);
    assert.equal(
      message,
      'the reply contains 4 possible secrets: GitHub token on line 3 (ghp_********************************Q7r8); AWS access key on line 5 (AKIA************); private key on line 7 (-----BEGIN****), and 1 more. Remove them from the draft before posting; nothing was sent.',
    );
  });

  test('no secret: nothing blocks', () => {
    assert.equal(secretBlock(aCheckReport(), text), undefined);
  });
});

describe('previewText', () => {
  test('a long text is cut for display with a note that the whole of it is sent', () => {
    const text = 'a'.repeat(PREVIEW_MAX_CHARS + 1234);
    const preview = previewText(text);
    assert.ok(preview.startsWith('a'.repeat(PREVIEW_MAX_CHARS) + '\n…\n'));
    assert.ok(!preview.startsWith('a'.repeat(PREVIEW_MAX_CHARS + 1)));
    assert.match(preview, /\(Showing the first 1,500 of 2,734 characters; the whole text is sent\.\)$/);
  });

  test('many short lines are cut by lines', () => {
    const text = Array.from({ length: PREVIEW_MAX_LINES + 10 }, (_, index) => `line ${index + 1}`).join('\n');
    const preview = previewText(text);
    assert.match(preview, new RegExp(`line ${PREVIEW_MAX_LINES}\\n…\\n`));
    assert.doesNotMatch(preview, new RegExp(`line ${PREVIEW_MAX_LINES + 1}\\b`));
    assert.match(preview, new RegExp(`of ${text.length} characters; the whole text is sent`));
  });

  test('a cut never splits an emoji in two', () => {
    const preview = previewText(`${'a'.repeat(9)}😀😀`, 10);
    assert.ok(preview.startsWith(`${'a'.repeat(9)}\n…`));
    assert.match(preview, /first 9 of 13 characters/);
  });

  test('a text exactly at the limits is shown whole', () => {
    const text = 'b'.repeat(PREVIEW_MAX_CHARS);
    assert.equal(previewText(text), `${text}\n\n(1,500 characters)`);
  });
});
