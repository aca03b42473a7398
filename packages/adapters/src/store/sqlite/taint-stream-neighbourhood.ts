import type { Flow, PeelTx } from '@cryptotrace/core';
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
 * What the detectors read of one transaction, kept compact (no model objects; holders as their address row ids, the
 * strings read once at the end for those the detectors get): the neighbourhood of a large case can be most of the
 * chain's transactions.
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
  /** Per input: holder (its address row id, -1 none), coinbase (1/0). */
  ins: number[];
  /** Per output in index order: index, holder (its address row id, -1 none). */
  outs: number[];
  values: bigint[];
  /**
   * Per input: the spent transaction (its txid when the store lacks it), and the output it spends. Read only for the
   * peel candidates and the parents they spend.
   */
  prevs?: (Fact | string)[];
  prevVouts?: number[];
  /** Its place in the block order of the peel candidates (-1: not one). */
  place: number;
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
 *   `maxBlocks`), found in rounds: each links the runs found so far as the detector does (on numbers) and looks again
 *   only at the spends not yet in a chain, until nothing is added. Not followed: a far hop back from a run into an
 *   older run that touches none of the holders (the hit then lacks that older part).
 * Reads go a chunk of ids at a time (500 per query). Each transaction is read once and kept as a few numbers (what the
 * detectors read), not as a model transaction; the detectors get their input made one transaction at a time, in block
 * order.
 * @param db the store's database
 * @param chain a UTXO chain
 * @param holders the case's holders (addresses reached)
 * @param maxBlocks the peel-chain detector's gap between hops
 * @example detectPeelChains(caseNeighbourhood(store.db, 'bitcoin', reached, 2).peel)
 */
export function caseNeighbourhood(db: Db, chain: string, holders: Iterable<string>, maxBlocks: number): CaseNeighbourhood {
  // Every read takes a chunk of ids (or addresses, or txids) at a time, as a JSON array.
  const list = 'SELECT value FROM json_each(?)';
  const addressIds = db.prepare(`SELECT id FROM addresses WHERE chain = ? AND address IN (${list})`).pluck();
  const touching = db.prepare(`SELECT address_id, tx_id FROM outputs WHERE address_id IN (${list}) UNION SELECT address_id, tx_id FROM inputs WHERE address_id IN (${list})`).raw();
  const addressesOf = db.prepare(`SELECT id, address FROM addresses WHERE id IN (${list})`).raw();
  const spendersOf = db.prepare(`SELECT DISTINCT i.prev_txid, i.prev_vout, t.id FROM inputs i CROSS JOIN txs t ON t.id = i.tx_id WHERE i.prev_txid IN (${list}) AND t.chain = ?`).raw();
  // Transactions are read in chunks of ids (ascending: inputs and outputs are stored by transaction).
  const txRows = db.prepare(`SELECT id, txid, block_hash IS NOT NULL, block_height, block_time, position FROM txs WHERE id IN (${list})`).raw();
  // A holder is its address row id here (-1: none); its string is read once, for the transactions the detectors get.
  const insOf = db.prepare(`SELECT tx_id, address_id, coinbase FROM inputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw();
  const outsOf = db.prepare(`SELECT tx_id, n, address_id, value FROM outputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw().safeIntegers(true);
  // The spent transaction's row id; its txid only when the store lacks it.
  const prevsOf = db.prepare(`SELECT i.tx_id, p.id, CASE WHEN p.id IS NULL THEN i.prev_txid END, i.prev_vout FROM inputs i LEFT JOIN txs p ON p.chain = ? AND p.txid = i.prev_txid
    WHERE i.tx_id IN (${list}) ORDER BY i.tx_id, i.n`).raw();
  const CHUNK = 500;
  const chunks = function* <T>(items: readonly T[]) {
    for (let c = 0; c < items.length; c += CHUNK) yield JSON.stringify(items.slice(c, c + CHUNK));
  };

  const facts = new Map<number, Fact>();
  /** Read the transactions not read yet, a chunk at a time. */
  const loadAll = (wanted: Iterable<number>) => {
    const todo = [...new Set(wanted)].filter((id) => !facts.has(id)).sort((a, b) => a - b);
    for (const chunk of chunks(todo)) {
      const read = new Map<number, Fact>();
      for (const [id, txid, hasBlock, height, time, position] of txRows.all(chunk) as [number, string, number, number | null, number | null, number | null][]) {
        read.set(id, { id, txid, height: hasBlock ? height : null, time: hasBlock ? (time ?? 0) : null, sortHeight: height, position, ins: [], outs: [], values: [], place: -1 });
      }
      for (const [id, a, coinbase] of insOf.all(chunk) as [number, number | null, number][]) read.get(id)!.ins.push(a ?? -1, coinbase === 1 ? 1 : 0);
      for (const [id, n, a, value] of outsOf.all(chunk) as [bigint, bigint, bigint | null, bigint][]) {
        const f = read.get(Number(id))!;
        f.outs.push(Number(n), a === null ? -1 : Number(a));
        f.values.push(value);
      }
      for (const [id, f] of read) {
        // Each list at its length (a list grown one push at a time keeps room for more).
        f.ins = f.ins.slice();
        f.outs = f.outs.slice();
        f.values = f.values.slice();
        facts.set(id, f);
      }
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
  /** Block order: height, position in the block, row; unconfirmed last. */
  const cmpFacts = (x: Fact, y: Fact) =>
    (x.sortHeight === null ? 1 : 0) - (y.sortHeight === null ? 1 : 0) || (x.sortHeight ?? 0) - (y.sortHeight ?? 0) || (x.position ?? -1) - (y.position ?? -1) || x.id - y.id;
  const inOrder = (ids: Iterable<number>) => {
    const all = [...ids];
    loadAll(all);
    return all.map((id) => facts.get(id)!).sort(cmpFacts).map((f) => f.id);
  };

  // Fan patterns: the holders, the targets they touch alone, the payers of those targets.
  const fanIds = new Set<number>();
  const seen = new Set<number>();
  /** The transactions of each holder (paying or paid), read a chunk of holders at a time; each one's go to the fan flows once. */
  const txsOf = (hs: Iterable<number>): Map<number, number[]> => {
    const of = new Map<number, number[]>();
    for (const h of hs) of.set(h, []);
    for (const chunk of chunks([...of.keys()])) {
      for (const [h, id] of touching.all(chunk, chunk) as [number, number][]) of.get(h)!.push(id);
    }
    for (const [h, ids] of of) {
      if (seen.has(h)) continue;
      seen.add(h);
      for (const id of ids) fanIds.add(id);
    }
    return of;
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
  const holderIds: number[] = [];
  for (const chunk of chunks([...new Set(holders)])) for (const id of addressIds.all(chain, chunk) as number[]) holderIds.push(id);
  for (const ids of txsOf(holderIds).values()) for (const id of ids) touched.push(id);
  loadAll(touched);
  for (const id of touched) {
    const t = soleReceiver(load(id));
    if (t !== null) targets.add(t);
  }
  const payers = new Set<number>();
  const ofTargets = txsOf(targets);
  loadAll([...ofTargets.values()].flat());
  for (const t of targets) {
    for (const id of ofTargets.get(t)!) {
      const f = load(id);
      if (soleReceiver(f) !== t) continue;
      for (let k = 0; k < f.ins.length; k += 2) if (f.ins[k + 1] === 0 && f.ins[k] >= 0) payers.add(f.ins[k]);
    }
  }
  txsOf(payers);

  // Peel chains: each shaped transaction touching a holder, its chain both ways, and the parents the chain spends.
  const shaped = (f: Fact) => f.outs.length === 4 && f.ins.length >= 2 && f.ins.length <= 4 && f.ins[1] === 0;
  /** The transaction whose output the detector links a candidate to (its first input spending a peel-shaped one), or -1. */
  const parentOf = new Map<number, number>();
  /** Read the outpoints the transactions spend and the transactions they spend, a chunk at a time; settle each one's parent. */
  const settle = (ids: Iterable<number>) => {
    const todo = [...new Set(ids)].filter((id) => !parentOf.has(id)).sort((a, b) => a - b);
    loadAll(todo);
    const rows: [number, number | null, string | null, number][] = [];
    for (const chunk of chunks(todo)) for (const row of prevsOf.all(chain, chunk) as typeof rows) rows.push(row);
    loadAll(rows.filter((r) => r[1] !== null).map((r) => r[1]!));
    for (const id of todo) {
      const f = facts.get(id)!;
      f.prevs = [];
      f.prevVouts = [];
    }
    for (const [id, p, txid, vout] of rows) {
      const f = facts.get(id)!;
      f.prevs!.push(p === null ? txid! : facts.get(p)!);
      f.prevVouts!.push(vout);
    }
    for (const id of todo) {
      const f = facts.get(id)!;
      const ps = f.prevs!;
      let found = -1;
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k];
        if (f.ins[2 * k + 1] === 1 || typeof p === 'string') continue;
        if (shaped(p)) {
          found = p.id;
          break;
        }
      }
      parentOf.set(id, found);
    }
  };
  /** The peel-shaped transactions that spend an output of each one as their first such input, a chunk at a time. */
  const spent = new Map<number, number[]>();
  const settleSpenders = (ids: Iterable<number>) => {
    const todo = [...new Set(ids)].filter((id) => !spent.has(id));
    const rows = new Map<number, [number, number][]>(todo.map((id) => [id, []]));
    const byTxid = new Map(todo.map((id) => [load(id).txid, id]));
    for (const chunk of chunks(todo.map((id) => facts.get(id)!.txid))) {
      for (const [txid, vout, s] of spendersOf.all(chunk, chain) as [string, number, number][]) rows.get(byTxid.get(txid)!)!.push([vout, s]);
    }
    const all = [...rows.values()].flat().map(([, s]) => s);
    loadAll(all);
    settle(all.filter((s) => shaped(facts.get(s)!)));
    for (const [id, list] of rows) {
      const found: number[] = [];
      const outputs = facts.get(id)!.outs.length / 2;
      for (let vout = 0; vout < outputs; vout++) {
        for (const [v, s] of list) if (v === vout && shaped(facts.get(s)!) && parentOf.get(s) === id) found.push(s);
      }
      spent.set(id, found);
    }
  };
  const height = (id: number) => facts.get(id)!.height;
  const near = (later: number, earlier: number) => {
    const a = height(later);
    const b = height(earlier);
    return a !== null && b !== null && a - b <= maxBlocks;
  };
  const chainIds = new Set<number>();
  const parents = new Set<number>();
  /** Candidates found since the last round: added to the block order then. */
  let unplaced: number[] = [];
  /** Spends of a chain member not (yet) in the chain: the far hops a later round may add (member, spender). */
  let pending: Fact[] = [];
  /** Add `start` and the runs they are in by near links (a hop within maxBlocks), both ways; a frontier at a time. */
  const expand = (start: number[]) => {
    let frontier = start;
    while (frontier.length) {
      const fresh = [...new Set(frontier)].filter((id) => !chainIds.has(id));
      for (const id of fresh) {
        chainIds.add(id);
        unplaced.push(id);
      }
      settle(fresh);
      settleSpenders(fresh);
      const next: number[] = [];
      const newParents: number[] = [];
      for (const id of fresh) {
        const p = parentOf.get(id)!;
        if (p >= 0) {
          if (!parents.has(p)) newParents.push(p);
          parents.add(p);
          if (near(id, p)) next.push(p);
        }
        for (const s of spent.get(id)!) {
          if (near(s, id)) next.push(s);
          pending.push(facts.get(id)!, facts.get(s)!);
        }
      }
      // A parent outside the chain is read too: the detector links it to what it spends.
      settle(newParents);
      for (const p of newParents) unplaced.push(p);
      frontier = next;
    }
  };
  expand(touched.filter((id) => shaped(load(id))));

  // A run may also take a far hop: a spend of an earlier member while the run's last member before it is within
  // maxBlocks. Each round links the runs of the transactions found so far as the detector does (on numbers, in block
  // order), adds the far hops it finds (only the spends not yet in a chain are looked at again) and the runs they
  // start, until nothing is added. (Not followed: a run that starts with a far hop into an older run that touches no
  // holder; the hit then lacks that older part.)
  let order: Fact[] = [];
  for (;;) {
    const added = [...new Set(unplaced)].map((id) => facts.get(id)!).filter((f) => f.place < 0).sort(cmpFacts);
    unplaced = [];
    order = mergeOrdered(order, added, cmpFacts);
    const runs = linkRuns(order, maxBlocks);
    const grow: number[] = [];
    const still: Fact[] = [];
    for (let k = 0; k < pending.length; k += 2) {
      const member = pending[k];
      const s = pending[k + 1];
      if (chainIds.has(s.id)) continue;
      still.push(member, s);
      // The run's last member before s (members are in block order): binary search.
      const r = runs.runOf[member.place];
      let lo = runs.start[r];
      let hi = runs.start[r + 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmpFacts(order[runs.members[mid]], s) < 0) lo = mid + 1;
        else hi = mid;
      }
      const last = lo > runs.start[r] ? order[runs.members[lo - 1]].height : null;
      if (s.height !== null && last !== null && s.height - last <= maxBlocks) grow.push(s.id);
    }
    pending = still;
    if (!grow.length) break;
    expand(grow);
  }

  const fan = inOrder(fanIds).map((id) => facts.get(id)!);
  const visited = facts.size;
  // The detectors' input is made from these alone (a spent transaction by its txid): the rest of what was read is let go.
  for (const f of order) {
    f.prevs = f.prevs!.map((p) => (typeof p === 'string' ? p : p.txid));
    f.prevVouts = f.prevVouts!.slice();
  }
  // The holders' strings, each read once.
  const names = new Map<number, string>();
  for (const f of [...order, ...fan]) {
    for (let k = 0; k < f.ins.length; k += 2) if (f.ins[k] >= 0) names.set(f.ins[k], '');
    for (let k = 1; k < f.outs.length; k += 2) if (f.outs[k] >= 0) names.set(f.outs[k], '');
  }
  for (const chunk of chunks([...names.keys()])) for (const [id, address] of addressesOf.all(chunk) as [number, string][]) names.set(id, address);
  return detectorInput(db, chain, names, order, fan, visited);
}

/** The detectors' input, each transaction made when it is read: the peel candidates and the fan flows, in block order. */
function detectorInput(db: Db, chain: string, names: Map<number, string>, peel: Fact[], fan: Fact[], visited: number): CaseNeighbourhood {
  const confirmed = db.prepare('SELECT count(*) FROM txs WHERE chain = ? AND block_height IS NOT NULL').pluck();
  const before = db.prepare(`SELECT count(*) FROM txs WHERE chain = @chain AND block_height IS NULL
    AND (coalesce(position, -1) < @p OR (coalesce(position, -1) = @p AND id < @id))`).pluck();
  const name = (k: number): string | null => (k < 0 ? null : names.get(k)!);
  let chainTxs: number | undefined;
  const flow = (f: Fact): Flow => {
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
    return { ...out, seq: chainTxs + (before.get({ chain, p: f.position ?? -1, id: f.id }) as number) + 1 };
  };
  const peelTx = (f: Fact): PeelTx => {
    const ps = f.prevs!;
    const inputs: PeelTx['inputs'][number][] = [];
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k];
      inputs.push({ prevTxid: typeof p === 'string' ? p : p.txid, prevVout: f.prevVouts![k], coinbase: f.ins[2 * k + 1] === 1, address: name(f.ins[2 * k]), scriptId: null });
    }
    const outputs: PeelTx['outputs'][number][] = [];
    for (let k = 0; k < f.outs.length; k += 2) outputs.push({ index: f.outs[k], address: name(f.outs[k + 1]), scriptId: null });
    return { txid: f.txid, block: f.time === null ? null : { height: f.height }, inputs, outputs };
  };
  const each = <T>(facts: Fact[], make: (f: Fact) => T): Iterable<T> => ({
    *[Symbol.iterator]() {
      for (const f of facts) yield make(f);
    },
  });
  return { peel: each(peel, peelTx), fan: each(fan, flow), visited };
}

/** Two lists each in order, merged in order. */
function mergeOrdered<T>(a: T[], b: T[], cmp: (x: T, y: T) => number): T[] {
  if (!b.length) return a;
  const out: T[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** The runs as the peel-chain detector links them, on numbers: each place's run, and each run's members in order. */
interface LinkedRuns {
  /** Per place in the order given: its run. */
  runOf: Int32Array;
  /** Run r's members (places, ascending) are members[start[r]] .. members[start[r + 1] - 1]. */
  start: Int32Array;
  members: Int32Array;
}

/**
 * Link peel-shaped transactions (all of `order`, in block order; each one's place is set here) into runs exactly as
 * `peelChains` does, on numbers: a transaction joins the run of the first output it spends that is still unspent
 * among those before it, when it is within `maxBlocks` of that run's last member; otherwise it starts a run.
 */
function linkRuns(order: Fact[], maxBlocks: number): LinkedRuns {
  const n = order.length;
  for (let i = 0; i < n; i++) order[i].place = i;
  const runOf = new Int32Array(n);
  // Per place: which of its two outputs are unspent (bit 1: the first, bit 2: the second); set once it is linked.
  const open = new Uint8Array(n);
  const runHeight = new Float64Array(n);
  let runs = 0;
  for (let i = 0; i < n; i++) {
    const f = order[i];
    const ps = f.prevs!;
    const vouts = f.prevVouts!;
    let prev = -1;
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k];
      if (typeof p === 'string' || p.place < 0) continue;
      const j = p.place;
      const bit = vouts[k] === p.outs[0] ? 1 : vouts[k] === p.outs[2] ? 2 : 0;
      if (!(open[j] & bit)) continue;
      if (prev < 0) prev = j;
      open[j] &= ~bit;
    }
    const h = f.height;
    const last = prev < 0 ? NaN : runHeight[runOf[prev]];
    let r: number;
    if (prev >= 0 && h !== null && !Number.isNaN(last) && h - last <= maxBlocks) r = runOf[prev];
    else r = runs++;
    runOf[i] = r;
    runHeight[r] = h ?? NaN;
    open[i] = 3;
  }
  const start = new Int32Array(runs + 1);
  for (let i = 0; i < n; i++) start[runOf[i] + 1]++;
  for (let r = 0; r < runs; r++) start[r + 1] += start[r];
  const fill = start.slice(0, runs);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[runOf[i]]++] = i;
  return { runOf, start, members };
}
