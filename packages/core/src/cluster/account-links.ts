import type { AccountTransaction } from '../model/account.js';
import { airdropMulti, defaultParams as airdropDefaults } from '../heuristics/cluster/airdrop-multi.js';
import { defaultParams as depositDefaults, depositAddress } from '../heuristics/cluster/deposit-address.js';
import type { SameOwnerLink } from '../heuristics/cluster/evidence.js';
import { selfApproval } from '../heuristics/cluster/self-approval.js';
import type { ClusterRuleSet } from './rule-set.js';

/**
 * The links the EVM rules of the set draw from the account transactions of one chain, in rule order.
 * @param known exchange addresses (deposit-address needs them) and block producers (never depositors)
 * @example accountLinks(txs, defaultRuleSet(), { exchanges: ['0x...'], miners: [] })
 */
export function accountLinks(txs: readonly AccountTransaction[], set: ClusterRuleSet, known: { exchanges: readonly string[]; miners: readonly string[] }): SameOwnerLink[] {
  if (txs.length === 0) return [];
  const links: SameOwnerLink[] = [];
  if (set.rules.includes('deposit-address') && known.exchanges.length > 0) links.push(...depositAddress(txs, { ...depositDefaults, ...known, windowBlocks: set.evm?.depositWindowBlocks ?? depositDefaults.windowBlocks }));
  if (set.rules.includes('airdrop-multi')) links.push(...airdropMulti(txs, { ...airdropDefaults, minRecipients: set.evm?.airdropMinRecipients ?? airdropDefaults.minRecipients }));
  if (set.rules.includes('self-approval')) links.push(...selfApproval(txs));
  return links;
}
