import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { txFeatures } from '../change/tx-features.js';
import { inputHolders, spendableOutputs } from '../change/holder-type.js';
import type { ChangeContext } from '../change/verdict.js';
import { type SameOwnerLink, utxoEvidence } from './evidence.js';

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
  if (!ctx.spenderOf || !isPeelShaped(tx)) return [];
  const funding = spendableOutputs(tx).filter((o) => {
    const s = ctx.spenderOf!(o.index);
    return s !== null && s.peelShaped;
  });
  if (funding.length !== 1) return [];
  const peel = spendableOutputs(tx).find((o) => o.index !== funding[0].index)!;
  if (params.fundingLarger && funding[0].value <= peel.value) return [];
  const owner = inputHolders(tx)[0];
  const to = holderOf(funding[0])!;
  if (to === owner) return [];
  return [{ from: owner, to, evidence: utxoEvidence(id, version, tx, params.confidence, params, funding[0].index) }];
}
