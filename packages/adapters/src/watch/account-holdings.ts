import type { Lot } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';

interface StoredLot {
  amount: string;
  taint: string;
  hop: number;
  via: { txid: string; vout: number } | null;
}

const toText = (lots: readonly Lot[]) => JSON.stringify(lots.map((l): StoredLot => ({ amount: l.amount.toString(), taint: l.taint.toString(), hop: l.hop, via: l.via })));
const fromText = (text: string): Lot[] => (JSON.parse(text) as StoredLot[]).map((l) => ({ amount: BigInt(l.amount), taint: BigInt(l.taint), hop: l.hop, via: l.via }));

/**
 * One entry's holdings on an account chain as `propagateAccountTaint` keeps them (keyed `<asset>\u0000<holder>`),
 * read from `watch_holdings` the first time the walk asks for one; `save` writes back those the block changed, as
 * rows of the block's height (a reorg deletes them and the rows below stand again).
 * @example const h = storedHoldings(store, 'anvil', entry.key); propagateAccountTaint(txs, { ..., holdings: h.map }); h.save(height)
 */
export function storedHoldings(store: SqliteStore, chain: string, entry: string) {
  const db = store.db;
  const read = db.prepare('SELECT lots FROM watch_holdings WHERE chain = ? AND entry = ? AND address = ? AND asset = ? ORDER BY height DESC LIMIT 1').pluck();
  const write = db.prepare(`INSERT INTO watch_holdings (chain, entry, address, asset, height, lots) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (chain, entry, address, asset, height) DO UPDATE SET lots = excluded.lots`);
  const before = new Map<string, string>();
  class LazyHoldings extends Map<string, Lot[]> {
    override get(key: string): Lot[] | undefined {
      if (!super.has(key)) {
        const [asset, holder] = key.split('\u0000');
        const text = (read.get(chain, entry, holder, asset) as string | undefined) ?? '[]';
        before.set(key, text);
        super.set(key, fromText(text));
      }
      return super.get(key);
    }
  }
  const map = new LazyHoldings();
  return {
    map: map as Map<string, Lot[]>,
    save(height: number): void {
      for (const [key, lots] of map) {
        const text = toText(lots);
        if (text === before.get(key)) continue;
        const [asset, holder] = key.split('\u0000');
        write.run(chain, entry, holder, asset, height, text);
      }
    },
  };
}
