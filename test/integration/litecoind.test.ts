import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqliteStore, coinsToBase, createBitcoinCoreRpcSource, fetchNeighbourhood, openSqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, getChain, txFee } from '@cryptotrace/core';
import { ctrace, tempDir } from '../support/cli.js';
import { type Litecoind, type Scenario, buildScenario, hasLitecoind, startLitecoind } from '../support/litecoind.js';

// A real litecoind -regtest -txindex (Bitcoin Core 0.21 fork) started for this file: the Core RPC source is
// checked against what the node itself reports.
const chain = getChain('litecoin-regtest');
type CoreTx = { txid: string; vin: { txid?: string; vout?: number; coinbase?: string }[]; vout: { value: number; n: number; scriptPubKey: { addresses?: string[]; type: string } }[] };

describe.skipIf(!hasLitecoind())('Bitcoin Core RPC source against litecoind -regtest', () => {
  let node: Litecoind;
  let dir: string;
  let store: SqliteStore;
  let w: string;
  let txs: Scenario['txs'];
  let addr: Scenario['addr'];

  beforeAll(async () => {
    node = await startLitecoind();
    dir = tempDir();
    ({ wallet: w, txs, addr } = await buildScenario(node));
    store = openSqliteStore(join(dir, 'case.db'), { create: true });
  });

  afterAll(async () => {
    store?.close();
    await node?.stop();
  });

  const source = () => createBitcoinCoreRpcSource({ chain, url: node.url, cookieFile: node.cookieFile });

  /** The store's copy of a transaction must be what the node says, inputs resolved from the node's previous outputs. */
  async function expectMatchesNode(txid: string): Promise<UtxoTransaction> {
    const stored = store.getTransaction(chain.name, txid) as UtxoTransaction;
    expect(stored, txid).not.toBeNull();
    const core = await node.rpc<CoreTx & { blockhash: string }>('getrawtransaction', [txid, true]);
    const header = await node.rpc<{ height: number }>('getblockheader', [core.blockhash]);
    expect(stored.block?.hash).toBe(core.blockhash);
    expect(stored.block?.height).toBe(header.height);
    expect(stored.outputs.map((o) => [o.index, o.value, o.address])).toEqual(
      core.vout.map((o) => [o.n, coinsToBase(o.value.toFixed(8), 8, 'test'), o.scriptPubKey.addresses?.[0] ?? null]));
    for (const [k, vin] of core.vin.entries()) {
      if (vin.coinbase) continue;
      const prev = await node.rpc<CoreTx>('getrawtransaction', [vin.txid, true]);
      const out = prev.vout[vin.vout!];
      expect(stored.inputs[k]).toMatchObject({ prevTxid: vin.txid, prevVout: vin.vout, resolved: true, value: coinsToBase(out.value.toFixed(8), 8, 'test'), address: out.scriptPubKey.addresses?.[0] ?? null });
    }
    return stored;
  }

  it('default: a peel chain fetched backwards 3 hops matches the node: values, addresses, prevouts, fees', async () => {
    const s = await fetchNeighbourhood(store, source(), { chain, target: { kind: 'tx', txid: txs.peel2 }, hops: 3, direction: 'in' });
    expect(s.missing).toEqual([]);
    // peel2, peel1, consolidation, and the three coinbases it merged.
    expect(s.admitted).toBe(6);
    for (const id of [txs.peel2, txs.peel1, txs.consolidation]) await expectMatchesNode(id);
    const consolidation = store.getTransaction(chain.name, txs.consolidation) as UtxoTransaction;
    expect(consolidation.inputs).toHaveLength(3);
    expect(txFee(consolidation)).toBe(100_000n);
    expect(txFee(store.getTransaction(chain.name, txs.peel1) as UtxoTransaction)).toBe(100_000n);
    expect(txFee(store.getTransaction(chain.name, txs.peel2) as UtxoTransaction)).toBe(100_000n);
    // Litecoin regtest prefixes: rltc1 bech32, m/n P2PKH, Q P2SH.
    const peel1 = store.getTransaction(chain.name, txs.peel1) as UtxoTransaction;
    expect(peel1.outputs.map((o) => o.address)).toEqual([addr.pay1, addr.change1]);
    expect(addr.pay1).toMatch(/^Q/);
    expect(addr.change1).toMatch(/^rltc1q/);
    expect(addr.merged).toMatch(/^[mn]/);
    expect(store.addressHistory(chain.name, addr.change1).map((a) => a.txid).sort()).toEqual([txs.peel1, txs.peel2].sort());
  });

  it('default: a wallet payment with change, its fee as the wallet reports it', async () => {
    const s = await fetchNeighbourhood(store, source(), { chain, target: { kind: 'tx', txid: txs.payment } });
    expect(s.fetchedTransactions).toBe(1);
    const stored = await expectMatchesNode(txs.payment);
    const wallet = await node.rpc<{ fee: number }>('gettransaction', [txs.payment], w);
    expect(txFee(stored)).toBe(coinsToBase((-wallet.fee).toFixed(8), 8, 'test'));
    expect(stored.outputs.some((o) => o.address === addr.shop && o.value === 150_000_000n)).toBe(true);
  });

  it('behavior: cache-first: fetching again asks the node for nothing already stored', async () => {
    const s = await fetchNeighbourhood(store, source(), { chain, target: { kind: 'tx', txid: txs.peel1 }, hops: 2, direction: 'in' });
    expect(s.fetchedTransactions).toBe(0);
    expect(s.fetchedParents).toBe(0);
    expect(s.transactions).toBe(0);
  });

  it('default: blocks by height and a range match the node, with provenance and no secret', async () => {
    const tip = await node.rpc<number>('getblockcount');
    const s = await fetchNeighbourhood(store, source(), { chain, target: { kind: 'blocks', from: tip - 2, to: tip }, resolveInputs: false });
    expect(s.fetchedBlocks).toBe(3);
    for (let h = tip - 2; h <= tip; h++) {
      const hash = await node.rpc<string>('getblockhash', [h]);
      const b = await node.rpc<{ nTx: number; merkleroot: string; tx: string[] }>('getblock', [hash, 1]);
      expect(store.getBlock(chain.name, h)).toMatchObject({ hash, height: h, txCount: b.nTx, merkleRoot: b.merkleroot });
      for (const txid of b.tx) expect((store.getTransaction(chain.name, txid) as UtxoTransaction).block).toMatchObject({ hash, height: h });
    }
    const cookie = readFileSync(node.cookieFile, 'utf8').trim().split(':')[1];
    const prov = store.provenance().filter((p) => p.source === 'bitcoin-core-rpc');
    expect(prov.length).toBeGreaterThan(0);
    expect(prov.every((p) => p.locator === node.url && p.format === 'core-rpc-json')).toBe(true);
    expect(JSON.stringify(store.provenance())).not.toContain(cookie);
  });

  it('error: a node of another chain is refused', async () => {
    const wrong = createBitcoinCoreRpcSource({ chain: getChain('bitcoin-regtest'), url: node.url, cookieFile: node.cookieFile });
    await expect(wrong.getTransaction(txs.payment)).rejects.toThrow(/is not a bitcoin-regtest node \(its genesis block is 530827f3/);
  });

  it('error: an unknown txid is NOT_FOUND', async () => {
    await expect(source().getTransaction('11'.repeat(32))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('ctrace fetch (built binary)', () => {
    it('default: fetches over RPC with a cookie, then --offline reads the store and never the node', () => {
      const db = join(tempDir(), 'cli.db');
      const args = ['--db', db, 'fetch', 'litecoin-regtest', 'tx', txs.peel2, '--rpc-url', node.url, '--rpc-cookie', node.cookieFile, '--hops', '1', '--direction', 'in'];
      const r = ctrace(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/fetched from bitcoin-core-rpc http:\/\/127\.0\.0\.1:\d+\/ \(job 1\)/);
      expect(r.stdout).toMatch(/budget: 2 transactions admitted/);
      // peel2, peel1 (the hop) and the consolidation (to resolve inputs): their blocks' headers are stored, no block is fetched.
      expect(r.stdout).toMatch(/transactions fetched: 1 \(\+2 previous transactions to resolve inputs\), blocks fetched: 0\n  stored: 3 new transactions, 3 new block headers,/);
      const again = ctrace([...args, '--offline']);
      expect(again.code).toBe(0);
      const json = JSON.parse(ctrace(['--db', db, '--json', 'fetch', 'litecoin-regtest', 'tx', txs.peel2, '--hops', '1', '--direction', 'in', '--offline', '--rpc-url', 'http://127.0.0.1:1/']).stdout);
      expect(json).toMatchObject({ offline: true, source: null, fetchedTransactions: 0, admitted: 2, missing: [] });
      const show = JSON.parse(ctrace(['--db', db, '--json', 'show', 'tx', txs.peel1]).stdout);
      expect(JSON.stringify(show)).toContain(addr.pay1);
    });

    it('default: --rpc-user with the password from $CTRACE_RPC_PASSWORD, and user@ in the URL with it', () => {
      const [user, password] = readFileSync(node.cookieFile, 'utf8').trim().split(':');
      const env = { CTRACE_RPC_PASSWORD: password };
      const a = ctrace(['--db', join(tempDir(), 'u1.db'), '--json', 'fetch', 'litecoin-regtest', 'tx', txs.payment, '--rpc-url', node.url, '--rpc-user', user], { env });
      expect(a.code).toBe(0);
      expect(JSON.parse(a.stdout)).toMatchObject({ source: { kind: 'bitcoin-core-rpc', locator: node.url }, fetchedTransactions: 1 });
      const url = node.url.replace('http://', `http://${user}@`);
      const b = ctrace(['--db', join(tempDir(), 'u2.db'), '--json', 'fetch', 'litecoin-regtest', 'tx', txs.payment, '--rpc-url', url], { env });
      expect(b.code).toBe(0);
      expect(JSON.parse(b.stdout).source.locator).toBe(node.url.replace('http://', 'http://***@'));
      expect(a.stdout + a.stderr + b.stdout + b.stderr).not.toContain(password);
    });

    it('error: an address needs an address index, which Core has not', () => {
      const r = ctrace(['--db', join(tempDir(), 'a.db'), 'fetch', 'litecoin-regtest', 'address', addr.shop, '--rpc-url', node.url, '--rpc-cookie', node.cookieFile]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bitcoin-core-rpc cannot list an address's history \(Bitcoin Core keeps no address index\): use --esplora-url/);
    });

    it('error: --offline on a transaction the store lacks exits 1 and says so', () => {
      const db = join(tempDir(), 'empty.db');
      const r = ctrace(['--db', db, 'fetch', 'litecoin-regtest', 'tx', txs.payment, '--offline']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not in the store and --offline forbids fetching it/);
    });

    it('error: a wrong password is one line naming the source, without the password', () => {
      const url = node.url.replace('http://', 'http://__cookie__:wrongpassword123@');
      const r = ctrace(['--db', join(tempDir(), 'x.db'), 'fetch', 'litecoin-regtest', 'tx', txs.payment, '--rpc-url', url, '--retries', '0']);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ctrace: bitcoin-core-rpc http:\/\/\*\*\*@127\.0\.0\.1:\d+\/: POST getblockhash \[0\]: refused: check the credentials or API key \(HTTP 401\)/);
      expect(r.stderr).not.toContain('wrongpassword123');
    });
  });
});
