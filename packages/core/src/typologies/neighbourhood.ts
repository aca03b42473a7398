import { room } from '../typed-column.js';
import type { Flow } from './flows.js';
import { type Facts, type NeighbourhoodReads, createFacts } from './neighbourhood-facts.js';
import { type PeelTx, peelLinker } from './peel-chain.js';

/** Transactions whose spenders are looked up together (their outputs' spenders are held only while settled). */
const SPENDER_BATCH = 500;

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
 * The store gives rows of ids and facts ({@link NeighbourhoodReads}); each transaction is read once into the columns
 * of a fact table ({@link createFacts}: a few numbers per transaction, input and output, no object per transaction),
 * and the walk below works on fact numbers; the detectors get their input made from the columns one transaction at a
 * time, in block order.
 * @param reads the store's reads (the SQLite store's: `neighbourhoodReads(db, chain)` of @cryptotrace/adapters)
 * @param holders the case's holders (addresses reached)
 * @param maxBlocks the peel-chain detector's gap between hops
 * @example detectPeelChains(neighbourhoodOf(neighbourhoodReads(store.db, 'bitcoin'), reached, 2).peel)
 */
export function neighbourhoodOf(reads: NeighbourhoodReads, holders: Iterable<string>, maxBlocks: number): CaseNeighbourhood {
  // Each transaction is read once, into the fact table (by its fact number below, its row id only where read).
  const t = createFacts(reads);
  // Per fact, set here: its place in the block order of the peel candidates (-1: not one); the parent the detector
  // links it to (-1: none, -2: not settled yet); where its spenders are in `spends` (-1: not settled yet); 1 when it
  // is in a chain.
  let place = new Int32Array(0);
  let parent = new Int32Array(0);
  let spentAt = new Int32Array(0);
  let inChain = new Uint8Array(0);
  /** Grow the columns above to the transactions read. */
  const fit = () => {
    place = room(place, t.count, -1);
    parent = room(parent, t.count, -2);
    spentAt = room(spentAt, t.count, -1);
    inChain = room(inChain, t.count);
  };
  /** Read the transactions (row ids) not read yet. */
  const loadAll = (ids: Iterable<number>) => {
    t.load(ids);
    fit();
  };
  /** The fact number of a transaction (row id), read if it was not. */
  const load = (id: number): number => {
    if (t.factOf(id) < 0) loadAll([id]);
    return t.factOf(id);
  };
  /** The block's height (null: unconfirmed, or confirmed at an unknown height). */
  const height = (f: number): number | null => (t.inBlock[f] && !Number.isNaN(t.blockHeight[f]) ? t.blockHeight[f] : null);
  /** Block order: height, position in the block, row; unconfirmed last. */
  const cmpFacts = (x: number, y: number) => {
    const hx = t.blockHeight[x];
    const hy = t.blockHeight[y];
    return (Number.isNaN(hx) ? 1 : 0) - (Number.isNaN(hy) ? 1 : 0) || (Number.isNaN(hx) ? 0 : hx) - (Number.isNaN(hy) ? 0 : hy)
      || (Number.isNaN(t.position[x]) ? -1 : t.position[x]) - (Number.isNaN(t.position[y]) ? -1 : t.position[y]) || t.rowId[x] - t.rowId[y];
  };
  const inOrder = (ids: Iterable<number>): number[] => {
    const all = [...ids];
    loadAll(all);
    return all.map((id) => t.factOf(id)).sort(cmpFacts);
  };

  // Fan patterns: the holders, the targets they touch alone, the payers of those targets.
  const fanIds = new Set<number>();
  const seen = new Set<number>();
  /** The transactions of each holder (paying or paid); each one's go to the fan flows once. */
  const txsOf = (hs: Iterable<number>): Map<number, number[]> => {
    const of = new Map<number, number[]>();
    for (const h of hs) of.set(h, []);
    for (const [h, id] of reads.transactionsOf([...of.keys()])) of.get(h)!.push(id);
    for (const [h, ids] of of) {
      if (seen.has(h)) continue;
      seen.add(h);
      for (const id of ids) fanIds.add(id);
    }
    return of;
  };
  /** The one holder a transaction pays, when it pays one (none of its payers): a sweep or consolidation target. */
  const soleReceiver = (f: number): number | null => {
    let receiver = -1;
    for (let o = t.outStart[f]; o < t.outStart[f + 1]; o++) {
      const h = t.outHolder[o];
      if (h < 0 || h === receiver) continue;
      if (receiver >= 0) return null;
      receiver = h;
    }
    if (receiver < 0) return null;
    for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) if (t.inCoinbase[i] === 0 && t.inHolder[i] === receiver) return null;
    return receiver;
  };
  const touched: number[] = [];
  const targets = new Set<number>();
  const holderIds: number[] = [];
  for (const id of reads.addressIds([...new Set(holders)])) holderIds.push(id);
  for (const ids of txsOf(holderIds).values()) for (const id of ids) touched.push(id);
  loadAll(touched);
  for (const id of touched) {
    const r = soleReceiver(load(id));
    if (r !== null) targets.add(r);
  }
  const payers = new Set<number>();
  const ofTargets = txsOf(targets);
  loadAll([...ofTargets.values()].flat());
  for (const r of targets) {
    for (const id of ofTargets.get(r)!) {
      const f = load(id);
      if (soleReceiver(f) !== r) continue;
      for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) if (t.inCoinbase[i] === 0 && t.inHolder[i] >= 0) payers.add(t.inHolder[i]);
    }
  }
  txsOf(payers);

  // Peel chains: each shaped transaction touching a holder, its chain both ways, and the parents the chain spends.
  const shaped = (f: number) => t.outStart[f + 1] - t.outStart[f] === 2 && t.inStart[f + 1] - t.inStart[f] >= 1 && t.inStart[f + 1] - t.inStart[f] <= 2 && t.inCoinbase[t.inStart[f]] === 0;
  /** Read the outpoints the transactions (fact numbers) spend and the transactions they spend; settle each one's parent (the first spent transaction that is peel-shaped). */
  const settle = (fs: Iterable<number>) => {
    const todo = [...new Set(fs)].filter((f) => parent[f] === -2).sort((a, b) => t.rowId[a] - t.rowId[b]);
    t.loadSpent(todo);
    fit();
    for (const f of todo) {
      let found = -1;
      for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) {
        const p = t.prevFact[i];
        if (t.inCoinbase[i] === 1 || p < 0) continue;
        if (shaped(p)) {
          found = p;
          break;
        }
      }
      parent[f] = found;
    }
  };
  /** At spentAt[f], for each settled fact f: how many spenders, then each (the peel-shaped ones linked to it, by output). */
  const spends: number[] = [];
  /** The spenders of fact f (after settleSpenders). */
  const spentBy = (f: number) => spends.slice(spentAt[f] + 1, spentAt[f] + 1 + spends[spentAt[f]]);
  /** The peel-shaped transactions that spend an output of each one as their first such input, a chunk at a time. */
  const settleSpenders = (fs: Iterable<number>) => {
    const todo = [...new Set(fs)].filter((f) => spentAt[f] < 0);
    // A batch at a time, from the read to the spenders found (what is read for one batch is let go before the next).
    for (let c = 0; c < todo.length; c += SPENDER_BATCH) {
      const part = todo.slice(c, c + SPENDER_BATCH);
      // (vout, spender row id) pairs of each one.
      const rows = new Map<number, number[]>(part.map((f) => [f, []]));
      const byTxid = new Map(part.map((f) => [t.txid[f], f]));
      for (const [txid, vout, s] of reads.spenders(part.map((f) => t.txid[f]))) rows.get(byTxid.get(txid)!)!.push(vout, s);
      const all = [...rows.values()].flatMap((r) => r.filter((_, k) => k % 2 === 1));
      loadAll(all);
      settle(all.map((s) => t.factOf(s)).filter(shaped));
      for (const [f, r] of rows) {
        spentAt[f] = spends.length;
        spends.push(0);
        const outputs = t.outStart[f + 1] - t.outStart[f];
        for (let vout = 0; vout < outputs; vout++) {
          for (let k = 0; k < r.length; k += 2) {
            const s = t.factOf(r[k + 1]);
            if (r[k] === vout && shaped(s) && parent[s] === f) spends.push(s);
          }
        }
        spends[spentAt[f]] = spends.length - spentAt[f] - 1;
      }
    }
  };
  const near = (later: number, earlier: number) => {
    const a = height(later);
    const b = height(earlier);
    return a !== null && b !== null && a - b <= maxBlocks;
  };
  /** Candidates found since the last round: added to the block order then. */
  let unplaced: number[] = [];
  /** Spends of a chain member not (yet) in the chain: the far hops a later round may add (member, spender pairs). */
  let pending: number[] = [];
  const parents = new Set<number>();
  /** Add `start` and the runs they are in by near links (a hop within maxBlocks), both ways; a frontier at a time. */
  const expand = (start: number[]) => {
    let frontier = start;
    while (frontier.length) {
      const fresh = [...new Set(frontier)].filter((f) => !inChain[f]);
      for (const f of fresh) {
        inChain[f] = 1;
        unplaced.push(f);
      }
      settle(fresh);
      settleSpenders(fresh);
      const next: number[] = [];
      const newParents: number[] = [];
      for (const f of fresh) {
        const p = parent[f];
        if (p >= 0) {
          if (!parents.has(p)) newParents.push(p);
          parents.add(p);
          if (near(f, p)) next.push(p);
        }
        for (const s of spentBy(f)) {
          if (near(s, f)) next.push(s);
          pending.push(f, s);
        }
      }
      // A parent outside the chain is read too: the detector links it to what it spends.
      settle(newParents);
      for (const p of newParents) unplaced.push(p);
      frontier = next;
    }
  };
  expand(touched.map((id) => t.factOf(id)).filter(shaped));

  // A run may also take a far hop: a spend of an earlier member while the run's last member before it is within
  // maxBlocks. Each round links the runs of the transactions found so far as the detector does (on numbers, in block
  // order), adds the far hops it finds (only the spends not yet in a chain are looked at again) and the runs they
  // start, until nothing is added. (Not followed: a run that starts with a far hop into an older run that touches no
  // holder; the hit then lacks that older part.)
  let order: number[] = [];
  for (;;) {
    const added = [...new Set(unplaced)].filter((f) => place[f] < 0).sort(cmpFacts);
    unplaced = [];
    order = mergeOrdered(order, added, cmpFacts);
    for (let k = 0; k < order.length; k++) place[order[k]] = k;
    const runs = linkRuns(t, order, place, maxBlocks);
    const grow: number[] = [];
    const still: number[] = [];
    for (let k = 0; k < pending.length; k += 2) {
      const member = pending[k];
      const s = pending[k + 1];
      if (inChain[s]) continue;
      still.push(member, s);
      // The run's last member before s (members are in block order): binary search.
      const r = runs.runOf[place[member]];
      let lo = runs.start[r];
      let hi = runs.start[r + 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmpFacts(order[runs.members[mid]], s) < 0) lo = mid + 1;
        else hi = mid;
      }
      const last = lo > runs.start[r] ? height(order[runs.members[lo - 1]]) : null;
      const h = height(s);
      if (h !== null && last !== null && h - last <= maxBlocks) grow.push(s);
    }
    pending = still;
    if (!grow.length) break;
    expand(grow);
  }

  const fan = inOrder(fanIds);
  const visited = t.count;
  // The holders' strings, each read once.
  const names = new Map<number, string>();
  for (const f of [...order, ...fan]) {
    for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) if (t.inHolder[i] >= 0) names.set(t.inHolder[i], '');
    for (let o = t.outStart[f]; o < t.outStart[f + 1]; o++) if (t.outHolder[o] >= 0) names.set(t.outHolder[o], '');
  }
  for (const [id, address] of reads.addresses([...names.keys()])) names.set(id, address);
  return detectorInput(reads, t, names, order, fan, visited);
}

/** The detectors' input, each transaction made when it is read: the peel candidates and the fan flows, in block order. */
function detectorInput(reads: NeighbourhoodReads, t: Facts, names: Map<number, string>, peel: number[], fan: number[], visited: number): CaseNeighbourhood {
  const name = (k: number): string | null => (k < 0 ? null : names.get(k)!);
  /** Block time (0 when the store has none); null when unconfirmed. */
  const time = (f: number): number | null => (t.inBlock[f] ? (Number.isNaN(t.blockTime[f]) ? 0 : t.blockTime[f]) : null);
  let chainTxs: number | undefined;
  const flow = (f: number): Flow => {
    const from: string[] = [];
    for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) {
      const h = name(t.inHolder[i]);
      if (t.inCoinbase[i] === 0 && h !== null && !from.includes(h)) from.push(h);
    }
    const to: Flow['to'] = [];
    for (let o = t.outStart[f]; o < t.outStart[f + 1]; o++) {
      const h = name(t.outHolder[o]);
      if (h !== null) to.push({ holder: h, value: t.outValue[o] });
    }
    const out: Flow = { txid: t.txid[f], time: time(f), from, to, asset: 'native' };
    if (!Number.isNaN(t.blockHeight[f])) return out;
    chainTxs ??= reads.confirmedCount();
    const p = Number.isNaN(t.position[f]) ? -1 : t.position[f];
    return { ...out, seq: chainTxs + reads.unconfirmedBefore(p, t.rowId[f]) + 1 };
  };
  const peelTx = (f: number): PeelTx => {
    const inputs: PeelTx['inputs'][number][] = [];
    for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) {
      const p = t.prevFact[i];
      inputs.push({ prevTxid: p < 0 ? t.missing.get(i)! : t.txid[p], prevVout: t.prevVout[i], coinbase: t.inCoinbase[i] === 1, address: name(t.inHolder[i]), scriptId: null });
    }
    const outputs: PeelTx['outputs'][number][] = [];
    for (let o = t.outStart[f]; o < t.outStart[f + 1]; o++) outputs.push({ index: t.outIndex[o], address: name(t.outHolder[o]), scriptId: null });
    const height = Number.isNaN(t.blockHeight[f]) ? null : t.blockHeight[f];
    return { txid: t.txid[f], block: t.inBlock[f] ? { height } : null, inputs, outputs };
  };
  const each = <T>(fs: number[], make: (f: number) => T): Iterable<T> => ({
    *[Symbol.iterator]() {
      for (const f of fs) yield make(f);
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
 * Link peel-shaped transactions (all of `order`, fact numbers in block order, each at its `place`) into runs by the
 * detector's own rule ({@link peelLinker}), on numbers.
 */
function linkRuns(t: Facts, order: number[], place: Int32Array, maxBlocks: number): LinkedRuns {
  const n = order.length;
  const link = peelLinker(maxBlocks);
  const runOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const f = order[k];
    let first = -1;
    for (let i = t.inStart[f]; i < t.inStart[f + 1]; i++) {
      const p = t.prevFact[i];
      if (p < 0 || place[p] < 0) continue;
      const vout = t.prevVout[i];
      const out = vout === t.outIndex[t.outStart[p]] ? 0 : vout === t.outIndex[t.outStart[p] + 1] ? 1 : -1;
      if (out >= 0 && link.spend(place[p], out) && first < 0) first = place[p];
    }
    runOf[k] = link.add(first, t.inBlock[f] && !Number.isNaN(t.blockHeight[f]) ? t.blockHeight[f] : null);
  }
  let runs = 0;
  for (let k = 0; k < n; k++) runs = Math.max(runs, runOf[k] + 1);
  const start = new Int32Array(runs + 1);
  for (let k = 0; k < n; k++) start[runOf[k] + 1]++;
  for (let r = 0; r < runs; r++) start[r + 1] += start[r];
  const fill = start.slice(0, runs);
  const members = new Int32Array(n);
  for (let k = 0; k < n; k++) members[fill[runOf[k]]++] = k;
  return { runOf, start, members };
}
