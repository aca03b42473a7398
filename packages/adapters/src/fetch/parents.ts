import type { UtxoTransaction } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';

/**
 * The previous transactions of these transactions' inputs that neither the store nor the transactions themselves
 * hold: what a fetch (or a watch) asks the source for, so that every input's value is known and every value a
 * source claims is checked against its parent. Sorted, each once.
 */
export function missingParents(store: SqliteStore, chain: string, txs: readonly UtxoTransaction[]): string[] {
  const stored = store.db.prepare('SELECT 1 FROM txs WHERE chain = ? AND txid = ?').pluck();
  const here = new Set(txs.map((t) => t.txid));
  const wanted = new Set<string>();
  for (const t of txs) for (const i of t.inputs) if (!i.coinbase && !here.has(i.prevTxid)) wanted.add(i.prevTxid);
  return [...wanted].filter((p) => !stored.get(chain, p)).sort();
}
