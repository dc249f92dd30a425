import type { DaemonSettings } from './protocol';

/** The defaults of every daemon setting; `package.json`'s contributed settings mirror these values. */
export const DEFAULT_SETTINGS: Readonly<DaemonSettings> = Object.freeze({
  model: '',
  gpu: 'auto',
  threads: 0,
  contextSize: 8192,
  maxReplyTokens: 768,
  temperature: 0.7,
  guardrailModel: 'Xenova/toxic-bert',
  guardrailThreshold: 0.5,
  allowDownloads: true,
  embeddingModel: 'Xenova/all-MiniLM-L6-v2',
  knowledgeEnabled: true,
  knowledgeInclude: Object.freeze(['**/*.{md,mdx,markdown,rst,adoc,asciidoc,asc,txt,html,htm}']) as string[],
  knowledgeExclude: Object.freeze([
    '**/node_modules/**',
    '**/vendor/**',
    '**/third_party/**',
    '**/third-party/**',
    '**/dist/**',
    '**/build/**',
    '**/out/**',
    '**/target/**',
    '**/coverage/**',
    '**/_build/**',
    '**/generated/**',
    '**/site-packages/**',
    '**/{.venv,venv,.tox,.cache,.next,.nuxt,.docusaurus,.idea,.vscode-test}/**',
    '**/*.min.*',
    '**/{LICENSE,LICENCE,COPYING,NOTICE}*',
  ]) as string[],
  knowledgeIssues: true,
  knowledgeTopK: 5,
  knowledgeMinSimilarity: 0.3,
  maxFixCycles: 2,
  checksFailOn: 'warning',
  checksExternalTools: Object.freeze([]) as unknown as DaemonSettings['checksExternalTools'],
  checksSemgrepConfig: '',
  historyEnabled: true,
  historyRetentionDays: 90,
});

/**
 * Merges partial settings over the defaults, dropping values of the wrong type or range so one bad
 * entry in a settings file cannot take the daemon down. Returns the settings and what was ignored.
 */
export function resolveSettings(partial: Partial<Record<keyof DaemonSettings, unknown>> | undefined): {
  settings: DaemonSettings;
  ignored: string[];
} {
  const settings: DaemonSettings = { ...DEFAULT_SETTINGS };
  const ignored: string[] = [];
  if (!partial) return { settings, ignored };
  const take = <K extends keyof DaemonSettings>(key: K, valid: (value: unknown) => value is DaemonSettings[K]): void => {
    const value = partial[key];
    if (value === undefined || value === null) return;
    if (valid(value)) settings[key] = value;
    else ignored.push(settingId(key));
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const intIn = (min: number, max: number) => (v: unknown): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  const numberIn = (min: number, max: number) => (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
  take('model', isString);
  take('gpu', (v): v is DaemonSettings['gpu'] => v === 'auto' || v === 'off');
  take('threads', intIn(0, 1024));
  take('contextSize', intIn(512, 1 << 20));
  take('maxReplyTokens', intIn(16, 1 << 16));
  take('temperature', numberIn(0, 2));
  take('guardrailModel', (v): v is string => isString(v) && v.trim() !== '');
  take('guardrailThreshold', numberIn(0, 1));
  take('allowDownloads', (v): v is boolean => typeof v === 'boolean');
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isGlobList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 200 && v.every((glob) => typeof glob === 'string' && glob.trim() !== '' && glob.length <= 500);
  take('embeddingModel', (v): v is string => isString(v) && v.trim() !== '');
  take('knowledgeEnabled', isBoolean);
  take('knowledgeInclude', isGlobList);
  take('knowledgeExclude', isGlobList);
  take('knowledgeIssues', isBoolean);
  take('knowledgeTopK', intIn(1, 20));
  take('knowledgeMinSimilarity', numberIn(-1, 1));
  take('maxFixCycles', intIn(0, 5));
  take('checksFailOn', (v): v is DaemonSettings['checksFailOn'] => v === 'error' || v === 'warning');
  take('checksExternalTools', (v): v is DaemonSettings['checksExternalTools'] =>
    Array.isArray(v) && v.length <= 2 && v.every((tool) => tool === 'bandit' || tool === 'semgrep') && new Set(v).size === v.length);
  take('checksSemgrepConfig', isString);
  take('historyEnabled', isBoolean);
  take('historyRetentionDays', intIn(0, 36500));
  return { settings, ignored };
}

/** Settings whose change needs the chat model reloaded. */
export function chatModelChanged(before: DaemonSettings, after: DaemonSettings): boolean {
  return before.model !== after.model || before.gpu !== after.gpu || before.threads !== after.threads || before.contextSize !== after.contextSize;
}

/** Settings whose change needs the embedding model reloaded. */
export function embedderChanged(before: DaemonSettings, after: DaemonSettings): boolean {
  return before.embeddingModel !== after.embeddingModel;
}

/** Settings whose change needs the guardrail reloaded. */
export function guardrailChanged(before: DaemonSettings, after: DaemonSettings): boolean {
  return before.guardrailModel !== after.guardrailModel;
}

/**
 * Nested VS Code settings ↔ the daemon's flat keys: `threadwise.knowledge.<name>` ↔ `knowledge<Name>`,
 * `threadwise.checks.<name>` ↔ `checks<Name>`, `threadwise.history.<name>` ↔ `history<Name>`.
 */
const NESTED_SETTING_KEYS = {
  knowledge: {
    enabled: 'knowledgeEnabled',
    include: 'knowledgeInclude',
    exclude: 'knowledgeExclude',
    issues: 'knowledgeIssues',
    topK: 'knowledgeTopK',
    minSimilarity: 'knowledgeMinSimilarity',
  },
  checks: {
    failOn: 'checksFailOn',
    externalTools: 'checksExternalTools',
    semgrepConfig: 'checksSemgrepConfig',
  },
  history: {
    enabled: 'historyEnabled',
    retentionDays: 'historyRetentionDays',
  },
} as const satisfies Record<string, Record<string, keyof DaemonSettings>>;

/** The VS Code setting a daemon setting comes from: `threadwise.model`, `threadwise.knowledge.include`. */
export function settingId(key: keyof DaemonSettings): string {
  for (const [section, keys] of Object.entries(NESTED_SETTING_KEYS)) {
    const nested = Object.entries(keys).find(([, flat]) => flat === key);
    if (nested) return `threadwise.${section}.${nested[0]}`;
  }
  return `threadwise.${key}`;
}

/**
 * The `threadwise` configuration section as VS Code sends it (`threadwise.knowledge.include`
 * arrives nested as `{ knowledge: { include } }`) turned into the daemon's flat setting keys.
 * Values are not checked here: resolveSettings does that.
 */
export function flattenSettingsSection(section: unknown): Partial<Record<keyof DaemonSettings, unknown>> | undefined {
  if (!section || typeof section !== 'object') return undefined;
  const flat: Record<string, unknown> = { ...(section as Record<string, unknown>) };
  for (const [sectionName, keys] of Object.entries(NESTED_SETTING_KEYS)) {
    const nested = flat[sectionName];
    delete flat[sectionName];
    if (!nested || typeof nested !== 'object') continue;
    for (const [name, key] of Object.entries(keys)) {
      const value = (nested as Record<string, unknown>)[name];
      if (value !== undefined) flat[key] = value;
    }
  }
  return flat;
}
