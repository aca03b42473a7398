import { room } from '../typed-column.js';

/**
 * What the store gives the neighbourhood walk ({@link neighbourhoodOf}): rows of compact ids and facts, read by row ids
 * (or txids, or addresses) in whatever chunks suit the store. Row ids are the store's own (dense integers); holders are
 * address row ids, their strings read only for the transactions the detectors get. A second store (a server engine)
 * implements these and gets the same walk.
 */
export interface NeighbourhoodReads {
  /** The row ids of the addresses the store holds (any order). */
  addressIds(addresses: readonly string[]): Iterable<number>;
  /** (address id, transaction row id): every transaction paying or spent by each address (each pair once, any order). */
  transactionsOf(addressIds: readonly number[]): Iterable<readonly [number, number]>;
  /** The transactions, ascending by row id: id, txid, in a block (1/0), block height, block time, position (null: none). */
  transactions(ids: readonly number[]): Iterable<readonly [number, string, number, number | null, number | null, number | null]>;
  /** Their inputs, by transaction (ascending row id) then input order: transaction id, address id (null: none), coinbase (1/0). */
  inputs(ids: readonly number[]): Iterable<readonly [number, number | null, number]>;
  /** Their outputs, by transaction (ascending row id) then index: transaction id, index, address id (null: none), value. */
  outputs(ids: readonly number[]): Iterable<readonly [number, number, number | null, bigint]>;
  /**
   * What their inputs spend, by transaction (in the order given, each one's rows together) then input order: transaction
   * id, the spent transaction's row id (null: the store lacks it), its txid only when the store lacks it, the output spent.
   */
  spent(ids: readonly number[]): Iterable<readonly [number, number | null, string | null, number]>;
  /** (spent txid, vout, spender row id): the transactions spending an output of each txid (each triple once). */
  spenders(txids: readonly string[]): Iterable<readonly [string, number, number]>;
  /** (address id, address). */
  addresses(ids: readonly number[]): Iterable<readonly [number, string]>;
  /** Confirmed transactions of the chain. */
  confirmedCount(): number;
  /** Unconfirmed transactions of the chain before (position, row id): position (-1 when none) then row id. */
  unconfirmedBefore(position: number, id: number): number;
}

/**
 * What the typology detectors read of the transactions of a case's neighbourhood, as columns indexed by a dense fact
 * number (0, 1, ... in the order read): a few numbers per transaction, input and output, no object per transaction,
 * since the neighbourhood of a large case can be most of the chain's transactions. Holders are address row ids (-1:
 * none), their strings read once at the end for the transactions the detectors get. Reads append; a column may be
 * replaced by a longer one on each read, so read it from here each time.
 */
export interface Facts {
  /** Transactions read. */
  count: number;
  /** A transaction's fact number by its row id (-1: not read). */
  factOf(id: number): number;
  rowId: Float64Array;
  txid: string[];
  /** 1 when the transaction is in a block (block_hash set), else 0. */
  inBlock: Uint8Array;
  /** Block height, block time, position in the block as stored (NaN: none). */
  blockHeight: Float64Array;
  blockTime: Float64Array;
  position: Float64Array;
  /** Fact f's inputs are the slots inStart[f] .. inStart[f + 1] - 1, in input order. */
  inStart: Int32Array;
  inHolder: Float64Array;
  /** 1: a coinbase input. */
  inCoinbase: Uint8Array;
  /**
   * Per input, set by `loadSpent` only (for the peel candidates and the parents they spend): the spent
   * transaction's fact number (-1: the store lacks it, its txid then in `missing` by slot), and the output it spends.
   */
  prevFact: Float64Array;
  prevVout: Float64Array;
  missing: Map<number, string>;
  /** Fact f's outputs are the slots outStart[f] .. outStart[f + 1] - 1, in index order: index, holder, value. */
  outStart: Int32Array;
  outIndex: Float64Array;
  outHolder: Float64Array;
  outValue: BigInt64Array;
  /** Read the transactions (by row id) not read yet. */
  load(ids: Iterable<number>): void;
  /**
   * Read the outpoints the transactions (fact numbers) spend into `prevFact`, `prevVout` and
   * `missing`, and the spent transactions the store holds.
   */
  loadSpent(fs: readonly number[]): void;
}

/**
 * An empty fact table over a store's reads, filled by its `load`.
 * @example const facts = createFacts(reads); facts.load([1, 2]); facts.txid[facts.factOf(1)]
 */
export function createFacts(reads: NeighbourhoodReads): Facts {
  // Per row id: its fact number + 1 (0: not read); row ids are dense, so an array indexed by them.
  let factPlusOne = new Int32Array(0);
  const factOf = (id: number) => (id < factPlusOne.length ? factPlusOne[id] - 1 : -1);
  const t: Facts = {
    count: 0, factOf, rowId: new Float64Array(0), txid: [], inBlock: new Uint8Array(0), blockHeight: new Float64Array(0), blockTime: new Float64Array(0), position: new Float64Array(0),
    inStart: new Int32Array(1), inHolder: new Float64Array(0), inCoinbase: new Uint8Array(0), prevFact: new Float64Array(0), prevVout: new Float64Array(0), missing: new Map(),
    outStart: new Int32Array(1), outIndex: new Float64Array(0), outHolder: new Float64Array(0), outValue: new BigInt64Array(0),
    load: (ids) => {
      const todo = [...new Set(ids)].filter((id) => factOf(id) < 0).sort((a, b) => a - b);
      if (todo.length) readAll(todo);
    },
    loadSpent: (fs) => {
      if (fs.length) readSpent(fs.map((f) => t.rowId[f]));
    },
  };
  const orNaN = (x: number | null) => (x === null ? NaN : x);
  /** Append the transactions (ascending row ids), then their inputs and outputs (in the same order). */
  const readAll = (ids: number[]) => {
    const first = t.count;
    for (const [id, txid, hasBlock, height, time, position] of reads.transactions(ids)) {
      const f = t.count++;
      grow(t.count);
      factPlusOne = room(factPlusOne, id + 1);
      factPlusOne[id] = f + 1;
      t.rowId[f] = id;
      t.txid[f] = txid;
      t.inBlock[f] = hasBlock;
      t.blockHeight[f] = orNaN(height);
      t.blockTime[f] = orNaN(time);
      t.position[f] = orNaN(position);
    }
    // Rows come by transaction, in fact order: each fact's slots start where the one before ended.
    let f = first;
    let n = t.inStart[f];
    for (const [id, a, coinbase] of reads.inputs(ids)) {
      while (t.rowId[f] !== id) t.inStart[++f] = n;
      t.inHolder = room(t.inHolder, n + 1);
      t.inCoinbase = room(t.inCoinbase, n + 1);
      t.prevFact = room(t.prevFact, n + 1);
      t.prevVout = room(t.prevVout, n + 1);
      t.inHolder[n] = a ?? -1;
      t.inCoinbase[n++] = coinbase === 1 ? 1 : 0;
    }
    while (f < t.count) t.inStart[++f] = n;
    f = first;
    n = t.outStart[f];
    for (const [id, index, a, value] of reads.outputs(ids)) {
      while (t.rowId[f] !== id) t.outStart[++f] = n;
      t.outIndex = room(t.outIndex, n + 1);
      t.outHolder = room(t.outHolder, n + 1);
      t.outValue = room(t.outValue, n + 1);
      t.outIndex[n] = index;
      t.outHolder[n] = a ?? -1;
      t.outValue[n++] = value;
    }
    while (f < t.count) t.outStart[++f] = n;
  };
  /** Set the spent outpoints; the spent transactions are read, then their fact numbers set. */
  const readSpent = (ids: number[]) => {
    // (input slot, spent row id) pairs.
    const spent: number[] = [];
    let id = -1;
    let slot = 0;
    for (const [txId, p, txid, vout] of reads.spent(ids)) {
      // A transaction's rows come together, one per input in input order.
      if (txId !== id) slot = t.inStart[factOf((id = txId))];
      t.prevVout[slot] = vout;
      if (p === null) {
        t.prevFact[slot] = -1;
        t.missing.set(slot, txid!);
      } else spent.push(slot, p);
      slot++;
    }
    t.load(spent.filter((_, k) => k % 2 === 1));
    for (let k = 0; k < spent.length; k += 2) t.prevFact[spent[k]] = factOf(spent[k + 1]);
  };
  const grow = (n: number) => {
    t.rowId = room(t.rowId, n);
    t.inBlock = room(t.inBlock, n);
    t.blockHeight = room(t.blockHeight, n);
    t.blockTime = room(t.blockTime, n);
    t.position = room(t.position, n);
    t.inStart = room(t.inStart, n + 1);
    t.outStart = room(t.outStart, n + 1);
  };
  return t;
}
