import { core } from './deps.js';
import { CONFIGS, type PairRow } from './measure-utxo.js';

type AccountTransaction = import('../../../packages/core/dist/index.js').AccountTransaction;
type Truth = import('../../../fixtures/dist/index.js').Truth;

/** Measure the EVM rules on one generated account scenario; exchanges known from the truth's hot wallets. */
export function measureEvm(scenario: string, txs: AccountTransaction[], truth: Truth): PairRow[] {
  const exchanges = new Set(truth.entities.filter((e) => e.kind === 'exchange').map((e) => e.id));
  const known = truth.addresses.filter((a) => exchanges.has(a.entity) && a.role === 'hot').map((a) => a.address);
  const rows: PairRow[] = [];
  const configs = [
    { name: 'deposit-address', set: core.parseRuleSet('deposit-address') },
    { name: 'self-approval', set: core.parseRuleSet('self-approval') },
    { name: 'airdrop-multi', set: core.parseRuleSet('airdrop-multi') },
    { name: 'airdrop-multi (>= 5 recipients)', set: { ...core.parseRuleSet('airdrop-multi'), evm: { airdropMinRecipients: 5, depositWindowBlocks: 10_000 } } },
    { name: 'default (EVM rules)', set: core.defaultRuleSet() },
  ];
  for (const c of configs) {
    const r = core.clusterTransactions([], txs, { set: c.set, exchanges: known });
    const a = core.pairAccuracy(r.clusterOf, truth.ownerOf);
    rows.push({ scenario, config: c.name, unions: r.links.length, precision: a.precision, recall: a.recall, largestFalseMerge: a.largestFalseMerge.size, falseMergeOwners: a.largestFalseMerge.owners, coinjoinFalseLinks: 0 });
  }
  void CONFIGS;
  return rows;
}
