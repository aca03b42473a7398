import type { HolderIdTx, TxRef } from '../model/holder-id-tx.js';
import { holderIdTx } from '../model/holder-id-tx.js';
import type { UtxoTransaction } from '../model/utxo.js';
import { modelView, type TxView } from '../heuristics/change/tx-view.js';
import { type ChangeContext, withFeatures } from '../heuristics/change/verdict.js';
import { changeLinkOf } from '../heuristics/cluster/change.js';
import type { Evidence } from '../heuristics/cluster/evidence.js';
import { type MultiInputParams, multiInputIds } from '../heuristics/cluster/multi-input.js';
import { peelChainOf } from '../heuristics/cluster/peel-chain.js';
import { type CoinjoinVerdict, coinjoinVerdict, UNGUARDED } from '../heuristics/coinjoin/detect-coinjoin.js';
import { holderShape } from '../heuristics/coinjoin/shape.js';
import { type GuardedUnion, type GuardParams, type Merge, type Refusal, guardedUnion } from './guards.js';
import type { ClusterRuleSet } from './rule-set.js';

/** A transaction with the integer ids of its input and output holders (-1 where there is none). */
export interface IdTx {
  tx: UtxoTransaction;
  inputIds: ArrayLike<number>;
  outputIds: ArrayLike<number>;
}

/** What a clustering run reports as it goes. */
export interface ClusterEvents {
  /** A union was made: a and b were in different clusters; `merge` names the root kept and the one absorbed. */
  onLink(a: number, b: number, evidence: Evidence, merge: Merge): void;
  onRefuse(refusal: Refusal): void;
  /** The CoinJoin guard kept this transaction from giving links: a CoinJoin detector flagged it. */
  onCoinjoin(tx: TxRef, flags: Evidence[]): void;
  /** The CoinJoin guard kept this transaction from giving links: the ambiguous equal-output shape. */
  onAmbiguous(tx: TxRef, evidence: Evidence): void;
}

/** Whether a rule set has a rule that reads the model transaction and its context (change, peel-chain). */
export function needsModel(set: ClusterRuleSet): boolean {
  return set.rules.includes('change') || set.rules.includes('peel-chain');
}

// multi-input's parameters under a rule set: one object per set, so its evidence params are made once.
const multiParams = new WeakMap<GuardParams, MultiInputParams>();
function multiInputParams(set: ClusterRuleSet): MultiInputParams {
  let p = multiParams.get(set.guards);
  if (p === undefined || p.coinjoinGuard !== set.guards.coinjoinGuard) multiParams.set(set.guards, (p = { coinjoinGuard: set.guards.coinjoinGuard, confidence: 1 }));
  return p;
}

// The detectors a rule set runs, as the set coinjoinVerdict takes: made once per list, not once per transaction.
const detectorSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function enabledDetectors(set: ClusterRuleSet): ReadonlySet<string> {
  let enabled = detectorSets.get(set.coinjoin);
  if (enabled === undefined) detectorSets.set(set.coinjoin, (enabled = new Set(set.coinjoin)));
  return enabled;
}

/**
 * The CoinJoin guard and multi-input over a transaction's holder ids, the part of a rule set that needs no
 * model transaction: a CoinJoin or an ambiguous equal-output transaction is reported and gives nothing, else multi-input's links are merged through the
 * collapse guard.
 * @returns the guard's verdict, or null when the rule set has no UTXO rule
 * @example clusterHolderIdTx(g, t, parseRuleSet('multi-input'), events)
 */
export function clusterHolderIdTx(g: GuardedUnion, t: HolderIdTx, set: ClusterRuleSet, events: ClusterEvents): CoinjoinVerdict | null {
  const multi = set.rules.includes('multi-input');
  if (!multi && !needsModel(set)) return null;
  const verdict = set.guards.coinjoinGuard ? coinjoinVerdict(holderShape(t), enabledDetectors(set)) : UNGUARDED;
  if (verdict.coinjoin) events.onCoinjoin(t.tx, verdict.flags);
  if (verdict.ambiguous) events.onAmbiguous(t.tx, verdict.ambiguous);
  if (verdict.guarded) return verdict;
  // The verdict is passed in, so the rules record the guard as it was set without running the detectors again.
  if (multi) {
    for (const l of multiInputIds(t, multiInputParams(set), verdict)) applyLink(g, l.a, l.b, l.evidence, events);
  }
  return verdict;
}

/**
 * Apply the rule set to one transaction: CoinJoin guard and multi-input over its holder ids, then change and
 * peel-chain over the model transaction, each link merged through the collapse guard. Events report unions,
 * refusals and CoinJoin skips.
 * @example clusterUtxoTx(g, { tx, inputIds, outputIds }, ctx, defaultRuleSet(), events)
 */
export function clusterUtxoTx(g: GuardedUnion, item: IdTx, ctx: ChangeContext, set: ClusterRuleSet, events: ClusterEvents): void {
  const t = holderIdTx(item.tx, item.inputIds, item.outputIds);
  const verdict = clusterHolderIdTx(g, t, set, events);
  if (verdict === null || verdict.guarded || !needsModel(set)) return;
  const { view } = modelView(item.tx, t, ctx.inputType);
  clusterView(g, view, withFeatures(item.tx, ctx), set, verdict, events);
}

/**
 * Change and peel-chain over a view whose holder ids are the union-find's, after the guard let it through
 * (`verdict`): each link merged through the collapse guard, change before peel-chain.
 */
export function clusterView(g: GuardedUnion, v: TxView, ctx: ChangeContext, set: ClusterRuleSet, verdict: CoinjoinVerdict, events: ClusterEvents): void {
  if (set.rules.includes('change')) {
    const l = changeLinkOf(v, ctx, { ...set.change, coinjoinGuard: set.guards.coinjoinGuard }, verdict);
    if (l !== null) applyLink(g, l.a, l.b, l.evidence, events);
  }
  if (set.rules.includes('peel-chain')) {
    const l = peelChainOf(v, ctx);
    if (l !== null) applyLink(g, l.a, l.b, l.evidence, events);
  }
}

/** Merge a and b through the collapse guard and report what happened. */
export function applyLink(g: GuardedUnion, a: number, b: number, evidence: Evidence, events: Pick<ClusterEvents, 'onLink' | 'onRefuse'>): void {
  const r = guardedUnion(g, a, b, evidence);
  if (r === 'same') return;
  if ('reason' in r) events.onRefuse(r);
  else events.onLink(a, b, evidence, r);
}
