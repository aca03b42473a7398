import { holderOf } from '../model/utxo.js';
import type { TypologyHit } from './flows.js';

export const id = 'peel-chain';
export const version = 1;
export const defaultParams = { minLength: 3, maxBlocks: 2 };
export { defaultParams as peelChainDefaults };
export type PeelChainTypologyParams = typeof defaultParams;

/**
 * What the peel-chain detector reads of a transaction (a `UtxoTransaction` is one): its txid and height, each
 * input's spent outpoint, coinbase flag and holder, each output's index and holder.
 */
export interface PeelTx {
  txid: string;
  block: { height: number | null } | null;
  inputs: readonly { prevTxid: string; prevVout: number; coinbase: boolean; address: string | null; scriptId: string | null }[];
  outputs: readonly { index: number; address: string | null; scriptId: string | null }[];
}

interface Chain {
  txids: string[];
  heights: (number | null)[];
  spenders: Set<string>;
  peeled: Set<string>;
  height: number | null;
}

/**
 * Peel chains: a run of transactions with one or two inputs and two outputs, each spending one output of the one
 * before (the remainder) within `maxBlocks` blocks, the other output being the payment peeled off. The quick
 * succession is what sets a laundering peel apart from a wallet that spends its change now and then.
 * Meiklejohn et al., IMC 2013.
 * @param txs UTXO transactions ({@link PeelTx}) in block order (one pass; memory holds the open chains, not the chain)
 * @param params minLength: transactions in a chain to report it (3); maxBlocks between hops (2)
 * @returns one hit per chain: its spender(s), the peeled-off recipients and the transactions
 * @example detectPeelChains(txs).map((h) => h.txids.length)
 */
export function detectPeelChains(txs: Iterable<PeelTx>, params: Partial<PeelChainTypologyParams> = {}): TypologyHit[] {
  const { minLength } = { ...defaultParams, ...params };
  return peelChains(txs, params)
    .filter((c) => c.txids.length >= minLength)
    .map((c) => {
      const spenders = [...c.spenders].sort();
      return {
        typology: 'peel-chain' as const,
        holder: spenders[0],
        members: [...spenders.slice(1), ...[...c.peeled].filter((p) => !c.spenders.has(p)).sort()],
        asset: 'native',
        txids: c.txids,
        detail: `${c.txids.length} transactions in quick succession, each spending an output of the one before and paying ${c.peeled.size} others off`,
      };
    });
}

/** A run of peel-shaped transactions as the detector links them (any length), with the height of each. */
export interface PeelRun {
  txids: string[];
  heights: (number | null)[];
  spenders: Set<string>;
  peeled: Set<string>;
}

/**
 * Every run of peel-shaped transactions {@link detectPeelChains} links, of any length (one pass, block order).
 * @example peelChains(txs).filter((c) => c.txids.length >= 3)
 */
export function peelChains(txs: Iterable<PeelTx>, params: Partial<PeelChainTypologyParams> = {}): PeelRun[] {
  const { maxBlocks } = { ...defaultParams, ...params };
  // An output of a peel-shaped transaction -> its chain, and the other output's holder (peeled if this one goes on);
  // kept by txid (vout, entry pairs), so that no key string is made per input.
  type Open = { chain: Chain; other: string | null };
  const open = new Map<string, (number | Open)[]>();
  const get = (txid: string, vout: number): Open | undefined => {
    const r = open.get(txid);
    if (r) for (let k = 0; k < r.length; k += 2) if (r[k] === vout) return r[k + 1] as Open;
    return undefined;
  };
  const remove = (txid: string, vout: number) => {
    const r = open.get(txid);
    if (!r) return;
    for (let k = 0; k < r.length; k += 2) {
      if (r[k] !== vout) continue;
      r.splice(k, 2);
      if (!r.length) open.delete(txid);
      return;
    }
  };
  const set = (txid: string, vout: number, e: Open) => {
    let r = open.get(txid);
    if (!r) open.set(txid, (r = []));
    for (let k = 0; k < r.length; k += 2) {
      if (r[k] === vout) {
        r[k + 1] = e;
        return;
      }
    }
    r.push(vout, e);
  };
  const chains: Chain[] = [];
  for (const tx of txs) {
    const shaped = tx.outputs.length === 2 && tx.inputs.length >= 1 && tx.inputs.length <= 2 && !tx.inputs[0].coinbase;
    const height = tx.block?.height ?? null;
    let prev: Open | undefined;
    for (const i of tx.inputs) if ((prev = get(i.prevTxid, i.prevVout))) break;
    for (const i of tx.inputs) remove(i.prevTxid, i.prevVout);
    if (!shaped) continue;
    let chain: Chain;
    if (prev && height !== null && prev.chain.height !== null && height - prev.chain.height <= maxBlocks) {
      chain = prev.chain;
      if (prev.other) chain.peeled.add(prev.other);
    } else {
      chain = { txids: [], heights: [], spenders: new Set(), peeled: new Set(), height };
      chains.push(chain);
    }
    chain.txids.push(tx.txid);
    chain.heights.push(height);
    chain.height = height;
    for (const i of tx.inputs) if (holderOf(i)) chain.spenders.add(holderOf(i)!);
    const [a, b] = tx.outputs;
    set(tx.txid, a.index, { chain, other: holderOf(b) });
    set(tx.txid, b.index, { chain, other: holderOf(a) });
  }
  return chains.map(({ txids, heights, spenders, peeled }) => ({ txids, heights, spenders, peeled }));
}
