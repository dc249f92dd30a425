import { createReadStream } from 'node:fs';
import { existingFileError } from './exportErrors';

/**
 * The text of an existing export file, decoded strictly as UTF-8 in chunks (a byte sequence that
 * is not UTF-8 is an error, not a silent U+FFFD), a leading byte order mark dropped. `where` names
 * the position reached so far for the error (`line 12`), since the decoder does not know lines.
 */
export async function* readTextChunks(file: string, where: () => string, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch (error) {
      throw existingFileError(file, `near ${where()}`, 'is not valid UTF-8 text', error);
    }
  };
  try {
    for await (const chunk of stream) {
      const text = decode(chunk as Buffer);
      if (text !== '') yield text;
    }
    const rest = decode();
    if (rest !== '') yield rest;
  } finally {
    stream.destroy();
  }
}

/** One line of a text file: its 1-based number and its text without the line break (`\n` or `\r\n`). */
export interface TextLine {
  line: number;
  text: string;
}

/** The lines of a text file, in order; the last one may lack a line break. */
export async function* readTextLines(file: string, signal?: AbortSignal): AsyncGenerator<TextLine> {
  let line = 1;
  let partial = '';
  for await (const chunk of readTextChunks(file, () => `line ${line}`, signal)) {
    let start = 0;
    // Only the new text can hold the next line break: searching the carried part again would make
    // a long line quadratic.
    const searchFrom = partial.length;
    partial += chunk;
    for (let end = partial.indexOf('\n', searchFrom); end !== -1; end = partial.indexOf('\n', start)) {
      const text = partial.slice(start, end);
      yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
      line++;
      start = end + 1;
    }
    partial = partial.slice(start);
  }
  if (partial !== '') yield { line, text: partial.endsWith('\r') ? partial.slice(0, -1) : partial };
}
