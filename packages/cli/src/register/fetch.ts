import { Option } from 'commander';
import type { Registrar } from '../registrar.js';
import { EXAMPLE_CASE as X } from './example-case.js';
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
      `ctrace fetch bitcoin-regtest tx ${X.payout} --hops 3 --offline`,
      'ctrace fetch litecoin tx <txid> --rpc-url http://127.0.0.1:9332/ --rpc-cookie ~/.litecoin/.cookie --hops 2 --direction in   # needs your own litecoind (-txindex)',
      'ctrace fetch bitcoin address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq --esplora-url https://blockstream.info/api/ --hops 1 --max-txs 200   # needs an Esplora API (internet)',
      'CTRACE_RPC_PASSWORD=... ctrace fetch bitcoin blocks 170 180 --rpc-url http://127.0.0.1:8332/ --rpc-user alice   # needs your own bitcoind',
      'ctrace fetch ethereum block 17000000 --rpc-url http://127.0.0.1:8545   # needs your own Ethereum node',
    ]))
    .action(act(async (c, chain: string, what: string, ids: string[], o: Omit<FetchOptions, 'chain' | 'what' | 'ids'>) =>
      (await import('../commands/fetch.js')).fetchCommand(c, { ...o, chain, what, ids })));

  program
    .command('watch')
    .description('follow a chain to its tip and raise alerts on a watchlist: movement, exposure, cluster growth (exactly once, through restarts and reorgs); `ctrace watch status` shows where each watch stands')
    .argument('<chain>', 'a Bitcoin-family or EVM chain (bitcoin, litecoin, litecoin-regtest, ethereum, anvil, evm-<chainId>, ...), or `status`')
    .option('--watchlist <file>', 'YAML or JSON: {"watch": [{"address": "<address>", "rules": ["movement"]}]} (see the README)')
    .option('--rpc-url <url>', 'a Bitcoin Core-compatible node, or an EVM JSON-RPC node for an EVM chain; user:password@ allowed, never stored or printed')
    .option('--rpc-cookie <file>', "the node's .cookie file")
    .option('--rpc-user <user>', 'RPC user; the password from --rpc-password or $CTRACE_RPC_PASSWORD')
    .option('--rpc-password <password>', 'RPC password (prefer $CTRACE_RPC_PASSWORD)')
    .option('--esplora-url <url>', 'an Esplora REST API instead of a node')
    .option('--alerts <file>', 'append alerts as NDJSON to this file (default -: stdout)')
    .option('--webhook <url>', 'POST each alert as JSON to this URL (retried with backoff; re-sent on the next start when it fails)')
    .option('--webhook-secret <secret>', 'sign webhook bodies with HMAC-SHA256 in x-ctrace-signature (prefer $CTRACE_WEBHOOK_SECRET)')
    .option('--confirmations <n>', 'evaluate only blocks n deep (default 0: the tip)')
    .option('--from <height>', 'a new watch starts at this height (default: the tip); a watch that ran before resumes where it stopped')
    .option('--once', 'catch up to the tip, evaluate and exit: 0 without alerts, 1 with alerts, 2 on a bad watchlist or option, 3 when the source fails')
    .option('--poll <seconds>', 'seconds between looks at the tip (default 10)')
    .option('--zmq <endpoint>', "wake on the node's ZMQ hashblock notifications at tcp://host:port, --poll staying the fallback (default: where its getzmqnotifications says; off: poll only)")
    .option('--timeout <ms>', 'per-request timeout in ms (default 30000)')
    .option('--retries <n>', 'retries of the source and the webhook, with exponential backoff (default 4)')
    .addHelpText('after', examples([
      'ctrace watch litecoin --watchlist watch.yaml --rpc-url http://127.0.0.1:9332/ --rpc-cookie ~/.litecoin/.cookie --alerts alerts.ndjson   # needs your own litecoind and a watchlist',
      'ctrace watch bitcoin --watchlist watch.json --rpc-url http://127.0.0.1:8332/ --from 870000 --once --confirmations 2   # needs your own bitcoind and a watchlist',
      'ctrace watch bitcoin --watchlist watch.json --rpc-url http://10.0.0.5:8332/ --rpc-cookie bitcoind.cookie --zmq tcp://10.0.0.5:28332   # needs your own bitcoind publishing -zmqpubhashblock',
      'ctrace watch status',
    ]))
    .action(act(async (c, chain: string, o: Omit<import('../commands/watch.js').WatchOptions, 'chain' | 'watchlist'> & { watchlist?: string }) => {
      const w = await import('../commands/watch.js');
      if (chain === 'status') return w.watchStatus(c);
      if (!o.watchlist) throw new (await import('@cryptotrace/core')).CtraceError('USAGE', 'ctrace watch needs --watchlist <file>: YAML or JSON, e.g. {"watch": [{"address": "<address>", "rules": ["movement"]}]}');
      return w.watch(c, { ...o, chain, watchlist: o.watchlist });
    }));
}
