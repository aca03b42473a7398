import type { SqliteStore, WalletRow } from '@cryptotrace/adapters';
import { ILLICIT_CATEGORIES, rankSuspects } from '@cryptotrace/core';
import { labelIndexOf, resolveSeeds, runWalk, walkOptions } from './trace-run.js';

/** The score a wallet holding a seed address gets: above every suspect (100 % at most), since the labels name it. */
export const SEED_SCORE = 101;

/**
 * The multi-hop baseline of `model evaluate`: `ctrace suspects`' ranking from the same seed labels (every illicit
 * category as the sources, the haircut policy, 6 hops, stopping at labelled wallets), as a score per wallet: the
 * suspect's score in percent (tainted / received) for the wallets it ranks, SEED_SCORE for the wallets holding a
 * source address, 0 for the rest. A suspect row that spans several feature rows gives each its score.
 * @param store the world's scratch store, clustered and seed-labelled
 * @param rows the wallets whose scores are wanted (walletFeatures' rows)
 * @returns one score per row, in order
 */
export function haircutExposure(store: SqliteStore, chain: string, rows: readonly WalletRow[]): number[] {
  const at = '1970-01-01T00:00:00.000Z';
  const walk = walkOptions({ policy: 'haircut', hops: '6', asOf: at }, 'forward');
  const labels = labelIndexOf(store, chain);
  // A world whose seed labels name no illicit wallet (its one in ten missed them) has no suspects: all score 0.
  if (!labels.withCategory(ILLICIT_CATEGORIES, at).some((a) => a.chain === chain)) return rows.map(() => 0);
  const sources = ILLICIT_CATEGORIES.map((c) => `category:${c}`);
  const src = resolveSeeds(store, 'the world', sources, chain, () => labels, () => [], at);
  const { summary } = runWalk(store, chain, src.seeds, walk, labels);
  const { suspects } = rankSuspects(summary, { chain, labels, sources: src.holders, sourceLabels: src.categories, at, typologies: [] });
  const byAddress = new Map<string, number>();
  for (const s of suspects) for (const a of s.addresses) byAddress.set(a, Math.max(byAddress.get(a) ?? 0, Number(s.score)));
  return rows.map((r) => (r.addresses.some((a) => src.holders.has(a)) ? SEED_SCORE : r.addresses.reduce((m, a) => Math.max(m, byAddress.get(a) ?? 0), 0)));
}
