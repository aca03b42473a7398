import type { UtxoTransaction } from '../../model/utxo.js';
import { txFeatures } from '../change/tx-features.js';
import { firstInputHolder, modelView, spendableOf, type TxView } from '../change/tx-view.js';
import { type ChangeContext, withFeatures } from '../change/verdict.js';
import { type SameOwnerLink, utxoEvidence } from './evidence.js';
import type { IdLink } from './multi-input.js';

/** Spec id `peel-chain` (heuristics.md §1; Kappos et al. 2022, BlockSci's local test). */
export const id = 'peel-chain';
export const version = 1;

export interface PeelChainParams {
  /** The funding output must be larger than the peel: a peel chain pays small amounts off a large balance (Kappos et al.). */
  fundingLarger: boolean;
  confidence: number;
}
export const defaultParams: PeelChainParams = { fundingLarger: true, confidence: 0.9 };

/** Peel shape: one input owner, every input with a holder, exactly two spendable outputs, not a coinbase. */
export function isPeelShaped(tx: UtxoTransaction): boolean {
  return txFeatures(tx).peelShaped;
}

/**
 * A peel-shaped transaction whose one output funds another peel-shaped transaction: that funding output is the
 * chain owner's change; the other output is the peel (a payment). No link when both or neither output funds a peel,
 * or (by default) when the funding output is not the larger one.
 * @param ctx must give each output's spending transaction
 * @returns zero or one link, from the input owner to the funding output's holder
 * @example peelChain(tx, { spenderOf })[0]?.evidence.outputIndex
 */
export function peelChain(tx: UtxoTransaction, ctx: ChangeContext, params: PeelChainParams = defaultParams): SameOwnerLink[] {
  const { view, holders } = modelView(tx);
  const link = peelChainOf(view, withFeatures(tx, ctx), params);
  return link === null ? [] : [{ from: holders[link.a], to: holders[link.b], evidence: link.evidence }];
}

/** peelChain over a view, holders as its ids; `ctx` must give the transaction's own features and its spenders'. */
export function peelChainOf(v: TxView, ctx: ChangeContext, params: PeelChainParams = defaultParams): IdLink | null {
  if (!ctx.spenderOf || !ctx.features || !ctx.features().peelShaped) return null;
  const spendable = spendableOf(v);
  let funding = -1;
  for (const n of spendable) {
    const s = ctx.spenderOf(n);
    if (s === null || !s.peelShaped) continue;
    if (funding >= 0) return null;
    funding = n;
  }
  if (funding < 0) return null;
  const peel = spendable.find((n) => n !== funding)!;
  if (params.fundingLarger && v.outputValue(funding) <= v.outputValue(peel)) return null;
  const owner = firstInputHolder(v);
  const to = v.outputHolder(funding);
  if (to === owner) return null;
  return { a: owner, b: to, evidence: utxoEvidence(id, version, v.ref(), params.confidence, params, funding) };
}
