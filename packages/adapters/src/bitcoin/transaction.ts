import type { Transaction } from 'bitcoinjs-lib';
import { bitcoinjs } from './bitcoinjs.js';
import { COINBASE_PREV_TXID, type BlockRef, type UtxoNetwork, type UtxoTransaction } from '@cryptotrace/core';
import { classifyScript } from './script.js';

/** Where a transaction sits, when it is known. */
export interface TxPlace {
  chain: string;
  block: BlockRef | null;
  position: number | null;
}

/** Turn a bitcoinjs-lib transaction into the core model; inputs stay unresolved until the store resolves them. */
export function fromBitcoinjsTransaction(tx: Transaction, network: UtxoNetwork, place: TxPlace, txid = tx.getId()): UtxoTransaction {
  const coinbase = tx.isCoinbase();
  return {
    chain: place.chain,
    txid,
    block: place.block,
    position: place.position,
    version: tx.version >>> 0,
    locktime: tx.locktime >>> 0,
    size: tx.byteLength(),
    vsize: tx.virtualSize(),
    inputs: tx.ins.map((input, index) => ({
      index,
      prevTxid: coinbase ? COINBASE_PREV_TXID : Buffer.from(input.hash).reverse().toString('hex'),
      prevVout: input.index >>> 0,
      sequence: input.sequence >>> 0,
      coinbase,
      address: null,
      scriptId: null,
      value: null,
      resolved: false,
    })),
    outputs: tx.outs.map((output, index) => ({
      index,
      value: BigInt(output.value),
      ...classifyScript(output.script, network),
    })),
  };
}

/** Decode one serialized transaction. Throws bitcoinjs-lib's own error on bad bytes. */
export function decodeTransaction(bytes: Uint8Array, network: UtxoNetwork, place: TxPlace): UtxoTransaction {
  return fromBitcoinjsTransaction(bitcoinjs().Transaction.fromBuffer(bytes), network, place);
}
