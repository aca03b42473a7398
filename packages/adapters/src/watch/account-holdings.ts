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
  // The same for a list of [asset, address] pairs at once (JSON), one row each: a block's holdings in one query.
  readMany: db.prepare(`SELECT j.key, (SELECT h.lots FROM watch_holdings h WHERE h.chain = @chain AND h.address = j.value ->> 1 AND h.asset = j.value ->> 0
      AND h.entry IN (@entry, '') AND +h.height < @height ORDER BY h.height DESC, h.entry DESC LIMIT 1) FROM json_each(@pairs) j`).raw(),
  write: db.prepare(`INSERT INTO watch_holdings (chain, address, asset, entry, height, lots) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (chain, address, asset, entry, height) DO UPDATE SET lots = excluded.lots`),
}));

/**
 * One entry's holdings on an account chain before block `height`, as `propagateAccountTaint` keeps them (keyed
 * `<asset>\u0000<holder>`), read from `watch_holdings` the first time the walk asks for one; `save` writes back those
 * the block changed, as rows of its height (a reorg deletes them and the rows below stand again): a holding with the entry's
 * taint as the entry's row, a clean one as the shared row of entry '' (a holding's balance is the same whatever
 * its taint, so every entry that finds it clean writes the same row).
 * `prefetch` reads a block's holdings in one query beforehand.
 * @example const h = storedHoldings(store, 'anvil', entry.key, height); h.prefetch(keys); propagateAccountTaint(txs, { ..., holdings: h.map }); h.save()
 */
export function storedHoldings(store: SqliteStore, chain: string, entry: string, height: number) {
  const { read, readMany, write } = statements(store.db);
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
    /** Read the holdings of these keys in one query (those not read yet), before the walk asks for them one by one. */
    prefetch(keys: Iterable<string>): void {
      const want = [...new Set(keys)].filter((k) => !before.has(k));
      if (want.length === 0) return;
      const pairs = want.map((k) => k.split('\u0000'));
      for (const [i, text] of readMany.all({ chain, entry, height, pairs: JSON.stringify(pairs) }) as [number, string | null][]) {
        before.set(want[i], text ?? '[]');
        map.set(want[i], fromText(text ?? '[]'));
      }
    },
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
