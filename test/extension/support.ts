import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ThreadwiseApi } from '../../client/src/extension';
import type { Thread } from '../../server/src/protocol';
import { waitFor as pollFor } from '../support/waitFor';

export const EXTENSION_ID = 'threadwise.threadwise';

export function extension(): vscode.Extension<ThreadwiseApi> {
  const ext = vscode.extensions.getExtension<ThreadwiseApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** The tiny test models (`npm run test:models`) inside the extension under test. */
export function testModel(name: 'tiny-llama.gguf' | 'tiny-llama-endless.gguf' | 'tiny-guard' | 'tiny-embed'): string {
  const file = path.join(extension().extensionPath, 'test', '.models', name);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run test:models\` first`);
  return file;
}

/** The settings both suites start from: the tiny models, no downloads, one thread, short replies. */
export function tinyModelSettings(): Record<string, unknown> {
  return {
    model: testModel('tiny-llama.gguf'),
    guardrailModel: testModel('tiny-guard'),
    embeddingModel: testModel('tiny-embed'),
    allowDownloads: false,
    threads: 1,
    maxReplyTokens: 64,
  };
}

/** Sets user (global) settings and waits until the change is visible. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('threadwise');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

const fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-ext-tests-'));

/** Writes a thread file for the tests and returns its Uri. */
export function threadFile(name: string, content: Thread | string): vscode.Uri {
  const file = path.join(fixtureDir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return vscode.Uri.file(file);
}

export function aThread(number: number, overrides: Partial<Thread> = {}): Thread {
  return {
    repo: 'octo/widgets',
    number,
    kind: 'issue',
    title: `Parser crashes on empty input (${number})`,
    body: 'Calling `parse("")` throws `TypeError: cannot read properties of undefined`. Expected an empty document.',
    author: { login: 'alice', association: 'NONE' },
    createdAt: '2026-01-01T00:00:00Z',
    comments: [
      { author: { login: 'maint', association: 'MEMBER' }, body: 'Which version are you on?', createdAt: '2026-01-01T01:00:00Z' },
      { author: { login: 'alice', association: 'NONE' }, body: 'Version 3.2.1 on Node 20.', createdAt: '2026-01-01T02:00:00Z' },
    ],
    ...overrides,
  };
}

/** The shared polling helper (never a fixed sleep), with a longer default for a real extension host. */
export function waitFor<T>(condition: () => T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  return pollFor(condition, what, timeoutMs);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
