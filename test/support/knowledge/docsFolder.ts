import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Synonym groups the ConceptEmbedder maps to shared axes (one "meaning" per group). */
export const TEST_CONCEPTS: readonly (readonly string[])[] = [
  ['install', 'installation', 'setup', 'installing'],
  ['crash', 'crashes', 'panic', 'segfault', 'abort', 'aborts'],
  ['tab', 'tabs', 'indentation', 'indent', 'whitespace'],
  ['config', 'configuration', 'settings', 'options', 'configure'],
  ['proxy', 'firewall', 'network', 'offline'],
  ['memory', 'ram', 'oom', 'leak'],
  ['windows', 'win32'],
  ['linux', 'debian', 'ubuntu'],
];

/** A docs folder with a few realistic pages, in a fresh temp directory. */
export async function makeDocsFolder(files: Record<string, string | Buffer> = DEFAULT_DOCS): Promise<{ root: string; write(rel: string, text: string | Buffer): Promise<void>; cleanup(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'threadwise-docs-'));
  const write = async (rel: string, text: string | Buffer): Promise<void> => {
    const file = path.join(root, ...rel.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };
  for (const [rel, text] of Object.entries(files)) await write(rel, text);
  return { root, write, cleanup: () => rm(root, { recursive: true, force: true }) };
}

const paragraph = (topic: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `Sentence ${i + 1} about ${topic} explains one more detail of how the widget behaves here.`).join(' ');

export const DEFAULT_DOCS: Record<string, string> = {
  'README.md': `# Widgets\n\nWidgets parses widget files.\n\n## Installation\n\nRun \`npm install widgets\`. ${paragraph('installation', 8)}\n\n## Usage\n\n${paragraph('usage', 10)}\n`,
  'docs/install.md': `---\ntitle: Install\n---\n# Install\n\n## Linux\n\nOn Debian run \`apt install widgets\`. ${paragraph('linux setup', 12)}\n\n## Windows\n\nUse the win32 installer. ${paragraph('windows setup', 12)}\n`,
  'docs/troubleshooting.md': `# Troubleshooting\n\n## Parser crashes on tabs\n\nThe parser aborts when a file uses tab indentation. Set \`PARSER_TABS=1\` to accept tabs. ${paragraph('tabs', 6)}\n\n## Out of memory\n\nLarge files can exhaust RAM. ${paragraph('memory', 6)}\n\n\`\`\`sh\nwidgets --max-heap 4096 big.widget\n\`\`\`\n`,
  'docs/config.rst': `Configuration\n=============\n\nOptions live in \`widgets.toml\`.\n\nProxy\n-----\n\nBehind a firewall set \`proxy = "http://proxy:3128"\`. ${paragraph('proxy', 6)}\n`,
  'vendor/lib/README.md': '# Vendored\n\nThis must never be indexed.\n',
};
