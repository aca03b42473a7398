import { COINBASE_PREV_TXID, type BlockRef, type UtxoNetwork, type UtxoTransaction } from '@cryptotrace/core';
import { outputOfScript } from './script.js';
import { spentAddress } from './spend-address.js';
import { txidOf } from './tx-hashes.js';
import { readTransaction, witnessItems, type WireTx } from './wire.js';

/** Where a transaction sits, when it is known. */
export interface TxPlace {
  chain: string;
  block: BlockRef | null;
  position: number | null;
}

/**
 * Turn a transaction read from the wire (from `bytes`) into the core model; inputs stay unresolved until the store
 * resolves them, each with the address its spending data reveals where it reveals one (spentAddress). OP_RETURN
 * outputs keep their script. Size and virtual size come from its byte ranges: vsize = ceil((base * 3 + total) / 4),
 * base leaving out witnesses.
 */
export function toUtxoTransaction(bytes: Uint8Array, tx: WireTx, network: UtxoNetwork, place: TxPlace, txid: string): UtxoTransaction {
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
      address: coinbase ? null : (spentAddress(bytes.subarray(input.scriptStart, input.scriptEnd), witnessItems(bytes, input), network)?.address ?? null),
      scriptId: null,
      value: null,
      resolved: false,
    })),
    outputs: tx.outputs.map((output, index) => outputOfScript(index, output.value, output.script, network)),
  };
}

/**
 * Decode one serialized transaction that fills `bytes`, with its txid hashed from them.
 * @throws WireError (a plain Error, no code) on bytes that are not one transaction; callers say where they came from
 */
export function decodeTransaction(bytes: Uint8Array, network: UtxoNetwork, place: TxPlace): UtxoTransaction {
  const tx = readTransaction(bytes);
  return toUtxoTransaction(bytes, tx, network, place, txidOf(bytes, tx));
}
