/**
 * Console sessions in shell blocks. A block is a session when at least one line starts with a `$ `
 * prompt (optionally `(venv) $ `, `user@host:~/dir$ `). In a session only prompt lines are commands:
 * the prompt is blanked out with spaces (so lines and columns stay those of the block), a command
 * continues onto the next lines after a trailing `\` (a leading `> ` PS2 prompt there is blanked too)
 * and through a here-document's body, and every other line is program output and is emptied.
 *
 * `# ` is a root prompt (`# apt-get install …`, `root@host:~# …`) but also how a comment starts, so
 * inside a session a `# ` line is taken as a command only when its text parses as shell on its own
 * (`parses`); otherwise it is a comment. A block with `# ` lines and no `$ ` prompt is a script with
 * comments: without a `$ ` prompt nothing tells a root session from a script.
 */

/** `$ `, `(venv) $ `, `user@host:~/src$ `: group 1 is the prompt (then one space). */
const DOLLAR_PROMPT = /^(\s*(?:\([\w.-]+\)\s+)?(?:[\w.-]+@[\w.-]+(?::\S*?)?)?\$)(?: |$)/;
/** `# `, `root@host:~# `. */
const HASH_PROMPT = /^(\s*(?:[\w.-]+@[\w.-]+(?::\S*?)?)?#)(?: |$)/;
/** A here-document start in a command: `<<EOF`, `<<-'EOF'`, `<< "EOF"`; group 2 is the delimiter. */
const HEREDOC_START = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/;
const PS2 = /^(\s*>)(?: |$)/;

export interface ShellSource {
  /** The text to parse: the block itself, or for a session the commands with everything else blanked. */
  text: string;
  session: boolean;
}

/** Whether the block is a console session (see above). */
export function isSession(code: string): boolean {
  return code.split('\n').some((line) => DOLLAR_PROMPT.test(line) && line.replace(DOLLAR_PROMPT, '').trim() !== '');
}

/**
 * The block as shell to parse. `parses(text)` says whether a candidate `# ` command parses cleanly
 * on its own (the checker's parser); it is called only for those lines.
 */
export function shellSource(code: string, parses: (text: string) => boolean): ShellSource {
  if (!isSession(code)) return { text: code, session: false };
  const lines = code.split('\n');
  const out = lines.map(() => '');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const dollar = DOLLAR_PROMPT.exec(line);
    const hash = dollar ? null : HASH_PROMPT.exec(line);
    const prompt = dollar ?? hash;
    if (!prompt) {
      i++;
      continue;
    }
    const unit = [blank(line, (prompt[1] ?? '').length)];
    let j = i + 1;
    let last = unit[0] ?? '';
    while (endsWithContinuation(last) && j < lines.length) {
      last = stripPs2(lines[j] ?? '');
      unit.push(last);
      j++;
    }
    const heredoc = HEREDOC_START.exec(unit.join('\n'));
    if (heredoc) {
      const delimiter = heredoc[2] ?? '';
      while (j < lines.length) {
        const body = stripPs2(lines[j] ?? '');
        unit.push(body);
        j++;
        if (body.trim() === delimiter) break;
      }
    }
    const keep = unit.join('\n').trim() !== '' && (dollar !== null || parses(unit.join('\n')));
    if (keep) unit.forEach((text, k) => (out[i + k] = text));
    i = j;
  }
  return { text: out.join('\n'), session: true };
}

function blank(line: string, length: number): string {
  return ' '.repeat(length) + line.slice(length);
}

function stripPs2(line: string): string {
  const ps2 = PS2.exec(line);
  return ps2 ? blank(line, (ps2[1] ?? '').length) : line;
}

function endsWithContinuation(line: string): boolean {
  return /\\\r?$/.test(line);
}
