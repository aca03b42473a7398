import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALLET_FEATURES, btcUsdAt, holderOf, isRoundUsd } from '@cryptotrace/core';
import { ingestFiles } from '../ingest/ingest-files.js';
import { rebuildClusters } from '../store/sqlite/clusters-run.js';
import { writeLabels } from '../store/sqlite/labels.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/store.js';
import { walletFeatures } from './wallet-features.js';
import { walletVectors } from './wallet-vectors.js';

// The fixture darknet-market chain, clustered, with two labels; every feature checked against a second,
// independent computation over the object stream (iterateUtxoTransactions), and PageRank against graphology-metrics.
let dir: string;
let store: SqliteStore;
let chain: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-features-'));
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
  const { namedScenarioDir } = await import('@cryptotrace/fixtures');
  await ingestFiles(store, [join(namedScenarioDir('darknet-market'), 'blk00000.dat')]);
  chain = store.stats().chains[0];
  rebuildClusters(store, chain, undefined, { at: '2026-01-01T00:00:00.000Z' });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const col = (name: string) => WALLET_FEATURES.findIndex((f) => f.name === name);

/** The oracle: wallets by address string, totals from the model objects. */
function oracle() {
  const clusterOf = new Map(store.db.prepare('SELECT a.address, m.cluster_id FROM cluster_members m JOIN addresses a ON a.id = m.address_id').raw().all() as [string, number][]);
  const walletOf = (h: string) => (clusterOf.has(h) ? `#${clusterOf.get(h)}` : h);
  const coinjoins = new Set(store.db.prepare("SELECT txid FROM cluster_events WHERE kind IN ('coinjoin', 'ambiguous')").pluck().all() as string[]);
  const w = new Map<string, { addresses: Set<string>; txs: number; values: number[]; roundUsd: number; payers: Set<string> }>();
  const get = (k: string) => w.get(k) ?? w.set(k, { addresses: new Set(), txs: 0, values: [], roundUsd: 0, payers: new Set() }).get(k)!;
  const edges = new Map<string, number>();
  for (const tx of store.iterateUtxoTransactions(chain)) {
    const spenders = [...new Set(tx.inputs.map(holderOf).filter((h) => h !== null).map((h) => walletOf(h!)))];
    const outs = tx.outputs.filter((o) => o.scriptType !== 'nulldata' && holderOf(o) !== null);
    for (const i of tx.inputs) if (holderOf(i)) get(walletOf(holderOf(i)!)).addresses.add(holderOf(i)!);
    for (const k of new Set([...spenders, ...outs.map((o) => walletOf(holderOf(o)!))])) get(k).txs++;
    const inTotal = tx.inputs.reduce((s, i) => s + Number(i.value ?? 0), 0);
    for (const o of outs) {
      const r = walletOf(holderOf(o)!);
      const a = get(r);
      a.addresses.add(holderOf(o)!);
      a.values.push(Math.log10(Number(o.value) + 1));
      const price = btcUsdAt(tx.block!.time);
      if (price !== null && isRoundUsd(Number(o.value), price)) a.roundUsd++;
      if (tx.inputs[0].coinbase || coinjoins.has(tx.txid)) continue;
      for (const s of spenders) {
        if (s === r) continue;
        a.payers.add(s);
        const own = tx.inputs.filter((i) => holderOf(i) && walletOf(holderOf(i)!) === s).reduce((t, i) => t + Number(i.value ?? 0), 0);
        edges.set(`${s} ${r}`, (edges.get(`${s} ${r}`) ?? 0) + (Number(o.value) * own) / inTotal);
      }
    }
  }
  return { w, edges };
}

describe('walletFeatures', () => {
  it('behavior: txs, addresses, the median receipt, dollar-round receipts and distinct payers equal an independent count over the model objects', () => {
    const rows = walletFeatures(store, chain);
    const { w } = oracle();
    expect(rows.length).toBe(w.size);
    const byName = new Map([...w.values()].map((a) => [[...a.addresses].sort()[0], a]));
    let medianChecked = 0;
    for (const r of rows) {
      const a = byName.get(r.wallet)!;
      expect(r.addresses).toEqual([...a.addresses].sort());
      expect(r.features[col('txs')]).toBeCloseTo(Math.log10(a.txs + 1), 12);
      const v = [...a.values].sort((x, y) => x - y);
      const median = v.length === 0 ? 0 : v.length % 2 ? v[(v.length - 1) >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      expect(r.features[col('median-receipt')]).toBeCloseTo(median, 12);
      if (v.length >= 3 && median !== r.features[col('mean-receipt')]) medianChecked++;
      expect(r.features[col('round-usd-receipts')]).toBeCloseTo(a.values.length ? a.roundUsd / a.values.length : 0, 12);
      expect(r.features[col('payers')]).toBeCloseTo(Math.log10(a.payers.size + 1), 12);
    }
    // The median is not the mean in disguise, and the dollar-round share is not always 0.
    expect(medianChecked).toBeGreaterThan(10);
    expect(rows.filter((r) => r.features[col('round-usd-receipts')] > 0).length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.features[col('payers')] > 0.5).length).toBeGreaterThan(5);
  });

  it('behavior: the pagerank feature is graphology-metrics pagerank of the wallet graph (payer → payee, value-weighted)', () => {
    const rows = walletFeatures(store, chain);
    const { w, edges } = oracle();
    const g = new DirectedGraph();
    const name = new Map([...w].map(([k, a]) => [k, [...a.addresses].sort()[0]]));
    for (const k of w.keys()) g.addNode(name.get(k)!);
    for (const [e, v] of edges) {
      const [s, d] = e.split(' ');
      g.addEdge(name.get(s)!, name.get(d)!, { weight: v });
    }
    const theirs = pagerank(g, { getEdgeWeight: 'weight', tolerance: 1e-15, maxIterations: 1000 });
    const n = rows.length;
    let moved = 0;
    for (const r of rows) {
      expect(r.features[col('pagerank')]).toBeCloseTo(Math.log10(theirs[r.wallet] * n), 6);
      if (Math.abs(r.features[col('pagerank')]) > 0.5) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('default: every feature is a finite number, and the same store gives the same rows', () => {
    const a = walletFeatures(store, chain);
    for (const r of a) {
      expect(r.features).toHaveLength(WALLET_FEATURES.length);
      for (const x of r.features) expect(Number.isFinite(x)).toBe(true);
    }
    expect(JSON.stringify(walletFeatures(store, chain))).toBe(JSON.stringify(a));
  });

  it('behavior: mixer and exchange value shares read labels; exposure-hops reaches the payees of an illicit-labelled wallet', () => {
    const rows = walletFeatures(store, chain);
    const big = [...rows].sort((x, y) => y.features[col('payees')] - x.features[col('payees')])[0];
    writeLabels(store.db, [{ chain, address: big.wallet, category: 'mixing_service', actor: 'test', source: 'test', confidence: 90, validFrom: null, name: null }], '2026-01-01T00:00:00.000Z');
    const after = walletFeatures(store, chain);
    const mixerValue = after.filter((r) => r.features[col('mixer-value')] > 0);
    const oneHop = after.filter((r) => r.features[col('exposure-hops')] === 1);
    expect(mixerValue.length).toBeGreaterThan(0);
    expect(oneHop.length).toBe(Math.round(10 ** big.features[col('payees')] - 1));
    for (const r of oneHop) expect(r.features[col('exposure-direct')]).toBeGreaterThan(0);
    expect(rows.every((r) => r.features[col('mixer-value')] === 0)).toBe(true);
  });
});

describe('walletVectors', () => {
  it('default: the same wallets, vectors and addresses as walletFeatures, addresses read only for the wallets asked', () => {
    const rows = walletFeatures(store, chain);
    const v = walletVectors(store, chain);
    expect(v.count).toBe(rows.length);
    const all = v.addressesOf(Array.from({ length: v.count }, (_, i) => i));
    // Numbered in the store's wallet order, not by name: match each through its first address.
    const byName = new Map(rows.map((r) => [r.wallet, r]));
    for (let i = 0; i < v.count; i++) {
      const row = byName.get(all.get(i)![0])!;
      expect(all.get(i)).toEqual(row.addresses);
      expect(v.vector(i)).toEqual(row.features);
    }
    expect([...v.addressesOf([1, 0]).keys()]).toEqual([1, 0]);
    expect(v.addressesOf([]).size).toBe(0);
    const [first, second] = [rows[0], rows[rows.length - 1]];
    const of = v.walletsOf([first.addresses[0], second.addresses.at(-1)!, 'not-an-address']);
    expect(of.size).toBe(2);
    expect(all.get(of.get(first.addresses[0])!)![0]).toBe(first.wallet);
    expect(all.get(of.get(second.addresses.at(-1)!)!)![0]).toBe(second.wallet);
  });
});
