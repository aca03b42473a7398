import type { Lot } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { perDatabase } from './per-database.js';

interface StoredLot {
  amount: string;
  taint: string;
  hop: number;
  via: { txid: string; vout: number } | null;
}

const toText = (lots: readonly Lot[]) => JSON.stringify(lots.map((l): StoredLot => ({ amount: l.amount.toString(), taint: l.taint.toString(), hop: l.hop, via: l.via })));
const fromText = (text: string): Lot[] => (JSON.parse(text) as StoredLot[]).map((l) => ({ amount: BigInt(l.amount), taint: BigInt(l.taint), hop: l.hop, via: l.via }));

const statements = perDatabase((db) => ({
  // The holding as the previous blocks left it (not as another entry wrote it for this block): the entry's own row
  // or the shared clean one, whichever is later; at the same height the entry's ('' sorts first). The unary + keeps
  // SQLite on the primary key: the (chain, height) index would scan every earlier row.
  read: db.prepare(`SELECT lots FROM watch_holdings WHERE chain = ? AND address = ? AND asset = ? AND entry IN (?, '') AND +height < ?
    ORDER BY height DESC, entry DESC LIMIT 1`).pluck(),
  write: db.prepare(`INSERT INTO watch_holdings (chain, address, asset, entry, height, lots) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (chain, address, asset, entry, height) DO UPDATE SET lots = excluded.lots`),
}));

/**
 * One entry's holdings on an account chain before block `height`, as `propagateAccountTaint` keeps them (keyed
 * `<asset>\u0000<holder>`), read from `watch_holdings` the first time the walk asks for one; `save` writes back those
 * the block changed, as rows of its height (a reorg deletes them and the rows below stand again): a holding with the entry's
 * taint as the entry's row, a clean one as the shared row of entry '' (a holding's balance is the same whatever
 * its taint, so every entry that finds it clean writes the same row).
 * @example const h = storedHoldings(store, 'anvil', entry.key, height); propagateAccountTaint(txs, { ..., holdings: h.map }); h.save()
 */
export function storedHoldings(store: SqliteStore, chain: string, entry: string, height: number) {
  const { read, write } = statements(store.db);
  const before = new Map<string, string>();
  class LazyHoldings extends Map<string, Lot[]> {
    override get(key: string): Lot[] | undefined {
      if (!super.has(key)) {
        const [asset, holder] = key.split('\u0000');
        const text = (read.get(chain, holder, asset, entry, height) as string | undefined) ?? '[]';
        before.set(key, text);
        super.set(key, fromText(text));
      }
      return super.get(key);
    }
  }
  const map = new LazyHoldings();
  return {
    map: map as Map<string, Lot[]>,
    save(): void {
      for (const [key, lots] of map) {
        const text = toText(lots);
        if (text === before.get(key)) continue;
        const [asset, holder] = key.split('\u0000');
        write.run(chain, holder, asset, lots.some((l) => l.taint > 0n) ? entry : '', height, text);
      }
    },
  };
}
