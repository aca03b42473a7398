import type { ChangeContext } from '../heuristics/change/verdict.js';
import type { UtxoTransaction } from '../model/utxo.js';
import { holderOf } from '../model/utxo.js';
import { txFeatures } from '../heuristics/change/tx-features.js';

/**
 * The context change and peel rules need, built from transactions held in memory (a case, a scenario):
 * spenders by outpoint, and each holder's first appearance in the given (chain) order.
 * @param txs the transactions in chain order
 * @returns a function giving the context of one of them
 * @example const ctxOf = memoryContext(txs); combineChange(tx, ctxOf(tx))
 */
export function memoryContext(txs: readonly UtxoTransaction[]): (tx: UtxoTransaction) => ChangeContext {
  const spender = new Map<string, UtxoTransaction>();
  const firstSeen = new Map<string, string>();
  for (const tx of txs) {
    for (const i of tx.inputs) {
      if (!i.coinbase) spender.set(`${i.prevTxid}:${i.prevVout}`, tx);
      const h = holderOf(i);
      if (h !== null && !firstSeen.has(h)) firstSeen.set(h, tx.txid);
    }
    for (const o of tx.outputs) {
      const h = holderOf(o);
      if (h !== null && !firstSeen.has(h)) firstSeen.set(h, tx.txid);
    }
  }
  return (tx) => ({
    isFresh: (n) => {
      const h = holderOf(tx.outputs[n]);
      return h === null ? null : firstSeen.get(h) === tx.txid && !tx.inputs.some((i) => holderOf(i) === h);
    },
    spenderOf: (n) => {
      const s = spender.get(`${tx.txid}:${n}`);
      return s === undefined ? null : txFeatures(s);
    },
  });
}
