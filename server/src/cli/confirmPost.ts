import { createInterface } from 'node:readline';

/** Reads one line from the person at the terminal; null when input ended (Ctrl+D) first. */
export type LineReader = (prompt: string) => Promise<string | null>;

export interface PostConfirmation {
  /** `owner/repo#N`. */
  threadRef: string;
  body: string;
  /** `--yes`: the person confirmed on the command line. */
  assumeYes: boolean;
  /** Whether standard input is a terminal a person can answer on. */
  interactive: boolean;
  /** Lines of warning shown above the question (unsafe guardrail label, cancelled draft). */
  warnings: string[];
}

export type ConfirmOutcome = { post: true } | { post: false; why: string };

/**
 * `threadwise suggest … --post`: shows the exact text that would be posted and asks. Nothing is
 * posted unless the person types "y"/"yes", or passed `--yes`. Without a terminal and without
 * `--yes` it refuses, so a script can never post by accident.
 */
export async function confirmPost(request: PostConfirmation, write: (text: string) => void, readLine: LineReader): Promise<ConfirmOutcome> {
  if (request.body.trim() === '') return { post: false, why: 'the draft is empty' };
  if (request.assumeYes) return { post: true };
  if (!request.interactive) return { post: false, why: 'standard input is not a terminal; pass --yes to post without the question' };
  const rule = '-'.repeat(60);
  write(`\n${rule}\nThis comment will be posted to ${request.threadRef}:\n${rule}\n${request.body}\n${rule}\n`);
  for (const warning of request.warnings) write(`warning: ${warning}\n`);
  const answer = await readLine(`Post it to ${request.threadRef}? [y/N] `);
  if (answer === null) return { post: false, why: 'no answer' };
  return /^(y|yes)$/i.test(answer.trim()) ? { post: true } : { post: false, why: 'not confirmed' };
}

/** A LineReader on the process's terminal (the question goes to standard error, like progress). */
export function terminalLineReader(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): LineReader {
  return (prompt) =>
    new Promise((resolve) => {
      const rl = createInterface({ input, output, terminal: true });
      let answered = false;
      rl.question(prompt, (answer) => {
        answered = true;
        rl.close();
        resolve(answer);
      });
      rl.once('close', () => {
        if (!answered) resolve(null);
      });
    });
}
