import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ThreadwiseError } from '../../server/src/errors';
import { exportHistory } from '../../server/src/history/export/exportHistory';
import { writeJsonlFile } from '../../server/src/history/export/writeJsonlFile';
import type { ExportDisposition, ExportFormat, HistoryRecord } from '../../server/src/protocol';
import { aHistoryRecord, streamOf } from '../support/historyRecords';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'threadwise-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const records = (n: number, prefix = 'r'): HistoryRecord[] => Array.from({ length: n }, (_, i) => aHistoryRecord({ id: `${prefix}-${i}` }));

/** Rejects with a ThreadwiseError whose message is exactly `message`. */
async function rejectsWith(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ThreadwiseError, `a ThreadwiseError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.reason, 'history');
    return true;
  });
}

const FORMATS: ExportFormat[] = ['jsonl', 'csv', 'parquet'];
const DISPOSITIONS: ExportDisposition[] = ['replace', 'append', 'merge'];

describe('failures leave nothing behind and the old file as it was', () => {
  for (const format of FORMATS) {
    for (const disposition of DISPOSITIONS) {
      test(`${format} ${disposition}: a source that fails midway`, async () => {
        const out = path.join(dir, `h.${format}`);
        await exportHistory(streamOf(records(3, 'old')), { format, out });
        const before = await readFile(out);
        function* failing(): Generator<HistoryRecord> {
          yield* records(7000);
          throw new Error('the store went away');
        }
        await assert.rejects(exportHistory(streamOf(failing()), { format, out, disposition }), /the store went away/);
        assert.deepEqual(await readFile(out), before);
        assert.deepEqual(await readdir(dir), [`h.${format}`]);
      });

      test(`${format} ${disposition}: an abort midway rejects with the abort and deletes the temp file`, async () => {
        const out = path.join(dir, `h.${format}`);
        await exportHistory(streamOf(records(3, 'old')), { format, out });
        const before = await readFile(out);
        const controller = new AbortController();
        function* aborting(): Generator<HistoryRecord> {
          for (const [i, record] of records(6000).entries()) {
            if (i === 5500) controller.abort();
            yield record;
          }
        }
        await assert.rejects(exportHistory(streamOf(aborting()), { format, out, disposition, signal: controller.signal }), { name: 'AbortError' });
        assert.deepEqual(await readFile(out), before);
        assert.deepEqual(await readdir(dir), [`h.${format}`]);
      });
    }
  }

  test('an already aborted signal creates nothing', async () => {
    const out = path.join(dir, 'h.csv');
    await assert.rejects(exportHistory(streamOf(records(2)), { format: 'csv', out, signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(await readdir(dir), []);
  });

  test('a record that does not fit its Parquet column names the record and the column', async () => {
    const out = path.join(dir, 'h.parquet');
    const bad = aHistoryRecord({ id: 'bad-1', createdAt: 'yesterday-ish' });
    await rejectsWith(exportHistory(streamOf([...records(2), bad]), { format: 'parquet', out }), 'cannot export record bad-1: column created_at holds "yesterday-ish", which is not a timestamp');
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('the output path', () => {
  test('a missing folder is a clear error', async () => {
    const out = path.join(dir, 'missing', 'h.jsonl');
    await rejectsWith(exportHistory(streamOf(records(1)), { format: 'jsonl', out }), `cannot export to ${out}: the folder ${path.join(dir, 'missing')} does not exist`);
  });

  test('a folder as the output is a clear error', async () => {
    const out = path.join(dir, 'folder');
    await mkdir(out);
    await rejectsWith(writeJsonlFile(streamOf([{ id: 'x' }]), out, 'replace'), `cannot export to ${out}: it is a folder or a special file, not a file`);
  });

  test('a relative path is taken from the current directory', async () => {
    const out = path.relative(process.cwd(), path.join(dir, 'rel.jsonl'));
    const result = await writeJsonlFile(streamOf([{ id: 'x' }]), out);
    assert.deepEqual(result, { exported: 1, rows: 1, bytes: 11 });
    assert.equal(await readFile(path.join(dir, 'rel.jsonl'), 'utf8'), '{"id":"x"}\n');
  });
});

describe('an existing file that is not valid for its format is never overwritten', () => {
  /** Writes `content`, runs the export, expects `message`, and checks the file and folder are as they were. */
  async function refused(name: string, content: string | Uint8Array, format: ExportFormat, disposition: ExportDisposition, message: (file: string) => string): Promise<void> {
    const out = path.join(dir, name);
    await writeFile(out, content);
    const before = await readFile(out);
    await rejectsWith(exportHistory(streamOf(records(2)), { format, out, disposition }), message(out));
    assert.deepEqual(await readFile(out), before);
    assert.deepEqual(await readdir(dir), [name]);
  }

  for (const disposition of ['append', 'merge'] as const) {
    test(`JSONL ${disposition}: a line that is not JSON names the line`, async () => {
      await refused('h.jsonl', '{"id":"a"}\n{"id":"b"}\n{"id": oops}\n', 'jsonl', disposition, (file) => `${file}, line 3: is not valid JSON (Unexpected token 'o', "{"id": oops}" is not valid JSON)`);
    });

    test(`JSONL ${disposition}: a line that is not an object`, async () => {
      await refused('h.jsonl', '{"id":"a"}\n\n[1,2]\n', 'jsonl', disposition, (file) => `${file}, line 3: is not a JSON object; a JSONL export has one object per line`);
    });

    test(`JSONL ${disposition}: bytes that are not UTF-8`, async () => {
      await refused('h.jsonl', Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), 'jsonl', disposition, (file) => `${file}, near line 1: is not valid UTF-8 text`);
    });

    test(`CSV ${disposition}: another header names the first differing column`, async () => {
      await refused('h.csv', 'id,created_at,who\r\na,2024-01-01T00:00:00.000Z,me\r\n', 'csv', disposition, (file) => `${file}, line 1: the header is not the header of a Threadwise history export (column 3 is "who" where this export has "origin")`);
    });

    test(`Parquet ${disposition}: a file that is not Parquet`, async () => {
      await refused('h.parquet', 'id,reply\r\na,b\r\n', 'parquet', disposition, (file) => `${file}: is not a Parquet file (parquet file invalid (footer != PAR1))`);
    });

    test(`Parquet ${disposition}: a Parquet file with other columns`, async () => {
      const other = parquetWriteBuffer({ columnData: [{ name: 'id', data: ['a'], type: 'STRING', nullable: false }, { name: 'score', data: [1.5], type: 'DOUBLE' }] });
      await refused('h.parquet', new Uint8Array(other), 'parquet', disposition, (file) => `${file}: is not a Threadwise history export (column 2 is score DOUBLE OPTIONAL where this export has created_at INT64 REQUIRED)`);
    });
  }

  test('CSV append: a record with the wrong number of fields names its line', async () => {
    const out = path.join(dir, 'h.csv');
    await exportHistory(streamOf(records(2)), { format: 'csv', out });
    const text = await readFile(out, 'utf8');
    const lines = text.split('\r\n');
    await writeFile(out, [...lines.slice(0, 2), 'short,row', ...lines.slice(2)].join('\r\n'));
    const before = await readFile(out);
    await rejectsWith(exportHistory(streamOf(records(1, 'n')), { format: 'csv', out, disposition: 'append' }), `${out}, line 3: has 2 fields where the header has 56`);
    assert.deepEqual(await readFile(out), before);
  });

  test('CSV merge: an unclosed quote names the line the record starts on', async () => {
    const out = path.join(dir, 'h.csv');
    await exportHistory(streamOf(records(2)), { format: 'csv', out });
    await writeFile(out, `${await readFile(out, 'utf8')}x,"never closed\r\nmore\r\n`);
    await rejectsWith(exportHistory(streamOf(records(1, 'n')), { format: 'csv', out, disposition: 'merge' }), `${out}, line 4: is not valid CSV: a quoted field is never closed (the file ends inside it)`);
  });

  test('CSV append: a quote inside an unquoted field', async () => {
    await writeFile(path.join(dir, 'h.csv'), 'id,created"at\r\n');
    const out = path.join(dir, 'h.csv');
    await rejectsWith(exportHistory(streamOf(records(1)), { format: 'csv', out, disposition: 'append' }), `${out}, line 1: is not valid CSV: a quote inside a field that does not start with one (such fields must be quoted whole)`);
  });

  test('JSONL merge: a line without an id cannot be merged, but can be appended to', async () => {
    const out = path.join(dir, 'h.jsonl');
    await writeFile(out, '{"id":"a"}\n{"name":"no id"}\n');
    await rejectsWith(exportHistory(streamOf(records(1)), { format: 'jsonl', out, disposition: 'merge' }), `${out}, line 2: has no id, so the file cannot be merged by id`);
    const appended = await exportHistory(streamOf(records(1)), { format: 'jsonl', out, disposition: 'append' });
    assert.equal(appended.rows, 3);
  });

  test('an empty existing file counts as no rows', async () => {
    for (const format of FORMATS) {
      const out = path.join(dir, `empty.${format}`);
      await writeFile(out, '');
      const result = await exportHistory(streamOf(records(2)), { format, out, disposition: 'merge' });
      assert.equal(result.rows, 2, format);
    }
  });
});
