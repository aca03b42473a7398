import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { factsCursor, factsFeatures, factsHolderIdTx, type FactsNeed, factsWaiting, parseRuleSet, type TxFacts, type UtxoTransaction } from '@cryptotrace/core';
// A test helper of the core's own tests, not part of its public API.
import { makeTx } from '../../../../core/src/heuristics/cluster/test-tx.js';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { createClusterReader } from './clusters-read.js';
import { createClusterTables } from './clusters.js';
import { rebuildClusters, updateClusters } from './clusters-run.js';
import { createFactsReader, createSpendReader } from './cluster-facts.js';
import { openSqliteStore, type SqliteStore } from './store.js';

const provenance = { source: 'file', locator: 'test', format: 'test', at: '2026-01-01T00:00:00Z' };
const id = (n: number) => n.toString(16).padStart(64, '0');

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-clusters-'));
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (...txs: UtxoTransaction[]) => store.write({ provenance, utxoTransactions: txs });
/** The fixture darknet-market chain (402 transactions) in the store; its chain id. */
async function ingestMarket(): Promise<string> {
  const { namedScenarioDir } = await import('@cryptotrace/fixtures');
  await ingestFiles(store, [join(namedScenarioDir('darknet-market'), 'blk00000.dat')]);
  return store.stats().chains[0];
}
const cb1 = makeTx({ txid: id(1), coinbase: true, outs: [['a', 50], ['b', 50]], height: 1 });
const cb2 = makeTx({ txid: id(2), coinbase: true, outs: [['c', 50]], height: 2 });
const t3 = makeTx({ txid: id(3), ins: [['a', 50], ['b', 50]], spends: [`${id(1)}:0`, `${id(1)}:1`], outs: [['d', 60], ['e', 39]], height: 3 });
const t4 = makeTx({ txid: id(4), ins: [['d', 60], ['c', 50]], spends: [`${id(3)}:0`, `${id(2)}:0`], outs: [['f', 100]], height: 4 });

/** Every transaction of a chain as facts, read in chunks of `size`. */
function allFacts(chain: string, need: FactsNeed, size: number): { f: TxFacts; k: number }[] {
  const reader = createFactsReader(store.db, chain);
  const out: { f: TxFacts; k: number }[] = [];
  for (let after = 0; ;) {
    const f = reader.read(after, size, need);
    if (f.count === 0) return out;
    for (let k = 0; k < f.count; k++) out.push({ f, k });
    after = f.rowId[f.count - 1];
  }
}

describe('cluster facts', () => {
  test('default: transactions in row order with their holders\' address ids, values past 2^53 exact, by chunk and by row id', () => {
    const big = 2n ** 60n + 1n;
    const safe = 2n ** 53n - 1n;
    const cb = makeTx({ txid: id(7), coinbase: true, outs: [['p2pk:k1', big], ['a', safe]], height: 1 });
    const t = makeTx({ txid: id(8), ins: [['p2pk:k1', big], ['a', safe]], spends: [`${id(7)}:0`, `${id(7)}:1`], outs: [['b', big + safe]], height: 2 });
    write(cb, t, t3);
    const got = allFacts('bitcoin', 'all', 2);
    expect(got.map(({ f, k }) => f.txid[k])).toEqual([id(7), id(8), id(3)]);
    const [first, second] = got;
    const ins = ({ f, k }: { f: TxFacts; k: number }) => [f.inStart[k], f.inStart[k + 1]];
    const outs = ({ f, k }: { f: TxFacts; k: number }) => [f.outStart[k], f.outStart[k + 1]];
    expect(first.f.outValue.slice(...outs(first))).toEqual([big, safe]);
    expect(second.f.inValue.slice(...ins(second))).toEqual([big, safe]);
    expect(second.f.outValue.slice(...outs(second))).toEqual([big + safe]);
    expect(second.f.inAddr.slice(...ins(second))).toEqual(first.f.outAddr.slice(...outs(first)));
    expect(factsHolderIdTx(second.f, second.k).coinbase).toBe(false);
    expect(factsHolderIdTx(first.f, first.k).coinbase).toBe(true);
    const again = createFactsReader(store.db, 'bitcoin').readRows([second.f.rowId[second.k]], 'all');
    expect(factsHolderIdTx(again, 0)).toEqual(factsHolderIdTx(second.f, second.k));
  });
});

describe('cluster facts: transaction columns', () => {
  test('behavior: heights and sizes as stored, packed or (past the packing\'s room) read as whole rows', () => {
    write(cb1, cb2, t3, t4);
    const db = store.db;
    db.prepare('UPDATE txs SET size = 301, vsize = 150 WHERE txid = ?').run(id(1));
    db.prepare('UPDATE txs SET block_hash = NULL, block_height = NULL, size = NULL, vsize = NULL WHERE txid = ?').run(id(2));
    // Past the room of the packed sizes (2^26): its chunk is read as whole rows.
    db.prepare('UPDATE txs SET size = ?, vsize = 7 WHERE txid = ?').run(2 ** 27, id(4));
    const stored = db.prepare('SELECT txid, block_hash IS NOT NULL, coalesce(block_height, -1), version, locktime, coalesce(size, -1), coalesce(vsize, -1) FROM txs ORDER BY id').raw().all();
    const nan = (x: number) => (Number.isNaN(x) ? -1 : x);
    const got = allFacts('bitcoin', 'all', 2).map(({ f, k }) => [f.txid[k], f.inBlock[k], nan(f.height[k]), f.version[k], f.locktime[k], nan(f.size[k]), nan(f.vsize[k])]);
    expect(got).toEqual(stored);
    expect(got[3][5]).toBe(2 ** 27);
  });
  test('behavior: a features reading gives the model\'s features from its packed header and replace-by-fee flags', async () => {
    const { txFeatures } = await import('@cryptotrace/core');
    // Each header field the features read, both ways: segwit by size over vsize (and not, and unknown), locktime
    // zero or not, versions 1, 2 and past 2^31, an input signalling replace-by-fee (and a final one).
    const txs = [
      makeTx({ txid: id(1), coinbase: true, outs: [['a', 50], ['b', 50]], height: 1 }),
      makeTx({ txid: id(2), ins: [['a', 50]], spends: [`${id(1)}:0`], outs: [['c', 20], ['d', 29]], size: 222, vsize: 141, locktime: 7, version: 2, sequence: 0xfffffffd }),
      makeTx({ txid: id(3), ins: [['b', 50]], spends: [`${id(1)}:1`], outs: [['e', 20], ['f', 29]], size: 225, vsize: 225, version: 2 ** 31 + 5, sequence: 0xfffffffe }),
      makeTx({ txid: id(4), ins: [['c', 20], ['d', 29]], spends: [`${id(2)}:0`, `${id(2)}:1`], outs: [['g', 48]], size: 300, vsize: null, locktime: 0, sequence: 0 }),
    ];
    write(...txs);
    const read = allFacts('bitcoin', 'features', 2);
    expect(read.map(({ f, k }) => factsFeatures(f, k))).toEqual(txs.map((tx) => txFeatures(store.getTransaction('bitcoin', tx.txid) as UtxoTransaction)));
    expect(read.map(({ f, k }) => [factsFeatures(f, k).segwit, factsFeatures(f, k).rbf, factsFeatures(f, k).locktimeZero, factsFeatures(f, k).version]))
      .toEqual([[false, false, true, 1], [true, true, false, 2], [false, false, true, 2 ** 31 + 5], [false, true, true, 1]]);
  });
});

describe('cluster spends', () => {
  test('behavior: spends packed one number each give the rows of the plain join, vouts past the packing\'s room read again exactly', () => {
    const wide = makeTx({ txid: id(20), coinbase: true, outs: Array.from({ length: 40 }, (_, n): [string, number] => [`w${n}`, 1000 + n]), height: 1 });
    const spent = [0, 30, 31, 35, 39];
    const a = makeTx({ txid: id(21), ins: spent.map((n): [string, number] => [`w${n}`, 1000 + n]), spends: spent.map((n) => `${id(20)}:${n}`), outs: [['x', 5000]], height: 2 });
    const b = makeTx({ txid: id(22), ins: [['w38', 1038]], spends: [`${id(20)}:38`], outs: [['y', 1000]], height: 2 });
    write(wide, a, b);
    // A row of another chain far off: row ids then need 24 bits each, which leaves 5 for a vout (up to 30 packed).
    store.db.prepare("INSERT INTO txs (id, chain, txid, version, locktime, provenance_id) VALUES (?, 'litecoin', ?, 1, 0, 1)").run(2 ** 23 + 1, id(23));
    const plain = store.db.prepare('SELECT p.id, i.prev_vout, i.tx_id FROM txs AS p CROSS JOIN inputs AS i WHERE p.chain = ? AND i.prev_txid = p.txid').raw().all('bitcoin') as number[][];
    const sorted = (rows: number[][]) => rows.map((r) => r.join(':')).sort();
    const got = [...createSpendReader(store.db, 'bitcoin').spends()];
    expect(sorted(got)).toEqual(sorted(plain));
    expect(got.filter(([, vout]) => vout >= 31).map(([, vout]) => vout).sort()).toEqual([31, 35, 38, 39]);
  });
});

describe('clusters in the store', () => {
  test('default: rebuild unions with evidence; update reads only new transactions', () => {
    write(cb1, cb2, t3);
    const first = rebuildClusters(store, 'bitcoin', parseRuleSet(undefined), { at: 't0' });
    expect(first).toMatchObject({ mode: 'rebuild', transactions: 3, links: { 'multi-input': 1 } });
    write(t4);
    const [next] = updateClusters(store, { at: 't1' });
    expect(next).toMatchObject({ mode: 'update', transactions: 1, links: { 'multi-input': 1 } });
    const r = createClusterReader(store.db);
    expect(r.cluster('bitcoin', 'c')).toMatchObject({ size: 2, addresses: ['c', 'd'], rules: [{ rule: 'multi-input', version: 1, links: 1 }], updatedAt: 't1' });
    expect(r.cluster('bitcoin', 'a')!.size).toBe(2);
    expect(r.cluster('bitcoin', 'f')).toMatchObject({ size: 1, root: 'f' });
    const path = r.why('bitcoin', 'd', 'c')!;
    expect(path.map((e) => [e.from, e.to, e.evidence.rule, e.evidence.txid, e.evidence.confidence])).toEqual([['d', 'c', 'multi-input', id(4), 1]]);
    expect(r.why('bitcoin', 'a', 'c')).toBeNull();
  });
  test('behavior: an input waiting for its previous transaction is clustered once it resolves', () => {
    write(cb2, makeTx({ txid: id(4), ins: [[null, 0], [null, 0]], spends: [`${id(3)}:0`, `${id(2)}:0`], outs: [['f', 100]], height: 4 }));
    rebuildClusters(store, 'bitcoin');
    expect(createClusterReader(store.db).why('bitcoin', 'c', 'd')).toBeNull();
    write(cb1, t3);
    updateClusters(store);
    expect(createClusterReader(store.db).why('bitcoin', 'c', 'd')!.map((e) => e.evidence.txid)).toEqual([id(4)]);
  });
  test('behavior: links and members written in batches keep their order and every evidence field, past a batch boundary', () => {
    // 131 input holders: a star of 130 links, written as two full batches of 64 and two single rows.
    const holders = Array.from({ length: 131 }, (_, k) => `h${k}`);
    const fund = makeTx({ txid: id(20), coinbase: true, outs: holders.map((h): [string, number] => [h, 1000]), height: 1 });
    const spend = makeTx({ txid: id(21), ins: holders.map((h): [string, number] => [h, 1000]), spends: holders.map((_, k) => `${id(20)}:${k}`), outs: [['sink', 130_000]], height: 2 });
    write(fund, spend);
    expect(rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input'), { at: 't0' }).links).toEqual({ 'multi-input': 130 });
    const rows = store.db.prepare(`SELECT fa.address, fb.address, k.chain, k.rule, k.version, k.txid, k.output_index, k.log_index, k.block_height, k.confidence, k.params
      FROM cluster_links k JOIN addresses fa ON fa.id = k.a_id JOIN addresses fb ON fb.id = k.b_id ORDER BY k.id`).raw().all();
    const params = JSON.stringify({ coinjoinGuard: true, confidence: 1 });
    expect(rows).toEqual(holders.slice(1).map((h) => ['h0', h, 'bitcoin', 'multi-input', 1, id(21), null, null, 2, 1, params]));
    // Membership is written in bulk too: 131 members (two batches and three single rows), one cluster.
    const members = store.db.prepare('SELECT a.address, m.cluster_id FROM cluster_members m JOIN addresses a ON a.id = m.address_id ORDER BY m.address_id').raw().all() as [string, number][];
    expect(members.map(([a]) => a)).toEqual(holders);
    expect(new Set(members.map(([, root]) => root)).size).toBe(1);
    expect(createClusterReader(store.db).cluster('bitcoin', 'h130')).toMatchObject({ size: 131 });
  });
  test('behavior: the label guard refuses a merge and the refusal is listed', () => {
    write(cb1, cb2, t3);
    const ins = store.db.prepare("INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES ('bitcoin', ?, 'exchange', ?, 'test', 90, 'now')");
    ins.run('a', 'ExchangeA');
    ins.run('b', 'ExchangeB');
    const s = rebuildClusters(store, 'bitcoin');
    expect(s.refused).toBe(1);
    const r = createClusterReader(store.db);
    expect(r.events('bitcoin')).toEqual([{ kind: 'refused-labels', txid: id(3), rule: 'multi-input', a: 'a', b: 'b', detail: { sizeA: 1, sizeB: 1, ownerA: 'ExchangeA', ownerB: 'ExchangeB', confidence: 1 } }]);
    expect(r.cluster('bitcoin', 'a')).toMatchObject({ size: 1, labels: [{ address: 'a', category: 'exchange', actor: 'ExchangeA' }] });
  });
  test('behavior: a CoinJoin gives no link and is reported', () => {
    const cj = makeTx({ txid: id(9), ins: [['a', 50], ['b', 50], ['c', 50]], spends: [`${id(1)}:0`, `${id(1)}:1`, `${id(2)}:0`], outs: [['x', 40], ['y', 40], ['z', 40], ['q', 5], ['r', 6]] });
    write(cb1, cb2, cj);
    const s = rebuildClusters(store, 'bitcoin');
    expect(s).toMatchObject({ coinjoins: 1, links: {} });
    expect(createClusterReader(store.db).events('bitcoin', 'coinjoin').map((e) => [e.txid, e.rule])).toEqual([[id(9), 'coinjoin-generic']]);
  });
  test('args: rebuild with change links the change picked by the combination', () => {
    const pay = makeTx({ txid: id(5), ins: [['a', 2_345_678]], spends: [`${id(1)}:0`], outs: [['p', 1_000_000], ['chg', 1_335_678]], height: 5 });
    write(makeTx({ txid: id(1), coinbase: true, outs: [['a', 2_345_678]], height: 1 }), pay);
    const s = rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input,change'));
    expect(s.links).toEqual({ change: 1 });
    const [e] = createClusterReader(store.db).why('bitcoin', 'a', 'chg')!;
    expect(e.evidence).toMatchObject({ rule: 'change', outputIndex: 1, params: { votes: 'round-value' } });
    expect(createClusterReader(store.db).cluster('bitcoin', 'a')!.ruleSet!.rules).toEqual(['multi-input', 'change']);
  });
  test('behavior: update revisits the parents of new transactions for rules that look at spenders (peel-chain)', () => {
    const fund = makeTx({ txid: id(1), coinbase: true, outs: [['owner', 100_000]], height: 1 });
    const p1 = makeTx({ txid: id(2), ins: [['owner', 100_000]], spends: [`${id(1)}:0`], outs: [['peel1', 10_000], ['hop', 89_000]], height: 2 });
    write(fund, p1);
    rebuildClusters(store, 'bitcoin', parseRuleSet('peel-chain'));
    expect(createClusterReader(store.db).why('bitcoin', 'owner', 'hop')).toBeNull();
    write(makeTx({ txid: id(3), ins: [['hop', 89_000]], spends: [`${id(2)}:1`], outs: [['peel2', 10_000], ['hop2', 78_000]], height: 3 }));
    const [u] = updateClusters(store);
    expect(u).toMatchObject({ mode: 'update', transactions: 1, links: { 'peel-chain': 1 } });
    expect(createClusterReader(store.db).why('bitcoin', 'owner', 'hop')!.map((e) => [e.evidence.rule, e.evidence.txid, e.evidence.outputIndex])).toEqual([['peel-chain', id(2), 1]]);
  });
  test('default: an update with nothing new writes nothing and keeps the update time', () => {
    write(cb1, cb2, t3);
    rebuildClusters(store, 'bitcoin', undefined, { at: 't0' });
    expect(updateClusters(store, { at: 't1' })[0]).toMatchObject({ transactions: 0, links: {} });
    expect(createClusterReader(store.db).cluster('bitcoin', 'a')!.updatedAt).toBe('t0');
  });
});

describe('clusters of an account chain', () => {
  test('default: deposit-address on the fixture stablecoin scenario, exchange known from a label', async () => {
    const { loadTruth, namedScenarioDir, readAccountTransactions } = await import('@cryptotrace/fixtures');
    const dir = namedScenarioDir('stablecoin-aggregator');
    const truth = loadTruth(dir);
    const txs = [...readAccountTransactions(dir)];
    store.write({ provenance, accountTransactions: txs });
    const hot = truth.addresses.find((a) => a.role === 'hot')!.address;
    store.db.prepare("INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES (?, ?, 'exchange', 'exchange-x', 'test', 90, 'now')").run(txs[0].chain, hot);
    const s = rebuildClusters(store, txs[0].chain);
    expect(s.transactions).toBe(txs.length);
    expect(s.links['deposit-address']).toBeGreaterThan(0);
    const view = createClusterReader(store.db).cluster(txs[0].chain, hot)!;
    // Every address the rule put with the hot wallet is the exchange's in the truth (its deposit addresses).
    expect(view.addresses.every((a) => truth.ownerOf.get(a) === truth.ownerOf.get(hot))).toBe(true);
    expect(view.size).toBe(s.links['deposit-address'] + 1);
    expect(updateClusters(store)[0]).toMatchObject({ mode: 'update', transactions: 0 });
  });
});

describe('pubkey-reuse in the store', () => {
  test('default: a key paid as P2PK and as P2PKH is one owner; the evidence names where the later form appeared', () => {
    const key = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
    write(makeTx({ txid: id(1), coinbase: true, outs: [[`p2pk:${key}`, 50]], height: 1 }), makeTx({ txid: id(2), coinbase: true, outs: [[key, 50], ['other', 1]], height: 2 }));
    const s = rebuildClusters(store, 'bitcoin');
    expect(s.links).toEqual({ 'pubkey-reuse': 1 });
    expect(createClusterReader(store.db).why('bitcoin', `p2pk:${key}`, key)!.map((e) => [e.evidence.rule, e.evidence.txid, e.evidence.blockHeight])).toEqual([['pubkey-reuse', id(2), 2]]);
  });
});

describe('rebuild from compact arrays', () => {
  test('behavior: a rebuild gives the links and clusters of the in-memory path (change and peel-chain context included)', async () => {
    const { clusterTransactions } = await import('@cryptotrace/core');
    const chain = await ingestMarket();
    const txs = [...store.iterateUtxoTransactions(chain)];
    const set = parseRuleSet('multi-input,change,peel-chain');
    const s = rebuildClusters(store, chain, set);
    const mem = clusterTransactions(txs, [], { set });
    expect(Object.keys(s.links).sort()).toEqual(['change', 'multi-input', 'peel-chain']);
    const stored = store.db.prepare(`SELECT fa.address AS "from", fb.address AS "to", k.rule, k.txid, k.output_index AS outputIndex, k.confidence, k.params
      FROM cluster_links k JOIN addresses fa ON fa.id = k.a_id JOIN addresses fb ON fb.id = k.b_id ORDER BY k.id`).all() as { from: string; to: string; rule: string; txid: string; outputIndex: number | null; confidence: number; params: string }[];
    const asRow = (l: (typeof mem.links)[number]) => ({ from: l.from, to: l.to, rule: l.evidence.rule, txid: l.evidence.txid, outputIndex: l.evidence.outputIndex, confidence: l.evidence.confidence, params: JSON.stringify(l.evidence.params) });
    expect(stored).toEqual(mem.links.map(asRow));
    const r = createClusterReader(store.db);
    for (const [holder, root] of mem.clusterOf) {
      const view = r.cluster(chain, holder, 1)!;
      expect(r.cluster(chain, root, 1)!.root).toBe(view.root);
    }
  });
});

describe('cluster facts against the model', () => {
  test('behavior: each transaction read as facts gives the model\'s holder ids, values, features and input types, by chunk and by row id', async () => {
    const { holderIdTx, holderOf, holderScriptType, txFeatures } = await import('@cryptotrace/core');
    const chain = await ingestMarket();
    // Values past 2^53, a script id, and an input whose parent is not stored (unresolved: it waits).
    const big = 2n ** 60n + 1n;
    write(
      makeTx({ chain, txid: id(7), coinbase: true, outs: [['p2pk:k1', big], ['a', 5]], height: 1 }),
      makeTx({ chain, txid: id(8), ins: [['p2pk:k1', big], ['a', 5], [null, 0]], spends: [`${id(7)}:0`, `${id(7)}:1`, `${id(99)}:0`], outs: [['b', big], [null, 0]], height: 2 }),
    );
    const all = allFacts(chain, 'all', 150);
    const features = allFacts(chain, 'features', 150);
    expect(all).toHaveLength(store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number);
    expect(all.length).toBeGreaterThan(400);
    const cursor = factsCursor();
    let waiting = 0;
    all.forEach(({ f, k }, j) => {
      const tx = store.getTransaction(chain, f.txid[k]) as UtxoTransaction;
      const t = factsHolderIdTx(f, k);
      expect(t).toEqual({ ...holderIdTx(tx, t.inputIds, t.outputIds), tx: { chain, txid: tx.txid, block: tx.block && { height: tx.block.height } } });
      expect(factsFeatures(f, k)).toEqual(txFeatures(tx));
      expect(factsFeatures(features[j].f, features[j].k)).toEqual(txFeatures(tx));
      cursor.at(f, k);
      tx.inputs.forEach((i, n) => {
        const h = holderOf(i);
        expect(cursor.inputType(n)).toBe(h === null ? null : holderScriptType(chain, h));
      });
      expect(factsWaiting(f, k)).toBe(tx.inputs.some((i) => !i.coinbase && !i.resolved));
      if (factsWaiting(f, k)) waiting++;
    });
    expect(waiting).toBe(1);
    const some = [all[3], all[all.length - 1], all[1]].map(({ f, k }) => f.rowId[k]).sort((a, b) => a - b);
    const byRows = createFactsReader(store.db, chain).readRows(some, 'all');
    expect(byRows.rowId).toEqual(some);
    const chunkOf = new Map(all.map(({ f, k }) => [f.rowId[k], factsHolderIdTx(f, k)]));
    some.forEach((row, k) => expect(factsHolderIdTx(byRows, k)).toEqual(chunkOf.get(row)));
  });
});

describe('updates in steps', () => {
  test.each(['multi-input', 'multi-input,change,peel-chain'])('behavior: with %s, every link written joins two clusters: links = members - clusters, and the clusters are those of one rebuild', async (rules) => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { readBlkFrames } = await import('../../bitcoin/blk-file.js');
    const { namedScenarioDir } = await import('@cryptotrace/fixtures');
    const blk = join(namedScenarioDir('darknet-market'), 'blk00000.dat');
    const data = readFileSync(blk);
    const frames = [...readBlkFrames((o, n) => data.subarray(o, o + n), data.length, blk)].map((f) => data.subarray(f.offset, f.offset + 8 + f.bytes.length));
    // The chain in three parts: rebuilt after the first, updated after each of the others (new transactions
    // spend outputs of clustered ones, so the change rules judge stored parents again).
    const cut = [0, Math.floor(frames.length / 2), Math.floor((3 * frames.length) / 4), frames.length];
    const parts = [0, 1, 2].map((k) => {
      const file = join(dir, `part${k}.dat`);
      writeFileSync(file, Buffer.concat(frames.slice(cut[k], cut[k + 1])));
      return file;
    });
    await ingestFiles(store, [parts[0]]);
    const chain = store.stats().chains[0];
    rebuildClusters(store, chain, parseRuleSet(rules), { at: 't0' });
    for (const part of parts.slice(1)) {
      await ingestFiles(store, [part]);
      updateClusters(store, { at: 't1' });
    }
    const one = (sql: string) => store.db.prepare(sql).pluck().get() as number;
    const partition = () => store.db.prepare('SELECT group_concat(address_id) FROM (SELECT address_id, cluster_id FROM cluster_members ORDER BY address_id) GROUP BY cluster_id ORDER BY min(address_id)').pluck().all();
    expect(one("SELECT count(*) FROM cluster_events WHERE kind <> 'coinjoin'")).toBe(0);
    expect(one('SELECT count(*) FROM cluster_links')).toBeGreaterThan(100);
    expect(one('SELECT count(*) FROM cluster_links')).toBe(one('SELECT count(*) - count(DISTINCT cluster_id) FROM cluster_members'));
    const stepwise = partition();
    rebuildClusters(store, chain, parseRuleSet(rules), { at: 't2' });
    expect(stepwise).toEqual(partition());
  });
});

describe('an interrupted rebuild', () => {
  test('behavior: it reads as incomplete with how far it got, and the next update builds it again with its rule set', () => {
    write(cb1, cb2, t3, t4);
    const set = parseRuleSet('multi-input,change');
    expect(() => rebuildClusters(store, 'bitcoin', set, { at: 't0', chunkSize: 1, onProgress: (p) => { if (p.transactions === 3) throw new Error('interrupted'); } })).toThrow('interrupted');
    const run = createClusterTables(store.db).loadRun('bitcoin')!;
    expect(run).toMatchObject({ complete: false, ruleSet: { rules: ['multi-input', 'change'] } });
    expect(run.lastTxId).toBe(store.db.prepare('SELECT id FROM txs WHERE txid = ?').pluck().get(id(3)));
    // No membership is written until the rebuild ends: nothing reads as a finished cluster.
    expect(store.db.prepare('SELECT count(*) FROM cluster_members').pluck().get()).toBe(0);
    const [u] = updateClusters(store, { at: 't1' });
    expect(u).toMatchObject({ mode: 'rebuild', transactions: 4, links: { 'multi-input': 2 }, ruleSet: { rules: ['multi-input', 'change'] } });
    expect(createClusterTables(store.db).loadRun('bitcoin')).toMatchObject({ complete: true, builtAt: 't1' });
    expect(createClusterReader(store.db).cluster('bitcoin', 'c')).toMatchObject({ size: 2, addresses: ['c', 'd'] });
  });
  test('behavior: a rebuild reads in parts of at most 1,000 transactions but commits every chunkSize, with the links of one commit', () => {
    // 1,250 pairs (a coinbase, then a spend of its two outputs): 2,500 transactions, 1,250 multi-input links.
    const txs: UtxoTransaction[] = [];
    for (let k = 0; k < 1250; k++) {
      txs.push(makeTx({ txid: id(100_000 + k), coinbase: true, outs: [[`x${k}`, 10], [`y${k}`, 10]], height: 1 }));
      txs.push(makeTx({ txid: id(200_000 + k), ins: [[`x${k}`, 10], [`y${k}`, 10]], spends: [`${id(100_000 + k)}:0`, `${id(100_000 + k)}:1`], outs: [[`z${k}`, 19]], height: 2 }));
    }
    write(...txs);
    const seen: { transactions: number; links: number }[] = [];
    const linkCount = store.db.prepare('SELECT count(*) FROM cluster_links').pluck();
    const s = rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input'), { at: 't0', chunkSize: 1500, onProgress: (p) => seen.push({ transactions: p.transactions, links: linkCount.get() as number }) });
    expect(s).toMatchObject({ transactions: 2500, links: { 'multi-input': 1250 } });
    // Parts of 1,000: the first commit once 1,500 are read (at 2,000), the rest at the end; each commit holds every link read so far.
    expect(seen).toEqual([{ transactions: 2000, links: 1000 }, { transactions: 2500, links: 1250 }]);
    expect(createClusterReader(store.db).cluster('bitcoin', 'y1249')).toMatchObject({ size: 2, addresses: ['x1249', 'y1249'] });
  });
  test('default: a store clustered before migration 5 opens, its run complete, and updates', () => {
    write(cb1, cb2, t3);
    rebuildClusters(store, 'bitcoin', undefined, { at: 't0' });
    store.close();
    const db = new Database(join(dir, 'case.db'));
    db.exec('DROP TABLE cluster_rebuilds');
    db.pragma('user_version = 4');
    db.close();
    store = openSqliteStore(join(dir, 'case.db'));
    expect(createClusterTables(store.db).loadRun('bitcoin')).toMatchObject({ complete: true, lastTxId: 3 });
    write(t4);
    expect(updateClusters(store, { at: 't1' })[0]).toMatchObject({ mode: 'update', transactions: 1, links: { 'multi-input': 1 } });
    expect(createClusterReader(store.db).cluster('bitcoin', 'c')!.size).toBe(2);
  });
});

describe('an update reads the stored clusters it touches', () => {
  test('behavior: merging two stored clusters in an update gives the clusters (and roots) of a rebuild', () => {
    const cb3 = makeTx({ txid: id(5), coinbase: true, outs: [['x', 50], ['y', 50], ['z', 50]], height: 5 });
    const t6 = makeTx({ txid: id(6), ins: [['x', 50], ['y', 50], ['z', 50]], spends: [`${id(5)}:0`, `${id(5)}:1`, `${id(5)}:2`], outs: [['w', 140]], height: 6 });
    write(cb1, cb2, t3, cb3, t6);
    rebuildClusters(store, 'bitcoin', undefined, { at: 't0' });
    // d (t3's output) with c, then b with x: two stored clusters of 2 and 3 merge through their members.
    const t7 = makeTx({ txid: id(7), ins: [['b', 1], ['x', 1]], spends: [`${id(8)}:0`, `${id(8)}:1`], outs: [['v', 1]], height: 7 });
    write(t4, t7);
    updateClusters(store, { at: 't1' });
    const members = () => store.db.prepare('SELECT address_id, cluster_id FROM cluster_members ORDER BY address_id').raw().all();
    const updated = members();
    expect(createClusterReader(store.db).cluster('bitcoin', 'a')!.size).toBe(5);
    rebuildClusters(store, 'bitcoin', undefined, { at: 't2' });
    expect(members()).toEqual(updated);
  });
});
