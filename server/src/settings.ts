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
    else ignored.push(`threadwise.${key}`);
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
  return { settings, ignored };
}

/** Settings whose change needs the chat model reloaded. */
export function chatModelChanged(before: DaemonSettings, after: DaemonSettings): boolean {
  return before.model !== after.model || before.gpu !== after.gpu || before.threads !== after.threads || before.contextSize !== after.contextSize;
}

/** Settings whose change needs the guardrail reloaded. */
export function guardrailChanged(before: DaemonSettings, after: DaemonSettings): boolean {
  return before.guardrailModel !== after.guardrailModel;
}
