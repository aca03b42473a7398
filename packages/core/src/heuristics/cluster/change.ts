import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { type CombineChangeParams, combineChange, defaultParams as combineDefaults } from '../change/combine-change.js';
import { inputHolders } from '../change/holder-type.js';
import type { ChangeContext } from '../change/verdict.js';
import { type CoinjoinVerdict, detectCoinjoin } from '../coinjoin/detect-coinjoin.js';
import { type SameOwnerLink, utxoEvidence } from './evidence.js';

/** Spec id `change` (heuristics.md §1): link the change output to the inputs' owner. Off by default. */
export const id = 'change';
export const version = 2;

export interface ChangeLinkParams extends CombineChangeParams {
  /** The combined confidence a pick needs. */
  threshold: number;
  coinjoinGuard: boolean;
}

export const defaultParams: ChangeLinkParams = { ...combineDefaults, threshold: 0.95, coinjoinGuard: true };

/**
 * Link the one output the combined change rules pick to the first input holder, when exactly one output is
 * picked and its combined confidence passes the threshold. The evidence names the rules that voted.
 * @returns zero or one link
 * @example changeLink(tx, { isFresh })[0]?.evidence.outputIndex
 */
export function changeLink(tx: UtxoTransaction, ctx: ChangeContext = {}, params: ChangeLinkParams = defaultParams, coinjoin?: CoinjoinVerdict): SameOwnerLink[] {
  const owner = inputHolders(tx)[0];
  if (owner === undefined || tx.inputs.some((i) => !i.coinbase && holderOf(i) === null)) return [];
  if (params.coinjoinGuard && (coinjoin ?? detectCoinjoin(tx)).guarded) return [];
  const pick = combineChange(tx, ctx, params);
  if (!pick || pick.confidence < params.threshold) return [];
  const to = holderOf(tx.outputs[pick.outputIndex])!;
  if (to === owner) return [];
  const votes = pick.votes.map((v) => v.rule).join('+');
  const evidence = utxoEvidence(id, version, tx, pick.confidence, { threshold: params.threshold, votes }, pick.outputIndex);
  return [{ from: owner, to, evidence }];
}
