import { Option } from 'commander';
import { positiveInt } from '../args.js';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';

/** ingest, stats, show: getting data into the case store and looking at it. */
export function registerStore({ program, act, examples }: Registrar): void {
  program
    .command('ingest')
    .description('decode block and transaction files into the case store (format detected from content)')
    .argument('<files...>', 'blk*.dat (or a directory of them), raw or hex blocks and transactions, Core/Esplora JSON, blockchain-etl exports; .bz2 accepted')
    .addOption(new Option('--chain <chain>', 'chain of the data where the content does not say (default bitcoin)'))
    .addOption(new Option('--format <format>', 'skip detection: blk, raw-block, raw-tx, hex-block, hex-tx, core-block-json, core-tx-json, esplora-tx-json, esplora-block-json, blockchain-etl'))
    .addOption(new Option('--batch-txs <n>', 'transactions per atomic batch (default 2000, 20000 in a bulk load; a block is never split)').argParser(positiveInt('--batch-txs')))
    .addOption(new Option('--bulk', 'load as a whole chain: indexes built once at the end (default when the input is 64 MiB or more and at least half the store\'s size)'))
    .addOption(new Option('--no-bulk', 'never load in bulk: every batch leaves the store queryable'))
    .addHelpText('after', examples([`ctrace ingest ${X.blocks}`, 'ctrace ingest ~/.bitcoin/blocks/blk00000.dat   # needs your own node\'s block files', 'ctrace --db chain.db ingest ~/.bitcoin/blocks   # needs your own node\'s block files; a bulk load', 'ctrace --db case.db ingest block.hex tx.json --chain litecoin   # needs your own files']))
    .action(act(async (c, files: string[], o: { chain?: string; format?: string; batchTxs?: number; bulk?: boolean }) => (await import('../commands/ingest.js')).ingest(c, { files, ...o })));

  program
    .command('stats')
    .description('what the case store holds')
    .addHelpText('after', examples(['ctrace stats', 'ctrace --json stats']))
    .action(act(async (c) => (await import('../commands/stats.js')).stats(c)));

  const show = program.command('show').description('show a stored transaction or address')
    .addHelpText('after', examples([`ctrace show tx ${X.payout}`, `ctrace show address ${X.market}`, `ctrace --json show tx ${X.payout}`]));
  show
    .command('tx')
    .description('a decoded transaction: inputs with their previous outputs, outputs with their spenders')
    .argument('<txid>', 'transaction id (64 hex digits; 0x-prefixed for EVM chains)')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addHelpText('after', examples([`ctrace show tx ${X.payout}`, `ctrace --base-units --full show tx ${X.payout}`, 'ctrace --json show tx 0x<hash> --chain ethereum   # needs an EVM store (ctrace fetch ethereum ... from your own node)']))
    .action(act(async (c, txid: string, o: { chain?: string }) => (await import('../commands/show.js')).showTx(c, txid, o)));
  show
    .command('address')
    .description("an address's history: every transaction that touched it, with totals")
    .argument('<address>', 'address (checksum checked), or a script id such as p2pk:1...')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addHelpText('after', examples([`ctrace show address ${X.market}`, `ctrace --json show address ${X.exchange}`]))
    .action(act(async (c, address: string, o: { chain?: string }) => (await import('../commands/show.js')).showAddress(c, address, o)));

}
