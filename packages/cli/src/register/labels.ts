import { Option } from 'commander';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';

/** labels: import, list and show address labels (issue 6). */
export function registerLabels({ program, act, examples }: Registrar): void {
  const labels = program.command('labels').description('address labels: import them from public lists, list and show them')
    .addHelpText('after', examples([`ctrace labels import ${X.labels}`, 'ctrace labels list --summary', `ctrace labels show ${X.exchange}`]));
  labels
    .command('import')
    .description('import label files or directories: GraphSense TagPacks, OFAC lists, etherscan-labels, MEW darklist, CSV (chain,address,category,source,confidence)')
    .argument('<paths...>', 'files or directories (walked; files that are not label files are listed as skipped)')
    .addOption(new Option('--format <format>', 'skip detection').choices(['tagpack', 'ofac', 'etherscan', 'mew-darklist', 'mew-lightlist', 'csv']))
    .option('--chain <chain>', 'chain (or asset) for files that do not say')
    .option('--at <time>', 'import time to record (ISO-8601; default now)')
    .addHelpText('after', examples([
      `ctrace labels import ${X.labels}`,
      'ctrace labels import my-labels.csv --at 2026-01-01T00:00:00Z   # needs your own file (CSV: chain,address,category,source,confidence)',
      'ctrace --json labels import tagpacks/ --format tagpack   # needs your own files (a GraphSense TagPack directory)',
    ]))
    .action(act(async (c, paths: string[], o: { format?: string; chain?: string; at?: string }) => (await import('../commands/labels.js')).labelsImport(c, paths, o)));
  labels
    .command('list')
    .description('stored labels, or with --summary their counts by source and category')
    .option('--chain <chain>', 'only this chain')
    .option('--category <category>', 'only this category')
    .option('--source <source>', 'only this source')
    .option('--limit <n>', 'at most this many', '100')
    .option('--summary', 'counts by source and category instead')
    .addHelpText('after', examples(['ctrace labels list --category darknet_market --chain bitcoin-regtest', 'ctrace labels list --summary', 'ctrace --csv labels list --limit 5']))
    .action(act(async (c, o) => (await import('../commands/labels.js')).labelsList(c, o)));
  labels
    .command('show')
    .description("an address's labels, every source side by side")
    .argument('<address>', 'address (any chain)')
    .option('--chain <chain>', 'only this chain')
    .addHelpText('after', examples([`ctrace labels show ${X.market}`, `ctrace --json labels show ${X.exchange}`]))
    .action(act(async (c, address: string, o: { chain?: string }) => (await import('../commands/labels.js')).labelsShow(c, address, o)));
}
