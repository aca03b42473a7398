import { type UtxoTransaction, cmpOrder, holderOf, peelChains } from '@cryptotrace/core';
import type { Db } from './open.js';
import { type TxRow, TX_COLUMNS, utxoTxReader } from './taint-stream.js';

/** The transactions the typology detectors need to judge a case's holders, each in block order. */
export interface CaseNeighbourhood {
  /** For the peel-chain detector: every peel-shaped transaction linked to one touching a holder, with the parents they spend. */
  peel: UtxoTransaction[];
  /**
   * For the fan-pattern detectors: the holders' transactions, those of the targets they alone pay (or that alone are paid
   * by them) and those of the payers of those targets; `seq` is the transaction's place in the whole chain (1-based), the
   * detectors' clock for an unconfirmed transaction (null when confirmed).
   */
  fan: { tx: UtxoTransaction; seq: number | null }[];
  /** Transactions read. */
  visited: number;
}

/**
 * The neighbourhood of a case's holders: what the typology detectors read to judge them, so that a hit naming one of
 * the holders (as its centre or a member) is the same as over the whole chain (but for the one peel case below),
 * without reading the chain.
 * - aggregator: every transaction paying or spent by the holder;
 * - deposit sweep and market consolidation: for a target T paid alone by a transaction touching a holder, every
 *   transaction of T, and every transaction of each address that alone paid T (whether it was a deposit then);
 * - peel chain: from each peel-shaped transaction touching a holder, the chain both ways (a transaction spending an
 *   output of a peel-shaped one as its first such input, within `maxBlocks`), plus the parent each one spends; then the
 *   far hops the detector also takes forward (a spend of an earlier member while the run's last is within
 *   `maxBlocks`), found by simulating the runs until nothing is added. Not followed: a far hop back from a run into an
 *   older run that touches none of the holders (the hit then lacks that older part).
 * @param db the store's database
 * @param chain a UTXO chain
 * @param holders the case's holders (addresses reached)
 * @param maxBlocks the peel-chain detector's gap between hops
 * @example detectPeelChains(caseNeighbourhood(store.db, 'bitcoin', reached, 2).peel)
 */
export function caseNeighbourhood(db: Db, chain: string, holders: Iterable<string>, maxBlocks: number): CaseNeighbourhood {
  const touching = db.prepare(`SELECT o.tx_id FROM addresses a CROSS JOIN outputs o ON o.address_id = a.id WHERE a.chain = @chain AND a.address = @h
    UNION SELECT i.tx_id FROM addresses a CROSS JOIN inputs i ON i.address_id = a.id WHERE a.chain = @chain AND a.address = @h`).pluck();
  const byTxid = db.prepare('SELECT id FROM txs WHERE chain = ? AND txid = ?').pluck();
  const spenders = db.prepare('SELECT DISTINCT t.id FROM inputs i CROSS JOIN txs t ON t.id = i.tx_id WHERE i.prev_txid = ? AND i.prev_vout = ? AND t.chain = ?').pluck();
  const row = db.prepare(`SELECT ${TX_COLUMNS} FROM txs t WHERE t.id = ?`);
  const confirmed = db.prepare('SELECT count(*) FROM txs WHERE chain = ? AND block_height IS NOT NULL').pluck();
  const before = db.prepare(`SELECT count(*) FROM txs WHERE chain = @chain AND block_height IS NULL
    AND (coalesce(position, -1) < @p OR (coalesce(position, -1) = @p AND id < @id))`).pluck();
  const read = utxoTxReader(db, chain);
  const loaded = new Map<number, { tx: UtxoTransaction; order: number[] }>();
  const load = (id: number) => {
    let t = loaded.get(id);
    if (!t) {
      const r = row.get(id) as TxRow;
      t = { tx: read(r), order: [r.blockHeight === null ? 1 : 0, r.blockHeight ?? 0, r.position ?? -1, r.id] };
      loaded.set(id, t);
    }
    return t;
  };
  const inOrder = (ids: Iterable<number>) => [...ids].map((id) => ({ id, ...load(id) })).sort((a, b) => cmpOrder(a.order, b.order));

  // Fan patterns: the holders, the targets they touch alone, the payers of those targets.
  const fanIds = new Set<number>();
  const seen = new Set<string>();
  const txsOf = (h: string): number[] => {
    const ids = touching.all({ chain, h }) as number[];
    if (!seen.has(h)) {
      seen.add(h);
      for (const id of ids) fanIds.add(id);
    }
    return ids;
  };
  const soleReceiver = (tx: UtxoTransaction): string | null => {
    const receivers = [...new Set(tx.outputs.map(holderOf).filter((h): h is string => h !== null))];
    const from = new Set(tx.inputs.filter((i) => !i.coinbase).map(holderOf));
    return receivers.length === 1 && !from.has(receivers[0]) ? receivers[0] : null;
  };
  const touched: number[] = [];
  const targets = new Set<string>();
  for (const h of new Set(holders)) for (const id of txsOf(h)) touched.push(id);
  for (const id of touched) {
    const t = soleReceiver(load(id).tx);
    if (t !== null) targets.add(t);
  }
  const payers = new Set<string>();
  for (const t of targets) {
    for (const id of txsOf(t)) {
      const tx = load(id).tx;
      if (soleReceiver(tx) !== t) continue;
      for (const i of tx.inputs) if (!i.coinbase && holderOf(i) !== null) payers.add(holderOf(i)!);
    }
  }
  for (const p of payers) txsOf(p);

  // Peel chains: each shaped transaction touching a holder, its chain both ways, and the parents the chain spends.
  const shaped = (tx: UtxoTransaction) => tx.outputs.length === 2 && tx.inputs.length >= 1 && tx.inputs.length <= 2 && !tx.inputs[0].coinbase;
  const parentOf = new Map<number, number | null>();
  /** The transaction whose output the detector links `id` to: its first input spending a peel-shaped transaction. */
  const parent = (id: number): number | null => {
    if (parentOf.has(id)) return parentOf.get(id)!;
    let found: number | null = null;
    for (const i of load(id).tx.inputs) {
      if (i.coinbase) continue;
      const p = byTxid.get(chain, i.prevTxid) as number | undefined;
      if (p !== undefined && shaped(load(p).tx)) {
        found = p;
        break;
      }
    }
    parentOf.set(id, found);
    return found;
  };
  const height = (id: number) => load(id).tx.block?.height ?? null;
  const near = (later: number, earlier: number) => {
    const a = height(later);
    const b = height(earlier);
    return a !== null && b !== null && a - b <= maxBlocks;
  };
  const chainIds = new Set<number>();
  const parents = new Set<number>();
  const idOf = new Map<string, number>();
  /** Add `start` and the runs they are in by near links (a hop within maxBlocks), both ways. */
  const expand = (start: number[]) => {
    const queue = [...start];
    while (queue.length) {
      const id = queue.pop()!;
      if (chainIds.has(id)) continue;
      chainIds.add(id);
      const tx = load(id).tx;
      idOf.set(tx.txid, id);
      const p = parent(id);
      if (p !== null) {
        parents.add(p);
        idOf.set(load(p).tx.txid, p);
        if (near(id, p)) queue.push(p);
      }
      for (const s of spendersOf(id)) if (near(s, id)) queue.push(s);
    }
  };
  const spent = new Map<number, number[]>();
  /** The peel-shaped transactions that spend an output of `id` as their first such input. */
  const spendersOf = (id: number): number[] => {
    let list = spent.get(id);
    if (!list) {
      const tx = load(id).tx;
      list = tx.outputs.flatMap((_, vout) => spenders.all(tx.txid, vout, chain) as number[]).filter((s) => shaped(load(s).tx) && parent(s) === id);
      spent.set(id, list);
    }
    return list;
  };
  expand(touched.filter((id) => shaped(load(id).tx)));
  // A run may also take a far hop: a spend of an earlier member while a later one is within maxBlocks. Simulate the
  // runs found so far and add such hops until nothing changes. (Not followed: a run that starts with a far hop into an
  // older run that touches no holder; the hit then lacks that older part.)
  for (;;) {
    const grow: number[] = [];
    for (const run of peelChains(inOrder(new Set([...chainIds, ...parents])).map((t) => t.tx), { maxBlocks })) {
      const ids = run.txids.map((t) => idOf.get(t)!);
      for (const id of ids) {
        if (!chainIds.has(id)) continue;
        for (const s of spendersOf(id)) {
          if (chainIds.has(s)) continue;
          // The run's last member before s (members are in block order): binary search.
          const o = load(s).order;
          let lo = 0;
          let hi = ids.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cmpOrder(load(ids[mid]).order, o) < 0) lo = mid + 1;
            else hi = mid;
          }
          const h = height(s);
          const last = lo > 0 ? run.heights[lo - 1] : null;
          if (h !== null && last !== null && h - last <= maxBlocks) grow.push(s);
        }
      }
    }
    if (!grow.length) break;
    expand(grow);
  }

  let chainTxs: number | undefined;
  const fan = inOrder(fanIds).map(({ id, tx, order }) => {
    if (order[0] === 0) return { tx, seq: null };
    chainTxs ??= confirmed.get(chain) as number;
    return { tx, seq: chainTxs + (before.get({ chain, p: order[2], id }) as number) + 1 };
  });
  return { peel: inOrder(new Set([...chainIds, ...parents])).map((t) => t.tx), fan, visited: loaded.size };
}
