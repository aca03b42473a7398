import type { SqliteStore } from '../store/sqlite/store.js';
import { rollbackBlocksAbove } from './rollback.js';

/**
 * Roll an account chain of the store back to a fork point: the transactions of every block above `height` go,
 * with their internal and token transfers, their cluster links and guard events, the block headers, the watch's
 * holdings and the cluster members they brought; the chain's clusters are marked for a rebuild (account
 * transaction ids are reused once the orphaned rows are gone, so an update alone would skip the new branch). Run
 * it inside the transaction that also retracts the orphaned blocks' alerts.
 * @returns the transactions removed
 */
export function rollbackAccountAbove(store: SqliteStore, chain: string, height: number): number {
  const db = store.db;
  db.prepare('DROP TABLE IF EXISTS temp.orphaned').run();
  db.prepare('CREATE TEMP TABLE orphaned AS SELECT id, hash FROM account_txs WHERE chain = ? AND block_number > ?').run(chain, height);
  const n = db.prepare('SELECT count(*) FROM temp.orphaned').pluck().get() as number;
  for (const t of ['internal_transfers', 'token_transfers']) db.prepare(`DELETE FROM ${t} WHERE tx_id IN (SELECT id FROM temp.orphaned)`).run();
  for (const t of ['cluster_links', 'cluster_events']) db.prepare(`DELETE FROM ${t} WHERE chain = ? AND txid IN (SELECT hash FROM temp.orphaned)`).run(chain);
  db.prepare('DELETE FROM account_txs WHERE id IN (SELECT id FROM temp.orphaned)').run();
  rollbackBlocksAbove(store, chain, height);
  db.prepare('DROP TABLE temp.orphaned').run();
  return n;
}
