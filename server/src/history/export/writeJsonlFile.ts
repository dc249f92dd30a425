import type { ExportDisposition } from '../../protocol';
import type { ExportFileResult, KeyedRow } from './exportCodec';
import { jsonlCodec, jsonLine } from './jsonlCodec';
import { writeRows } from './writeRows';

/**
 * Writes objects to a JSON Lines file, one per line, with the dispositions of `writeRows`
 * (`replace` by default; `merge` keyed by each object's `id`). Used for history exports and for the
 * fine-tuning dataset (chat JSONL, one example per line keyed by the reply's id). The rows are
 * taken one at a time, so a large source is never held in memory.
 */
export async function writeJsonlFile<T extends { id: string }>(
  rows: AsyncIterable<T>,
  out: string,
  disposition: ExportDisposition = 'replace',
  signal?: AbortSignal,
  onProgress?: (written: number) => void,
): Promise<ExportFileResult> {
  return writeRows(jsonlCodec, keyedLines(rows), { out, disposition, signal, onProgress });
}

async function* keyedLines<T extends { id: string }>(rows: AsyncIterable<T>): AsyncGenerator<KeyedRow<string>> {
  for await (const row of rows) yield { id: row.id, row: jsonLine(row) };
}
