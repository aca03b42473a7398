import type { ClusterRuleSet, ClusterRunOptions, ClusterRunSummary } from '@cryptotrace/core';
import { defaultRuleSet, runClusters } from '@cryptotrace/core';
import { sqliteClusterStore } from './cluster-store.js';
import { createClusterTables } from './clusters.js';
import type { SqliteStore } from './store.js';

export type { ClusterRunOptions, ClusterRunSummary } from '@cryptotrace/core';

/**
 * Recompute a chain's clusters from scratch with a rule set (`ctrace cluster rebuild`): the core's run
 * (runClusters) over the store, each chunk's unions, guard events and the run state (marked incomplete, with how
 * far it got) committed together; membership is written once at the end, with the run marked complete. An
 * interrupted rebuild is started again by the next update.
 * @example rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input,change'))
 */
export function rebuildClusters(store: SqliteStore, chain: string, set: ClusterRuleSet = defaultRuleSet(), opts: ClusterRunOptions = {}): ClusterRunSummary {
  const at = opts.at ?? new Date().toISOString();
  const target = sqliteClusterStore(store, chain);
  target.reset(set, at);
  return runClusters(target, set, 'rebuild', { ...opts, at });
}

/**
 * Bring clusters up to date after ingest or fetch added transactions: only transactions stored after the last
 * clustered one are read (plus those that waited for their inputs, and, for change and peel rules, the parents
 * of new ones), with the rule set the chain was built with. Chains never clustered are built with the defaults
 * unless `onlyClustered`.
 * @returns one summary per chain updated
 * @example updateClusters(store, { onlyClustered: true }) // after an ingest
 */
export function updateClusters(store: SqliteStore, opts: ClusterRunOptions & { chain?: string; onlyClustered?: boolean } = {}): ClusterRunSummary[] {
  const tables = createClusterTables(store.db);
  const chains = opts.chain ? [opts.chain] : store.stats().chains;
  const out: ClusterRunSummary[] = [];
  for (const chain of chains) {
    const run = tables.loadRun(chain);
    if (!run && opts.onlyClustered) continue;
    // A rebuild that did not finish has no membership yet: it starts again with its rule set.
    if (run && !run.complete) out.push(rebuildClusters(store, chain, run.ruleSet, opts));
    else out.push(runClusters(sqliteClusterStore(store, chain), run?.ruleSet ?? defaultRuleSet(), run ? 'update' : 'rebuild', opts));
  }
  return out;
}
