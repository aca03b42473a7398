import { core, fixtures } from './deps.js';

type UtxoTransaction = import('../../../packages/core/dist/index.js').UtxoTransaction;
type ClusterRuleSet = import('../../../packages/core/dist/index.js').ClusterRuleSet;
type Truth = import('../../../fixtures/dist/index.js').Truth;

/** One row of the same-owner table. */
export interface PairRow {
  scenario: string;
  config: string;
  /** Unions made. */
  unions: number;
  precision: number;
  recall: number;
  largestFalseMerge: number;
  falseMergeOwners: number;
  /** Unions drawn from a truth CoinJoin between two different owners (must be 0 with the guard). */
  coinjoinFalseLinks: number;
}

/** One row of the change table. */
export interface ChangeRow {
  scenario: string;
  rule: string;
  precision: number;
  recall: number;
  picks: number;
  correct: number;
  withChange: number;
}

/** The cluster configurations measured: each rule alone and the combinations a user would run. */
export const CONFIGS: { name: string; set: () => ClusterRuleSet }[] = [
  { name: 'multi-input, no guards', set: () => ({ ...core.parseRuleSet('multi-input'), guards: { ...core.defaultGuardParams, coinjoinGuard: false, labelGuard: false } }) },
  { name: 'multi-input', set: () => core.parseRuleSet('multi-input') },
  { name: 'change', set: () => core.parseRuleSet('change') },
  { name: 'peel-chain', set: () => core.parseRuleSet('peel-chain') },
  { name: 'default (multi-input, pubkey-reuse)', set: () => core.defaultRuleSet() },
  { name: 'multi-input + change', set: () => core.parseRuleSet('multi-input,change') },
  { name: 'multi-input + change + peel-chain', set: () => core.parseRuleSet('multi-input,change,peel-chain') },
];

/**
 * Measure every configuration and every change rule on one generated UTXO scenario.
 * @param fingerprintRedundancy the change vote's (heuristics.md §2); 0 gives the independent product used before v2
 */
export function measureUtxo(scenario: string, txs: UtxoTransaction[], truth: Truth, fingerprintRedundancy = core.defaultCombineChangeParams.fingerprintRedundancy): { pairs: PairRow[]; change: ChangeRow[]; coinjoins: { truth: number; flagged: number } } {
  const byTxid = new Map(truth.transactions.map((t) => [t.txid, t]));
  const pairs: PairRow[] = [];
  for (const c of CONFIGS) {
    const set = c.set();
    set.change.fingerprintRedundancy = fingerprintRedundancy;
    const r = core.clusterTransactions(txs, [], { set });
    const a = core.pairAccuracy(r.clusterOf, truth.ownerOf);
    const coinjoinFalseLinks = r.links.filter((l) => byTxid.get(l.evidence.txid)?.coinjoin && truth.ownerOf.get(l.from) !== truth.ownerOf.get(l.to)).length;
    pairs.push({ scenario, config: c.name, unions: r.links.length, precision: a.precision, recall: a.recall, largestFalseMerge: a.largestFalseMerge.size, falseMergeOwners: a.largestFalseMerge.owners, coinjoinFalseLinks });
  }
  const ctxOf = core.memoryContext(txs);
  const judged = txs.filter((tx) => {
    const t = byTxid.get(tx.txid);
    return t && t.owner !== null && !t.coinjoin && !core.isCoinbase(tx) && tx.outputs.filter((o) => o.scriptType !== 'nulldata').length >= 2;
  });
  const truthChange = new Map(judged.map((tx) => [tx.txid, byTxid.get(tx.txid)!.change]));
  const change: ChangeRow[] = [];
  for (const rule of core.CHANGE_RULE_IDS) {
    const picks = new Map<string, number>();
    for (const tx of judged) {
      const v = core.CHANGE_RULES[rule](tx, ctxOf(tx));
      if (v && v.candidates.length === 1) picks.set(tx.txid, v.candidates[0]);
    }
    const a = core.changeAccuracy(picks, truthChange);
    change.push({ scenario, rule, ...a });
  }
  const threshold = core.parseRuleSet('change').change.threshold;
  const picks = new Map<string, number>();
  for (const tx of judged) {
    const d = core.combineChange(tx, ctxOf(tx), { ...core.defaultCombineChangeParams, fingerprintRedundancy });
    if (d && d.confidence >= threshold) picks.set(tx.txid, d.outputIndex);
  }
  const a = core.changeAccuracy(picks, truthChange);
  change.push({ scenario, rule: `combined vote (>= ${threshold})`, ...a });
  const cj = truth.transactions.filter((t) => t.coinjoin);
  const txById = new Map(txs.map((t) => [t.txid, t]));
  const flagged = cj.filter((t) => core.detectCoinjoin(txById.get(t.txid)!).coinjoin).length;
  return { pairs, change, coinjoins: { truth: cj.length, flagged } };
}

export { fixtures };
