import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

/**
 * The checks corpus: `test/fixtures/checks/<language>/` holds vulnerable, clean and broken files of
 * one language, and `expected.json` maps EVERY file of the folder to its exact findings:
 * `{ "<file>": [{ "ruleId": "…", "line": N }, …] }` (a clean file maps to `[]`), each list ordered by
 * line, then rule id. Loading fails loudly when the folder and expected.json disagree, so a file
 * cannot be added without saying what it must yield.
 */

/** What a test compares: a finding's rule and line. */
export interface FindingKey {
  ruleId: string;
  line: number;
}

export interface CorpusEntry {
  /** The file name, e.g. `deploy-hook.js`. */
  file: string;
  /** Absolute path of the file. */
  path: string;
  code: string;
  /** The file's exact findings, ordered by line, then rule id. */
  expected: FindingKey[];
}

export const CORPUS_ROOT = path.join(ROOT, 'test', 'fixtures', 'checks');

/** Every file of the language's folder with its expected findings, by file name. */
export function loadCorpus(language: string): CorpusEntry[] {
  const folder = path.join(CORPUS_ROOT, language);
  const expectedFile = path.join(folder, 'expected.json');
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as unknown;
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) throw new Error(`${expectedFile}: expected an object of file names`);
  const listed = new Map(Object.entries(expected));
  const files = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'expected.json')
    .map((entry) => entry.name)
    .sort();
  const unlisted = files.filter((file) => !listed.has(file));
  const missing = [...listed.keys()].filter((file) => !files.includes(file));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new Error(`${expectedFile} does not match its folder: not listed ${JSON.stringify(unlisted)}, no such file ${JSON.stringify(missing)}`);
  }
  return files.map((file) => {
    const keys = keysOf(listed.get(file), `${expectedFile} › ${file}`);
    const filePath = path.join(folder, file);
    return { file, path: filePath, code: readFileSync(filePath, 'utf8'), expected: keys };
  });
}

/** The rule and line of each finding, ordered by line, then rule id (as expected.json lists them). */
export function findingKeys(findings: ReadonlyArray<{ ruleId: string; line: number }>): FindingKey[] {
  return findings.map(({ ruleId, line }) => ({ ruleId, line })).sort(compareKeys);
}

function compareKeys(a: FindingKey, b: FindingKey): number {
  return a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

function keysOf(value: unknown, where: string): FindingKey[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list of findings`);
  const keys = value.map((item: unknown, index) => {
    const { ruleId, line } = (item ?? {}) as Partial<Record<string, unknown>>;
    if (typeof ruleId !== 'string' || ruleId === '' || typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
      throw new Error(`${where}[${index}]: expected { "ruleId": string, "line": positive integer }`);
    }
    return { ruleId, line };
  });
  const sorted = [...keys].sort(compareKeys);
  if (JSON.stringify(sorted) !== JSON.stringify(keys)) throw new Error(`${where}: list the findings by line, then rule id`);
  return keys;
}
