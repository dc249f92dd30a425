/**
 * CSV text per RFC 4180: fields separated by commas, records by CRLF, a field quoted (with its
 * quotes doubled) when it holds a comma, a quote, CR or LF. The parser reads any file of that form
 * in chunks (LF or lone CR line breaks too) and rejects what RFC 4180 does not allow, naming the
 * line, so a file that is not CSV is never rewritten as if it were.
 */

/** One field as written to the file: quoted only when it must be. */
export function csvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** One record with its line break. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

export interface CsvRow {
  /** 1-based line the record starts on (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/** Thrown by the parser; the caller names the file. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/** An incremental RFC 4180 parser: `push` each chunk of text, then `end`. Blank lines are skipped. */
export class CsvParser {
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  /** The record has begun (a blank line has not). */
  private started = false;
  /** The previous chunk ended in CR: an LF starting this one belongs to it. */
  private afterCr = false;

  *push(chunk: string): Generator<CsvRow> {
    let i = 0;
    if (this.afterCr && chunk.startsWith('\n')) i = 1;
    this.afterCr = false;
    while (i < chunk.length) {
      if (this.state === 'quoted') {
        const quote = chunk.indexOf('"', i);
        const end = quote === -1 ? chunk.length : quote;
        const text = chunk.slice(i, end);
        this.field += text;
        this.line += countLineFeeds(text);
        if (quote !== -1) this.state = 'quoteInQuoted';
        i = end + (quote === -1 ? 0 : 1);
        continue;
      }
      const c = chunk[i]!;
      if (this.state === 'quoteInQuoted') {
        if (c === '"') {
          this.field += '"';
          this.state = 'quoted';
          i++;
          continue;
        }
        if (c !== ',' && c !== '\r' && c !== '\n') throw new CsvSyntaxError(this.line, `unexpected ${JSON.stringify(c)} after the closing quote of a field`);
      } else if (this.state === 'fieldStart' && c === '"') {
        this.state = 'quoted';
        this.started = true;
        i++;
        continue;
      } else if (c !== ',' && c !== '\r' && c !== '\n') {
        // An unquoted field: take the run up to the next separator at once.
        const end = nextSeparator(chunk, i);
        const text = chunk.slice(i, end);
        if (text.includes('"')) throw new CsvSyntaxError(this.line, 'a quote inside a field that does not start with one (such fields must be quoted whole)');
        this.field += text;
        this.state = 'unquoted';
        this.started = true;
        i = end;
        continue;
      }
      // A separator: the end of a field, and on a line break the end of the record.
      i++;
      if (c === ',') {
        this.endField();
        this.started = true;
        continue;
      }
      if (c === '\r') {
        if (i < chunk.length && chunk[i] === '\n') i++;
        else if (i === chunk.length) this.afterCr = true;
      }
      const row = this.endRecord();
      this.line++;
      this.recordLine = this.line;
      if (row !== null) yield row;
    }
  }

  /** The last record, when the text does not end with a line break. */
  *end(): Generator<CsvRow> {
    if (this.state === 'quoted') throw new CsvSyntaxError(this.recordLine, 'a quoted field is never closed (the file ends inside it)');
    const row = this.endRecord();
    if (row !== null) yield row;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'fieldStart';
  }

  private endRecord(): CsvRow | null {
    if (!this.started) return null;
    this.endField();
    const row = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.started = false;
    return row;
  }
}

function nextSeparator(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x0d || c === 0x0a) return i;
  }
  return text.length;
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
