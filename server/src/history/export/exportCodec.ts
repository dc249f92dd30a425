/**
 * What each export format (JSONL, CSV, Parquet) provides to `writeRows`, which owns everything the
 * formats share: the temp file and the rename, the dispositions, cancellation and the counts.
 * `Row` is the format's own shape of one row (a JSON line, CSV cells, Parquet values); it must
 * survive JSON.stringify/JSON.parse unchanged, because a merge parks new rows on disk as JSON.
 */

/** A row on its way into the file, with the id a merge matches on. */
export interface KeyedRow<Row> {
  id: string;
  row: Row;
}

/** A row read back from an existing file; `id` is null when the row has none (it cannot be merged). */
export interface ExistingRow<Row> {
  id: string | null;
  row: Row;
  /** Where the row is, for error messages: `line 12`, `row 5`. */
  where: string;
}

/** A file being written, front to back. */
export interface RowSink<Row> {
  write(row: Row): Promise<void>;
  /** Writes the end of the file (a Parquet footer), syncs it to disk and closes it. */
  finish(): Promise<void>;
  /** Closes the file unfinished (nothing when it is closed already); the caller deletes it. Never throws. */
  abort(): Promise<void>;
}

export interface ExportCodec<Row> {
  /**
   * The rows of an existing, non-empty file in file order. Checks the file as it goes (its header
   * or schema first) and throws `existingFileError` naming the file and the line or row at the
   * first thing that is not valid for the format.
   */
  readExisting(file: string, signal?: AbortSignal): AsyncIterable<ExistingRow<Row>>;
  /** Creates `file` (it does not exist yet) and writes the start of the format (a CSV header). */
  openSink(file: string): Promise<RowSink<Row>>;
}

/** What an export did. */
export interface ExportFileResult {
  /** Rows taken from the source by this run. */
  exported: number;
  /** Rows in the file now. */
  rows: number;
  /** Size of the file now. */
  bytes: number;
}
