import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import { CtraceError } from '@cryptotrace/core';
import { busyTimeoutMs, isBusy, storeFault } from './faults.js';
import { bulkLoadState } from './bulk-load.js';
import { APPLICATION_ID, MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Create the file when it does not exist (write commands); read commands refuse a missing store. */
  create?: boolean;
  readonly?: boolean;
  /** Told once, in one line, when a write has to wait for another process's write lock. */
  onWait?: (message: string) => void;
  /** Open a store whose bulk load did not finish (the ingest that finishes it); every other opener refuses it. */
  bulkLoad?: boolean;
}

/** Per open connection: its path and who to tell when a write waits for the lock. */
const waits = new WeakMap<Db, { path: string; onWait?: (message: string) => void; told: boolean }>();

/**
 * Open (or create) a case store file: WAL journal, foreign keys, schema migrated forward.
 * @throws CtraceError STORE_INVALID when the file is missing (and not to be created) or not a cryptotrace store,
 *   STORE_TOO_NEW when a newer cryptotrace wrote it
 */
export function openDb(path: string, { create = false, readonly = false, onWait, bulkLoad = false }: OpenDbOptions = {}): Db {
  const exists = existsSync(path);
  if (!exists && !create) {
    throw new CtraceError('STORE_INVALID', `no case store at ${path}: run "ctrace ingest" first, or point --db (or CRYPTOTRACE_DB) at an existing store`);
  }
  if (exists && statSync(path).isDirectory()) {
    throw new CtraceError('STORE_INVALID', `${path} is a directory, not a case store: give --db a file path`);
  }
  if (!readonly) checkWritable(path, exists);
  let db: Db;
  try {
    db = new Database(path, { readonly: readonly && exists, fileMustExist: !create });
    db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (appId !== APPLICATION_ID && (appId !== 0 || tables.n > 0)) {
      db.close();
      throw notAStore(path);
    }
  } catch (cause) {
    if (cause instanceof CtraceError) throw cause;
    // A lock, a read-only directory or a full disk is not a foreign file.
    if ((cause as { code?: string }).code === 'SQLITE_NOTADB') throw notAStore(path, cause);
    throw storeFault(cause, path) ?? notAStore(path, cause);
  }
  waits.set(db, { path, onWait, told: false });
  try {
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    // SQLite's sorter (building an index, a large ORDER BY) sorts in helper threads too, up to one per core (at most
    // 8): a bulk load's index builds took 6.8 s instead of 9.0 s at 10^6 transactions on 2 cores (one CPU profile each).
    db.pragma(`threads = ${Math.min(8, availableParallelism())}`);
    if (migrate(db, path, readonly) === 'needs-writer') {
      // Forward migrations are safe and quick: a read command on an older store migrates it, then reads.
      db.close();
      openDb(path, { create: false, readonly: false, onWait, bulkLoad: true }).close();
      return openDb(path, { create: false, readonly: true, onWait, bulkLoad });
    }
    if (!bulkLoad) refuseUnfinishedBulkLoad(db, path);
  } catch (cause) {
    if (db.open) db.close();
    throw cause instanceof CtraceError ? cause : (storeFault(cause, path) ?? cause);
  }
  return db;
}

/**
 * Run a write transaction with BEGIN IMMEDIATE, so that it waits (the busy timeout) for another process's write
 * lock instead of failing when a read turns into a write. Whoever opened the store with `onWait` is told once,
 * in one line, that the write is waiting. Inside another transaction `run` is simply called (a savepoint).
 * @param run calls a better-sqlite3 transaction function's `.immediate(...)`; it must be safe to call again
 *   when it failed to begin
 */
export function writeImmediately<T>(db: Db, run: () => T): T {
  const w = waits.get(db);
  if (db.inTransaction || !w?.onWait || w.told) return run();
  db.pragma('busy_timeout = 0');
  try {
    return run();
  } catch (err) {
    if (!isBusy(err)) throw err;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  }
  w.told = true;
  w.onWait(`${w.path} is locked by another process writing to it; waiting up to ${busyTimeoutMs()} ms for it (CTRACE_BUSY_TIMEOUT_MS)`);
  return run();
}

/** A write command needs to write the store file and, for WAL, create files beside it. */
function checkWritable(path: string, exists: boolean): void {
  const dir = dirname(path);
  if (!existsSync(dir)) throw new CtraceError('STORE_INVALID', `${path}: the directory ${dir} does not exist: create it, or point --db at another path`);
  try {
    if (exists) accessSync(path, constants.W_OK);
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw storeFault(cause, path) ?? cause;
  }
}

function migrate(db: Db, path: string, readonly: boolean): 'done' | 'needs-writer' {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new CtraceError('STORE_TOO_NEW', `${path} was written by a newer cryptotrace (schema ${version}, this one knows ${MIGRATIONS.length}): upgrade cryptotrace`);
  }
  if (version === MIGRATIONS.length) return 'done';
  if (readonly) return 'needs-writer';
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return 'done';
}

function refuseUnfinishedBulkLoad(db: Db, path: string): void {
  const under = bulkLoadState(db);
  if (!under) return;
  throw new CtraceError('STORE_INCOMPLETE', `${path}: a bulk load into it (started ${under.startedAt}) stopped before it built its indexes: run the same "ctrace ingest" again to finish it`);
}

function notAStore(path: string, cause?: unknown): CtraceError {
  return new CtraceError('STORE_INVALID', `${path} is not a cryptotrace case store: point --db at a store made by ctrace, or at a new file name`, { cause });
}
