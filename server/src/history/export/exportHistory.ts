import type { ExportDisposition, ExportFormat, HistoryRecord } from '../../protocol';
import { csvCells, csvCodec } from './csvCodec';
import type { ExportCodec, ExportFileResult, KeyedRow } from './exportCodec';
import { toExportRow } from './exportRow';
import { jsonlCodec, jsonLine } from './jsonlCodec';
import { parquetCodec, parquetRow } from './parquetCodec';
import { writeRows } from './writeRows';

export interface ExportHistoryOptions {
  format: ExportFormat;
  /** The file to write (its folder must exist). */
  out: string;
  /** Default `replace`. `merge` is keyed by the suggestion id. */
  disposition?: ExportDisposition;
  /** Aborting stops between records: nothing is left behind and `out` stays as it was. */
  signal?: AbortSignal;
  /** Records taken so far: every 1,000 and once at the end. */
  onProgress?: (written: number) => void;
}

/**
 * Writes history records to a file (see `writeRows` for the dispositions, the temp file and the
 * errors). JSONL: each line is a whole HistoryRecord as JSON, lossless. CSV and Parquet: each row
 * is `toExportRow(record)`, the flat columns of `exportColumns`. Records are taken from `records`
 * one at a time and never all held: pass the store's cursor, not an array of 100k records.
 * Resolves with the records taken, the rows in the file now and its size.
 */
export async function exportHistory(records: AsyncIterable<HistoryRecord>, options: ExportHistoryOptions): Promise<ExportFileResult> {
  const { format, out, disposition = 'replace', signal, onProgress } = options;
  const write = <Row>(codec: ExportCodec<Row>, toRow: (record: HistoryRecord) => Row): Promise<ExportFileResult> =>
    writeRows(codec, keyed(records, toRow), { out, disposition, signal, onProgress });
  switch (format) {
    case 'jsonl':
      return write(jsonlCodec, (record) => jsonLine(record));
    case 'csv':
      return write(csvCodec, (record) => csvCells(toExportRow(record)));
    case 'parquet':
      return write(parquetCodec, (record) => parquetRow(toExportRow(record)));
  }
}

async function* keyed<Row>(records: AsyncIterable<HistoryRecord>, toRow: (record: HistoryRecord) => Row): AsyncGenerator<KeyedRow<Row>> {
  for await (const record of records) yield { id: record.id, row: toRow(record) };
}
