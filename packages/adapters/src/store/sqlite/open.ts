import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CtraceError } from '@cryptotrace/core';
import { APPLICATION_ID, MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Create the file when it does not exist (write commands); read commands refuse a missing store. */
  create?: boolean;
  readonly?: boolean;
}

/**
 * Open (or create) a case store file: WAL journal, foreign keys, schema migrated forward.
 * @throws CtraceError STORE_INVALID when the file is missing (and not to be created) or not a cryptotrace store,
 *   STORE_TOO_NEW when a newer cryptotrace wrote it
 */
export function openDb(path: string, { create = false, readonly = false }: OpenDbOptions = {}): Db {
  const exists = existsSync(path);
  if (!exists && !create) {
    throw new CtraceError('STORE_INVALID', `no case store at ${path}: run "ctrace ingest" first, or point --db (or CRYPTOTRACE_DB) at an existing store`);
  }
  if (exists && statSync(path).isDirectory()) {
    throw new CtraceError('STORE_INVALID', `${path} is a directory, not a case store: give --db a file path`);
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: readonly && exists, fileMustExist: !create });
    db.pragma('busy_timeout = 5000');
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (appId !== APPLICATION_ID && (appId !== 0 || tables.n > 0)) {
      db.close();
      throw notAStore(path);
    }
  } catch (cause) {
    if (cause instanceof CtraceError) throw cause;
    throw notAStore(path, cause);
  }
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  if (migrate(db, path, readonly) === 'needs-writer') {
    // Forward migrations are safe and quick: a read command on an older store migrates it, then reads.
    db.close();
    openDb(path, { create: false, readonly: false }).close();
    return openDb(path, { create: false, readonly: true });
  }
  return db;
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
  })();
  return 'done';
}

function notAStore(path: string, cause?: unknown): CtraceError {
  return new CtraceError('STORE_INVALID', `${path} is not a cryptotrace case store: point --db at a store made by ctrace, or at a new file name`, { cause });
}
