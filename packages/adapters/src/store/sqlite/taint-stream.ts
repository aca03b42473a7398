import type { UtxoInput, UtxoOutput, UtxoTransaction, ScriptType } from '@cryptotrace/core';
import type { Db } from './open.js';

export interface StreamUtxoOptions {
  /** forward: oldest block first (default); backward: newest first. */
  direction?: 'forward' | 'backward';
  /** Only blocks at or above (forward) / at or below (backward) this height. */
  fromHeight?: number;
}

/**
 * Stream a chain's UTXO transactions in block order (by height, then position in the block; unconfirmed last), or in
 * reverse, for the taint walk: one transaction in memory at a time, read with prepared statements.
 * @param db the store's database (`openSqliteStore(...).db`)
 * @param chain the chain to read
 * @returns an iterator of transactions with their inputs (values and holders resolved where known) and outputs
 * @example propagateUtxoTaint(streamUtxoTransactions(store.db, 'bitcoin'), { policy: 'fifo', seeds })
 */
export function* streamUtxoTransactions(db: Db, chain: string, { direction = 'forward', fromHeight }: StreamUtxoOptions = {}): IterableIterator<UtxoTransaction> {
  const asc = direction === 'forward';
  const where = fromHeight === undefined ? '' : asc ? 'AND (t.block_height >= @h OR t.block_height IS NULL)' : 'AND t.block_height <= @h';
  const order = asc ? 't.block_height IS NULL, t.block_height, t.position, t.id' : 't.block_height IS NULL DESC, t.block_height DESC, t.position DESC, t.id DESC';
  const txs = db.prepare(`SELECT t.id, t.txid, t.block_hash AS blockHash, t.block_height AS blockHeight, t.block_time AS blockTime, t.position, t.version, t.locktime
    FROM txs t WHERE t.chain = @chain ${where} ORDER BY ${order}`);
  const outs = db.prepare(`SELECT o.n, o.value, o.script_type AS scriptType, a.address AS holder FROM outputs o LEFT JOIN addresses a ON a.id = o.address_id
    WHERE o.tx_id = ? ORDER BY o.n`).safeIntegers(true);
  const ins = db.prepare(`SELECT i.n, i.prev_txid AS prevTxid, i.prev_vout AS prevVout, i.sequence, i.coinbase, a.address AS holder, i.value, i.resolved
    FROM inputs i LEFT JOIN addresses a ON a.id = i.address_id WHERE i.tx_id = ? ORDER BY i.n`).safeIntegers(true);
  // Reads while iterating are allowed in better-sqlite3; only the current row is held.
  for (const r of txs.iterate(fromHeight === undefined ? { chain } : { chain, h: fromHeight }) as IterableIterator<TxRow>) {
    yield {
      chain,
      txid: r.txid,
      block: r.blockHash === null ? null : { hash: r.blockHash, height: r.blockHeight, time: r.blockTime ?? 0 },
      position: r.position,
      version: r.version,
      locktime: r.locktime,
      size: null,
      vsize: null,
      inputs: (ins.all(r.id) as InRow[]).map(toInput),
      outputs: (outs.all(r.id) as OutRow[]).map(toOutput),
    };
  }
}

interface TxRow { id: number; txid: string; blockHash: string | null; blockHeight: number | null; blockTime: number | null; position: number | null; version: number; locktime: number }
interface OutRow { n: bigint; value: bigint; scriptType: ScriptType; holder: string | null }
interface InRow { n: bigint; prevTxid: string; prevVout: bigint; sequence: bigint; coinbase: bigint; holder: string | null; value: bigint | null; resolved: bigint }

const split = (h: string | null) => (h === null ? { address: null, scriptId: null } : h.includes(':') ? { address: null, scriptId: h } : { address: h, scriptId: null });

function toOutput(r: OutRow): UtxoOutput {
  return { index: Number(r.n), value: r.value, scriptType: r.scriptType, ...split(r.holder) };
}

function toInput(r: InRow): UtxoInput {
  return { index: Number(r.n), prevTxid: r.prevTxid, prevVout: Number(r.prevVout), sequence: Number(r.sequence), coinbase: r.coinbase === 1n, ...split(r.holder), value: r.value, resolved: r.resolved === 1n };
}
