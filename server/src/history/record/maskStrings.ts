import { maskSecret, maskSecrets } from '../../checks/secrets';

/**
 * A deep copy of a JSON value with every string's secrets masked: the detectors of
 * `checks/secrets.ts` (tokens, keys, private keys, passwords in URLs, high-entropy strings) and,
 * belt and braces, any of `knownSecrets` (the GitHub token the daemon holds) wherever it appears.
 * Object keys are kept as they are: they are the record's own field names.
 */
export function maskStrings<T>(value: T, knownSecrets: readonly string[] = []): T {
  const known = knownSecrets.filter((secret) => secret.length >= 8);
  const maskText = (text: string): string => {
    let masked = maskSecrets(text);
    for (const secret of known) if (masked.includes(secret)) masked = masked.split(secret).join(maskSecret(secret));
    return masked;
  };
  return walk(value, maskText) as T;
}

function walk(value: unknown, maskText: (text: string) => string): unknown {
  if (typeof value === 'string') return value.length < 8 ? value : maskText(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, maskText));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = walk(item, maskText);
    return copy;
  }
  return value;
}
