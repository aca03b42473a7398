import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore, streamAccountTransactions } from '@cryptotrace/adapters';
import { SERVICE_CATEGORIES, getChain, normalizeAddress, propagateAccountTaint } from '@cryptotrace/core';
import { compileFixtureContracts } from '@cryptotrace/fixtures';
import { describe, expect, it } from 'vitest';
import { useAnvil } from '../support/anvil.js';
import { ctrace, tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';

// A real anvil (npm @foundry-rs/anvil), mining one block per transaction: the watch follows it block by block
// through native payments, an ERC-20 (fixtures/contracts/Stablecoin.sol, compiled offline by solc-js), internal
// transfers (Forwarder.sol), a reorg made with evm_snapshot / evm_revert and a longer branch, and a kill -9.
// Transactions are sent from impersonated fresh addresses (anvil_impersonateAccount): no keys, no ethers here.
interface Alert { id: string; type: string; rule: string; txid: string; height: number; block: string; address: string; amount: string | null; retracts?: string; watch: { key: string }; evidence: Record<string, any> }

const anvil = useAnvil({ play: false });
const dir = tempDir('ctrace-watch-anvil-');
const db = join(dir, 'watch.db');
const alertsFile = join(dir, 'alerts.ndjson');
const listFile = join(dir, 'watch.json');
const labelsFile = join(dir, 'labels.csv');
const fresh = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(20)}`;
const thief = fresh(0x11);
const hop1 = fresh(0x22);
const deposit = fresh(0x33);
const other = fresh(0x44);
const payees = [fresh(0x55), fresh(0x66)];
const [user1, user2, depositor, hot] = [fresh(0x77), fresh(0x88), fresh(0x99), fresh(0xaa)];
const ETH = 10n ** 18n;
const canonical = (a: string) => normalizeAddress(getChain('anvil'), a);
let dev = '';
let token = '';
let forwarder = '';

const rpc = async <T = any>(method: string, params: unknown[] = []): Promise<T> => {
  const r = await fetch(anvil.node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await r.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
};
const word = (x: bigint | string) => BigInt(x).toString(16).padStart(64, '0');
/** Send a transaction (anvil mines it at once, in a block of its own) and check it succeeded. */
const send = async (from: string, to: string | null, value: bigint, data = '0x'): Promise<{ hash: string; contract: string | null; block: number }> => {
  const hash = await rpc<string>('eth_sendTransaction', [{ from, ...(to ? { to } : {}), value: `0x${value.toString(16)}`, data }]);
  let receipt: { status: string; contractAddress: string | null; blockNumber: string } | null = null;
  for (let i = 0; i < 100 && !receipt; i++) receipt = await rpc('eth_getTransactionReceipt', [hash]) ?? (await new Promise((r) => setTimeout(r, 50)), null);
  expect(receipt?.status, `${hash} mined and successful`).toBe('0x1');
  return { hash, contract: receipt!.contractAddress, block: Number(receipt!.blockNumber) };
};
const tokenTransfer = (from: string, to: string, value: bigint) => send(from, token, 0n, `0xa9059cbb${word(to)}${word(value)}`);
const tip = async () => Number(await rpc<string>('eth_blockNumber'));
const watchOnce = (extra: string[] = [], dbPath = db, file = alertsFile) => ctraceAsync(['--db', dbPath, 'watch', 'anvil', '--watchlist', listFile, '--rpc-url', anvil.node.rpcUrl, '--alerts', file, '--once', ...extra]);
const readAlerts = (file = alertsFile): Alert[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

describe('ctrace watch against anvil', () => {
  it('default: a new watch starts at the tip; a receipt is no alert (exit 0)', async () => {
    dev = (await rpc<string[]>('eth_accounts'))[0];
    for (const a of [thief, hop1, deposit, other, user1, user2, depositor]) await rpc('anvil_impersonateAccount', [a]);
    for (const a of [thief, user1, user2]) await rpc('anvil_setBalance', [a, `0x${(100n * ETH).toString(16)}`]);
    const { Stablecoin, Forwarder } = compileFixtureContracts();
    // constructor(string name, string symbol): two dynamic arguments, each a length and its padded bytes.
    const text = (s: string) => `${word(s.length)}${Buffer.from(s).toString('hex').padEnd(64, '0')}`;
    token = canonical((await send(dev, null, 0n, `${Stablecoin.bytecode}${word(0x40)}${word(0x80)}${text('Test USD')}${text('TUSD')}`)).contract!);
    forwarder = canonical((await send(dev, null, 0n, Forwarder.bytecode)).contract!);
    writeFileSync(listFile, JSON.stringify({ watch: [{ address: thief, rules: ['movement', 'exposure'], name: 'stolen funds', threshold: 0.5 }, { cluster: user1, rules: ['cluster-growth'] }] }));
    writeFileSync(labelsFile, `chain,address,category,source,confidence,actor,name\nanvil,${deposit},exchange,test,90,exchange-1,Test Exchange\nanvil,${hot},exchange,test,90,exchange-2,Other Exchange\n`);
    expect(ctrace(['--db', db, 'labels', 'import', labelsFile]).code).toBe(0);
    const r0 = await watchOnce();
    expect(r0.code, r0.stderr).toBe(0);
    // The thief is paid (native and tokens) and hop1 gets clean gas money: receipts, no alert.
    await send(dev, thief, 5n * ETH);
    await send(dev, token, 0n, `0x40c10f19${word(thief)}${word(1000_000000n)}`);
    await send(dev, hop1, ETH / 100n);
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 blocks evaluated, 0 alerts/);
    expect(readAlerts()).toEqual([]);
  });

  it('behavior: native, ERC-20 and internal movement and fifo exposure to a labelled deposit are raised once, with their evidence (exit 1)', async () => {
    const native = await send(thief, hop1, ETH);
    const erc20 = await tokenTransfer(thief, hop1, 250_000000n);
    const split = await send(thief, forwarder, 2n * ETH, `0x94e4a822${word(0x20)}${word(2)}${word(payees[0])}${word(payees[1])}`);
    // fifo: hop1's clean 0.01 goes first, so 0.49 of the 0.5 it pays on is the thief's.
    const onward = await send(hop1, deposit, ETH / 2n);
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(1);
    const alerts = readAlerts();
    const movement = alerts.filter((a) => a.rule === 'movement');
    expect(movement.map((a) => [a.txid, a.address, a.amount, a.evidence.asset])).toEqual([
      [native.hash, thief, String(ETH), 'native'], [erc20.hash, thief, '250000000', token], [split.hash, thief, String(2n * ETH), 'native'],
    ]);
    expect(movement[1].evidence.token).toEqual({ symbol: 'TUSD', decimals: 6 });
    expect(movement[1].evidence.moves).toEqual([expect.objectContaining({ ref: expect.stringMatching(/^log:/), from: thief, to: hop1, value: '250000000' })]);
    const exposure = alerts.filter((a) => a.rule === 'exposure');
    expect(exposure.map((a) => [a.txid, a.address, a.amount, a.evidence.asset, a.evidence.hop])).toEqual([
      [native.hash, hop1, String(ETH), 'native', 1],
      [erc20.hash, hop1, '250000000', token, 1],
      [split.hash, forwarder, String(2n * ETH), 'native', 1],
      [split.hash, payees[0], String(ETH), 'native', 2],
      [split.hash, payees[1], String(ETH), 'native', 2],
      [onward.hash, deposit, String((49n * ETH) / 100n), 'native', 2],
    ]);
    expect(exposure[3].evidence.ref).toMatch(/^internal:/);
    expect(exposure[5].evidence).toMatchObject({ policy: 'fifo', share: '0.980000', stopped: 'label', labels: [{ category: 'exchange', actor: 'exchange-1' }] });
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
  });

  it('behavior: the watch\'s exposure, block by block, is what trace\'s fifo walk over the whole store finds', () => {
    expect(liveExposure()).toEqual(walkedExposure());
  });

  it('behavior: a restart raises nothing again (exit 0)', async () => {
    const before = readFileSync(alertsFile, 'utf8');
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(alertsFile, 'utf8')).toBe(before);
  });

  it('behavior: cluster-growth: a second depositor of the same exchange deposit address joins the watched cluster, with the link', async () => {
    for (const u of [user1, user2]) {
      await send(u, depositor, ETH);
      await send(depositor, hot, ETH - ETH / 1000n);
    }
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(1);
    const growth = readAlerts().filter((a) => a.rule === 'cluster-growth');
    expect(growth.map((a) => [a.address, a.watch.key])).toEqual([[user2, `cluster:${user1}`]]);
    expect(growth[0].evidence.links).toEqual([expect.objectContaining({ rule: 'deposit-address', from: user1, to: user2 })]);
    expect((await watchOnce()).code).toBe(0);
  });

  it('behavior: a reorg rolls the store back, retracts the orphaned blocks\' alerts and raises the new branch\'s', async () => {
    const snapshot = await rpc<string>('evm_snapshot');
    const orphan = await send(thief, other, 3n * ETH);
    const r1 = await watchOnce();
    expect(r1.code, r1.stderr).toBe(1);
    const orphaned = readAlerts().filter((a) => a.txid === orphan.hash);
    expect(orphaned.map((a) => a.rule)).toEqual(['movement', 'exposure']);
    expect(await rpc('evm_revert', [snapshot])).toBe(true);
    const replacement = await tokenTransfer(thief, other, 7_000000n);
    await rpc('evm_mine');
    expect(await tip()).toBe(orphan.block + 1);
    const r = await watchOnce();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`reorg: blocks ${orphan.block} to ${orphan.block} left the best chain; rolled back to ${orphan.block - 1}`));
    const after = readAlerts();
    const retracted = after.filter((a) => a.type === 'retracted');
    expect(retracted.map((a) => a.retracts)).toEqual(orphaned.map((a) => a.id));
    expect(retracted[0].evidence).toMatchObject({ orphaned: orphaned[0].block });
    const fresh = after.filter((a) => a.txid === replacement.hash);
    expect(fresh.map((a) => [a.rule, a.address, a.amount, a.evidence.asset])).toEqual([['movement', thief, '7000000', token], ['exposure', other, '7000000', token]]);
    // The orphaned transaction is gone from the store, and so are the holdings it made: the live exposure (less
    // what was retracted) is still the whole store's fifo walk.
    expect((await ctraceAsync(['--db', db, 'show', 'tx', orphan.hash, '--chain', 'anvil'])).code).toBe(1);
    expect(liveExposure()).toEqual(walkedExposure());
    // On this branch `other` never got the thief's ether: what it pays now is clean (given it gas money no
    // transaction shows, so that its balance is all from before the case).
    await rpc('anvil_impersonateAccount', [other]);
    await rpc('anvil_setBalance', [other, `0x${(10n * ETH).toString(16)}`]);
    await send(other, payees[0], ETH);
    const clean = await watchOnce();
    expect(clean.code, clean.stderr).toBe(0);
    expect(liveExposure()).toEqual(walkedExposure());
  });

  it('behavior: --confirmations 2 raises only what is two blocks deep, and the rest once it is', async () => {
    const from = String(firstWatchedBlock());
    const name = join(dir, 'deep');
    const reference = await ctraceAsync(['--db', `${name}-ref.db`, 'watch', 'anvil', '--watchlist', listFile, '--rpc-url', anvil.node.rpcUrl, '--alerts', `${name}-ref.ndjson`, '--once', '--from', from]);
    expect(reference.code, reference.stderr).toBe(1);
    const last = await tokenTransfer(thief, other, 1_000000n);
    const deep = () => watchOnce(['--confirmations', '2', '--from', from], `${name}.db`, `${name}.ndjson`);
    const r = await deep();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`at height ${last.block - 2} \\(tip ${last.block}\\)`));
    expect(readAlerts(`${name}.ndjson`).map((a) => a.id)).toEqual(readAlerts(`${name}-ref.ndjson`).filter((a) => a.height <= last.block - 2).map((a) => a.id));
    await rpc('evm_mine');
    expect((await deep()).code).toBe(0);
    expect(readAlerts(`${name}.ndjson`).some((a) => a.txid === last.hash)).toBe(false);
    await rpc('evm_mine');
    expect((await deep()).code).toBe(1);
    expect(readAlerts(`${name}.ndjson`).filter((a) => a.txid === last.hash).map((a) => a.rule)).toEqual(['movement', 'exposure']);
  });

  it('behavior: killed with SIGKILL mid-watch and started again, it has written every alert exactly once', async () => {
    const from = String(firstWatchedBlock());
    const run = (name: string, extra: string[], onSpawn?: Parameters<typeof ctraceAsync>[1]['onSpawn']) => ctraceAsync(['--db', join(dir, `${name}.db`), 'watch', 'anvil', '--watchlist', listFile,
      '--rpc-url', anvil.node.rpcUrl, '--alerts', join(dir, `${name}.ndjson`), '--from', from, ...extra], { onSpawn });
    const ids = (name: string) => readAlerts(join(dir, `${name}.ndjson`)).map((a) => a.id);
    const reference = await run('reference', ['--once']);
    expect(reference.code, reference.stderr).toBe(1);
    expect(ids('reference').length).toBeGreaterThan(8);
    const killed = await run('killed', ['--poll', '0.2'], (child) => {
      let seen = 0;
      child.stderr!.on('data', (d: Buffer) => {
        seen += (String(d).match(/^watch anvil: height/gm) ?? []).length;
        if (seen >= 3) child.kill('SIGKILL');
      });
    });
    expect(killed.signal).toBe('SIGKILL');
    const partial = ids('killed');
    expect(partial.length).toBeLessThan(ids('reference').length);
    const resumed = await run('killed', ['--once']);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(ids('killed')).toEqual(ids('reference'));
  });

  it('error: a bad watchlist or source is one line and exit 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ watch: [{ address: thief, rules: ['movement', 'typology'] }] }));
    const r = await ctraceAsync(['--db', db, 'watch', 'anvil', '--watchlist', bad, '--rpc-url', anvil.node.rpcUrl, '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/watchlist .*bad\.json, entry 1: "typology" is for Bitcoin-family chains only/);
    // The node serves chain id 31337, not Ethereum's.
    const eth = await ctraceAsync(['--db', join(dir, 'eth.db'), 'watch', 'ethereum', '--watchlist', listFile, '--rpc-url', anvil.node.rpcUrl, '--once']);
    expect(eth.code).toBe(2);
    expect(eth.stderr.trim().split('\n')).toHaveLength(1);
    expect(eth.stderr).toMatch(/serves chain id 31337, not ethereum/);
  });
});

/** The first block the watch stored a transaction of. */
function firstWatchedBlock(): number {
  return withStore((s) => s.db.prepare("SELECT min(block_number) FROM account_txs WHERE chain = 'anvil'").pluck().get() as number);
}

/** The exposure alerts standing (raised and not retracted): transaction, receiver, amount. */
function liveExposure(): string[][] {
  const all = readAlerts();
  const gone = new Set(all.filter((a) => a.type === 'retracted').map((a) => a.retracts));
  return all.filter((a) => a.type === 'alert' && a.rule === 'exposure' && !gone.has(a.id)).map((a) => [a.txid, a.address, a.amount!]);
}

/** What `propagateAccountTaint` (trace's walk) finds over all the store holds, with the watch's bounds and threshold. */
function walkedExposure(): string[][] {
  return withStore((store) => {
    const isService = (h: string) => (store.db.prepare('SELECT category FROM labels WHERE chain = ? AND address = ?').pluck().all('anvil', h) as string[]).some((c) => SERVICE_CATEGORIES.includes(c));
    const run = propagateAccountTaint(streamAccountTransactions(store.db, 'anvil'), { policy: 'fifo', seeds: { addresses: [thief] }, maxHops: 10, stopAt: isService });
    return run.outputs.filter((o) => o.holder !== thief && o.taint * 2n >= o.value).map((o) => [o.txid, o.holder!, String(o.taint)]);
  });
}

function withStore<T>(f: (store: ReturnType<typeof openSqliteStore>) => T): T {
  const store = openSqliteStore(db, { readonly: true });
  try {
    return f(store);
  } finally {
    store.close();
  }
}
