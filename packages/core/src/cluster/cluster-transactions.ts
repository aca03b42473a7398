import { holderNumbering, type TxRef } from '../model/holder-id-tx.js';
import type { AccountTransaction } from '../model/account.js';
import type { UtxoTransaction } from '../model/utxo.js';
import { holderOf } from '../model/utxo.js';
import type { Evidence, SameOwnerLink } from '../heuristics/cluster/evidence.js';
import { accountLinks } from './account-links.js';
import { createGuardedUnion, type Refusal } from './guards.js';
import { applyLink, clusterUtxoTx } from './cluster-utxo-tx.js';
import { memoryContext } from './memory-context.js';
import { type ClusterRuleSet, defaultRuleSet } from './rule-set.js';
import { createUnionFind, find } from './union-find.js';

export interface ClusterTransactionsOptions {
  set?: ClusterRuleSet;
  /** Owner labels by holder, for the label guard. */
  owners?: Map<string, string>;
  /** Known exchange and miner addresses (EVM rules). */
  exchanges?: readonly string[];
  miners?: readonly string[];
}

/** Clusters of an in-memory set of transactions, with the evidence of every union and what the guards stopped. */
export interface ClusterTransactionsResult {
  /** Holder -> its cluster's representative holder (every holder seen, singletons included). */
  clusterOf: Map<string, string>;
  links: SameOwnerLink[];
  refusals: (Omit<Refusal, 'a' | 'b'> & { a: string; b: string })[];
  coinjoins: Evidence[];
  /** The ambiguous equal-output transactions the guard gave no link (reported apart from the CoinJoins). */
  ambiguous: Evidence[];
}

/**
 * Cluster transactions held in memory (a case or a generated scenario): the same rules, guards and union-find
 * as the store's streaming path, with holders given ids in order of appearance.
 * @example clusterTransactions(txs).clusterOf.get('1A...')
 */
export function clusterTransactions(utxo: readonly UtxoTransaction[], account: readonly AccountTransaction[] = [], opts: ClusterTransactionsOptions = {}): ClusterTransactionsResult {
  const set = opts.set ?? defaultRuleSet();
  const { idOf, holders: names } = holderNumbering();
  const owners = new Map<number, string>();
  for (const [h, o] of opts.owners ?? []) owners.set(idOf(h), o);
  const uf = createUnionFind();
  const g = createGuardedUnion(uf, set.guards, owners);
  const result: ClusterTransactionsResult = { clusterOf: new Map(), links: [], refusals: [], coinjoins: [], ambiguous: [] };
  const events = {
    onLink: (a: number, b: number, evidence: Evidence) => result.links.push({ from: names[a], to: names[b], evidence }),
    onRefuse: (r: Refusal) => result.refusals.push({ ...r, a: names[r.a], b: names[r.b] }),
    onCoinjoin: (_tx: TxRef, flags: Evidence[]) => result.coinjoins.push(...flags.slice(0, 1)),
    onAmbiguous: (_tx: TxRef, evidence: Evidence) => result.ambiguous.push(evidence),
  };
  const ctxOf = memoryContext(utxo);
  const idsOf = (ios: { address: string | null; scriptId: string | null }[]) => ios.map((io) => idOf(holderOf(io)));
  for (const tx of utxo) clusterUtxoTx(g, { tx, inputIds: idsOf(tx.inputs), outputIds: idsOf(tx.outputs) }, ctxOf(tx), set, events);
  for (const link of accountLinks(account, set, { exchanges: opts.exchanges ?? [], miners: opts.miners ?? [] })) {
    applyLink(g, idOf(link.from), idOf(link.to), link.evidence, events);
  }
  for (const tx of account) for (const h of [tx.from, tx.to]) if (h) idOf(h);
  for (let id = 0; id < names.length; id++) result.clusterOf.set(names[id], names[find(uf, id)]);
  return result;
}
