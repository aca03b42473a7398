import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type AccountTransaction, getChain } from '@cryptotrace/core';
import { type EvmRpcSource, createEvmRpcSource, fetchNeighbourhood, openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAnvil } from '../support/anvil.js';
import { ctrace, tempDir } from '../support/cli.js';

// A real anvil (npm @foundry-rs/anvil 1.7.1) runs the fixture scenario: contracts compiled by solc-js from
// fixtures/contracts, native payments, ERC-20 transfers, a mixer, a forwarder (internal transfers), reverts.
const anvil = useAnvil();
const chain = getChain('anvil');
const dir = tempDir('ctrace-evm-anvil-');
let store: SqliteStore;
let source: EvmRpcSource;
const notices: string[] = [];

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
  source = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, onNotice: (m) => notices.push(m) });
  const t = anvil.truth;
  await fetchNeighbourhood(store, source, { chain, target: { kind: 'blocks', from: t.fromBlock, to: t.toBlock } });
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const stored = (hash: string) => store.getTransaction('anvil', hash) as AccountTransaction;
const plain = <T extends { from: string; to: string; value: bigint }>(list: T[]) => list.map(({ from, to, value }) => ({ from, to, value }));

describe('EVM JSON-RPC source against a real anvil', () => {
  it('default: every transaction of the scenario is in the store as the chain has it', () => {
    const t = anvil.truth;
    expect(t.txs.length).toBeGreaterThan(25);
    expect(store.stats().transactions).toBe(t.txs.length);
    for (const played of t.txs) {
      const tx = stored(played.hash);
      expect(tx, played.kind).not.toBeNull();
      expect({ from: tx.from, to: tx.to, value: tx.value, status: tx.status, fee: tx.fee, block: tx.blockNumber, contract: tx.contractAddress }, `${played.kind} ${played.hash}`)
        .toEqual({ from: played.from, to: played.to, value: played.value, status: played.status, fee: played.fee, block: played.blockNumber, contract: played.contractAddress });
    }
  });

  it('behavior: ERC-20 transfers of the solc-compiled stablecoin are decoded with token, parties, value and log index', () => {
    const payments = anvil.truth.txs.filter((x) => x.tokenTransfers.length > 0);
    expect(payments.map((x) => x.kind)).toEqual(expect.arrayContaining(['mint', 'token-payment', 'aggregate', 'sweep']));
    for (const played of payments) {
      const tx = stored(played.hash);
      expect(tx.tokenTransfers.map(({ token, from, to, value }) => ({ token, from, to, value })), played.kind).toEqual(played.tokenTransfers);
      expect(tx.tokenTransfers.every((x) => Number.isInteger(x.logIndex))).toBe(true);
    }
    const token = store.db.prepare('SELECT address, name, symbol, decimals FROM tokens WHERE chain = ?').all('anvil');
    expect(token).toEqual([{ address: anvil.truth.token.address, name: 'Test USD', symbol: 'TUSD', decimals: 6 }]);
  });

  it('behavior: value that contracts pass on is stored as internal transfers, nested ones included', () => {
    const moved = anvil.truth.txs.filter((x) => x.internalTransfers.length > 0);
    expect(moved.map((x) => x.kind)).toEqual(['mixer-withdraw', 'mixer-withdraw', 'forward', 'forward']);
    for (const played of moved) expect(plain(stored(played.hash).internalTransfers), played.kind).toEqual(played.internalTransfers);
    const relay = stored(moved[3].hash);
    expect(relay.internalTransfers.map((x) => x.traceAddress)).toEqual(['0', '0.0', '0.1']);
    expect(relay.internalTransfers.every((x) => x.callType === 'call')).toBe(true);
  });

  it('behavior: a call that failed inside a successful transaction moved nothing', () => {
    const played = anvil.truth.txs.find((x) => x.kind === 'failed-inner-call')!;
    const tx = stored(played.hash);
    expect(tx.status).toBe('success');
    expect(tx.internalTransfers).toEqual([]);
  });

  it('behavior: reverted transactions are stored as reverted, with their fee and no transfers', () => {
    const reverted = anvil.truth.txs.filter((x) => x.kind === 'reverted');
    expect(reverted).toHaveLength(2);
    for (const played of reverted) {
      const tx = stored(played.hash);
      expect(tx.status).toBe('reverted');
      expect(tx.fee).toBeGreaterThan(0n);
      expect(tx.tokenTransfers).toEqual([]);
      expect(tx.internalTransfers).toEqual([]);
    }
    expect(stored(reverted[0].hash).value).toBe(2n * 10n ** 18n);
  });

  it('behavior: every actor\'s and contract\'s native balance change equals what the store says moved, fees included', () => {
    const txs = anvil.truth.txs.map((x) => stored(x.hash));
    for (const [address, { before, after }] of Object.entries(anvil.truth.balances)) {
      let net = 0n;
      for (const tx of txs) {
        if (tx.from === address) net -= tx.fee;
        if (tx.status !== 'success') continue;
        if (tx.from === address) net -= tx.value;
        if (tx.to === address) net += tx.value;
        for (const i of tx.internalTransfers) net += (i.to === address ? i.value : 0n) - (i.from === address ? i.value : 0n);
      }
      expect(net, address).toBe(after - before);
    }
  });

  it('behavior: addresses are EIP-55 and the batches carry provenance without secrets', () => {
    const tx = stored(anvil.truth.txs[0].hash);
    expect(tx.from).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(store.provenance().map((p) => [p.source, p.locator, p.format])).toContainEqual(['evm-rpc', `${anvil.node.rpcUrl}/`, 'evm-rpc-json']);
    expect(notices).toEqual([]);
  });
});

describe('EVM JSON-RPC source: trace and receipt methods', () => {
  const pick = (txs: AccountTransaction[] | undefined) => (txs ?? []).map((t) => ({ hash: t.hash, status: t.status, fee: t.fee, internal: t.internalTransfers, tokens: t.tokenTransfers }));

  it('args: geth callTracer (block and per transaction) and per-transaction receipts give what trace_block and eth_getBlockReceipts give', async () => {
    const t = anvil.truth;
    const relay = t.txs.filter((x) => x.kind === 'forward')[1];
    const parity = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, traces: 'parity', receipts: 'block' });
    const geth = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, traces: 'geth', receipts: 'tx' });
    const gethTx = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, traces: 'geth-tx' });
    for (const played of t.txs.filter((x) => x.internalTransfers.length > 0 || x.kind === 'failed-inner-call' || x.kind === 'reverted')) {
      const want = pick((await parity.getBlock(played.blockNumber)).accountTransactions);
      expect(pick((await geth.getBlock(played.blockNumber)).accountTransactions), played.kind).toEqual(want);
      expect(pick((await gethTx.getBlock(played.blockNumber)).accountTransactions), played.kind).toEqual(want);
    }
    expect(pick((await geth.getTransaction(relay.hash)).accountTransactions)[0].internal.map((i) => i.traceAddress)).toEqual(['0', '0.0', '0.1']);
  });

  it('behavior: on a node without trace_* and debug_* it says once that internal transfers are unavailable, and goes on', async () => {
    // A filter in front of the real anvil answers trace_* and debug_* as a node without those namespaces does.
    const proxy = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const call = JSON.parse(body) as { id: number; method: string };
        res.writeHead(200, { 'content-type': 'application/json' });
        if (/^(trace|debug)_/.test(call.method)) return res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: -32601, message: 'the method does not exist/is not available' } }));
        const up = await fetch(anvil.node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        res.end(await up.text());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const said: string[] = [];
      const bare = createEvmRpcSource({ chain, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`, onNotice: (m) => said.push(m) });
      const t = anvil.truth;
      const txs: AccountTransaction[] = [];
      for (let n = t.fromBlock; n <= t.toBlock; n++) txs.push(...((await bare.getBlock(n)).accountTransactions ?? []));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/offers neither trace_\* nor debug_trace\* \(callTracer\): internal transfers are unavailable from it/);
      expect(txs.map((x) => [x.hash, x.status, x.fee])).toEqual(t.txs.map((x) => [x.hash, x.status, x.fee]));
      expect(txs.every((x) => x.internalTransfers.length === 0)).toBe(true);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('args: traces none stores transactions without internal transfers', async () => {
    const bare = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, traces: 'none' });
    const withdraw = anvil.truth.txs.find((x) => x.kind === 'mixer-withdraw')!;
    const r = await bare.getTransaction(withdraw.hash);
    expect(r.accountTransactions?.[0].internalTransfers).toEqual([]);
    expect(r.accountTransactions?.[0].status).toBe('success');
  });

  it('behavior: getTransaction answers one transaction with its position, block and transfers', async () => {
    const played = anvil.truth.txs.find((x) => x.kind === 'sweep')!;
    const r = await source.getTransaction(played.hash.toUpperCase().replace('0X', '0x'));
    expect(r.accountTransactions).toHaveLength(1);
    expect(r.accountTransactions?.[0]).toEqual(stored(played.hash));
  });

  it('behavior: credentials in the RPC URL stay out of the locator and of error messages', async () => {
    const url = anvil.node.rpcUrl.replace('http://', 'http://investigator:Pa55wordSecret99@');
    const withAuth = createEvmRpcSource({ chain, url });
    expect(withAuth.locator).toBe(`${anvil.node.rpcUrl.replace('http://', 'http://***@')}/`);
    const err = await withAuth.getTransaction(`0x${'cd'.repeat(32)}`).catch((e) => e);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).not.toContain('Pa55wordSecret99');
    expect(err.message).toContain('evm-rpc http://***@127.0.0.1');
  });

  it('error: an unknown transaction is NOT_FOUND, a wrong chain is refused', async () => {
    await expect(source.getTransaction(`0x${'ab'.repeat(32)}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const wrong = createEvmRpcSource({ chain: 'ethereum', url: anvil.node.rpcUrl });
    await expect(wrong.getBlock(1)).rejects.toThrow(/serves chain id 31337, not ethereum \(1\)/);
  });
});

describe('EVM JSON-RPC source: address history', () => {
  it('default: eth_getLogs, the block scan and trace_filter find every transaction that touched an address, page by page', async () => {
    const t = anvil.truth;
    const paged = createEvmRpcSource({ chain, url: anvil.node.rpcUrl, historyPageBlocks: 7 });
    for (const role of ['aggregator', 'mixer-withdrawal', 'payee'] as const) {
      const who = t.actors.find((a) => a.role === role)!.address;
      const want = t.txs
        .filter((x) => x.from === who || x.to === who || x.tokenTransfers.some((y) => y.from === who || y.to === who) || x.internalTransfers.some((y) => y.to === who || y.from === who))
        .map((x) => x.hash)
        .reverse();
      const got: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await paged.getAddressHistory!(who, cursor);
        got.push(...page.txids);
        expect(page.records.accountTransactions?.map((x) => x.hash)).toEqual(page.txids);
        cursor = page.next;
        pages++;
      } while (cursor !== null);
      expect(got, role).toEqual(want);
      expect(pages).toBeGreaterThan(3);
    }
  });
});

describe('ctrace fetch on anvil (the built binary)', () => {
  it('default: fetch address pulls the history over EVM JSON-RPC; show tx prints what the chain did', () => {
    const t = anvil.truth;
    const db = join(dir, 'cli.db');
    const withdraw = t.txs.find((x) => x.kind === 'mixer-withdraw')!;
    const fresh = withdraw.internalTransfers[0].to;
    const r = ctrace(['--db', db, '--json', 'fetch', 'anvil', 'address', fresh.toLowerCase(), '--rpc-url', anvil.node.rpcUrl]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toEqual({ kind: 'evm-rpc', locator: `${anvil.node.rpcUrl}/` });
    expect(out.transactions).toBe(touching(t, fresh).length);
    const show = ctrace(['--db', db, '--json', 'show', 'tx', withdraw.hash, '--chain', 'anvil']);
    expect(show.code).toBe(0);
    const tx = JSON.parse(show.stdout);
    expect(JSON.stringify(tx)).toContain(fresh);
    expect(JSON.stringify(tx)).toContain(t.denomination.toString());
  });
});

function touching(t: typeof anvil.truth, who: string) {
  return t.txs.filter((x) => x.from === who || x.to === who || x.tokenTransfers.some((y) => y.from === who || y.to === who) || x.internalTransfers.some((y) => y.to === who || y.from === who));
}
