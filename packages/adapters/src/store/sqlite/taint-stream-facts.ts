import { room } from '@cryptotrace/core';
import type { Db } from './open.js';

/** Ids (or addresses, or txids) per read: each read takes a chunk of them as a JSON array. */
export const CHUNK = 500;

/** The items a chunk at a time, each chunk as the JSON array a read takes. */
export function* chunks<T>(items: readonly T[]): Generator<string> {
  for (let c = 0; c < items.length; c += CHUNK) yield JSON.stringify(items.slice(c, c + CHUNK));
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
  /** A transaction's fact number by its row id. */
  of: Map<number, number>;
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
  /** Read the transactions (by row id) not read yet, a chunk at a time. */
  load(ids: Iterable<number>): void;
  /**
   * Read the outpoints the transactions (fact numbers) spend, a chunk at a time, into `prevFact`, `prevVout` and
   * `missing`, and the spent transactions the store holds.
   */
  loadSpent(fs: readonly number[]): void;
}

/**
 * An empty fact table over a store's chain, filled by its `load`.
 * @example const facts = createFacts(db, 'bitcoin'); facts.load([1, 2]); facts.txid[facts.of.get(1)!]
 */
export function createFacts(db: Db, chain: string): Facts {
  const list = 'SELECT value FROM json_each(?)';
  // Transactions are read in chunks of ids (ascending: inputs and outputs are stored by transaction).
  const txRows = db.prepare(`SELECT id, txid, block_hash IS NOT NULL, block_height, block_time, position FROM txs WHERE id IN (${list}) ORDER BY id`).raw();
  const insOf = db.prepare(`SELECT tx_id, address_id, coinbase FROM inputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw();
  // Values are exact (64-bit) integers, so this read gives bigints.
  const outsOf = db.prepare(`SELECT tx_id, n, address_id, value FROM outputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw().safeIntegers(true);
  // The spent transaction's row id of each input; its txid only when the store lacks it.
  const prevsOf = db.prepare(`SELECT i.tx_id, p.id, CASE WHEN p.id IS NULL THEN i.prev_txid END, i.prev_vout FROM inputs i LEFT JOIN txs p ON p.chain = ? AND p.txid = i.prev_txid
    WHERE i.tx_id IN (${list}) ORDER BY i.tx_id, i.n`).raw();
  const t: Facts = {
    count: 0, of: new Map(), rowId: new Float64Array(0), txid: [], inBlock: new Uint8Array(0), blockHeight: new Float64Array(0), blockTime: new Float64Array(0), position: new Float64Array(0),
    inStart: new Int32Array(1), inHolder: new Float64Array(0), inCoinbase: new Uint8Array(0), prevFact: new Float64Array(0), prevVout: new Float64Array(0), missing: new Map(),
    outStart: new Int32Array(1), outIndex: new Float64Array(0), outHolder: new Float64Array(0), outValue: new BigInt64Array(0),
    load: (ids) => {
      const todo = [...new Set(ids)].filter((id) => !t.of.has(id)).sort((a, b) => a - b);
      for (const chunk of chunks(todo)) readChunk(chunk);
    },
    loadSpent: (fs) => {
      for (const chunk of chunks(fs.map((f) => t.rowId[f]))) readSpent(chunk);
    },
  };
  const orNaN = (x: number | null) => (x === null ? NaN : x);
  /** Append a chunk's transactions (ascending row ids), then their inputs and outputs (in the same order). */
  const readChunk = (chunk: string) => {
    const first = t.count;
    for (const [id, txid, hasBlock, height, time, position] of txRows.all(chunk) as [number, string, number, number | null, number | null, number | null][]) {
      const f = t.count++;
      grow(t.count);
      t.of.set(id, f);
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
    for (const [id, a, coinbase] of insOf.all(chunk) as [number, number | null, number][]) {
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
    for (const [id, index, a, value] of outsOf.all(chunk) as [bigint, bigint, bigint | null, bigint][]) {
      while (t.rowId[f] !== Number(id)) t.outStart[++f] = n;
      t.outIndex = room(t.outIndex, n + 1);
      t.outHolder = room(t.outHolder, n + 1);
      t.outValue = room(t.outValue, n + 1);
      t.outIndex[n] = Number(index);
      t.outHolder[n] = a === null ? -1 : Number(a);
      t.outValue[n++] = value;
    }
    while (f < t.count) t.outStart[++f] = n;
  };
  /** Set the chunk's spent outpoints; the spent transactions are read, then their fact numbers set. */
  const readSpent = (chunk: string) => {
    // (input slot, spent row id) pairs.
    const spent: number[] = [];
    let id = -1;
    let slot = 0;
    for (const [txId, p, txid, vout] of prevsOf.all(chain, chunk) as [number, number | null, string | null, number][]) {
      // A transaction's rows come together, one per input in input order.
      if (txId !== id) slot = t.inStart[t.of.get((id = txId))!];
      t.prevVout[slot] = vout;
      if (p === null) {
        t.prevFact[slot] = -1;
        t.missing.set(slot, txid!);
      } else spent.push(slot, p);
      slot++;
    }
    t.load(spent.filter((_, k) => k % 2 === 1));
    for (let k = 0; k < spent.length; k += 2) t.prevFact[spent[k]] = t.of.get(spent[k + 1])!;
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
