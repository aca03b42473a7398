import { Option } from 'commander';
import type { Registrar } from '../cli.js';

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
    .option('--report <file>', 'also write the HTML report of this trace (what export html --trace writes), from the same walk'), 'fifo')
    .addHelpText('after', examples([
      'ctrace trace 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9 --policy haircut --hops 5',
      'ctrace trace 828ef3b079f9c23829c56fe86e85b4a69d9e06e5b54ea597eef5fb3ffef509fe:0 --direction in',
      'ctrace trace 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --policy haircut --report flow.html',
      'ctrace --json trace 1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3 --policy poison --hops 2',
    ]))
    .action(act(async (c, target: string, o) => (await import('../commands/trace.js')).trace(c, target, o)));

  walkFlags(program
    .command('suspects')
    .description('rank wallets (clusters where known) by exposure to sources: label categories, addresses or typologies; every score with its parts')
    .option('--source <source>', 'a label category (sanctioned, ransomware, market, ...), an address, a txid, or typology:<peel-chain|aggregator|market-consolidation|deposit-sweep>; repeatable (default: every illicit category)', collect)
    .option('--compare-policies', 'rank under every policy and show how the ranking changes')
    .option('--hops <n>', 'transactions to follow from a source', '6')
    .option('--limit <n>', 'rows to print or export', '50')
    .addOption(new Option('--export <format>', 'a block list: one row per wallet with score, evidence and analysis time').choices(['csv', 'json'])), 'haircut')
    .addHelpText('after', examples([
      'ctrace suspects --source sanctioned --source ransomware',
      'ctrace suspects --source 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --policy haircut --compare-policies',
      'ctrace suspects --source market --export csv --as-of 2026-01-01T00:00:00Z > blocklist.csv',
    ]))
    .action(act(async (c, o) => (await import('../commands/suspects.js')).suspects(c, o)));
}
