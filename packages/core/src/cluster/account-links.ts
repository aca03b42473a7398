import type { AccountTransaction } from '../model/account.js';
import { type AirdropMultiParams, airdropMulti, defaultParams as airdropDefaults } from '../heuristics/cluster/airdrop-multi.js';
import { type DepositAddressParams, defaultParams as depositDefaults, depositAddress } from '../heuristics/cluster/deposit-address.js';
import type { SameOwnerLink } from '../heuristics/cluster/evidence.js';
import { selfApproval } from '../heuristics/cluster/self-approval.js';
import type { ClusterRuleSet } from './rule-set.js';

/** Exchange addresses (deposit-address needs them) and block producers (never depositors), from labels. */
export interface AccountKnown {
  exchanges: readonly string[];
  miners: readonly string[];
}

/** The parameters of the EVM rules a rule set runs with. */
export function accountRuleParams(set: ClusterRuleSet, known: AccountKnown): { deposit: DepositAddressParams; airdrop: AirdropMultiParams } {
  return {
    deposit: { ...depositDefaults, ...known, windowBlocks: set.evm?.depositWindowBlocks ?? depositDefaults.windowBlocks },
    airdrop: { ...airdropDefaults, minRecipients: set.evm?.airdropMinRecipients ?? airdropDefaults.minRecipients },
  };
}

/**
 * The links the EVM rules of the set draw from the account transactions of one chain, in the order a chain read
 * block by block finds them: by the block each is found at (`found`), then rule order, then each rule's own order.
 * Applied in that order, a rebuild and an update block by block (`accountBlockLinks`) make the same unions.
 * @param known exchange addresses (deposit-address needs them) and block producers (never depositors)
 * @example accountLinks(txs, defaultRuleSet(), { exchanges: ['0x...'], miners: [] })
 */
export function accountLinks(txs: readonly AccountTransaction[], set: ClusterRuleSet, known: AccountKnown): SameOwnerLink[] {
  if (txs.length === 0) return [];
  const p = accountRuleParams(set, known);
  const links: SameOwnerLink[] = [];
  if (set.rules.includes('deposit-address') && known.exchanges.length > 0) links.push(...depositAddress(txs, p.deposit));
  if (set.rules.includes('airdrop-multi')) links.push(...airdropMulti(txs, p.airdrop));
  if (set.rules.includes('self-approval')) links.push(...selfApproval(txs));
  // Array.prototype.sort is stable: rule order and each rule's order stay within a block.
  return links.sort((a, b) => (a.found ?? 0) - (b.found ?? 0));
}
