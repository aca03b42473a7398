import { Option } from 'commander';
import { positiveInt } from '../args.js';
import type { Registrar } from '../cli.js';

/** ingest, stats, show: getting data into the case store and looking at it. */
export function registerStore({ program, act, examples }: Registrar): void {
  program
    .command('ingest')
    .description('decode block and transaction files into the case store (format detected from content)')
    .argument('<files...>', 'blk*.dat, raw or hex blocks and transactions, Core/Esplora JSON, blockchain-etl exports; .bz2 accepted')
    .addOption(new Option('--chain <chain>', 'chain of the data where the content does not say (default bitcoin)'))
    .addOption(new Option('--format <format>', 'skip detection: blk, raw-block, raw-tx, hex-block, hex-tx, core-block-json, core-tx-json, esplora-tx-json, esplora-block-json, blockchain-etl'))
    .addOption(new Option('--batch-txs <n>', 'transactions per atomic batch (a block is never split)').default(2000).argParser(positiveInt('--batch-txs')))
    .addHelpText('after', examples(['ctrace ingest ~/.bitcoin/blocks/blk00000.dat', 'ctrace --db case.db ingest block.hex tx.json --chain litecoin']))
    .action(act(async (c, files: string[], o: { chain?: string; format?: string; batchTxs: number }) => (await import('../commands/ingest.js')).ingest(c, { files, ...o })));

  program
    .command('stats')
    .description('what the case store holds')
    .addHelpText('after', examples(['ctrace stats', 'ctrace --json stats']))
    .action(act(async (c) => (await import('../commands/stats.js')).stats(c)));

  const show = program.command('show').description('show a stored transaction or address')
    .addHelpText('after', examples(['ctrace show tx <txid>', 'ctrace show address <address>', 'ctrace --json show tx <txid>']));
  show
    .command('tx')
    .description('a decoded transaction: inputs with their previous outputs, outputs with their spenders')
    .argument('<txid>', 'transaction id (64 hex digits; 0x-prefixed for EVM chains)')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addHelpText('after', examples(['ctrace show tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', 'ctrace --json show tx 0x5c50...e1 --chain ethereum']))
    .action(act(async (c, txid: string, o: { chain?: string }) => (await import('../commands/show.js')).showTx(c, txid, o)));
  show
    .command('address')
    .description("an address's history: every transaction that touched it, with totals")
    .argument('<address>', 'address (checksum checked), or a script id such as p2pk:1...')
    .option('--chain <chain>', 'chain, when the store holds several')
    .addHelpText('after', examples(['ctrace show address 1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', 'ctrace --json show address p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S']))
    .action(act(async (c, address: string, o: { chain?: string }) => (await import('../commands/show.js')).showAddress(c, address, o)));

}
