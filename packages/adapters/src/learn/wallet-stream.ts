import type { Db } from '../store/sqlite/open.js';

/**
 * One stored transaction as integers: what the feature pass reads. The arrays are reused from one transaction to
 * the next (read them before asking for the next).
 */
export interface IdTx {
  /** The txs row id. */
  id: number;
  height: number;
  /** Block time, unix seconds (0 when unconfirmed). */
  time: number;
  coinbase: boolean;
  /** Per input: the spent output's address id (-1 unknown) and value (-1 unknown). */
  inAddress: number[];
  inValue: number[];
  /** Per spendable output (OP_RETURN left out): address id (-1 none), value, whether it is a script type's code. */
  outAddress: number[];
  outValue: number[];
  outType: string[];
}

/**
 * The chain's transactions in the order of their row ids (the order they were stored in), read by three merged
 * cursors over txs, inputs and outputs: no strings but the script type, only the current transaction held. Values
 * are read as numbers: satoshi amounts are below 2^53 (21 million BTC is 2.1 · 10^15 sat), so they are exact.
 * @example for (const tx of idTransactions(store.db, 'bitcoin')) n += tx.outValue.length
 */
export function* idTransactions(db: Db, chain: string): IterableIterator<IdTx> {
  const txs = db.prepare('SELECT id, coalesce(block_height, 0), coalesce(block_time, 0) FROM txs WHERE chain = ? ORDER BY id').raw();
  const ins = db.prepare('SELECT i.tx_id, i.coinbase, coalesce(i.address_id, -1), coalesce(i.value, -1) FROM inputs i JOIN txs t ON t.id = i.tx_id WHERE t.chain = ? ORDER BY i.tx_id, i.n').raw();
  const outs = db.prepare("SELECT o.tx_id, coalesce(o.address_id, -1), o.value, o.script_type FROM outputs o JOIN txs t ON t.id = o.tx_id WHERE t.chain = ? AND o.script_type <> 'nulldata' ORDER BY o.tx_id, o.n").raw();
  const i = ins.iterate(chain) as IterableIterator<[number, number, number, number]>;
  const o = outs.iterate(chain) as IterableIterator<[number, number, number, string]>;
  let ni = i.next();
  let no = o.next();
  const tx: IdTx = { id: 0, height: 0, time: 0, coinbase: false, inAddress: [], inValue: [], outAddress: [], outValue: [], outType: [] };
  for (const [id, height, time] of txs.iterate(chain) as IterableIterator<[number, number, number]>) {
    tx.id = id;
    tx.height = height;
    tx.time = time;
    tx.coinbase = false;
    tx.inAddress.length = tx.inValue.length = tx.outAddress.length = tx.outValue.length = tx.outType.length = 0;
    while (!ni.done && ni.value[0] === id) {
      if (ni.value[1]) tx.coinbase = true;
      tx.inAddress.push(ni.value[2]);
      tx.inValue.push(ni.value[3]);
      ni = i.next();
    }
    while (!no.done && no.value[0] === id) {
      tx.outAddress.push(no.value[1]);
      tx.outValue.push(no.value[2]);
      tx.outType.push(no.value[3]);
      no = o.next();
    }
    yield tx;
  }
}
