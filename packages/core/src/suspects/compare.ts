import type { Suspect } from './rank.js';

/** One wallet's rank and score under each policy. */
export interface PolicyComparisonRow {
  wallet: string;
  /** policy -> { rank, score }, null where the policy did not reach the wallet. */
  byPolicy: Record<string, { rank: number; score: string } | null>;
  /** Best rank across policies. */
  best: number;
}

/**
 * Line up rankings made under different policies: one row per wallet any of them ranked, by best rank, then wallet.
 * @param rankings policy id -> suspects in rank order
 * @returns the rows
 * @example comparePolicies({ fifo: a.suspects, haircut: b.suspects })[0].byPolicy.fifo?.rank
 */
export function comparePolicies(rankings: Record<string, readonly Suspect[]>): PolicyComparisonRow[] {
  const policies = Object.keys(rankings);
  const rows = new Map<string, PolicyComparisonRow>();
  for (const policy of policies) {
    for (const s of rankings[policy]) {
      const row = rows.get(s.wallet) ?? { wallet: s.wallet, byPolicy: Object.fromEntries(policies.map((q) => [q, null])), best: Infinity };
      row.byPolicy[policy] = { rank: s.rank, score: s.score };
      row.best = Math.min(row.best, s.rank);
      rows.set(s.wallet, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.best - b.best || (a.wallet < b.wallet ? -1 : a.wallet > b.wallet ? 1 : 0));
}
