import type { BulkLoadFinish } from '@cryptotrace/core';
import type Database from 'better-sqlite3';

// The connection's type from better-sqlite3 itself: open.ts reads the state below, so this module does not import it.
type Db = Database.Database;

/**
 * A bulk load: a whole chain written at once. Keeping a secondary index sorted while millions of random keys
 * (txids, addresses) arrive costs most of an ingest; building it once from the loaded rows is a sort. So a bulk
 * load drops the secondary indexes of the tables it fills, writes batches as every ingest does (each atomic, the
 * uniqueness constraints kept, so a re-run skips what is stored), and at its end resolves in one statement the
 * inputs whose previous transaction arrived after them, then builds the indexes again.
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
 * A bulk-loading connection's settings: a page cache of 512 MiB, so that the uniqueness indexes kept during the
 * load (txids, addresses) are not read back from the OS at every batch, and a checkpoint every 400 MB of WAL rather
 * than every 4 MB, so that a page written by many batches is copied into the store file once. Neither changes what
 * a crash keeps: every batch is committed to the WAL as before.
 */
export function bulkLoadPragmas(db: Db): void {
  db.pragma('cache_size = -524288');
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
    onStep?.('resolving inputs');
    // Before the indexes exist, so that resolving updates no index of inputs. The same rule as a write's: a
    // spendable output of the same chain resolves the input to its value and holder.
    const resolvedInputs = db
      .prepare(`UPDATE inputs SET address_id = o.address_id, value = o.value, resolved = 1
        FROM txs AS c, txs AS p, outputs AS o
        WHERE inputs.resolved = 0 AND inputs.coinbase = 0 AND c.id = inputs.tx_id AND p.chain = c.chain AND p.txid = inputs.prev_txid
          AND o.tx_id = p.id AND o.n = inputs.prev_vout AND o.script_type <> 'nulldata'`)
      .run().changes;
    for (const [k, i] of under.indexes.entries()) {
      onStep?.(`building index ${k + 1} of ${under.indexes.length} (${i.name})`);
      db.exec(i.sql);
    }
    db.prepare('DELETE FROM bulk_loads WHERE id = 1').run();
    return { resolvedInputs, indexes: under.indexes.length };
  });
  const result = done.immediate();
  // The load's pages and the indexes are in the WAL: move them into the store file and truncate the WAL.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
