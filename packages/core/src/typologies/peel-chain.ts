import { holderOf, type UtxoTransaction } from '../model/utxo.js';
import type { TypologyHit } from './flows.js';

export const id = 'peel-chain';
export const version = 1;
export const defaultParams = { minLength: 3 };
export type PeelChainTypologyParams = typeof defaultParams;

/**
 * Peel chains: a run of transactions with one or two inputs and two outputs, each spending the larger output (the
 * remainder) of the one before, peeling a smaller payment off at every step. Meiklejohn et al., IMC 2013.
 * @param txs UTXO transactions in block order (one pass; memory holds the chains, not the chain)
 * @param params minLength: transactions in a chain to report it (default 3)
 * @returns one hit per chain: its spender(s), the peeled-off recipients and the transactions
 * @example detectPeelChains(txs).map((h) => h.txids.length)
 */
export function detectPeelChains(txs: Iterable<UtxoTransaction>, { minLength = defaultParams.minLength }: Partial<PeelChainTypologyParams> = {}): TypologyHit[] {
  // remainder outpoint -> the chain it continues
  const open = new Map<string, { txids: string[]; spenders: Set<string>; peeled: Set<string> }>();
  const chains: { txids: string[]; spenders: Set<string>; peeled: Set<string> }[] = [];
  for (const tx of txs) {
    const shaped = tx.outputs.length === 2 && tx.inputs.length >= 1 && tx.inputs.length <= 2 && !tx.inputs[0].coinbase;
    if (!shaped) continue;
    let chain = tx.inputs.map((i) => open.get(`${i.prevTxid}:${i.prevVout}`)).find(Boolean);
    for (const i of tx.inputs) open.delete(`${i.prevTxid}:${i.prevVout}`);
    if (!chain) {
      chain = { txids: [], spenders: new Set(), peeled: new Set() };
      chains.push(chain);
    }
    chain.txids.push(tx.txid);
    for (const i of tx.inputs) if (holderOf(i)) chain.spenders.add(holderOf(i)!);
    const [a, b] = tx.outputs;
    const big = a.value >= b.value ? a : b;
    const small = big === a ? b : a;
    if (holderOf(small)) chain.peeled.add(holderOf(small)!);
    open.set(`${tx.txid}:${big.index}`, chain);
  }
  return chains
    .filter((c) => c.txids.length >= minLength)
    .map((c) => {
      const spenders = [...c.spenders].sort();
      return {
        typology: 'peel-chain' as const,
        holder: spenders[0],
        members: [...spenders.slice(1), ...[...c.peeled].sort()],
        asset: 'native',
        txids: c.txids,
        detail: `${c.txids.length} transactions, each spending the remainder of the one before and peeling ${c.peeled.size} payments off`,
      };
    });
}
