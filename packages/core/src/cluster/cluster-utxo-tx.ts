import type { UtxoTransaction } from '../model/utxo.js';
import { holderOf } from '../model/utxo.js';
import type { ChangeContext } from '../heuristics/change/verdict.js';
import { changeLink } from '../heuristics/cluster/change.js';
import type { Evidence, SameOwnerLink } from '../heuristics/cluster/evidence.js';
import { multiInput } from '../heuristics/cluster/multi-input.js';
import { peelChain } from '../heuristics/cluster/peel-chain.js';
import { type CoinjoinVerdict, detectCoinjoin } from '../heuristics/coinjoin/detect-coinjoin.js';
import { type GuardedUnion, type Merge, type Refusal, guardedUnion } from './guards.js';
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
  /** The CoinJoin guard kept this transaction from giving links. */
  onCoinjoin(tx: UtxoTransaction, flags: Evidence[]): void;
}

/** The links the rule set draws from one UTXO transaction (CoinJoin guard applied), without merging anything. */
export function utxoLinks(tx: UtxoTransaction, ctx: ChangeContext, set: ClusterRuleSet): { links: SameOwnerLink[]; coinjoin: CoinjoinVerdict | null } {
  const wants = (r: string) => set.rules.includes(r);
  if (!wants('multi-input') && !wants('change') && !wants('peel-chain')) return { links: [], coinjoin: null };
  const coinjoin = set.guards.coinjoinGuard ? detectCoinjoin(tx, new Set(set.coinjoin)) : { coinjoin: false, flags: [], veto: null };
  if (coinjoin.coinjoin) return { links: [], coinjoin };
  const links: SameOwnerLink[] = [];
  // The verdict is passed in, so the rules record the guard as it was set without running the detectors again.
  if (wants('multi-input')) links.push(...multiInput(tx, { coinjoinGuard: set.guards.coinjoinGuard, confidence: 1 }, coinjoin));
  if (wants('change')) links.push(...changeLink(tx, ctx, { ...set.change, coinjoinGuard: set.guards.coinjoinGuard }, coinjoin));
  if (wants('peel-chain')) links.push(...peelChain(tx, ctx));
  return { links, coinjoin };
}

/**
 * Apply the rule set to one transaction: CoinJoin guard, then each enabled rule's links merged through the
 * collapse guard. Events report unions, refusals and CoinJoin skips.
 * @example clusterUtxoTx(g, { tx, inputIds, outputIds }, ctx, defaultRuleSet(), events)
 */
export function clusterUtxoTx(g: GuardedUnion, item: IdTx, ctx: ChangeContext, set: ClusterRuleSet, events: ClusterEvents): void {
  const { links, coinjoin } = utxoLinks(item.tx, ctx, set);
  if (coinjoin?.coinjoin) {
    events.onCoinjoin(item.tx, coinjoin.flags);
    return;
  }
  if (links.length === 0) return;
  const ids = new Map<string, number>();
  item.tx.inputs.forEach((i, n) => {
    const h = holderOf(i);
    if (h !== null && item.inputIds[n] >= 0) ids.set(h, item.inputIds[n]);
  });
  item.tx.outputs.forEach((o, n) => {
    const h = holderOf(o);
    if (h !== null && item.outputIds[n] >= 0) ids.set(h, item.outputIds[n]);
  });
  for (const link of links) {
    const a = ids.get(link.from);
    const b = ids.get(link.to);
    if (a !== undefined && b !== undefined) applyLink(g, a, b, link.evidence, events);
  }
}

/** Merge a and b through the collapse guard and report what happened. */
export function applyLink(g: GuardedUnion, a: number, b: number, evidence: Evidence, events: Pick<ClusterEvents, 'onLink' | 'onRefuse'>): void {
  const r = guardedUnion(g, a, b, evidence);
  if (r === 'same') return;
  if ('reason' in r) events.onRefuse(r);
  else events.onLink(a, b, evidence, r);
}
