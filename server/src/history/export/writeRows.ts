import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportDisposition } from '../../protocol';
import type { ExistingRow, ExportCodec, ExportFileResult, KeyedRow, RowSink } from './exportCodec';
import { existingFileError, messageOf, outPathError } from './exportErrors';
import { SpillFile } from './spillFile';

export interface WriteRowsOptions {
  /** The file to write; relative paths are taken from the current directory. */
  out: string;
  disposition: ExportDisposition;
  /** Aborting stops between rows: the temp file is deleted and `out` stays as it was. */
  signal?: AbortSignal;
  /** Rows taken from the source so far: every 1,000 and once at the end. */
  onProgress?: (written: number) => void;
}

const PROGRESS_EVERY = 1000;

/**
 * Writes `rows` to `out` in one format, by disposition:
 * - `replace`: the file holds exactly the rows of this run;
 * - `append`: the rows already in the file, then this run's (duplicate ids and all);
 * - `merge` (keyed by id): the rows already in the file in their order, a row whose id comes again
 *   replaced in place by the new one (later copies of that id in the file dropped), then the new
 *   ids in the order they came. Merging the same rows twice gives the same bytes.
 *
 * The file is always written whole to a temp file in the same folder, synced and renamed over
 * `out`, so readers and crashes see the old file or the new one, never half of one; any failure or
 * abort deletes the temp file and leaves `out` untouched. A missing or empty `out` is written as
 * for `replace`; one that is not valid for the format fails append and merge with an error naming
 * the file and the line or row. Formats that cannot grow in place (Parquet) are rewritten the
 * same way, so append costs reading the old rows.
 */
export async function writeRows<Row>(codec: ExportCodec<Row>, rows: AsyncIterable<KeyedRow<Row>>, options: WriteRowsOptions): Promise<ExportFileResult> {
  const out = path.resolve(options.out);
  const { signal, disposition } = options;
  signal?.throwIfAborted();
  const hasRows = (await checkOutPath(out)) && disposition !== 'replace';
  const temp = `${out}.${process.pid}.${randomBytes(4).toString('hex')}`;
  let sink: RowSink<Row> | undefined;
  let spill: SpillFile | undefined;
  let existing: AsyncIterator<ExistingRow<Row>> | undefined;
  let exported = 0;
  let written = 0;
  const write = async (row: Row): Promise<void> => {
    await sink!.write(row);
    written++;
  };
  const taken = (): void => {
    exported++;
    if (exported % PROGRESS_EVERY === 0) options.onProgress?.(exported);
  };
  try {
    // The existing file's first row is read before anything else, so a file that is not an export
    // of this format fails at once rather than after every new row has been taken.
    let first: IteratorResult<ExistingRow<Row>> = { done: true, value: undefined };
    if (hasRows) {
      existing = codec.readExisting(out, signal)[Symbol.asyncIterator]();
      first = await existing.next();
    }
    sink = await codec.openSink(`${temp}.tmp`);
    if (disposition === 'merge') {
      spill = await SpillFile.create(`${temp}.merge.tmp`);
      for await (const { id, row } of rows) {
        signal?.throwIfAborted();
        await spill.put(id, JSON.stringify(row));
        taken();
      }
      for (let next = first; next.done !== true; next = await existing!.next()) {
        signal?.throwIfAborted();
        const { id, row, where } = next.value;
        if (id === null) throw existingFileError(out, where, 'has no id, so the file cannot be merged by id');
        const fresh = await spill.take(id);
        if (fresh.kind === 'none') await write(row);
        else if (fresh.kind === 'row') await write(JSON.parse(fresh.text) as Row);
      }
      for await (const text of spill.rest()) await write(JSON.parse(text) as Row);
    } else {
      for (let next = first; next.done !== true; next = await existing!.next()) {
        signal?.throwIfAborted();
        await write(next.value.row);
      }
      for await (const { row } of rows) {
        signal?.throwIfAborted();
        await write(row);
        taken();
      }
    }
    signal?.throwIfAborted();
    await sink.finish();
    await rename(`${temp}.tmp`, out);
  } catch (error) {
    // Closes the file if finishing did not (abort after a finish is a no-op).
    await sink?.abort();
    await rm(`${temp}.tmp`, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await existing?.return?.().catch(() => undefined);
    await spill?.dispose();
  }
  if (exported % PROGRESS_EVERY !== 0 || exported === 0) options.onProgress?.(exported);
  const { size } = await stat(out);
  return { exported, rows: written, bytes: size };
}

/** Checks that `out` can be written; true when it is a non-empty file (rows to keep or check). */
async function checkOutPath(out: string): Promise<boolean> {
  const folder = path.dirname(out);
  const folderStat = await stat(folder).catch((error: unknown) => {
    if (isNotFound(error)) throw outPathError(out, `the folder ${folder} does not exist`, 'create the folder first, or choose a file in a folder that exists');
    throw outPathError(out, `the folder ${folder} cannot be read (${messageOf(error)})`, 'choose a file in a folder you can write to');
  });
  if (!folderStat.isDirectory()) throw outPathError(out, `${folder} is not a folder`, 'choose a file in a folder that exists');
  const outStat = await stat(out).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw outPathError(out, `it cannot be read (${messageOf(error)})`, 'choose another file');
  });
  if (outStat === null) return false;
  if (!outStat.isFile()) throw outPathError(out, 'it is a folder or a special file, not a file', 'give the path of a file, e.g. history.jsonl');
  return outStat.size > 0;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
