import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESPLORA_PAGE, createBitcoinCoreRpcSource, createEsploraSource, fetchNeighbourhood, openSqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, getChain } from '@cryptotrace/core';
import { tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { type EsploraStandIn, startEsploraStandIn } from '../support/esplora-standin.js';
import { type Litecoind, type Scenario, buildScenario, hasLitecoind, startLitecoind } from '../support/litecoind.js';

// The Esplora server here is a STAND-IN (no Esplora can run on this machine): test/support/esplora-standin.ts serves
// Esplora's documented REST formats computed from a real litecoind -regtest chain. The Esplora source must give the
// same store as the Bitcoin Core RPC source reading the same node.
const chain = getChain('litecoin-regtest');

describe.skipIf(!hasLitecoind())('Esplora source against a stand-in serving a real litecoind chain', () => {
  let node: Litecoind;
  let esplora: EsploraStandIn;
  let sc: Scenario;

  beforeAll(async () => {
    node = await startLitecoind();
    sc = await buildScenario(node, ESPLORA_PAGE + 5);
    esplora = await startEsploraStandIn(node);
  });
  afterAll(async () => {
    await esplora?.close();
    await node?.stop();
  });

  const src = () => createEsploraSource({ chain, url: esplora.api, retries: 0 });
  const db = () => openSqliteStore(join(tempDir(), 'e.db'), { create: true });

  it('default: a transaction and its backward neighbourhood equal what Core RPC gives for the same node', async () => {
    const viaEsplora = db();
    const viaRpc = db();
    const plan = { chain, target: { kind: 'tx' as const, txid: sc.txs.peel2 }, hops: 2, direction: 'in' as const };
    await fetchNeighbourhood(viaEsplora, src(), plan);
    await fetchNeighbourhood(viaRpc, createBitcoinCoreRpcSource({ chain, url: node.url, cookieFile: node.cookieFile }), plan);
    for (const txid of [sc.txs.peel2, sc.txs.peel1, sc.txs.consolidation]) {
      const a = viaEsplora.getTransaction(chain.name, txid) as UtxoTransaction;
      const b = viaRpc.getTransaction(chain.name, txid) as UtxoTransaction;
      expect(a.inputs.every((i) => i.resolved)).toBe(true);
      expect(a).toEqual(b);
    }
    expect(viaEsplora.provenance().map((p) => [p.source, p.locator, p.format])).toEqual([['esplora', esplora.api, 'esplora-json']]);
  });

  it('default: an address history over two pages, with /txs/chain/:last_seen_txid', async () => {
    const store = db();
    esplora.requests.length = 0;
    const s = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'address', address: sc.addr.hub } });
    const paths = esplora.requests.map((r) => r.url).filter((u) => u.includes('/address/'));
    expect(paths).toHaveLength(2);
    expect(paths[0]).toBe(`/api/address/${sc.addr.hub}/txs/chain`);
    expect(paths[1]).toMatch(new RegExp(`^/api/address/${sc.addr.hub}/txs/chain/[0-9a-f]{64}$`));
    expect(s.admitted).toBe(ESPLORA_PAGE + 5);
    expect(s.fetchedTransactions).toBe(0);
    const history = store.addressHistory(chain.name, sc.addr.hub);
    expect(history.map((h) => h.txid).sort()).toEqual([...sc.hubTxids].sort());
    const received = await node.rpc<number>('getreceivedbyaddress', [sc.addr.hub, 1], sc.wallet);
    expect(history.reduce((a, h) => a + h.received, 0n)).toBe(BigInt(Math.round(received * 1e8)));
  });

  it('behavior: the budget cuts an address history off and says so', async () => {
    const s = await fetchNeighbourhood(db(), src(), { chain, target: { kind: 'address', address: sc.addr.hub }, maxTxs: 10 });
    expect(s.admitted).toBe(10);
    expect(s.budgetReached).toBe(true);
  });

  it('default: forward hops follow outspends: consolidation -> peel1 -> peel2', async () => {
    const store = db();
    esplora.requests.length = 0;
    const s = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: sc.txs.consolidation }, hops: 2, direction: 'out' });
    expect(esplora.requests.some((r) => r.url === `/api/tx/${sc.txs.consolidation}/outspends`)).toBe(true);
    for (const id of [sc.txs.consolidation, sc.txs.peel1, sc.txs.peel2]) expect(store.getTransaction(chain.name, id)).not.toBeNull();
    expect(store.spenderOf(chain.name, sc.txs.peel1, 1)).toEqual({ txid: sc.txs.peel2, inputIndex: 0 });
    // Two hops: the consolidation, peel1 (its only spender), and whatever spent peel1's outputs (peel2, and the
    // wallet may have spent the payment output since).
    const outspends = (await (await fetch(`${esplora.api}tx/${sc.txs.peel1}/outspends`)).json()) as { spent: boolean; txid?: string }[];
    const hop2 = new Set(outspends.filter((o) => o.spent).map((o) => o.txid));
    expect(s.admitted).toBe(2 + hop2.size);
  });

  it('default: a block of more than 25 transactions is read page by page and checked against its merkle root', async () => {
    const store = db();
    const tip = Number(await (await fetch(`${esplora.api}blocks/tip/height`)).text());
    const s = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'block', block: tip } });
    expect(s.fetchedBlocks).toBe(1);
    const hash = await node.rpc<string>('getblockhash', [tip]);
    const b = await node.rpc<{ tx: string[] }>('getblock', [hash, 1]);
    expect(b.tx.length).toBeGreaterThan(ESPLORA_PAGE);
    for (const [k, txid] of b.tx.entries()) expect(store.getTransaction(chain.name, txid)).toMatchObject({ position: k, block: { hash, height: tip } });
  });

  it('default: ctrace fetch address through --esplora-url (built binary)', async () => {
    const file = join(tempDir(), 'cli.db');
    const r = await ctraceAsync(['--db', file, '--json', 'fetch', 'litecoin-regtest', 'address', sc.addr.hub, '--esplora-url', esplora.api, '--max-txs', '100']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: { kind: 'esplora', locator: esplora.api }, admitted: ESPLORA_PAGE + 5, budgetReached: false, missing: [] });
  });
});
