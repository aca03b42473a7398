import { COINBASE_PREV_TXID, type BlockRef, type UtxoNetwork, type UtxoTransaction } from '@cryptotrace/core';
import { classifyScript } from './script.js';
import { txidOf } from './tx-hashes.js';
import { readTransaction, type WireTx } from './wire.js';

/** Where a transaction sits, when it is known. */
export interface TxPlace {
  chain: string;
  block: BlockRef | null;
  position: number | null;
}

/**
 * Turn a transaction read from the wire into the core model; inputs stay unresolved until the store resolves them.
 * Size and virtual size come from its byte ranges: vsize = ceil((base * 3 + total) / 4), base leaving out witnesses.
 */
export function toUtxoTransaction(tx: WireTx, network: UtxoNetwork, place: TxPlace, txid: string): UtxoTransaction {
  const coinbase = tx.inputs.length === 1 && tx.inputs[0].prevTxid === COINBASE_PREV_TXID;
  const size = tx.end - tx.start;
  const base = 8 + tx.bodyEnd - tx.bodyStart;
  return {
    chain: place.chain,
    txid,
    block: place.block,
    position: place.position,
    version: tx.version,
    locktime: tx.locktime,
    size,
    vsize: Math.ceil((base * 3 + size) / 4),
    inputs: tx.inputs.map((input, index) => ({
      index,
      prevTxid: input.prevTxid,
      prevVout: input.vout,
      sequence: input.sequence,
      coinbase,
      address: null,
      scriptId: null,
      value: null,
      resolved: false,
    })),
    outputs: tx.outputs.map((output, index) => ({
      index,
      value: output.value,
      ...classifyScript(output.script, network),
    })),
  };
}

/**
 * Decode one serialized transaction that fills `bytes`, with its txid hashed from them.
 * @throws WireError (a plain Error, no code) on bytes that are not one transaction; callers say where they came from
 */
export function decodeTransaction(bytes: Uint8Array, network: UtxoNetwork, place: TxPlace): UtxoTransaction {
  const tx = readTransaction(bytes);
  return toUtxoTransaction(tx, network, place, txidOf(bytes, tx));
}
