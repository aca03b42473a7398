import { Option } from 'commander';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';
import type { ClusterEventView } from '@cryptotrace/adapters';

/** cluster: same-owner clustering with evidence (issue 5). */
export function registerCluster({ program, act, examples }: Registrar): void {
  const cluster = program
    .command('cluster')
    .description("an address's cluster: its size, addresses, labels and the rules that built it (brought up to date first)")
    .argument('<address>', 'address (checksum checked), or a script id such as p2pk:1...')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addOption(new Option('--limit <n>', 'most addresses to list').default('1000'))
    .addHelpText('after', examples([`ctrace cluster ${X.market}`, `ctrace cluster why ${X.market} ${X.market2}`, 'ctrace cluster rebuild --rules multi-input,change', 'ctrace --json cluster guards']))
    .action(act(async (c, address: string, o: { chain?: string; limit: string }) => (await import('../commands/cluster.js')).showCluster(c, address, o)));

  cluster
    .command('why')
    .description('the shortest chain of evidence linking two addresses, or that they are not linked')
    .argument('<a>', 'first address')
    .argument('<b>', 'second address')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addHelpText('after', examples([`ctrace cluster why ${X.market} ${X.market2}`, `ctrace --json cluster why ${X.market} ${X.exchange}`]))
    .action(act(async (c, a: string, b: string, o: { chain?: string }) => (await import('../commands/cluster.js')).whyLinked(c, a, b, o)));

  cluster
    .command('rebuild')
    .description('recompute clusters from scratch with a rule set; it is stored with them and used by later updates')
    .option('--rules <ids>', 'comma-separated rule ids (docs/heuristics.md §1; change rule ids pick the change voters, CoinJoin ids the detectors)')
    .option('--chain <chain>', 'only this chain (default: every chain in the store)')
    .addOption(new Option('--max-merge-size <n>', 'collapse guard: refuse merging two clusters both larger than n addresses').default('10000'))
    .addOption(new Option('--label-confidence <n>', 'collapse guard: owner labels of at least this confidence (0-100) must not conflict').default('80'))
    .option('--no-label-guard', 'do not refuse merges of clusters with different owner labels')
    .option('--no-coinjoin-guard', 'let CoinJoin transactions give links (not recommended)')
    .option('--change-threshold <p>', 'combined confidence a change pick needs (default 0.95)')
    .addHelpText('after', examples(['ctrace cluster rebuild --rules multi-input,change,peel-chain', 'ctrace cluster rebuild --rules multi-input,change,fresh-address,round-value', 'ctrace cluster rebuild']))
    .action(act(async (c, o) => (await import('../commands/cluster-rebuild.js')).rebuild(c, o)));

  cluster
    .command('guards')
    .description('what the guards did: CoinJoin transactions that gave no link, merges the collapse guard refused')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addOption(new Option('--kind <kind>', 'only one kind').choices(['coinjoin', 'ambiguous', 'refused-size', 'refused-labels']))
    .addOption(new Option('--limit <n>', 'most reports to list').default('1000'))
    .addHelpText('after', examples(['ctrace cluster guards --kind refused-labels']))
    .action(act(async (c, o: { chain?: string; kind?: ClusterEventView['kind']; limit: string }) => (await import('../commands/cluster.js')).guards(c, o)));
}
