import { Option } from 'commander';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** trace and suspects: taint propagation and ranking (issue 6). */
export function registerTaint({ program, act, examples }: Registrar): void {
  // trace defaults to fifo (exact, reversible); suspects to haircut, which ranked best on the generated scenarios
  // (scripts/accuracy-taint.mjs).
  const walkFlags = (cmd: ReturnType<Registrar['program']['command']>, policy: string) => cmd
    .addOption(new Option('--policy <policy>', 'taint policy').choices(['fifo', 'lifo', 'haircut', 'tiho', 'poison']).default(policy))
    .option('--min-amount <n>', 'drop taint below this many base units (sat, wei)')
    .option('--from <time>', 'follow only transactions at or after this time (ISO-8601 or unix seconds)')
    .option('--to <time>', 'follow only transactions at or before this time')
    .addOption(new Option('--stop-at <what>', 'stop at labelled addresses, only at labelled services, or nowhere').choices(['labelled', 'services', 'none']).default('labelled'))
    .option('--as-of <time>', 'analysis time (labels in force then; printed with the results); default now')
    .option('--chain <chain>', 'chain, when the store holds several');

  walkFlags(program
    .command('trace')
    .description('the fund flow out of (or into) an address, a transaction or an output, hop by hop, with amounts, labels and the suspects it reaches')
    .argument('<target>', 'address, txid, or txid:vout')
    .addOption(new Option('--direction <dir>', 'out: where the money went; in: where it came from').choices(['out', 'in']).default('out'))
    .option('--hops <n>', 'transactions to follow', '10')
    .option('--limit <n>', 'rows of the tree to print', '200')
    .option('--ndjson', 'one JSON record per line: a header, then each tainted output, address, cluster, suspect and service (docs/json-schema.md)')
    .option('--report <file>', 'also write the HTML report of this trace (what export html --trace writes), from the same walk'), 'fifo')
    .addHelpText('after', examples([
      `ctrace trace ${X.payout} --policy haircut --hops 5`,
      `ctrace trace ${X.deposit} --direction in`,
      `ctrace trace ${X.market} --policy haircut --report flow.html`,
      `ctrace --json trace ${X.market} --policy poison --hops 2`,
      `ctrace trace ${X.market} --policy haircut --hops 20 --ndjson > flow.ndjson`,
      'ctrace trace darknet_market --stop-at none',
    ]))
    .action(act(async (c, target: string, o) => (await import('../commands/trace.js')).trace(c, target, o)));

  walkFlags(program
    .command('suspects')
    .description('rank wallets (clusters where known) by exposure to sources: label categories, addresses or typologies; every score with its parts')
    .option('--source <source>', 'a label category (sanctioned, ransomware, market, ...), an address, a txid, or typology:<peel-chain|aggregator|market-consolidation|deposit-sweep>; repeatable (default: every illicit category)', collect)
    .option('--compare-policies', 'rank under every policy and show how the ranking changes')
    .option('--hops <n>', 'transactions to follow from a source', '6')
    .option('--limit <n>', 'rows to print or export', '50')
    .option('--model <file>', 'also rank by a model of ctrace model train: each row gets its learned probability and the combined score (the mean of both), and is ranked by that')
    .addOption(new Option('--export <format>', 'a block list: one row per wallet with score, evidence and analysis time').choices(['csv', 'json'])), 'haircut')
    .addHelpText('after', examples([
      'ctrace suspects --source darknet_market --source mixing_service',
      `ctrace suspects --source ${X.market} --policy haircut --compare-policies`,
      'ctrace suspects --source typology:peel-chain',
      'ctrace suspects --source darknet_market --export csv --as-of 2026-01-01T00:00:00Z > blocklist.csv',
    ]))
    .action(act(async (c, o) => (await import('../commands/suspects.js')).suspects(c, o)));
}
