/**
 * Realistic code of a given length per language for bench:checks: functions, classes, config
 * sections and scripts of the kind a maintainer's reply holds, repeated with varied names until the
 * block has the number of lines asked for. Clean code (no findings), so the figures measure the
 * checkers' work on ordinary code rather than on reporting.
 */
import type { CheckedLanguage } from '../../server/src/protocol';

type Unit = (i: number) => string[];

const UNITS: Record<CheckedLanguage, Unit> = {
  typescript: (i) => [
    `export interface Options${i} {`,
    `  name: string;`,
    `  retries?: number;`,
    `}`,
    ``,
    `export async function load${i}(options: Options${i}): Promise<string[]> {`,
    `  const results: string[] = [];`,
    `  for (let attempt = 0; attempt < (options.retries ?? 3); attempt++) {`,
    `    const value = await Promise.resolve(\`\${options.name}-\${attempt}\`);`,
    `    if (value.length > 0) results.push(value.trim());`,
    `  }`,
    `  return results.filter((item) => item !== '');`,
    `}`,
    ``,
  ],
  tsx: (i) => [
    `export function Item${i}({ label, count }: { label: string; count: number }) {`,
    `  const text = count > 1 ? \`\${label} (\${count})\` : label;`,
    `  return (`,
    `    <li className="item" data-index={${i}}>`,
    `      <span>{text}</span>`,
    `    </li>`,
    `  );`,
    `}`,
    ``,
  ],
  javascript: (i) => [
    `function parseRow${i}(line) {`,
    `  const [key, ...rest] = line.split('=');`,
    `  const value = rest.join('=').trim();`,
    `  if (!key) return null;`,
    `  return { key: key.trim(), value: value === '' ? undefined : value };`,
    `}`,
    ``,
    `module.exports.parseRow${i} = parseRow${i};`,
    ``,
  ],
  jsx: (i) => [
    `export function Row${i}({ item }) {`,
    `  return <tr><td>{item.name}</td><td>{item.value}</td></tr>;`,
    `}`,
    ``,
  ],
  json: (i) => [`  "entry${i}": {`, `    "name": "item-${i}",`, `    "enabled": ${i % 2 === 0},`, `    "tags": ["a", "b", "c"],`, `    "weight": ${i * 1.5}`, `  },`],
  yaml: (i) => [`job${i}:`, `  runs-on: ubuntu-latest`, `  steps:`, `    - uses: actions/checkout@v4`, `    - name: Test ${i}`, `      run: npm test -- --shard=${i}`, `      env:`, `        CI: "true"`],
  python: (i) => [
    `def summarize_${i}(rows, limit=10):`,
    `    """Return the most frequent keys in rows."""`,
    `    counts = {}`,
    `    for row in rows:`,
    `        key = row.get("key", "").strip()`,
    `        if key:`,
    `            counts[key] = counts.get(key, 0) + 1`,
    `    ordered = sorted(counts.items(), key=lambda item: item[1], reverse=True)`,
    `    return ordered[:limit]`,
    ``,
    ``,
  ],
  shell: (i) => [
    `build_${i}() {`,
    `  local out="\${OUT_DIR:-dist}/part-${i}"`,
    `  mkdir -p "$out"`,
    `  if [ -f "src/part-${i}.txt" ]; then`,
    `    cp "src/part-${i}.txt" "$out/"`,
    `  fi`,
    `  echo "built ${i}"`,
    `}`,
    ``,
  ],
};

/**
 * A block of about `lines` lines in `language`: whole units are added until it has at least that
 * many (a unit cut in the middle would be a syntax error, which skips the security pass).
 */
export function codeOfLines(language: CheckedLanguage, lines: number): string {
  const out: string[] = language === 'json' ? ['{'] : language === 'shell' ? ['#!/usr/bin/env bash', 'set -euo pipefail'] : [];
  const closing = language === 'json' ? ['  "last": true', '}'] : [];
  for (let i = 0; out.length + closing.length < lines; i++) out.push(...UNITS[language](i));
  return [...out, ...closing].join('\n');
}
