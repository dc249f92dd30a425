/**
 * Independent readers for export files: what the exporter wrote is read back with other code than
 * the one that wrote it. Parquet: parquet-wasm (arrow-rs compiled to WebAssembly) into an Apache
 * Arrow table, not hyparquet. CSV: csv-parse. JSONL: JSON.parse line by line.
 */
import { readFile } from 'node:fs/promises';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { ParquetFile, readParquet } from 'parquet-wasm/node';

export type ReadValue = string | number | boolean | null;

/**
 * The rows of a Parquet file as plain objects, in file order: Int64 as a number (exact below
 * 2^53), timestamps as ISO-8601 text, strings, doubles and booleans as they are, nulls as null.
 */
export async function readParquetRows(file: string): Promise<Record<string, ReadValue>[]> {
  const table = tableFromIPC(readParquet(await readFile(file)).intoIPCStream());
  const timestampColumns = new Set(table.schema.fields.filter((field) => String(field.type).startsWith('Timestamp')).map((field) => field.name));
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => {
    const plain: Record<string, ReadValue> = {};
    for (const [name, value] of Object.entries(row.toJSON())) plain[name] = plainValue(value, timestampColumns.has(name));
    return plain;
  });
}

function plainValue(value: unknown, timestamp: boolean): ReadValue {
  if (value === null || value === undefined) return null;
  if (timestamp) return new Date(Number(value)).toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`unexpected Parquet value of type ${typeof value}`);
}

/** Column names and Arrow types of a Parquet file (`Utf8`, `Int64`, `Timestamp<MILLISECOND, UTC>`…). */
export async function readParquetSchema(file: string): Promise<{ name: string; type: string; nullable: boolean }[]> {
  const table = tableFromIPC(readParquet(await readFile(file)).intoIPCStream());
  return table.schema.fields.map((field) => ({ name: field.name, type: String(field.type), nullable: field.nullable }));
}

/** Rows per row group, read from the file's footer by parquet-wasm. */
export async function parquetRowGroups(file: string): Promise<number[]> {
  const parquet = await ParquetFile.fromFile(new Blob([await readFile(file)]));
  const metadata = parquet.metadata();
  return Array.from({ length: metadata.numRowGroups() }, (_, i) => metadata.rowGroup(i).numRows());
}

/** The header and records of a CSV file, each record a list of cells (strict RFC 4180 parsing). */
export async function readCsv(file: string): Promise<{ header: string[]; records: string[][] }> {
  const rows = parse(await readFile(file, 'utf8'), { relax_quotes: false, relax_column_count: false, bom: false });
  const [header, ...records] = rows;
  return { header: header ?? [], records };
}

/** The objects of a JSONL file, one per line. */
export async function readJsonlObjects(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
}
