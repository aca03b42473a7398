import { Option } from 'commander';
import type { Registrar } from '../cli.js';
import { colorSupported, configureOutput } from '../output.js';

/** Global output flags, demo, replay and graph exports (issue 7). */
export function registerReport({ program, act, examples }: Registrar): void {
  program
    .option('--csv', 'tables as CSV on stdout')
    .option('--base-units', 'amounts as exact integers in base units (sat, wei) instead of coin units')
    .option('--full', 'addresses and ids in full instead of shortened')
    .option('--no-color', 'no colour (also off when stdout is not a TTY, or NO_COLOR is set)')
    .hook('preAction', () => {
      const g = program.opts<{ csv?: boolean; baseUnits?: boolean; full?: boolean; color?: boolean }>();
      configureOutput({ csv: Boolean(g.csv), baseUnits: Boolean(g.baseUnits), full: Boolean(g.full), color: g.color !== false && colorSupported(process.stdout) });
    });

  program
    .command('export')
    .description('the fund flow around addresses or transactions as a self-contained HTML report, GEXF or GraphML (Gephi), or DOT (Graphviz)')
    .argument('<format>', 'html, gexf, graphml or dot')
    .argument('<targets...>', 'addresses (checksum checked) or transaction ids to start from')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addOption(new Option('--direction <dir>', 'follow the money out of the targets, into them, or both').choices(['out', 'in', 'both']).default('out'))
    .option('--hops <n>', 'transactions to follow away from a target', '3')
    .option('--max-nodes <n>', 'stop growing the graph at this many nodes', '500')
    .option('--chain <chain>', 'chain, when the store holds several')
    .option('--title <text>', 'title of the report')
    .addHelpText('after', examples([
      'ctrace export html 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --hops 4 -o flow.html',
      'ctrace export gexf f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16 --direction both -o case.gexf',
      'ctrace export dot 1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3 | dot -Tsvg > flow.svg',
    ]))
    .action(act(async (c, format: string, targets: string[], o) => (await import('../commands/export.js')).exportGraph(c, format, targets, o)));
}
