import { holderOf } from '../model/utxo.js';
import { room } from '../typed-column.js';
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
  const link = peelLinker(maxBlocks);
  // A peel-shaped transaction with an output unspent, by txid: its place, its two outputs' indexes and holders.
  type Open = { place: number; index: [number, number]; holder: [string | null, string | null] };
  const open = new Map<string, Open>();
  const runs: PeelRun[] = [];
  for (const tx of txs) {
    const shaped = tx.outputs.length === 2 && tx.inputs.length >= 1 && tx.inputs.length <= 2 && !tx.inputs[0].coinbase;
    // The place of the first output it spends that is still unspent, and the holder of that one's other output.
    let first = -1;
    let other: string | null = null;
    for (const i of tx.inputs) {
      const o = open.get(i.prevTxid);
      if (!o) continue;
      const out = i.prevVout === o.index[0] ? 0 : i.prevVout === o.index[1] ? 1 : -1;
      if (out < 0 || !link.spend(o.place, out)) continue;
      if (first < 0) {
        first = o.place;
        other = o.holder[1 - out];
      }
      if (!link.unspent(o.place)) open.delete(i.prevTxid);
    }
    if (!shaped) continue;
    const height = tx.block?.height ?? null;
    const r = link.add(first, height);
    if (r === runs.length) runs.push({ txids: [], heights: [], spenders: new Set(), peeled: new Set() });
    else if (other) runs[r].peeled.add(other);
    const run = runs[r];
    run.txids.push(tx.txid);
    run.heights.push(height);
    for (const i of tx.inputs) if (holderOf(i)) run.spenders.add(holderOf(i)!);
    const [a, b] = tx.outputs;
    open.set(tx.txid, { place: link.places - 1, index: [a.index, b.index], holder: [holderOf(a), holderOf(b)] });
  }
  return runs;
}

/** The peel-chain linking rule on numbers (see {@link peelLinker}). */
export interface PeelLinker {
  /** Peel-shaped transactions placed so far. */
  readonly places: number;
  /** Spend output `out` (0: the first, 1: the second) of the transaction at place `j`: whether it was unspent. */
  spend(j: number, out: number): boolean;
  /** Whether an output of the transaction at place `j` is unspent. */
  unspent(j: number): boolean;
  /**
   * Place the next peel-shaped transaction, after its spends, at `height` (null: none); `first` is the place of the
   * first output it spent that was unspent (-1: none). Returns its run: the one before's when within reach, else a new
   * one (numbered from 0, in order).
   */
  add(first: number, height: number | null): number;
}

/**
 * The rule by which {@link peelChains} links peel-shaped transactions, on numbers, for callers that hold transactions
 * as numbers too: they come in block order, each at the next place (0, 1, ...); a transaction joins the run of the
 * first output it spends that is still unspent among those before it, when it is within `maxBlocks` blocks of that
 * run's last member; otherwise it starts a run. A few numbers per place.
 * @example const link = peelLinker(2); link.add(-1, 10); link.spend(0, 1); link.add(0, 11) // 0: B joins A's run
 */
export function peelLinker(maxBlocks: number): PeelLinker {
  // Per place: its run and which outputs are unspent (bit 1: the first, bit 2: the second); per run: its last height.
  let runOf = new Int32Array(64);
  let unspent = new Uint8Array(64);
  let runHeight = new Float64Array(64);
  let places = 0;
  let runs = 0;
  return {
    get places() {
      return places;
    },
    spend: (j, out) => {
      const bit = out === 0 ? 1 : 2;
      if (!(unspent[j] & bit)) return false;
      unspent[j] &= ~bit;
      return true;
    },
    unspent: (j) => unspent[j] !== 0,
    add: (first, height) => {
      runOf = room(runOf, places + 1);
      unspent = room(unspent, places + 1);
      runHeight = room(runHeight, places + 1);
      // NaN (no height) is never within reach.
      const h = height ?? NaN;
      const r = first >= 0 && h - runHeight[runOf[first]] <= maxBlocks ? runOf[first] : runs++;
      runOf[places] = r;
      unspent[places++] = 3;
      runHeight[r] = h;
      return r;
    },
  };
}
