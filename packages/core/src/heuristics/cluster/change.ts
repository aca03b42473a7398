import type { UtxoTransaction } from '../../model/utxo.js';
import { CHANGE_RULE_IDS, type CombineChangeParams, combineChangeOf, defaultParams as combineDefaults } from '../change/combine-change.js';
import { firstInputHolder, inputWithoutHolder, modelView, type TxView } from '../change/tx-view.js';
import { type ChangeContext, withFeatures } from '../change/verdict.js';
import { type CoinjoinVerdict, detectCoinjoin } from '../coinjoin/detect-coinjoin.js';
import { type SameOwnerLink, utxoEvidence } from './evidence.js';
import type { IdLink } from './multi-input.js';

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
  if (params.coinjoinGuard && coinjoin === undefined) coinjoin = detectCoinjoin(tx);
  const { view, holders } = modelView(tx, undefined, ctx.inputType);
  const link = changeLinkOf(view, withFeatures(tx, ctx), params, coinjoin);
  return link === null ? [] : [{ from: holders[link.a], to: holders[link.b], evidence: link.evidence }];
}

/**
 * changeLink over a view, holders as its ids; `ctx` must give the transaction's own features.
 * @param coinjoin the guard's verdict on this transaction (needed when the guard is on)
 */
export function changeLinkOf(v: TxView, ctx: ChangeContext, params: ChangeLinkParams = defaultParams, coinjoin?: CoinjoinVerdict): IdLink | null {
  const owner = firstInputHolder(v);
  if (owner < 0 || inputWithoutHolder(v)) return null;
  if (params.coinjoinGuard && coinjoin?.guarded) return null;
  const pick = combineChangeOf(v, ctx, params);
  if (!pick || pick.confidence < params.threshold) return null;
  const to = v.outputHolder(pick.outputIndex);
  if (to === owner) return null;
  return { a: owner, b: to, evidence: utxoEvidence(id, version, v.ref(), pick.confidence, linkParams(params.threshold, pick.votes), pick.outputIndex) };
}

/** A change rule's place in CHANGE_RULE_IDS, plus one. */
const RULE_PLACE = new Map(CHANGE_RULE_IDS.map((rule, k) => [rule, k + 1]));
const PLACES = CHANGE_RULE_IDS.length + 1;

// One params object per (threshold, votes): a run's change links share a few dozen. Looked up by number (the
// voting rules in their order, each by its place: no string is made per link), the votes joined once per key.
const paramsByVotes = new Map<number, Map<number, { threshold: number; votes: string }>>();
function linkParams(threshold: number, votes: readonly { rule: string }[]): { threshold: number; votes: string } {
  let key = 0;
  for (const vote of votes) key = key * PLACES + RULE_PLACE.get(vote.rule)!;
  let byKey = paramsByVotes.get(threshold);
  if (byKey === undefined) {
    if (paramsByVotes.size >= 64) paramsByVotes.clear();
    paramsByVotes.set(threshold, (byKey = new Map()));
  }
  let p = byKey.get(key);
  if (p === undefined) {
    if (byKey.size >= 4096) byKey.clear();
    byKey.set(key, (p = { threshold, votes: votes.map((vote) => vote.rule).join('+') }));
  }
  return p;
}
