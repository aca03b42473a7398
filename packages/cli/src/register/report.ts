import { Option } from 'commander';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';

/** demo, replay and graph exports. */
export function registerReport({ program, act, examples }: Registrar): void {
  program
    .command('export')
    .description('a trace, a cluster, or the fund flow around addresses or transactions, as a self-contained HTML report, GEXF or GraphML (Gephi), or DOT (Graphviz)')
    .argument('<format>', 'html, gexf, graphml or dot')
    .argument('[targets...]', 'addresses (checksum checked) or transaction ids to start from')
    .option('--trace <target>', 'draw `ctrace trace <target>` instead: tainted amounts on the edges (with --policy, --hops, --direction)')
    .option('--cluster <address>', 'draw `ctrace cluster <address>` instead: the evidence linking its addresses')
    .addOption(new Option('--policy <policy>', 'taint policy of --trace').choices(['fifo', 'lifo', 'haircut', 'tiho', 'poison']))
    .addOption(new Option('--stop-at <what>', 'where --trace stops').choices(['labelled', 'services', 'none']))
    .option('--as-of <time>', 'analysis time of --trace (labels in force then); the same time gives the same file')
    .option('-o, --out <file>', 'write to this file instead of stdout; with --json and --trace, the summary printed carries the trace (`ctrace --json trace`) too')
    .addOption(new Option('--direction <dir>', 'follow the money out of the targets, into them, or both (default out)').choices(['out', 'in', 'both']))
    .option('--hops <n>', 'transactions to follow away from a target (default 3; with --trace, trace\'s default)')
    .option('--max-nodes <n>', 'stop growing the graph at this many nodes (default 500)')
    .option('--chain <chain>', 'chain, when the store holds several')
    .option('--title <text>', 'title of the report')
    .addHelpText('after', examples([
      `ctrace export html ${X.market} --hops 4 -o flow.html`,
      `ctrace export gexf ${X.payout} --direction both -o case.gexf`,
      `ctrace export dot ${X.market} > flow.dot`,
      `ctrace export dot ${X.market} | dot -Tsvg > flow.svg   # needs Graphviz (dot)`,
      `ctrace export html --trace ${X.deposit} --policy haircut -o trace.html`,
      `ctrace --json export html --trace ${X.market} --policy haircut -o trace.html > trace.json`,
      `ctrace export gexf --cluster ${X.market} -o cluster.gexf`,
    ]))
    .action(act(async (c, format: string, targets: string[], o) => (await import('../commands/export.js')).exportGraph(c, format, targets, o)));

  program
    .command('replay')
    .description('replay a case file (fixture chain, labels, steps, expected results) for CI: exit 0 when it matches, 1 with a diff when not, 2 on a bad case')
    .argument('<case>', 'the case file (YAML); see fixtures/cases/ and docs/replay.md')
    .option('--fail-on <threshold>', 'also fail (exit 1) when a watched address passes it: exposure>=0.1, exposure>=10%, tainted>=100000 (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--keep', 'keep the temporary case store and print its path')
    .addHelpText('after', examples([
      'ctrace replay fixtures/cases/darknet-market.yaml',
      'ctrace replay fixtures/cases/darknet-market.yaml --fail-on "exposure>=50%"   # exit 1: a watched vendor passes it',
      'ctrace --json replay fixtures/cases/darknet-market.yaml > result.json',
      'ctrace replay fixtures/cases/peel-chain.yaml   # needs ../shared (real mainnet blocks 1-255 beside the clone)',
    ]))
    .action(act(async (c, file: string, o) => (await import('../commands/replay.js')).replay(c, file, o)));

  program
    .command('demo')
    .description('a whole investigation of the built-in darknet-market scenario, offline, in seconds: generate, ingest, cluster, trace, suspects, HTML report')
    .option('--out <dir>', 'where to write the chain, the store and the report', 'cryptotrace-demo')
    .option('--txs <n>', 'size of the scenario in transactions', '400')
    .option('--seed <n>', 'seed of the scenario (same seed, same chain)', '7')
    .addHelpText('after', examples(['ctrace demo', 'ctrace demo --out my-case   # then open my-case/report.html in a browser', 'ctrace --json demo --seed 3 --out demo3']))
    .action(act(async (c, o) => (await import('../commands/demo.js')).demo(c, o)));
}
