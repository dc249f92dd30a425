import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckedLanguage, CodeFinding, ExternalToolRun } from '../../protocol';
import { type FindingsByBlock, blockFileName, parseBanditReport, parseSemgrepReport } from './externalToolOutput';

/**
 * Optional external scanners: Bandit (Python) and Semgrep, run when a setting asks for them and
 * they are on PATH. Their findings come back per block, beside the built-in checkers' (the caller
 * merges them into the block reports).
 *
 * - Executables are looked up on PATH by this module (no shell) and run with `execFile`, each with
 *   a time limit (killed with SIGKILL when it passes) and the caller's AbortSignal.
 * - The blocks are written to a private temp dir (`mkdtemp`, mode 0700; files 0600) named
 *   `block-<index>.<ext>`, which the tools scan and which is removed afterwards, whatever happened.
 * - Bandit gets the Python blocks. Semgrep gets every block in a language it parses, and runs only
 *   with a local rules file or folder (`semgrepConfig`): registry configs (`p/python`, `auto`, URLs)
 *   need the network, which Threadwise does not use for checks.
 * - Nothing here throws: a missing tool, a missing config, a timeout, a crash, a non-zero exit
 *   other than "findings" or unreadable output each become `{ ran: false, error }` for that tool.
 */

export type ExternalToolName = ExternalToolRun['tool'];

export interface ExternalToolsBlock {
  index: number;
  language: CheckedLanguage;
  code: string;
}

export interface ExternalToolsOptions {
  /** The tools to run, in this order in `runs`. */
  tools: ExternalToolName[];
  /** A local Semgrep rules file or folder; without one Semgrep does not run. */
  semgrepConfig?: string;
  /** Per tool. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** The environment to find and run the tools in (PATH); defaults to the daemon's. */
  env?: NodeJS.ProcessEnv;
}

export interface ExternalToolsResult {
  /** Findings by block index (blocks without findings are absent). */
  findings: Map<number, CodeFinding[]>;
  runs: ExternalToolRun[];
}

/** File extensions Semgrep recognises, per language; Bandit takes only `python`. */
const EXTENSIONS: Record<CheckedLanguage, string> = {
  python: 'py',
  javascript: 'js',
  jsx: 'jsx',
  typescript: 'ts',
  tsx: 'tsx',
  json: 'json',
  yaml: 'yaml',
  shell: 'sh',
};

/** Output larger than this is not a report we want to read. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** The executable's absolute path on PATH (PATHEXT on Windows), or null. Never runs a shell. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (name === '' || name.includes('/') || name.includes('\\')) return null;
  const directories = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((dir) => dir !== '' && path.isAbsolute(dir));
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').map((ext) => ext.toLowerCase())] : [''];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = path.join(directory, name + extension);
      try {
        const stat = await fs.stat(candidate);
        if (!stat.isFile()) continue;
        await fs.access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export async function runExternalTools(blocks: ExternalToolsBlock[], options: ExternalToolsOptions): Promise<ExternalToolsResult> {
  const findings: FindingsByBlock = new Map();
  const tools = [...new Set(options.tools)];
  if (tools.length === 0) return { findings, runs: [] };
  let directory: string | undefined;
  try {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'threadwise-checks-'));
    const files = await writeBlocks(directory, blocks);
    const runs = await Promise.all(tools.map((tool) => runTool(tool, directory as string, files, options, findings)));
    return { findings, runs };
  } catch (error) {
    return { findings: new Map(), runs: tools.map((tool) => ({ tool, ran: false, error: `could not prepare the blocks for ${tool}: ${messageOf(error)}` })) };
  } finally {
    if (directory) await fs.rm(directory, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface WrittenBlock {
  language: CheckedLanguage;
  file: string;
}

async function writeBlocks(directory: string, blocks: ExternalToolsBlock[]): Promise<WrittenBlock[]> {
  const written: WrittenBlock[] = [];
  for (const block of blocks) {
    const file = path.join(directory, blockFileName(block.index, EXTENSIONS[block.language]));
    await fs.writeFile(file, block.code, { mode: 0o600 });
    written.push({ language: block.language, file });
  }
  return written;
}

async function runTool(tool: ExternalToolName, directory: string, files: WrittenBlock[], options: ExternalToolsOptions, into: FindingsByBlock): Promise<ExternalToolRun> {
  try {
    if (options.signal?.aborted) return { tool, ran: false, error: 'cancelled' };
    const targets = tool === 'bandit' ? files.filter((f) => f.language === 'python') : files;
    if (targets.length === 0) return { tool, ran: false, error: tool === 'bandit' ? 'no Python blocks to scan' : 'no code blocks to scan' };
    let config: string | undefined;
    if (tool === 'semgrep') {
      const problem = await semgrepConfigProblem(options.semgrepConfig);
      if (problem) return { tool, ran: false, error: problem };
      config = path.resolve(options.semgrepConfig as string);
    }
    const executable = await findExecutable(tool, options.env);
    if (!executable) return { tool, ran: false, error: `${tool} is not on PATH` };
    const names = targets.map((target) => path.basename(target.file));
    const args =
      tool === 'bandit'
        ? ['-f', 'json', '-q', ...names]
        : ['--config', config as string, '--json', '--quiet', '--metrics', 'off', '--disable-version-check', ...names];
    const result = await run(executable, args, directory, options);
    if (result.failure) return { tool, ran: false, error: `${tool} ${result.failure}` };
    // Both exit 1 when they found something (Bandit always, Semgrep with --error); 2 and up are failures.
    if (result.code !== 0 && result.code !== 1) {
      return { tool, ran: false, error: `${tool} exited with code ${result.code}${excerpt(result.stderr)}` };
    }
    const parsed = tool === 'bandit' ? parseBanditReport(result.stdout) : parseSemgrepReport(result.stdout);
    for (const [index, list] of parsed) into.set(index, [...(into.get(index) ?? []), ...list]);
    return { tool, ran: true };
  } catch (error) {
    return { tool, ran: false, error: messageOf(error) };
  }
}

async function semgrepConfigProblem(config: string | undefined): Promise<string | null> {
  const remote = 'Semgrep runs only with a local rules file or folder (threadwise setting semgrepConfig): registry configs need the network';
  if (config === undefined || config.trim() === '') return remote;
  if (/^(?:p|r|s)\/|^auto$|^[a-z][a-z0-9+.-]*:\/\//i.test(config.trim())) return `${remote}, and "${config}" is one`;
  try {
    await fs.stat(config);
    return null;
  } catch {
    return `the Semgrep config ${config} does not exist`;
  }
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the process did not finish on its own: timed out, cancelled, or could not start. */
  failure?: string;
}

function run(executable: string, args: string[], cwd: string, options: ExternalToolsOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      executable,
      args,
      {
        cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        signal: options.signal,
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const failed = error as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: number | string };
        if (failed.name === 'AbortError') return resolve({ code: -1, stdout, stderr, failure: 'was cancelled' });
        if (failed.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: -1, stdout, stderr, failure: `printed more than ${MAX_OUTPUT_BYTES} bytes` });
        if (failed.killed || (failed.signal !== null && failed.signal !== undefined)) {
          return resolve({ code: -1, stdout, stderr, failure: failed.killed ? `timed out after ${options.timeoutMs} ms` : `was killed by ${failed.signal}` });
        }
        if (typeof failed.code === 'number') return resolve({ code: failed.code, stdout, stderr });
        resolve({ code: -1, stdout, stderr, failure: `could not run: ${failed.message}` });
      },
    );
  });
}

function excerpt(stderr: string): string {
  const line = stderr.trim().split('\n').filter((l) => l.trim() !== '').pop();
  return line ? `: ${line.trim().slice(0, 200)}` : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
