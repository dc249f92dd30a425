import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { draftWithRepairs } from '../../server/src/pipeline/draftWithRepairs';
import type { DraftWithRepairsRequest } from '../../server/src/pipeline/draftWithRepairs';
import type { BlockReport, ChatTurn, CheckReport, SuggestReplyProgress } from '../../server/src/protocol';
import { aCheckReport } from '../support/builders';
import { ScriptedChatModel } from '../support/scriptedChatModel';

const TURNS: ChatTurn[] = [
  { role: 'system', text: 'You are Threadwise.' },
  { role: 'user', text: '@someone (NONE) opened issue acme/widgets#1.\nTitle: How do I run a command?' },
];

/** A report where every `os.system` in the text is one failing finding in block 1, at its line. */
function reportFor(text: string): CheckReport {
  const lines = text.split('\n');
  const findings = lines.flatMap((line, i) =>
    line.includes('os.system') ? [{ ruleId: 'python.os-system', kind: 'security' as const, severity: 'error' as const, line: i + 1, message: 'os.system runs a shell command', engine: 'rules' }] : [],
  );
  if (findings.length === 0) return aCheckReport();
  const block: BlockReport = {
    block: { index: 0, language: 'python', languageFrom: 'fence', info: 'python', code: text, startLine: 1, offset: 0, unclosed: false },
    syntax: 'ok',
    security: 'checked',
    findings,
    failed: true,
  };
  return aCheckReport({ blocks: [block], passed: false, failures: findings.length });
}

function run(model: ScriptedChatModel, overrides: Partial<DraftWithRepairsRequest> = {}) {
  const progress: SuggestReplyProgress[] = [];
  const checked: string[] = [];
  const result = draftWithRepairs({
    model,
    turns: TURNS,
    maxTokens: 100,
    temperature: 0,
    seed: 1,
    maxCycles: 2,
    repairTokens: 140,
    signal: new AbortController().signal,
    check: (text) => {
      checked.push(text);
      return Promise.resolve(reportFor(text));
    },
    findingFails: () => true,
    fitFeedback: (feedback) => feedback,
    onProgress: (event) => progress.push(event),
    now: () => 0,
    ...overrides,
  });
  return { result, progress, checked };
}

describe('the repair loop', () => {
  test('a passing first draft is checked once and never repaired', async () => {
    const model = new ScriptedChatModel(['Use subprocess.run(["ls"]).']);
    const { result, progress, checked } = run(model);
    const done = await result;
    assert.equal(model.requests.length, 1);
    assert.deepEqual(checked, ['Use subprocess.run(["ls"]).']);
    assert.equal(done.cycles.length, 1);
    assert.equal(done.report.passed, true);
    assert.equal(done.cycles[0]!.feedback, '');
    assert.equal(progress.filter((event) => event.kind === 'repair').length, 0);
  });

  test('a failing draft is fed back with its findings, and the repaired draft is checked again', async () => {
    const model = new ScriptedChatModel(['Run it:\nos.system(cmd)', 'Run it:\nsubprocess.run(cmd, check=True)']);
    const { result, progress, checked } = run(model);
    const done = await result;
    assert.equal(model.requests.length, 2);
    assert.deepEqual(checked, ['Run it:\nos.system(cmd)', 'Run it:\nsubprocess.run(cmd, check=True)']);
    assert.equal(done.last.text, 'Run it:\nsubprocess.run(cmd, check=True)');
    assert.equal(done.report.passed, true);
    assert.deepEqual(done.cycles.map((cycle) => [cycle.cycle, cycle.report.failures]), [[0, 1], [1, 0]]);

    // The repair prompt is the first chat (a cached prefix), then the draft, then the findings.
    const repairTurns = model.requests[1]!.turns;
    assert.deepEqual(repairTurns.slice(0, TURNS.length), TURNS);
    assert.deepEqual(repairTurns[TURNS.length], { role: 'assistant', text: 'Run it:\nos.system(cmd)' });
    const feedback = repairTurns[TURNS.length + 1]!;
    assert.equal(feedback.role, 'user');
    assert.match(feedback.text, /Code block 1 \(python\), line 2: error `python\.os-system`: os\.system runs a shell command/);
    assert.equal(done.cycles[0]!.feedback, feedback.text);

    const repairs = progress.filter((event) => event.kind === 'repair');
    assert.deepEqual(repairs, [{ kind: 'repair', cycle: 1, maxCycles: 2, failures: 1, message: 'Repairing (1/2): 1 finding fed back to the model' }]);
    // The repaired draft streams after the repair event: the chunks after it make the final text.
    const afterRepair = progress.slice(progress.findIndex((event) => event.kind === 'repair'));
    const chunks = afterRepair.flatMap((event) => (event.kind === 'chunk' ? [event.text] : [])).join('');
    assert.equal(chunks, done.last.text);
  });

  test('the loop stops at the cycle limit with the last draft and every cycle in the trace', async () => {
    const model = new ScriptedChatModel(['os.system(a)', 'os.system(b)', 'os.system(c)', 'never asked']);
    const { result, progress } = run(model, { maxCycles: 2 });
    const done = await result;
    assert.equal(model.requests.length, 3);
    assert.equal(done.last.text, 'os.system(c)');
    assert.equal(done.report.passed, false);
    assert.deepEqual(done.cycles.map((cycle) => cycle.text), ['os.system(a)', 'os.system(b)', 'os.system(c)']);
    assert.deepEqual(done.cycles.map((cycle) => cycle.feedback !== ''), [true, true, false]);
    assert.deepEqual(progress.filter((event) => event.kind === 'repair').map((event) => (event.kind === 'repair' ? event.cycle : 0)), [1, 2]);
    // Each repair carries only the latest draft, so the prompt grows by one draft at most.
    assert.deepEqual(model.requests[2]!.turns.slice(TURNS.length).map((turn) => turn.role), ['assistant', 'user']);
    assert.equal(model.requests[2]!.turns[TURNS.length]!.text, 'os.system(b)');
    assert.equal(done.totals.generatedTokens, 3);
  });

  test('maxCycles 0 checks and keeps the failing draft', async () => {
    const model = new ScriptedChatModel(['os.system(a)']);
    const done = await run(model, { maxCycles: 0 }).result;
    assert.equal(model.requests.length, 1);
    assert.equal(done.report.passed, false);
    assert.equal(done.cycles.length, 1);
  });

  test('a cancelled draft is checked but never repaired', async () => {
    const abort = new AbortController();
    abort.abort();
    const model = new ScriptedChatModel(['os.system(a) and more words']);
    const done = await run(model, { signal: abort.signal }).result;
    assert.equal(model.requests.length, 1);
    assert.equal(done.last.stopReason, 'cancelled');
    assert.equal(done.cycles.length, 1);
  });

  test('the first draft asks the model to keep room for a repair (which then fits); with no cycles, none is kept', async () => {
    const model = new ScriptedChatModel(['os.system(a)', 'fixed']);
    await run(model).result;
    assert.deepEqual(model.requests.map((request) => request.reserveTokens), [140, undefined]);
    const single = new ScriptedChatModel(['os.system(a)']);
    await run(single, { maxCycles: 0 }).result;
    assert.equal(single.requests[0]!.reserveTokens, undefined);
  });

  test('the repair prompt reuses the first chat: only the draft and the feedback are evaluated anew', async () => {
    const model = new ScriptedChatModel(['os.system(a)', 'fixed']);
    const done = await run(model).result;
    const promptOf = (turns: ChatTurn[]): number => turns.reduce((sum, turn) => sum + 1 + turn.text.split(/\s+/).filter(Boolean).length, 0);
    assert.equal(done.totals.promptTokens, promptOf(TURNS) + promptOf(model.requests[1]!.turns));
    assert.equal(done.totals.evaluatedTokens, promptOf(TURNS) + (promptOf(model.requests[1]!.turns) - promptOf(TURNS)));
  });
});
