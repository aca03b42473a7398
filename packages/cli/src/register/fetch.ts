import { Option } from 'commander';
import type { Registrar } from '../cli.js';
import type { FetchOptions } from '../commands/fetch.js';

/** fetch: pull transactions, addresses and blocks from Bitcoin Core RPC, Esplora or an EVM node (issue 4). */
export function registerFetch({ program, act, examples }: Registrar): void {
  program
    .command('fetch')
    .description('fetch a transaction, an address, a block or a block range, and its neighbourhood, into the case store (cache-first, resumable)')
    .argument('<chain>', 'bitcoin, litecoin, litecoin-regtest, ethereum, evm-<chainId>, ...')
    .argument('<what>', 'tx <txid> | address <address> | block <height|hash> | blocks <from> <to>')
    .argument('<ids...>', 'the txid, address, block, or the two heights of a range')
    .option('--rpc-url <url>', 'a Bitcoin Core-compatible node (UTXO chains) or an EVM JSON-RPC node; user:password@ allowed, never stored or printed')
    .option('--rpc-cookie <file>', "the node's .cookie file (Bitcoin Core RPC)")
    .option('--rpc-user <user>', 'RPC user (Bitcoin Core RPC); the password from --rpc-password or $CTRACE_RPC_PASSWORD')
    .option('--rpc-password <password>', 'RPC password (prefer $CTRACE_RPC_PASSWORD: it stays out of shell history)')
    .option('--esplora-url <url>', 'an Esplora REST API (Blockstream, mempool.space, self-hosted): address histories and spenders')
    .option('--explorer-api-url <url>', 'an Etherscan-compatible account API (EVM chains): address histories')
    .option('--explorer-api-key <key>', 'its API key (prefer $CTRACE_EXPLORER_API_KEY)')
    .option('--hops <n>', 'expand this many hops from the target (default 0)')
    .addOption(new Option('--direction <dir>', 'which way to expand (default both)').choices(['in', 'out', 'both']))
    .option('--max-txs <m>', 'budget: the most transactions the expansion admits (default 1000)')
    .option('--max-pages <n>', "pages of one address's history per run at most (default 1000)")
    .option('--max-response-mb <n>', 'the largest answer read, in MiB (default 32; 512 for --rpc-url nodes)')
    .option('--concurrency <n>', 'requests in flight at once (default 4)')
    .option('--rps <n>', 'requests per second at most (default: no limit)')
    .option('--timeout <ms>', 'per-request timeout in ms (default 30000)')
    .option('--retries <n>', 'retries on 429, 5xx and timeouts, with exponential backoff (default 4)')
    .option('--no-resolve-inputs', "do not fetch previous transactions to learn or check the inputs' values (Core RPC needs them for fees; taint skips unchecked values)")
    .option('--offline', 'never touch the network: expand from what the store holds')
    .addHelpText('after', examples([
      'ctrace fetch litecoin tx 9f1c...e2 --rpc-url http://127.0.0.1:9332/ --rpc-cookie ~/.litecoin/.cookie --hops 2 --direction in',
      'ctrace fetch bitcoin address bc1q...xyz --esplora-url https://blockstream.info/api/ --hops 1 --max-txs 200',
      'CTRACE_RPC_PASSWORD=... ctrace fetch bitcoin blocks 170 180 --rpc-url http://127.0.0.1:8332/ --rpc-user alice',
      'ctrace fetch ethereum block 17000000 --rpc-url http://127.0.0.1:8545',
      'ctrace fetch bitcoin tx f4184fc5...9e16 --hops 3 --offline',
    ]))
    .action(act(async (c, chain: string, what: string, ids: string[], o: Omit<FetchOptions, 'chain' | 'what' | 'ids'>) =>
      (await import('../commands/fetch.js')).fetchCommand(c, { ...o, chain, what, ids })));
}
