import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ThreadwiseError } from '../../errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import type { Migration } from './migrations';
import { SqliteDatabase } from './sqliteDatabase';

export interface OpenHistoryOptions {
  /** Apply migrations up to this version only (tests build old databases with it). */
  upToVersion?: number;
  /** Told when a damaged file was moved aside. */
  log?(message: string): void;
}

/**
 * Opens the history database at `path`, creating it and its folder when missing, and brings its
 * schema up to date.
 *
 * Durability: WAL journal with `synchronous=FULL`, so every committed record is on disk when its
 * transaction returns and a crash (kill -9, power loss) loses at most the transaction in flight.
 * `secure_delete` zeroes deleted content, so cleared or expired records do not linger in free pages.
 * A file that is not a SQLite database is renamed aside (`<name>.damaged-<time>`, kept for the
 * person) and a new one started; a database from a newer Threadwise is refused, untouched.
 */
export async function openHistoryDatabase(path: string, options: OpenHistoryOptions = {}): Promise<SqliteDatabase> {
  await mkdir(dirname(path), { recursive: true });
  try {
    return await openAndMigrate(path, options);
  } catch (error) {
    if (!isNotADatabase(error)) throw error;
    const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, aside);
    for (const suffix of ['-wal', '-shm']) await rename(`${path}${suffix}`, `${aside}${suffix}`).catch(() => undefined);
    options.log?.(`the history database ${path} was not a SQLite database; it was moved to ${aside} and a new one started`);
    return openAndMigrate(path, options);
  }
}

async function openAndMigrate(path: string, options: OpenHistoryOptions): Promise<SqliteDatabase> {
  const db = await SqliteDatabase.open(path);
  try {
    // Read before anything writes: a newer schema is refused with its file left as it was.
    refuseNewer(db, await schemaVersion(db));
    // auto_vacuum only takes effect before the first table exists; later it is a no-op.
    await db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    await db.get('PRAGMA journal_mode = WAL');
    await db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON');
    await migrate(db, options.upToVersion ?? SCHEMA_VERSION);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The schema version of an open database. */
export async function schemaVersion(db: SqliteDatabase): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

function refuseNewer(db: SqliteDatabase, current: number): void {
  if (current > SCHEMA_VERSION) {
    throw new ThreadwiseError(
      'history',
      `the history database ${db.path} has schema version ${current}, newer than this Threadwise knows (${SCHEMA_VERSION})`,
      'update Threadwise, or point threadwise.storageFolder (or --data-dir) at another folder',
    );
  }
}

async function migrate(db: SqliteDatabase, target: number): Promise<void> {
  const current = await schemaVersion(db);
  refuseNewer(db, current);
  const pending: Migration[] = MIGRATIONS.filter((migration) => migration.version > current && migration.version <= target);
  for (const migration of pending) {
    await db.transaction(async (tx) => {
      await migration.up(tx);
      // PRAGMA takes no bound parameters; the version is a number from the list above.
      await tx.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

