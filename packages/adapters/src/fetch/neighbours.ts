import type { CaseStore, Spender } from '@cryptotrace/core';
import type { ChainTransaction } from '../sources/source.js';

/** Which way a fetch expands from a transaction: to the funds' sources, their destinations, or both. */
export type FetchDirection = 'in' | 'out' | 'both';

/** The next nodes of a breadth-first expansion from one transaction. */
export interface Neighbours {
  /** Transactions one hop away (UTXO: the previous transactions of the inputs, the spenders of the outputs). */
  txids: string[];
  /** Addresses whose history holds the next hop (account chains: the sender, the receivers). */
  addresses: string[];
  /** Outputs whose spender is not known (UTXO, out): the source must be asked. */
  unknownSpenders: number;
}

/**
 * The neighbours of a transaction in a direction. UTXO chains hop transaction to transaction: backwards along
 * the inputs' previous outputs, forwards to the transactions that spent the outputs (from the store, or from the
 * source's `spenders` when given). Account chains hop through addresses: backwards to the sender's history,
 * forwards to the receivers' (native, internal and token transfers), which the planner pages.
 * @param tx the transaction
 * @param direction in, out or both
 * @param store where known spenders are looked up
 * @param spenders the source's answer for the outputs, when it was asked
 */
export function neighboursOf(tx: ChainTransaction, direction: FetchDirection, store: CaseStore, spenders: (Spender | null)[] | null): Neighbours {
  const txids: string[] = [];
  const addresses: string[] = [];
  let unknownSpenders = 0;
  const back = direction !== 'out';
  const forward = direction !== 'in';
  if ('txid' in tx) {
    if (back) for (const i of tx.inputs) if (!i.coinbase) txids.push(i.prevTxid);
    if (forward) {
      for (const o of tx.outputs) {
        if (o.scriptType === 'nulldata') continue;
        const spender = spenders?.[o.index] ?? store.spenderOf(tx.chain, tx.txid, o.index);
        if (spender) txids.push(spender.txid);
        else if (!spenders) unknownSpenders++;
      }
    }
  } else {
    if (back) addresses.push(tx.from);
    if (forward) {
      if (tx.to) addresses.push(tx.to);
      if (tx.contractAddress) addresses.push(tx.contractAddress);
      for (const t of tx.internalTransfers) addresses.push(t.to);
      for (const t of tx.tokenTransfers) addresses.push(t.to);
    }
    if (back) {
      for (const t of tx.internalTransfers) addresses.push(t.from);
      for (const t of tx.tokenTransfers) addresses.push(t.from);
    }
  }
  return { txids: [...new Set(txids)], addresses: [...new Set(addresses)], unknownSpenders };
}
