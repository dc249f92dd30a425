import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import { ParquetWriter } from 'hyparquet-writer';
import type { ExistingRow, ExportCodec, RowSink } from './exportCodec';
import { existingFileError, messageOf, recordValueError } from './exportErrors';
import { exportColumns } from './exportRow';
import type { ExportColumn, ExportRow, ExportValue } from './exportRow';
import { FileOutput } from './fileOutput';
import { ParquetOutput } from './parquetOutput';

/** A row group ends at this many rows, or at `GROUP_TEXT_UNITS` of text, whichever comes first. */
const GROUP_ROWS = 5000;
/** Bounds memory for rows with long texts (replies, prompts): ~32 MiB of UTF-16 per group. */
const GROUP_TEXT_UNITS = 16 * 1024 * 1024;

type ParquetValue = string | bigint | number | boolean | null;

/** The Parquet schema of an export: flat, one leaf per column, nullable columns OPTIONAL. */
export const parquetSchema: SchemaElement[] = [
  { name: 'root', num_children: exportColumns.length },
  ...exportColumns.map((column) => schemaElement(column)),
];

function schemaElement({ name, type, nullable }: ExportColumn): SchemaElement {
  const repetition_type = nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (type) {
    case 'string':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'int':
      return { name, repetition_type, type: 'INT64' };
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' };
    case 'bool':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'timestamp':
      return { name, repetition_type, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
  }
}

/** A row as Parquet takes it: the values in `exportColumns` order. */
export function parquetRow(row: ExportRow): ExportValue[] {
  return exportColumns.map(({ name }) => row[name]);
}

/**
 * Parquet, written with hyparquet-writer in row groups (SNAPPY pages, statistics on), so memory
 * holds one group, not the file. Parquet cannot grow in place: append and merge read the existing
 * rows back with hyparquet and write them again, group by group, into the new file.
 */
export const parquetCodec: ExportCodec<ExportValue[]> = {
  readExisting: readParquetRows,
  async openSink(file: string): Promise<RowSink<ExportValue[]>> {
    const output = await FileOutput.create(file);
    const bytes = new ParquetOutput(output);
    const writer = new ParquetWriter({ writer: bytes, schema: parquetSchema, createdBy: 'threadwise history export (hyparquet-writer)' });
    let columns: ParquetValue[][] = exportColumns.map(() => []);
    let rows = 0;
    let textUnits = 0;
    const flushGroup = async (): Promise<void> => {
      if (rows === 0) return;
      const columnData = exportColumns.map(({ name }, i) => ({ name, data: columns[i]! }));
      columns = exportColumns.map(() => []);
      const size = rows;
      rows = 0;
      textUnits = 0;
      await writer.write({ columnData, rowGroupSize: size });
    };
    return {
      async write(row) {
        const id = typeof row[0] === 'string' ? row[0] : '(no id)';
        exportColumns.forEach((column, i) => {
          const value = toParquetValue(id, column, row[i] ?? null);
          if (typeof value === 'string') textUnits += value.length;
          columns[i]!.push(value);
        });
        rows++;
        if (rows >= GROUP_ROWS || textUnits >= GROUP_TEXT_UNITS) await flushGroup();
      },
      async finish() {
        await flushGroup();
        await writer.finish();
        await bytes.flush();
        await output.finish();
      },
      abort: () => output.abort(),
    };
  },
};

/** A value as its Parquet column holds it; throws naming the record when it does not fit. */
function toParquetValue(id: string, { name, type, nullable }: ExportColumn, value: ExportValue): ParquetValue {
  if (value === null) {
    if (nullable) return null;
    throw recordValueError(id, name, 'is empty but cannot be');
  }
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      break;
    case 'double':
      if (typeof value === 'number') return value;
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp': {
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (!Number.isNaN(ms)) return BigInt(ms);
      break;
    }
  }
  throw recordValueError(id, name, `holds ${JSON.stringify(value)}, which is not a ${type}`);
}

async function* readParquetRows(file: string, signal?: AbortSignal): AsyncGenerator<ExistingRow<ExportValue[]>> {
  let buffer: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw existingFileError(file, null, `is not a Parquet file (${messageOf(error)})`, error);
  }
  checkSchema(file, metadata.schema);
  let rowStart = 0;
  for (const [group, { num_rows }] of metadata.row_groups.entries()) {
    signal?.throwIfAborted();
    const rowEnd = rowStart + Number(num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({ file: buffer, metadata, rowStart, rowEnd, parsers: { timestampFromMilliseconds: isoTimestamp }, onComplete: (read: unknown[][]) => (rows = read) });
    } catch (error) {
      throw existingFileError(file, `rows ${rowStart + 1}–${rowEnd} (row group ${group + 1})`, `cannot be read (${messageOf(error)})`, error);
    }
    for (const [k, values] of rows.entries()) {
      const where = `row ${rowStart + k + 1}`;
      const row = exportColumns.map((column, i) => fromParquetValue(file, where, column, values[i]));
      yield { id: typeof row[0] === 'string' && row[0] !== '' ? row[0] : null, row, where };
    }
    rowStart = rowEnd;
  }
}

function isoTimestamp(ms: bigint): string {
  return new Date(Number(ms)).toISOString();
}

function fromParquetValue(file: string, where: string, { name, type, nullable }: ExportColumn, value: unknown): ExportValue {
  if (value === null || value === undefined) {
    if (nullable) return null;
  } else if (type === 'int' && typeof value === 'bigint') {
    if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  } else if ((type === 'string' || type === 'timestamp') && typeof value === 'string') {
    return value;
  } else if ((type === 'double' && typeof value === 'number') || (type === 'bool' && typeof value === 'boolean')) {
    return value;
  }
  throw existingFileError(file, where, `column ${name} holds a value that is not a ${nullable ? 'nullable ' : ''}${type}`);
}

/** The file must have exactly the export's columns, in order, with the same types and nullability. */
function checkSchema(file: string, schema: readonly SchemaElement[]): void {
  const leaves = schema.slice(1);
  const at = parquetSchema.slice(1).findIndex((expected, i) => {
    const found = leaves[i];
    return found?.name !== expected.name || found.type !== expected.type || found.repetition_type !== expected.repetition_type || found.num_children !== undefined;
  });
  if (at === -1 && leaves.length === exportColumns.length) return;
  const detail =
    at === -1
      ? `it has ${leaves.length} columns where this export has ${exportColumns.length}`
      : `column ${at + 1} is ${describe(leaves[at])} where this export has ${describe(parquetSchema[at + 1])}`;
  throw existingFileError(file, null, `is not a Threadwise history export (${detail})`);
}

function describe(element: SchemaElement | undefined): string {
  if (element === undefined) return 'missing';
  return `${element.name} ${element.type ?? 'group'} ${element.repetition_type ?? ''}`.trim();
}
