import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctraceAsync } from '../support/cli-async.js';
import { tempDir } from '../support/cli.js';
import { startEsploraStandIn } from '../support/esplora-standin.js';
import { type Litecoind, hasLitecoind, startLitecoind } from '../support/litecoind.js';

// A real litecoind -regtest -txindex: the watch follows it block by block, through a reorg made with
// invalidateblock and a longer branch mined with generateblock, and restarts between every step.
interface Alert { id: string; type: string; rule: string; txid: string; height: number; block: string; address: string; amount: string | null; retracts?: string; watch: { key: string }; evidence: Record<string, unknown> }

describe.skipIf(!hasLitecoind())('ctrace watch against litecoind -regtest', () => {
  let node: Litecoind;
  let server: Server;
  let hookUrl: string;
  const received: { body: string; signature: string | undefined }[] = [];
  let failNext = 0;
  const dir = tempDir();
  const db = join(dir, 'watch.db');
  const alertsFile = join(dir, 'alerts.ndjson');
  const listFile = join(dir, 'watch.json');
  const secret = 'test-secret';
  const addr: Record<string, string> = {};
  const wallet = 'w';

  const mine = (n = 1) => node.rpc<string[]>('generatetoaddress', [n, addr.miner]);
  const send = async (inputs: { txid: string; vout: number }[], outputs: Record<string, number>): Promise<string> => {
    const raw = await node.rpc<string>('createrawtransaction', [inputs, outputs]);
    const signed = await node.rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [raw], wallet);
    return node.rpc<string>('sendrawtransaction', [signed.hex]);
  };
  const utxoOf = async (address: string) => (await node.rpc<{ txid: string; vout: number; amount: number }[]>('listunspent', [1, 9999, [address]], wallet))[0];
  const watchOnce = (extra: string[] = []) => ctraceAsync(['--db', db, 'watch', 'litecoin-regtest', '--watchlist', listFile, '--rpc-url', node.url, '--rpc-cookie', node.cookieFile,
    '--alerts', alertsFile, '--once', '--webhook', hookUrl, '--retries', '2', ...extra], { env: { CTRACE_WEBHOOK_SECRET: secret } });
  const fileAlerts = (): Alert[] => (existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  beforeAll(async () => {
    node = await startLitecoind();
    await node.rpc('createwallet', [wallet]);
    for (const [k, t] of Object.entries({ miner: 'bech32', watched: 'legacy', partner: 'bech32', hop1: 'bech32', hop2: 'legacy', other: 'bech32' })) {
      addr[k] = await node.rpc<string>('getnewaddress', ['', t], wallet);
    }
    await mine(105);
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ body, signature: req.headers['x-ctrace-signature'] as string | undefined });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`;
    writeFileSync(listFile, JSON.stringify({ watch: [
      { address: addr.watched, rules: ['movement', 'exposure'], name: 'seized market wallet', threshold: 0.5 },
      { cluster: addr.watched, rules: ['cluster-growth'] },
    ] }));
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await node?.stop();
  });

  it('default: a new watch starts at the tip; a receipt is no alert (exit 0)', async () => {
    const r0 = await watchOnce();
    expect(r0.code, r0.stderr).toBe(0);
    // Funded from coinbases explicitly: the wallet's own coin selection could spend the watched coin at once.
    const coinbases = await node.rpc<{ txid: string; vout: number }[]>('listunspent', [1, 9999, [addr.miner]], wallet);
    await send([coinbases[0]].map((c) => ({ txid: c.txid, vout: c.vout })), { [addr.watched]: 5, [addr.other]: 44.999 });
    await send([coinbases[1]].map((c) => ({ txid: c.txid, vout: c.vout })), { [addr.partner]: 2, [addr.other]: 47.999 });
    await mine();
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 blocks evaluated, 0 alerts/);
    expect(fileAlerts()).toEqual([]);
  });

  it('behavior: movement, exposure two hops deep and cluster growth are raised once, each with its evidence, to the file and the signed webhook', async () => {
    const w = await utxoOf(addr.watched);
    const p = await utxoOf(addr.partner);
    // The watched wallet spends together with a partner's coin (multi-input: the partner joins its cluster)...
    const t1 = await send([{ txid: w.txid, vout: w.vout }, { txid: p.txid, vout: p.vout }], { [addr.hop1]: 6.9999 });
    await mine();
    // ...and the money moves on one more hop.
    const t2 = await send([{ txid: t1, vout: 0 }], { [addr.hop2]: 6.9998 });
    await mine();
    failNext = 1; // the webhook fails once: the retry delivers it
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(1);
    const alerts = fileAlerts();
    const movement = alerts.find((a) => a.rule === 'movement')!;
    expect(movement).toMatchObject({ type: 'alert', txid: t1, address: addr.watched, amount: '500000000', watch: { key: `address:${addr.watched}` } });
    const exposure = alerts.filter((a) => a.rule === 'exposure');
    expect(exposure.map((a) => [a.txid, a.address, a.evidence.hop])).toEqual([[t1, addr.hop1, 1], [t2, addr.hop2, 2]]);
    // Haircut: 5 of the 7 coins in came from the watched address.
    expect(exposure[0].evidence).toMatchObject({ policy: 'haircut', share: '0.714285' });
    const growth = alerts.find((a) => a.rule === 'cluster-growth')!;
    expect(growth).toMatchObject({ address: addr.partner, txid: t1 });
    expect(growth.evidence.links).toEqual([expect.objectContaining({ rule: 'multi-input', txid: t1 })]);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    // The webhook got each alert once, signed.
    expect(received.map((x) => JSON.parse(x.body).id)).toEqual(alerts.map((a) => a.id));
    for (const x of received) expect(x.signature).toBe(`sha256=${createHmac('sha256', secret).update(x.body).digest('hex')}`);
  });

  it('behavior: a restart raises nothing again (exit 0), and watch status says where the watch stands', async () => {
    const before = readFileSync(alertsFile, 'utf8');
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(alertsFile, 'utf8')).toBe(before);
    const s = await ctraceAsync(['--db', db, '--json', 'watch', 'status']);
    const status = JSON.parse(s.stdout).watches[0];
    expect(status).toMatchObject({ chain: 'litecoin-regtest', height: await node.rpc<number>('getblockcount'), alerts: fileAlerts().length, unsentFile: 0, unsentWebhook: 0 });
  });

  it('behavior: a reorg rolls the store back, retracts the orphaned block\'s alerts and follows the new branch', async () => {
    const tip = await node.rpc<string>('getbestblockhash');
    const orphaned = fileAlerts().filter((a) => a.block === tip);
    expect(orphaned.map((a) => a.rule)).toEqual(['exposure']);
    await node.rpc('invalidateblock', [tip]);
    await node.rpc('generateblock', [addr.other, []]);
    await node.rpc('generateblock', [addr.other, []]);
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/reorg: blocks \d+ to \d+ left the best chain/);
    const retracted = fileAlerts().filter((a) => a.type === 'retracted');
    expect(retracted.map((a) => a.retracts)).toEqual(orphaned.map((a) => a.id));
    // The orphaned transaction is gone from the store; its parent's output is unspent again.
    const show = await ctraceAsync(['--db', db, '--json', 'show', 'tx', orphaned[0].txid, '--chain', 'litecoin-regtest']);
    expect(show.code).toBe(1);
    const again = await watchOnce();
    expect(again.code).toBe(0);
  });

  it('behavior: killed with SIGKILL mid-watch and started again, it has written every alert exactly once', async () => {
    // Two more hops of the watched money, one block each, for the killed run to find.
    // (The transaction the reorg orphaned went back to the mempool: this block confirms it again.)
    await mine();
    const h = await utxoOf(addr.hop2);
    const t3 = await send([{ txid: h.txid, vout: h.vout }], { [addr.hop1]: 6.9997 });
    await mine();
    await send([{ txid: t3, vout: 0 }], { [addr.hop2]: 6.9996 });
    await mine(3);
    const from = String((await node.rpc<number>('getblockcount')) - 12);
    const run = (name: string, extra: string[], onSpawn?: Parameters<typeof ctraceAsync>[1]['onSpawn']) => ctraceAsync(['--db', join(dir, `${name}.db`), 'watch', 'litecoin-regtest', '--watchlist', listFile,
      '--rpc-url', node.url, '--rpc-cookie', node.cookieFile, '--alerts', join(dir, `${name}.ndjson`), '--from', from, ...extra], { onSpawn });
    const ids = (name: string) => readFileSync(join(dir, `${name}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id as string);
    const reference = await run('reference', ['--once']);
    expect(reference.code, reference.stderr).toBe(1);
    const killed = await run('killed', ['--poll', '0.2'], (child) => {
      let seen = 0;
      child.stderr!.on('data', (d: Buffer) => {
        seen += (String(d).match(/^watch litecoin-regtest: height/gm) ?? []).length;
        if (seen >= 6) child.kill('SIGKILL');
      });
    });
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await run('killed', ['--once']);
    expect([0, 1]).toContain(resumed.code);
    expect(ids('killed')).toEqual(ids('reference'));
    // An Esplora API over the same chain (a stand-in serving Esplora's documented formats: none can run here)
    // gives the same alerts, ids and all.
    const esplora = await startEsploraStandIn(node);
    try {
      const r = await ctraceAsync(['--db', join(dir, 'esplora.db'), 'watch', 'litecoin-regtest', '--watchlist', listFile, '--esplora-url', esplora.api,
        '--alerts', join(dir, 'esplora.ndjson'), '--from', from, '--once']);
      expect(r.code, r.stderr).toBe(1);
      expect(ids('esplora')).toEqual(ids('reference'));
    } finally {
      await esplora.close();
    }
  });

  it('error: a bad watchlist is one line and exit 2, before the node is asked anything', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ watch: [{ address: 'not-an-address', rules: ['movement'] }] }));
    const r = await ctraceAsync(['--db', db, 'watch', 'litecoin-regtest', '--watchlist', bad, '--rpc-url', node.url, '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/watchlist .*bad\.json, entry 1: "not-an-address" is not a litecoin-regtest address/);
  });

  it('error: a node that does not answer is one line and exit 3 with --once', async () => {
    // A loopback port nothing listens on: a listening socket is opened and closed to find one.
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const other = join(dir, 'gone.db');
    const r = await ctraceAsync(['--db', other, 'watch', 'litecoin-regtest', '--watchlist', listFile, '--rpc-url', `http://127.0.0.1:${closed}`, '--once', '--retries', '0', '--timeout', '2000']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('note:'))).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${closed}`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
