import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';

/** generate: write scenario chains with ground truth (issue 3). */
export function registerGenerate({ program, act, examples }: Registrar): void {
  program
    .command('generate')
    .description('write a generated world with its ground truth: blk*.dat (UTXO) or account records (EVM), plus owners, change, types and FIFO taint')
    .argument('<scenario>', 'darknet-market, ransomware, aggregator, coinjoin, economy (Bitcoin), stablecoin-aggregator, stablecoin-approvals (EVM)')
    .requiredOption('--out <dir>', 'directory to write (created; its files are overwritten)')
    .option('--txs <n>', 'transactions to generate, coinbases included (10 to 100000000)', '1000')
    .option('--seed <seed>', 'seed: the same scenario, --txs and --seed give byte-identical files', '1')
    .option('--block-txs <n>', 'transactions per block (default: txs/25, kept within 8 to 2500)')
    .option('--chain <chain>', 'bitcoin-regtest (default: bcrt1 addresses, regtest magic) or bitcoin; EVM: the chain name written (default ethereum)')
    .option('--era <height>', 'UTXO: imitate the wallets of the era of this block height (software fingerprints, script types, fiat amounts, data carriers, spending data with witnesses); default: the synthetic world')
    .option('--no-model', 'UTXO: skip transactions.ndjson (the normalized records); the blk files and the truth are always written')
    .addHelpText('after', examples([
      'ctrace generate darknet-market --txs 300 --seed 1 --out case1 && ctrace --db case1.db ingest case1/blk00000.dat',
      'ctrace generate economy --txs 20000 --seed 42 --out world --no-model',
      'ctrace --json generate stablecoin-aggregator --txs 500 --out evm',
      'ctrace generate economy --txs 2000 --era 587500 --out world2019',
    ]))
    .action(act(async (c, scenario: string, o: { out: string; txs: string; seed: string; blockTxs?: string; chain?: string; era?: string; model: boolean }) =>
      (await import('../commands/generate.js')).generate(c, { scenario, ...o })));

  program
    .command('realism')
    .description('compare a generated world with real blocks: per statistic, both distributions and their total-variation distance')
    .argument('<world-dir>', 'the --out directory of ctrace generate (a UTXO scenario)')
    .argument('<real...>', 'real block files, in any format ingest reads (blk*.dat, raw or hex blocks, Core getblock JSON; .bz2 accepted)')
    .option('--threshold <d>', 'mark statistics further than this (0 to 1)', '0.10')
    .addHelpText('after', examples([
      'ctrace generate economy --txs 2000 --era 587500 --out world2019 && ctrace realism world2019 fixtures/scenarios/darknet-market/blk00000.dat',
      'ctrace --json realism world2019 ~/.bitcoin/blocks/blk01700.dat   # needs your own node\'s block files (blocks of 2019)',
    ]))
    .action(act(async (c, world: string, real: string[], o: { threshold: string }) => (await import('../commands/realism.js')).realism(c, { world, real, ...o })));
}
