import type { ExistingRow, ExportCodec, RowSink } from './exportCodec';
import { existingFileError } from './exportErrors';
import { readTextLines } from './fileInput';
import { FileOutput } from './fileOutput';

/**
 * JSON Lines: one JSON object per line, `\n` after each, UTF-8 without a byte order mark. A row is
 * the line's text. Rows read back from a file are kept as written (byte for byte), so append and
 * merge never reformat lines they do not replace; blank lines are dropped, `\r\n` becomes `\n`.
 */
export const jsonlCodec: ExportCodec<string> = {
  readExisting: readJsonlRows,
  async openSink(file: string): Promise<RowSink<string>> {
    const output = await FileOutput.create(file);
    return {
      write: (row) => output.writeText(`${row}\n`),
      finish: () => output.finish(),
      abort: () => output.abort(),
    };
  },
};

/**
 * The text of one JSONL line for `value`. U+2028 and U+2029 are escaped: JSON allows them raw in
 * strings, but some line readers (Python's `str.splitlines`, JavaScript before ES2019) take them
 * for line breaks.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

async function* readJsonlRows(file: string, signal?: AbortSignal): AsyncGenerator<ExistingRow<string>> {
  for await (const { line, text } of readTextLines(file, signal)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw existingFileError(file, `line ${line}`, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`, error);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw existingFileError(file, `line ${line}`, 'is not a JSON object; a JSONL export has one object per line');
    }
    const id = (value as { id?: unknown }).id;
    yield { id: typeof id === 'string' ? id : null, row: text, where: `line ${line}` };
  }
}
