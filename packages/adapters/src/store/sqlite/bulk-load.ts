import { type BulkLoadFinish, CtraceError } from '@cryptotrace/core';
import type Database from 'better-sqlite3';

// The connection's type from better-sqlite3 itself: open.ts reads the state below, so this module does not import it.
type Db = Database.Database;

/**
 * A bulk load: a whole chain written at once. Keeping a secondary index sorted while millions of random keys
 * (txids, addresses) arrive costs most of an ingest; building it once from the loaded rows is a sort. So a bulk
 * load drops the secondary indexes of the tables it fills, the unique ones of txids and addresses too, and writes
 * batches as every ingest does (each atomic). Its writer keeps txids and addresses unique itself, from their ids
 * held in memory (write.ts, key-ids.ts), so that a re-run skips what is stored. At its end it builds the unique
 * indexes (a duplicate is refused there), resolves in one statement the inputs whose previous transaction arrived
 * after them, then builds the other indexes again.
 *
 * Crash safety: the dropped indexes are recorded in `bulk_loads` in the transaction that drops them, and the
 * finishing step (resolve, build, forget the record) is one transaction. Killed at any moment, the store holds
 * whole batches and the record; the same ingest run again skips the stored blocks, writes the rest and finishes.
 * Until then other commands refuse the store (see {@link bulkLoadState}), so none reads a half-indexed store.
 */

/** The tables a load fills, whose secondary indexes a bulk load defers. */
const LOADED_TABLES = ['addresses', 'txs', 'outputs', 'inputs'] as const;

export interface BulkLoadState {
  startedAt: string;
  /** The indexes dropped, as sqlite_schema held them. */
  indexes: { name: string; sql: string }[];
}

/**
 * A bulk-loading connection's settings: a checkpoint every 400 MB of WAL rather than every 4 MB, so that a page
 * written by many batches is copied into the store file once. The page cache stays the store's 64 MiB (open.ts):
 * with the unique indexes dropped too, a batch appends to its tables instead of updating pages all over an index,
 * and building the indexes at the end took as long with 512 MiB (measured at 10^6 transactions), which only raised
 * the load's peak memory. Neither setting changes what a crash keeps: every batch is committed to the WAL as before,
 * and `synchronous` stays NORMAL (open.ts): in WAL mode a commit is then written to the WAL without waiting for the
 * disk, which keeps every committed batch when the process is killed (only a crash of the machine may lose the last
 * ones, never the store's consistency); OFF would gain only the fsync of each checkpoint.
 */
export function bulkLoadPragmas(db: Db): void {
  db.pragma('wal_autocheckpoint = 100000');
}

/** The bulk load under way in a store, or null. */
export function bulkLoadState(db: Db): BulkLoadState | null {
  const row = db.prepare('SELECT started_at AS startedAt, indexes FROM bulk_loads WHERE id = 1').get() as { startedAt: string; indexes: string } | undefined;
  return row ? { startedAt: row.startedAt, indexes: JSON.parse(row.indexes) as BulkLoadState['indexes'] } : null;
}

/** Begin a bulk load, or carry on with the one under way (its indexes are dropped already). */
export function beginBulkLoad(db: Db, at: string = new Date().toISOString()): BulkLoadState {
  return db.transaction(() => {
    const under = bulkLoadState(db);
    if (under) return under;
    const marks = LOADED_TABLES.map(() => '?').join(', ');
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks}) ORDER BY name`)
      .all(...LOADED_TABLES) as { name: string; sql: string }[];
    db.prepare('INSERT INTO bulk_loads (id, started_at, indexes) VALUES (1, ?, ?)').run(at, JSON.stringify(indexes));
    for (const i of indexes) db.exec(`DROP INDEX ${quoteName(i.name)}`);
    return { startedAt: at, indexes };
  }).immediate();
}

/**
 * Finish the bulk load under way: resolve the inputs still waiting for a previous transaction that is stored
 * now, build the dropped indexes, forget the load. One transaction: killed in the middle, nothing of it stays.
 * A store without a bulk load under way is left as it is.
 */
export function finishBulkLoad(db: Db, onStep?: (step: string) => void): BulkLoadFinish {
  const done = db.transaction((): BulkLoadFinish => {
    const under = bulkLoadState(db);
    if (!under) return { resolvedInputs: 0, indexes: 0 };
    // The unique indexes first: a duplicate refuses the load before anything else is built, and resolving below
    // finds previous transactions by txs_txid_chain. An index that exists already (a load begun before the
    // migration that made them) is skipped.
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck();
    const toBuild = under.indexes.filter((i) => exists.get(i.name) === undefined);
    const unique = toBuild.filter((i) => /^CREATE UNIQUE INDEX /i.test(i.sql));
    const others = toBuild.filter((i) => !unique.includes(i));
    let built = 0;
    const build = (i: { name: string; sql: string }) => {
      onStep?.(`building index ${++built} of ${toBuild.length} (${i.name})`);
      try {
        db.exec(i.sql);
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
        throw new CtraceError('STORE_INVALID', `the bulk load stored a row twice, so its unique index ${i.name} cannot be built (${(err as Error).message}): was the store written by another process during the load? Ingest into a new store`, { cause: err });
      }
    };
    for (const i of unique) build(i);
    onStep?.('resolving inputs');
    // Before the other indexes exist, so that resolving updates no index of inputs. The same rule as a write's: a
    // spendable output of the same chain resolves the input to its value and holder.
    const resolvedInputs = db
      .prepare(`UPDATE inputs SET address_id = o.address_id, value = o.value, resolved = 1
        FROM txs AS c, txs AS p, outputs AS o
        WHERE inputs.resolved = 0 AND inputs.coinbase = 0 AND c.id = inputs.tx_id AND p.chain = c.chain AND p.txid = inputs.prev_txid
          AND o.tx_id = p.id AND o.n = inputs.prev_vout AND o.script_type <> 'nulldata'`)
      .run().changes;
    for (const i of others) build(i);
    db.prepare('DELETE FROM bulk_loads WHERE id = 1').run();
    return { resolvedInputs, indexes: toBuild.length };
  });
  const result = done.immediate();
  // The load's pages and the indexes are in the WAL: move them into the store file and truncate the WAL.
  if (result.indexes > 0) onStep?.('moving the indexes into the store file');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
