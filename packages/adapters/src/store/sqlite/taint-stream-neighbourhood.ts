import { type Flow, type PeelTx, peelChains } from '@cryptotrace/core';
import type { Db } from './open.js';

/** The transactions the typology detectors need to judge a case's holders, each in block order, made one at a time. */
export interface CaseNeighbourhood {
  /** For the peel-chain detector: every peel-shaped transaction linked to one touching a holder, with the parents they spend. */
  peel: Iterable<PeelTx>;
  /**
   * For the fan-pattern detectors: the flows of the holders' transactions, of those of the targets they alone pay (or
   * that alone are paid by them) and of those of the payers of those targets; an unconfirmed one carries `seq`, its place
   * in the whole chain (1-based), the detectors' clock when it has no time.
   */
  fan: Iterable<Flow>;
  /** Transactions read. */
  visited: number;
}

/**
 * What the detectors read of one transaction, kept compact (no model objects; holders as numbers, each holder's
 * string held once): the neighbourhood of a large case can be most of the chain's transactions.
 */
interface Fact {
  id: number;
  txid: string;
  /** The block's height (null: unconfirmed, or confirmed at an unknown height). */
  height: number | null;
  /** Block time (0 when the store has none); null when unconfirmed. */
  time: number | null;
  /** Block height for the block-order sort (null: unconfirmed), position in the block. */
  sortHeight: number | null;
  position: number | null;
  /** Per input: holder (its number, -1 none), coinbase (1/0). */
  ins: number[];
  /** Per output in index order: index, holder (its number, -1 none). */
  outs: number[];
  values: bigint[];
  /** The outpoints the inputs spend: read only for the peel candidates. */
  prev?: { txid: string; vout: number }[];
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
 * Each transaction is read once and kept as a few numbers (what the detectors read), not as a model transaction; the
 * detectors get their input made one transaction at a time, in block order.
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
  const spenders = db.prepare('SELECT DISTINCT i.prev_vout, t.id FROM inputs i CROSS JOIN txs t ON t.id = i.tx_id WHERE i.prev_txid = ? AND t.chain = ?').raw();
  // Transactions are read in chunks of ids (ascending: inputs and outputs are stored by transaction).
  const ids = 'SELECT value FROM json_each(?)';
  const txRows = db.prepare(`SELECT id, txid, block_hash IS NOT NULL, block_height, block_time, position FROM txs WHERE id IN (${ids})`).raw();
  const insOf = db.prepare(`SELECT i.tx_id, a.address, i.coinbase FROM inputs i LEFT JOIN addresses a ON a.id = i.address_id WHERE i.tx_id IN (${ids}) ORDER BY i.tx_id, i.n`).raw();
  const outsOf = db.prepare(`SELECT o.tx_id, o.n, a.address, o.value FROM outputs o LEFT JOIN addresses a ON a.id = o.address_id WHERE o.tx_id IN (${ids}) ORDER BY o.tx_id, o.n`).raw().safeIntegers(true);
  const prevOf = db.prepare('SELECT prev_txid, prev_vout FROM inputs WHERE tx_id = ? ORDER BY n').raw();
  const confirmed = db.prepare('SELECT count(*) FROM txs WHERE chain = ? AND block_height IS NOT NULL').pluck();
  const before = db.prepare(`SELECT count(*) FROM txs WHERE chain = @chain AND block_height IS NULL
    AND (coalesce(position, -1) < @p OR (coalesce(position, -1) = @p AND id < @id))`).pluck();

  // Each holder string once: a holder is its number here (-1: none).
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const holderId = (address: string | null): number => {
    if (address === null) return -1;
    let k = nameIds.get(address);
    if (k === undefined) nameIds.set(address, (k = names.push(address) - 1));
    return k;
  };
  const name = (k: number): string | null => (k < 0 ? null : names[k]);

  const facts = new Map<number, Fact>();
  /** Read the transactions not read yet, 500 at a time. */
  const loadAll = (wanted: Iterable<number>) => {
    const todo = [...new Set(wanted)].filter((id) => !facts.has(id)).sort((a, b) => a - b);
    for (let c = 0; c < todo.length; c += 500) {
      const chunk = JSON.stringify(todo.slice(c, c + 500));
      const read = new Map<number, Fact>();
      for (const [id, txid, hasBlock, height, time, position] of txRows.all(chunk) as [number, string, number, number | null, number | null, number | null][]) {
        read.set(id, { id, txid, height: hasBlock ? height : null, time: hasBlock ? (time ?? 0) : null, sortHeight: height, position, ins: [], outs: [], values: [] });
      }
      for (const [id, a, coinbase] of insOf.all(chunk) as [number, string | null, number][]) read.get(id)!.ins.push(holderId(a), coinbase === 1 ? 1 : 0);
      for (const [id, n, a, value] of outsOf.all(chunk) as [bigint, bigint, string | null, bigint][]) {
        const f = read.get(Number(id))!;
        f.outs.push(Number(n), holderId(a));
        f.values.push(value);
      }
      for (const [id, f] of read) facts.set(id, f);
    }
  };
  const load = (id: number): Fact => {
    let f = facts.get(id);
    if (!f) {
      loadAll([id]);
      f = facts.get(id)!;
    }
    return f;
  };
  const prev = (id: number) => {
    const f = load(id);
    f.prev ??= (prevOf.all(id) as [string, number][]).map(([txid, vout]) => ({ txid, vout }));
    return f.prev;
  };
  /** Block order: height, position in the block, row; unconfirmed last. */
  const cmpFacts = (x: Fact, y: Fact) =>
    (x.sortHeight === null ? 1 : 0) - (y.sortHeight === null ? 1 : 0) || (x.sortHeight ?? 0) - (y.sortHeight ?? 0) || (x.position ?? -1) - (y.position ?? -1) || x.id - y.id;
  const cmp = (a: number, b: number) => cmpFacts(load(a), load(b));
  const inOrder = (list: Iterable<number>) => {
    const all = [...list];
    loadAll(all);
    return all.map((id) => facts.get(id)!).sort(cmpFacts).map((f) => f.id);
  };

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
  /** The one holder a transaction pays, when it pays one (none of its payers): a sweep or consolidation target. */
  const soleReceiver = (f: Fact): number | null => {
    let receiver = -1;
    for (let k = 1; k < f.outs.length; k += 2) {
      const h = f.outs[k];
      if (h < 0 || h === receiver) continue;
      if (receiver >= 0) return null;
      receiver = h;
    }
    if (receiver < 0) return null;
    for (let k = 0; k < f.ins.length; k += 2) if (f.ins[k + 1] === 0 && f.ins[k] === receiver) return null;
    return receiver;
  };
  const touched: number[] = [];
  const targets = new Set<number>();
  for (const h of new Set(holders)) for (const id of txsOf(h)) touched.push(id);
  loadAll(touched);
  for (const id of touched) {
    const t = soleReceiver(load(id));
    if (t !== null) targets.add(t);
  }
  const payers = new Set<number>();
  const ofTargets = [...targets].map((t) => [t, txsOf(names[t])] as const);
  loadAll(ofTargets.flatMap(([, list]) => list));
  for (const [t, list] of ofTargets) {
    for (const id of list) {
      const f = load(id);
      if (soleReceiver(f) !== t) continue;
      for (let k = 0; k < f.ins.length; k += 2) if (f.ins[k + 1] === 0 && f.ins[k] >= 0) payers.add(f.ins[k]);
    }
  }
  for (const p of payers) txsOf(names[p]);

  // Peel chains: each shaped transaction touching a holder, its chain both ways, and the parents the chain spends.
  const shaped = (f: Fact) => f.outs.length === 4 && f.ins.length >= 2 && f.ins.length <= 4 && f.ins[1] === 0;
  const parentOf = new Map<number, number | null>();
  /** The transaction whose output the detector links `id` to: its first input spending a peel-shaped transaction. */
  const parent = (id: number): number | null => {
    if (parentOf.has(id)) return parentOf.get(id)!;
    let found: number | null = null;
    const f = load(id);
    const ps = prev(id);
    for (let k = 0; k < ps.length; k++) {
      if (f.ins[2 * k + 1] === 1) continue;
      const p = byTxid.get(chain, ps[k].txid) as number | undefined;
      if (p !== undefined && shaped(load(p))) {
        found = p;
        break;
      }
    }
    parentOf.set(id, found);
    return found;
  };
  const height = (id: number) => load(id).height;
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
      idOf.set(load(id).txid, id);
      const p = parent(id);
      if (p !== null) {
        parents.add(p);
        idOf.set(load(p).txid, p);
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
      const f = load(id);
      const rows = spenders.all(f.txid, chain) as [number, number][];
      loadAll(rows.map(([, s]) => s));
      list = [];
      for (let vout = 0; vout < f.outs.length / 2; vout++) {
        for (const [v, s] of rows) if (v === vout && shaped(load(s)) && parent(s) === id) list.push(s);
      }
      spent.set(id, list);
    }
    return list;
  };
  /** A peel candidate as the detector reads it, made when it is read. */
  const peelTx = (id: number): PeelTx => {
    const f = load(id);
    const ps = prev(id);
    const inputs = ps.map((p, k) => ({ prevTxid: p.txid, prevVout: p.vout, coinbase: f.ins[2 * k + 1] === 1, address: name(f.ins[2 * k]), scriptId: null }));
    const outputs: PeelTx['outputs'][number][] = [];
    for (let k = 0; k < f.outs.length; k += 2) outputs.push({ index: f.outs[k], address: name(f.outs[k + 1]), scriptId: null });
    return { txid: f.txid, block: f.time === null ? null : { height: f.height }, inputs, outputs };
  };
  const each = <T>(ids: number[], make: (id: number) => T): Iterable<T> => ({
    *[Symbol.iterator]() {
      for (const id of ids) yield make(id);
    },
  });
  expand(touched.filter((id) => shaped(load(id))));
  // A run may also take a far hop: a spend of an earlier member while a later one is within maxBlocks. Simulate the
  // runs found so far and add such hops until nothing changes. (Not followed: a run that starts with a far hop into an
  // older run that touches no holder; the hit then lacks that older part.)
  for (;;) {
    const grow: number[] = [];
    for (const run of peelChains(each(inOrder(new Set([...chainIds, ...parents])), peelTx), { maxBlocks })) {
      const ids = run.txids.map((t) => idOf.get(t)!);
      for (const id of ids) {
        if (!chainIds.has(id)) continue;
        for (const s of spendersOf(id)) {
          if (chainIds.has(s)) continue;
          // The run's last member before s (members are in block order): binary search.
          let lo = 0;
          let hi = ids.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cmp(ids[mid], s) < 0) lo = mid + 1;
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
  const flow = (id: number): Flow => {
    const f = load(id);
    const from: string[] = [];
    for (let k = 0; k < f.ins.length; k += 2) {
      const h = name(f.ins[k]);
      if (f.ins[k + 1] === 0 && h !== null && !from.includes(h)) from.push(h);
    }
    const to: Flow['to'] = [];
    for (let k = 0; k < f.outs.length; k += 2) {
      const h = name(f.outs[k + 1]);
      if (h !== null) to.push({ holder: h, value: f.values[k / 2] });
    }
    const out: Flow = { txid: f.txid, time: f.time, from, to, asset: 'native' };
    if (f.sortHeight !== null) return out;
    chainTxs ??= confirmed.get(chain) as number;
    return { ...out, seq: chainTxs + (before.get({ chain, p: f.position ?? -1, id }) as number) + 1 };
  };
  return { peel: each(inOrder(new Set([...chainIds, ...parents])), peelTx), fan: each(inOrder(fanIds), flow), visited: facts.size };
}
