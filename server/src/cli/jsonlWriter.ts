import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { maskSecrets } from '../checks/secrets';
import type { Suggestion } from '../protocol';

export type WriteMode = 'append' | 'replace';

/** File names inside `--out`, as the GitHub-bot article's writer used them. */
export const RESPONSES_FILE = 'responses.jsonl';
export const CHATS_FILE = 'chats.jsonl';

/**
 * One line of responses.jsonl: the reply with its verdict, checks and figures. Written files are a
 * record that outlives the run, so secrets in any text (the reply's, or a token a stranger pasted
 * into the thread) are masked in them.
 */
export function responseRecord(suggestion: Suggestion): Record<string, unknown> {
  return {
    id: suggestion.id,
    thread: suggestion.threadRef,
    createdAt: suggestion.createdAt,
    response: maskSecrets(suggestion.text),
    cancelled: suggestion.cancelled,
    stopReason: suggestion.stopReason,
    safety: suggestion.safety,
    model: suggestion.model.name,
    modelFile: suggestion.model.file,
    tokens: suggestion.tokens,
    timings: suggestion.timings,
    elision: suggestion.elision,
    checks: {
      passed: suggestion.checks.passed,
      failures: suggestion.checks.failures,
      strict: suggestion.checks.strict,
      repairCycles: Math.max(0, suggestion.checkCycles.length - 1),
      failuresByCycle: suggestion.checkCycles.map((cycle) => cycle.report.failures),
      flaggedThread: suggestion.screening.flagged,
    },
  };
}

/** One line of chats.jsonl: the full chat, the reply as the last assistant message (secrets masked). */
export function chatRecord(suggestion: Suggestion): Record<string, unknown> {
  return {
    id: suggestion.id,
    thread: suggestion.threadRef,
    createdAt: suggestion.createdAt,
    messages: [...suggestion.chat.map((turn) => ({ role: turn.role, content: maskSecrets(turn.text) })), { role: 'assistant', content: maskSecrets(suggestion.text) }],
    safety: { label: suggestion.safety.label, score: suggestion.safety.score, unsafe: suggestion.safety.unsafe },
  };
}

/** Writes the suggestion into `<dir>/responses.jsonl` and `<dir>/chats.jsonl`; returns the two paths. */
export async function writeSuggestionJsonl(dir: string, suggestion: Suggestion, mode: WriteMode): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, Record<string, unknown>]> = [
    [path.join(dir, RESPONSES_FILE), responseRecord(suggestion)],
    [path.join(dir, CHATS_FILE), chatRecord(suggestion)],
  ];
  for (const [file, record] of files) await writeJsonLine(file, JSON.stringify(record), mode);
  return files.map(([file]) => file);
}

/**
 * replace: the file becomes this one line, written to a temp file and renamed so a crash leaves
 * the old file or the new one. append: the line is added in one write; a line left unfinished by
 * an earlier crash is closed first so every complete line stays valid JSON.
 */
async function writeJsonLine(file: string, line: string, mode: WriteMode): Promise<void> {
  if (mode === 'replace') {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${line}\n`);
    await rename(temp, file);
    return;
  }
  const needsNewline = await endsWithoutNewline(file);
  const handle = await open(file, 'a');
  try {
    await handle.write(`${needsNewline ? '\n' : ''}${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function endsWithoutNewline(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size === 0) return false;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] !== 0x0a;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** Reads a JSONL file back (used by tests and tools). */
export async function readJsonl(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}
