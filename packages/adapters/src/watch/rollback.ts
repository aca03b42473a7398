import type { SqliteStore } from '../store/sqlite/store.js';

/**
 * Roll a UTXO chain of the store back to a fork point: the transactions of every block above `height` go, with
 * their inputs, outputs and OP_RETURN scripts, their cluster links and guard events, the watch's taint and the
 * cluster members they brought; inputs elsewhere that spent their outputs become unresolved again, and the chain's
 * clusters are marked for a rebuild (the next update rebuilds them with the same rules). Run it inside the
 * transaction that also retracts the orphaned blocks' alerts.
 * @returns the transactions removed
 */
export function rollbackAbove(store: SqliteStore, chain: string, height: number): number {
  const db = store.db;
  db.prepare('DROP TABLE IF EXISTS temp.orphaned').run();
  db.prepare('CREATE TEMP TABLE orphaned AS SELECT id, txid FROM txs WHERE chain = ? AND block_height > ?').run(chain, height);
  const n = db.prepare('SELECT count(*) FROM temp.orphaned').pluck().get() as number;
  db.prepare(`UPDATE inputs SET resolved = 0, value = NULL WHERE coinbase = 0 AND prev_txid IN (SELECT txid FROM temp.orphaned)
    AND tx_id NOT IN (SELECT id FROM temp.orphaned)`).run();
  for (const t of ['inputs', 'outputs', 'nulldata_scripts', 'cluster_pending']) db.prepare(`DELETE FROM ${t} WHERE tx_id IN (SELECT id FROM temp.orphaned)`).run();
  db.prepare('DELETE FROM cluster_links WHERE chain = ? AND txid IN (SELECT txid FROM temp.orphaned)').run(chain);
  db.prepare('DELETE FROM cluster_events WHERE chain = ? AND txid IN (SELECT txid FROM temp.orphaned)').run(chain);
  db.prepare('DELETE FROM txs WHERE id IN (SELECT id FROM temp.orphaned)').run();
  rollbackBlocksAbove(store, chain, height);
  db.prepare('DROP TABLE temp.orphaned').run();
  return n;
}

/**
 * What both models roll back alike: the block headers above `height`, the watch's taint, holdings and cluster
 * members they brought, and the chain's clusters marked for a rebuild.
 */
export function rollbackBlocksAbove(store: SqliteStore, chain: string, height: number): void {
  const db = store.db;
  db.prepare('DELETE FROM blocks WHERE chain = ? AND height > ?').run(chain, height);
  for (const t of ['watch_taint', 'watch_holdings', 'watch_members']) db.prepare(`DELETE FROM ${t} WHERE chain = ? AND height > ?`).run(chain, height);
  if (db.prepare('SELECT 1 FROM cluster_runs WHERE chain = ?').get(chain)) db.prepare('INSERT INTO cluster_rebuilds (chain) VALUES (?) ON CONFLICT DO NOTHING').run(chain);
}
