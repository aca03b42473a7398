import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Debian litecoind (a Bitcoin Core 0.21 fork), the real Core-compatible node of the tests. */
export const LITECOIND = '/usr/bin/litecoind';

export const hasLitecoind = (): boolean => existsSync(LITECOIND);

export interface Litecoind {
  /** `http://127.0.0.1:<port>/` without credentials (use the cookie file). */
  url: string;
  cookieFile: string;
  datadir: string;
  /** Call the node's JSON-RPC (the default wallet when `wallet` is set). */
  rpc<T = unknown>(method: string, params?: unknown[], wallet?: string): Promise<T>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, picked by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start `litecoind -regtest -txindex` in a temporary datadir on random free ports, and wait for its RPC.
 * `stop()` shuts it down and removes the datadir; call it in afterAll.
 */
export async function startLitecoind(): Promise<Litecoind> {
  const datadir = mkdtempSync(join(tmpdir(), 'ctrace-ltc-'));
  const rpcport = await freePort();
  const port = await freePort();
  const child: ChildProcess = spawn(LITECOIND, [
    '-regtest', '-txindex', '-server', `-datadir=${datadir}`, `-rpcport=${rpcport}`, `-port=${port}`, '-rpcbind=127.0.0.1',
    '-rpcallowip=127.0.0.1', '-listen=0', '-dnsseed=0', '-fallbackfee=0.0001', '-printtoconsole=0', '-discover=0', '-upnp=0',
  ], { stdio: 'ignore' });
  const cookieFile = join(datadir, 'regtest', '.cookie');
  const url = `http://127.0.0.1:${rpcport}/`;
  let exited = false;
  child.on('exit', () => (exited = true));

  const rpc = async <T>(method: string, params: unknown[] = [], wallet?: string): Promise<T> => {
    const auth = Buffer.from(readFileSync(cookieFile, 'utf8').trim()).toString('base64');
    const res = await fetch(wallet === undefined ? url : `${url}wallet/${wallet}`, {
      method: 'POST',
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }),
    });
    const body = (await res.json()) as { result: T; error: { message: string } | null };
    if (body.error) throw new Error(`litecoind ${method}: ${body.error.message}`);
    return body.result;
  };

  for (let i = 0; ; i++) {
    if (exited) throw new Error(`litecoind exited at start (datadir ${datadir})`);
    try {
      if (existsSync(cookieFile)) {
        await rpc('getblockchaininfo');
        break;
      }
    } catch {
      // warming up: RPC answers -28 until it has loaded
    }
    if (i > 300) throw new Error('litecoind did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    cookieFile,
    datadir,
    rpc,
    async stop() {
      if (!exited) {
        await rpc('stop').catch(() => {});
        const done = new Promise((r) => child.once('exit', r));
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(datadir, { recursive: true, force: true });
    },
  };
}

/** The small chain the fetch tests trace: a consolidation, a two-hop peel, a wallet payment with change, and a busy address. */
export interface Scenario {
  wallet: string;
  txs: { consolidation: string; peel1: string; peel2: string; payment: string };
  addr: Record<'miner' | 'merged' | 'pay1' | 'change1' | 'pay2' | 'change2' | 'shop' | 'hub', string>;
  /** Payments to `addr.hub`, more than one Esplora page of them. */
  hubTxids: string[];
}

/**
 * Mine 103 blocks, then: a consolidation of three coinbases, a peel chain of two hops from it (payment plus change
 * each), a wallet payment with change, and `hubPayments` payments to one address; all confirmed.
 */
export async function buildScenario(node: Litecoind, hubPayments = 0): Promise<Scenario> {
  const wallet = 'w';
  await node.rpc('createwallet', [wallet]);
  const type = { miner: 'bech32', merged: 'legacy', pay1: 'p2sh-segwit', change1: 'bech32', pay2: 'legacy', change2: 'bech32', shop: 'bech32', hub: 'bech32' } as const;
  const addr = {} as Scenario['addr'];
  for (const [k, t] of Object.entries(type)) addr[k as keyof typeof type] = await node.rpc<string>('getnewaddress', ['', t], wallet);
  const send = async (inputs: { txid: string; vout: number }[], outputs: Record<string, number>): Promise<string> => {
    const raw = await node.rpc<string>('createrawtransaction', [inputs, outputs]);
    const signed = await node.rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [raw], wallet);
    if (!signed.complete) throw new Error('signing failed');
    return node.rpc<string>('sendrawtransaction', [signed.hex]);
  };
  await node.rpc('generatetoaddress', [103, addr.miner]);
  const coinbases = (await node.rpc<{ txid: string; vout: number }[]>('listunspent', [1, 9999, [addr.miner]], wallet)).slice(0, 3);
  const consolidation = await send(coinbases.map((c) => ({ txid: c.txid, vout: c.vout })), { [addr.merged]: 149.999 });
  const peel1 = await send([{ txid: consolidation, vout: 0 }], { [addr.pay1]: 10, [addr.change1]: 139.998 });
  const peel2 = await send([{ txid: peel1, vout: 1 }], { [addr.pay2]: 5, [addr.change2]: 134.997 });
  await node.rpc('generatetoaddress', [1, addr.miner]);
  const payment = await node.rpc<string>('sendtoaddress', [addr.shop, 1.5], wallet);
  const hubTxids: string[] = [];
  for (let i = 0; i < hubPayments; i++) hubTxids.push(await node.rpc<string>('sendtoaddress', [addr.hub, 0.01 * (i + 1)], wallet));
  await node.rpc('generatetoaddress', [1, addr.miner]);
  return { wallet, txs: { consolidation, peel1, peel2, payment }, addr, hubTxids };
}
