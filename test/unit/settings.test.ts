import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DaemonSettings } from '../../server/src/protocol';
import { chatModelChanged, DEFAULT_SETTINGS, embedderChanged, flattenSettingsSection, guardrailChanged, resolveSettings, settingId } from '../../server/src/settings';
import { ROOT } from '../support/paths';

/**
 * The defaults as the extension contributes them (package.json); DEFAULT_SETTINGS must mirror them,
 * so VS Code and the CLI start from the same values.
 */
function contributedDefaults(): DaemonSettings {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const keys = Object.keys(DEFAULT_SETTINGS) as (keyof DaemonSettings)[];
  return Object.fromEntries(keys.map((key) => [key, manifest.contributes.configuration.properties[settingId(key)]?.default])) as unknown as DaemonSettings;
}
const EXPECTED_DEFAULTS = contributedDefaults();

describe('resolveSettings', () => {
  test('no settings give the defaults and nothing ignored', () => {
    assert.deepEqual(resolveSettings(undefined), { settings: EXPECTED_DEFAULTS, ignored: [] });
    assert.deepEqual(resolveSettings({}), { settings: EXPECTED_DEFAULTS, ignored: [] });
    assert.deepEqual({ ...DEFAULT_SETTINGS }, EXPECTED_DEFAULTS);
    assert.ok(Object.isFrozen(DEFAULT_SETTINGS));
  });

  test('the result is a fresh object, not the frozen defaults', () => {
    const { settings } = resolveSettings(undefined);
    assert.notEqual(settings, DEFAULT_SETTINGS);
    settings.threads = 4;
    assert.equal(DEFAULT_SETTINGS.threads, 0);
  });

  test('valid values override the defaults', () => {
    const given: DaemonSettings = {
      model: 'hf:owner/repo/model.gguf',
      gpu: 'off',
      threads: 6,
      contextSize: 4096,
      maxReplyTokens: 256,
      temperature: 0,
      guardrailModel: '/models/guard',
      guardrailThreshold: 0.9,
      allowDownloads: false,
      embeddingModel: '/models/embed',
      knowledgeEnabled: false,
      knowledgeInclude: ['docs/**/*.md'],
      knowledgeExclude: [],
      knowledgeIssues: false,
      knowledgeTopK: 8,
      knowledgeMinSimilarity: 0.5,
      maxFixCycles: 0,
      checksFailOn: 'error',
      checksExternalTools: ['bandit', 'semgrep'],
      checksSemgrepConfig: '/rules/semgrep.yml',
      historyEnabled: false,
      historyRetentionDays: 0,
    };
    assert.deepEqual(resolveSettings(given), { settings: given, ignored: [] });
  });

  test('range edges are accepted', () => {
    const low = resolveSettings({ threads: 0, contextSize: 512, maxReplyTokens: 16, temperature: 0, guardrailThreshold: 0 });
    assert.deepEqual(low.ignored, []);
    assert.deepEqual(
      [low.settings.threads, low.settings.contextSize, low.settings.maxReplyTokens, low.settings.temperature, low.settings.guardrailThreshold],
      [0, 512, 16, 0, 0],
    );
    const high = resolveSettings({ threads: 1024, contextSize: 1 << 20, maxReplyTokens: 1 << 16, temperature: 2, guardrailThreshold: 1 });
    assert.deepEqual(high.ignored, []);
    assert.deepEqual(
      [high.settings.threads, high.settings.contextSize, high.settings.maxReplyTokens, high.settings.temperature, high.settings.guardrailThreshold],
      [1024, 1 << 20, 1 << 16, 2, 1],
    );
  });

  test('values of the wrong type are ignored, reported as threadwise.<key>, and the default kept', () => {
    const { settings, ignored } = resolveSettings({
      model: 42,
      gpu: 'cuda',
      threads: '4',
      contextSize: 4096.5,
      maxReplyTokens: true,
      temperature: '0.2',
      guardrailModel: '   ',
      guardrailThreshold: Number.NaN,
      allowDownloads: 'yes',
      embeddingModel: '',
      knowledgeEnabled: 1,
      knowledgeInclude: 'docs/**',
      knowledgeExclude: [42],
      knowledgeIssues: 'no',
      knowledgeTopK: 0,
      knowledgeMinSimilarity: 2,
    });
    assert.deepEqual(settings, EXPECTED_DEFAULTS);
    assert.deepEqual(ignored, [
      'threadwise.model',
      'threadwise.gpu',
      'threadwise.threads',
      'threadwise.contextSize',
      'threadwise.maxReplyTokens',
      'threadwise.temperature',
      'threadwise.guardrailModel',
      'threadwise.guardrailThreshold',
      'threadwise.allowDownloads',
      'threadwise.embeddingModel',
      'threadwise.knowledge.enabled',
      'threadwise.knowledge.include',
      'threadwise.knowledge.exclude',
      'threadwise.knowledge.issues',
      'threadwise.knowledge.topK',
      'threadwise.knowledge.minSimilarity',
    ]);
  });

  test('VS Code sends threadwise.knowledge.* nested: it is flattened to the daemon keys', () => {
    const flat = flattenSettingsSection({ model: '/m.gguf', knowledge: { include: ['a/**'], topK: 3, enabled: false, unknown: 1 }, github: { apiUrl: 'x' } });
    assert.deepEqual(resolveSettings(flat).settings, { ...EXPECTED_DEFAULTS, model: '/m.gguf', knowledgeInclude: ['a/**'], knowledgeTopK: 3, knowledgeEnabled: false });
    assert.equal(flattenSettingsSection(undefined), undefined);
    assert.equal(flattenSettingsSection('junk'), undefined);
  });

  test('threadwise.checks.* arrives nested too and maps to the checks keys', () => {
    const flat = flattenSettingsSection({ maxFixCycles: 1, checks: { failOn: 'error', externalTools: ['bandit'], semgrepConfig: '/r.yml' } });
    assert.deepEqual(resolveSettings(flat).settings, { ...EXPECTED_DEFAULTS, maxFixCycles: 1, checksFailOn: 'error', checksExternalTools: ['bandit'], checksSemgrepConfig: '/r.yml' });
    assert.equal(settingId('checksExternalTools'), 'threadwise.checks.externalTools');
    assert.equal(settingId('maxFixCycles'), 'threadwise.maxFixCycles');
  });

  test('values out of range are ignored', () => {
    const cases: Array<[keyof DaemonSettings, unknown]> = [
      ['threads', -1],
      ['threads', 1025],
      ['contextSize', 511],
      ['contextSize', (1 << 20) + 1],
      ['maxReplyTokens', 15],
      ['maxReplyTokens', (1 << 16) + 1],
      ['temperature', -0.1],
      ['temperature', 2.01],
      ['temperature', Number.POSITIVE_INFINITY],
      ['guardrailThreshold', 1.5],
      ['guardrailThreshold', -0.5],
      ['knowledgeTopK', 21],
      ['knowledgeMinSimilarity', -1.5],
      ['knowledgeInclude', Array.from({ length: 201 }, () => '**')],
      ['maxFixCycles', -1],
      ['maxFixCycles', 6],
      ['checksFailOn', 'info'],
      ['checksExternalTools', ['bandit', 'bandit']],
      ['checksExternalTools', ['pylint']],
      ['checksSemgrepConfig', 3],
    ];
    for (const [key, value] of cases) {
      const { settings, ignored } = resolveSettings({ [key]: value });
      assert.deepEqual(ignored, [settingId(key)], `${key} = ${String(value)}`);
      assert.deepEqual(settings[key], EXPECTED_DEFAULTS[key]);
    }
  });

  test('null and undefined mean unset and are not reported', () => {
    const { settings, ignored } = resolveSettings({ model: null, threads: undefined, gpu: null });
    assert.deepEqual(settings, EXPECTED_DEFAULTS);
    assert.deepEqual(ignored, []);
  });

  test('good and bad values mix: the good ones apply', () => {
    const { settings, ignored } = resolveSettings({ threads: 8, temperature: 5, model: '/m.gguf' });
    assert.equal(settings.threads, 8);
    assert.equal(settings.temperature, 0.7);
    assert.equal(settings.model, '/m.gguf');
    assert.deepEqual(ignored, ['threadwise.temperature']);
  });
});

describe('what a settings change reloads', () => {
  const base: DaemonSettings = { ...EXPECTED_DEFAULTS };

  test('model, gpu, threads and contextSize reload the chat model only', () => {
    const changes: Array<Partial<DaemonSettings>> = [{ model: '/other.gguf' }, { gpu: 'off' }, { threads: 2 }, { contextSize: 4096 }];
    for (const change of changes) {
      const after = { ...base, ...change };
      assert.equal(chatModelChanged(base, after), true, JSON.stringify(change));
      assert.equal(guardrailChanged(base, after), false, JSON.stringify(change));
    }
  });

  test('guardrailModel reloads the guardrail only', () => {
    const after = { ...base, guardrailModel: 'other/model' };
    assert.equal(guardrailChanged(base, after), true);
    assert.equal(chatModelChanged(base, after), false);
  });

  test('embeddingModel reloads the embedder only', () => {
    const after = { ...base, embeddingModel: '/models/other-embed' };
    assert.equal(embedderChanged(base, after), true);
    assert.equal(chatModelChanged(base, after), false);
    assert.equal(guardrailChanged(base, after), false);
    assert.equal(embedderChanged(base, { ...base, knowledgeTopK: 9 }), false);
  });

  test('per-request settings reload nothing', () => {
    const changes: Array<Partial<DaemonSettings>> = [{ maxReplyTokens: 100 }, { temperature: 0.1 }, { guardrailThreshold: 0.2 }, { allowDownloads: false }];
    for (const change of changes) {
      const after = { ...base, ...change };
      assert.equal(chatModelChanged(base, after), false, JSON.stringify(change));
      assert.equal(guardrailChanged(base, after), false, JSON.stringify(change));
    }
    assert.equal(chatModelChanged(base, { ...base }), false);
  });
});
