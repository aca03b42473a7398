import { CtraceError } from '../errors.js';
import { CHANGE_RULE_IDS, defaultParams as combineDefaults } from '../heuristics/change/combine-change.js';
import { type ChangeLinkParams, defaultParams as changeDefaults } from '../heuristics/cluster/change.js';
import { COINJOIN_IDS } from '../heuristics/coinjoin/detect-coinjoin.js';
import { type GuardParams, defaultGuardParams } from './guards.js';

/** The same-owner rules of heuristics.md §1, by id. */
export const CLUSTER_RULE_IDS = ['multi-input', 'change', 'peel-chain', 'pubkey-reuse', 'deposit-address', 'airdrop-multi', 'self-approval'] as const;

/** On unless switched off: the certain or near-certain rules. `change` and `peel-chain` are opt-in (collapse risk). */
export const DEFAULT_CLUSTER_RULES: readonly string[] = ['multi-input', 'pubkey-reuse', 'deposit-address', 'airdrop-multi', 'self-approval'];

/** What a clustering run uses: rules, change combination, CoinJoin detectors and guards. Persisted with the clusters. */
export interface ClusterRuleSet {
  rules: string[];
  change: ChangeLinkParams;
  /** CoinJoin detectors that the guard runs (default all). */
  coinjoin: string[];
  guards: GuardParams;
  /** EVM rule parameters that differ by case (heuristics.md defaults). */
  evm: { airdropMinRecipients: number; depositWindowBlocks: number };
}

/** The default rule set. */
export function defaultRuleSet(): ClusterRuleSet {
  return { rules: [...DEFAULT_CLUSTER_RULES], change: { ...changeDefaults, rules: [...combineDefaults.rules] }, coinjoin: [...COINJOIN_IDS], guards: { ...defaultGuardParams }, evm: { airdropMinRecipients: 1000, depositWindowBlocks: 10_000 } };
}

/**
 * Parse `--rules`: comma-separated cluster rule ids; change rule ids (section 2) pick the rules that vote in
 * `change` (and switch `change` on); CoinJoin detector ids (section 3) pick the detectors the guard runs.
 * @throws CtraceError USAGE on an unknown id
 * @example parseRuleSet('multi-input,change').rules // ['multi-input', 'change']
 */
export function parseRuleSet(text: string | undefined): ClusterRuleSet {
  const set = defaultRuleSet();
  if (text === undefined) return set;
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new CtraceError('USAGE', '--rules is empty: name rules, e.g. --rules multi-input,change');
  const rules: string[] = [];
  const change: string[] = [];
  const coinjoin: string[] = [];
  for (const id of ids) {
    if ((CLUSTER_RULE_IDS as readonly string[]).includes(id)) rules.push(id);
    else if (CHANGE_RULE_IDS.includes(id)) change.push(id);
    else if (COINJOIN_IDS.includes(id)) coinjoin.push(id);
    else throw new CtraceError('USAGE', `unknown rule "${id}" in --rules: use ${[...CLUSTER_RULE_IDS, ...CHANGE_RULE_IDS, ...COINJOIN_IDS].join(', ')}`);
  }
  if (change.length > 0 && !rules.includes('change')) rules.push('change');
  set.rules = [...new Set(rules)].sort((a, b) => CLUSTER_RULE_IDS.indexOf(a as never) - CLUSTER_RULE_IDS.indexOf(b as never));
  if (change.length > 0) set.change.rules = [...new Set(change)];
  if (coinjoin.length > 0) set.coinjoin = [...new Set(coinjoin)];
  return set;
}
