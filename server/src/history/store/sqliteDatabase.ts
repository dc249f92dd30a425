// sqlite3 is CommonJS (`module.exports = bindings`): only its default import is reliable from ESM.
// It is an N-API addon (napi 3/6), built once at install and loaded unchanged by any Node ≥ 20 and by
// the Node inside VS Code (Electron); see docs/architecture.md § History for why not a WASM build.
import sqlite3 from 'sqlite3';

/** A value SQLite stores and returns. */
export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
export type SqlRow = Record<string, SqlValue>;

export interface RunInfo {
  changes: number;
  lastId: number;
}

/** Statements a transaction body runs, on the one connection, between BEGIN and COMMIT. */
export interface SqlExecutor {
  run(sql: string, params?: SqlParams): Promise<RunInfo>;
  get<T = SqlRow>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T = SqlRow>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/**
 * A promise face on one node-sqlite3 connection, with one rule: work is queued. node-sqlite3 runs
 * statements on a thread pool in the order they are issued, but two async transactions issued at
 * once would interleave their statements; here every `transaction` (and every lone statement) waits
 * for the one before it to finish, so a transaction sees only its own statements.
 */
export class SqliteDatabase implements SqlExecutor {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly native: sqlite3.Database,
    readonly path: string,
  ) {}

  /** Opens (creating when missing) the database file; rejects with SQLite's error when it cannot. */
  static open(path: string, options: { readOnly?: boolean; busyTimeoutMs?: number } = {}): Promise<SqliteDatabase> {
    const mode = options.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    return new Promise((resolve, reject) => {
      const native: sqlite3.Database = new sqlite3.Database(path, mode, (error) => {
        if (error) return reject(error);
        // Another window's daemon (or the CLI) may hold the write lock for a moment: wait for it.
        native.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
        resolve(new SqliteDatabase(native, path));
      });
    });
  }

  run(sql: string, params: SqlParams = []): Promise<RunInfo> {
    return this.enqueue(() => this.rawRun(sql, params));
  }

  get<T = SqlRow>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.enqueue(() => this.rawGet<T>(sql, params));
  }

  all<T = SqlRow>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.enqueue(() => this.rawAll<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.rawExec(sql));
  }

  /**
   * Runs `body` inside BEGIN IMMEDIATE … COMMIT (rolled back when it throws). IMMEDIATE takes the
   * write lock at the start, so a writer never fails half-way on a lock another process holds.
   */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.rawExec('BEGIN IMMEDIATE');
      const tx: SqlExecutor = {
        run: (sql, params = []) => this.rawRun(sql, params),
        get: (sql, params = []) => this.rawGet(sql, params),
        all: (sql, params = []) => this.rawAll(sql, params),
        exec: (sql) => this.rawExec(sql),
      };
      try {
        const result = await body(tx);
        await this.rawExec('COMMIT');
        return result;
      } catch (error) {
        await this.rawExec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Waits for queued work, then closes the connection. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.queue.then(
      () => new Promise<void>((resolve, reject) => this.native.close((error) => (error ? reject(error) : resolve()))),
    );
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the history database ${this.path} is closed`));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private rawRun(sql: string, params: SqlParams): Promise<RunInfo> {
    return new Promise((resolve, reject) => {
      this.native.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes, lastId: this.lastID });
      });
    });
  }

  private rawGet<T>(sql: string, params: SqlParams): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.native.get(sql, params, (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row)));
    });
  }

  private rawAll<T>(sql: string, params: SqlParams): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.native.all(sql, params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)));
    });
  }

  private rawExec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.native.exec(sql, (error) => (error ? reject(error) : resolve()));
    });
  }
}
