import type { CaseStore } from '@cryptotrace/core';
import { beginBulkLoad, bulkLoadPragmas, bulkLoadState, finishBulkLoad } from './bulk-load.js';
import { type Db, openDb } from './open.js';
import { createReader } from './read.js';
import { createBatchWriter } from './write.js';
import { clusterStoresOf } from './store-memory.js';

/** The default case store file, relative to the working directory. */
export const DEFAULT_DB_PATH = './cryptotrace.db';

export interface SqliteStore extends CaseStore {
  readonly path: string;
  /** The open database, for the adapters' own modules (labels, clusters); the core never sees it. */
  readonly db: Db;
  /**
   * Forget what the store remembers of rows between calls (address ids, outputs written, script types of ids): for
   * a caller whose enclosing transaction rolled back, since the ids it handed out will be handed out again.
   */
  forget(): void;
}

export interface OpenSqliteStoreOptions {
  /** Create the file if it is missing. Default false: read commands should not leave empty stores behind. */
  create?: boolean;
  readonly?: boolean;
  /** Told once, in one line, when a write waits for another process's write lock (the CLI prints it as a note). */
  onWait?: (message: string) => void;
  /** Open a store whose bulk load did not finish, to finish it (`ingest`); every other opener refuses such a store. */
  bulkLoad?: boolean;
  /** Told each step of finishing a bulk load (resolving inputs, each index built). */
  onBulkStep?: (step: string) => void;
}

/**
 * Open a case store: one SQLite file per case (WAL), schema migrated forward.
 * @throws CtraceError STORE_INVALID, STORE_TOO_NEW
 * @example const store = openSqliteStore('case.db', { create: true }); store.stats().transactions
 */
export function openSqliteStore(path: string, options: OpenSqliteStoreOptions = {}): SqliteStore {
  const db = openDb(path, options);
  const reader = createReader(db);
  let writer: ReturnType<typeof createBatchWriter> | undefined;
  let bulk = bulkLoadState(db) !== null;
  if (bulk && !options.readonly) bulkLoadPragmas(db);
  return {
    path,
    db,
    ...reader,
    write(batch) {
      writer ??= createBatchWriter(db, { bulkLoad: bulk });
      return writer(batch);
    },
    forget() {
      writer = undefined;
      clusterStoresOf.delete(this);
    },
    beginBulkLoad() {
      beginBulkLoad(db);
      bulkLoadPragmas(db);
      bulk = true;
      writer = undefined;
    },
    finishBulkLoad() {
      const done = finishBulkLoad(db, options.onBulkStep);
      bulk = false;
      writer = undefined;
      return done;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
