import { WALLET_FEATURES, exposureFlow, walletPagerank } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { burstiness } from './gaps.js';
import { timeFeatures } from './time-profile.js';
import type { WalletGraph } from './wallet-edges.js';
import { ILLICIT, SERVICE, walletIndex } from './wallet-index.js';
import { type WalletTotals, walletTotals } from './wallet-pass.js';

/** A wallet and its feature vector (WALLET_FEATURES order). */
export interface WalletRow {
  /** The wallet's name: its smallest address. */
  wallet: string;
  addresses: string[];
  features: number[];
}

/** Every wallet's features, computed once per store: read them one wallet at a time with `vector`. */
export interface WalletFeatureTable {
  /** Wallets, numbered as walletIndex numbers them. */
  count: number;
  /** The wallet of each address id (-1: another chain's). */
  walletOf: Int32Array;
  /** Whether wallet i took part in any transaction (wallets of addresses seen only in labels have none). */
  active(i: number): boolean;
  /** Wallet i's feature vector, in WALLET_FEATURES order. */
  vector(i: number): number[];
  /** PageRank iterations and whether they converged. */
  pagerank: { iterations: number; converged: boolean };
  edges: number;
}

const log10p = (x: number) => Math.log10(x + 1);
const share = (x: number, of: number) => (of > 0 ? x / of : 0);

/** Hops from the illicit-labelled wallets along payments, breadth first over out-edges, 6 deep (0: none). */
function hopsFromIllicit(g: WalletGraph, labels: Uint8Array, active: (i: number) => boolean): Uint8Array {
  const hops = new Uint8Array(labels.length);
  let frontier: number[] = [];
  for (let w = 0; w < labels.length; w++) if (labels[w] & ILLICIT && active(w)) frontier.push(w);
  const reached = new Uint8Array(labels.length);
  for (const w of frontier) reached[w] = 1;
  for (let d = 1; d <= 6 && frontier.length; d++) {
    const next: number[] = [];
    for (const w of frontier) {
      for (let k = g.start[w]; k < g.start[w + 1]; k++) {
        const p = g.dst[k];
        if (reached[p]) continue;
        reached[p] = 1;
        hops[p] = d;
        next.push(p);
      }
    }
    frontier = next;
  }
  return hops;
}

/** The vector of wallet i from its totals and the graph's measures. */
function vectorOf(t: WalletTotals, i: number, graph: { payers: Uint32Array; payerSize: Float64Array; payeeSize: Float64Array; rank: Float64Array; reverse: Float64Array; hops: Uint8Array; flow: Float64Array; n: number }): number[] {
  const spends = t.spends[i];
  const receipts = t.receipts[i];
  const value = t.received[i] + t.sent[i];
  const payees = t.graph.start[i + 1] - t.graph.start[i];
  let types = 0;
  for (let m = t.scripts[i]; m; m &= m - 1) types++;
  const byName: Record<string, number> = {
    txs: log10p(t.txs[i]), lifetime: t.last[i] - t.first[i], burstiness: burstiness({ gaps: t.gaps[i], gapSum: t.gapSum[i], gapSq: t.gapSq[i] }),
    ...timeFeatures({ timed: t.timed[i], hourCos: t.hourCos[i], hourSin: t.hourSin[i], dayCos: t.dayCos[i], daySin: t.daySin[i], weekend: t.weekend[i] }),
    received: log10p(t.received[i]), sent: log10p(t.sent[i]), turnover: share(t.sent[i], t.received[i]),
    'mean-receipt': share(t.logSum[i], receipts), 'median-receipt': t.medianReceipt[i], receipts: log10p(receipts), 'round-receipts': share(t.round[i], receipts),
    'round-usd-receipts': share(t.roundUsd[i], receipts),
    addresses: log10p(t.addresses[i]), 'script-types': types, 'fan-in': share(t.faninSum[i], spends), 'fan-out': share(t.fanoutSum[i], spends),
    consolidations: share(t.consolidations[i], spends), batches: share(t.batches[i], spends), peels: share(t.peels[i], spends), 'peel-length': log10p(t.peelMax[i]),
    reuse: share(t.reused[i], receipts), 'fresh-receipts': share(t.fresh[i], receipts), 'self-change': share(t.selfChange[i], spends), 'change-to-input': share(t.changeToInput[i], spends),
    payers: log10p(graph.payers[i]), payees: log10p(payees), 'payer-size': share(graph.payerSize[i], graph.payers[i]), 'payee-size': share(graph.payeeSize[i], payees),
    'coinjoin-share': share(t.coinjoins[i], t.txs[i]), 'coinjoin-value': share(t.coinjoinValue[i], value),
    pagerank: Math.log10(graph.rank[i] * graph.n), 'pagerank-reverse': Math.log10(graph.reverse[i] * graph.n),
    'exposure-direct': share(t.fromIllicit[i], t.received[i]), 'exposure-hops': graph.hops[i] > 0 ? 1 / graph.hops[i] : 0, 'exposure-to-service': share(t.toService[i], t.sent[i]),
    'exposure-flow': graph.flow[i],
    'mixer-value': share(t.mixerValue[i], value), 'exchange-value': share(t.exchangeValue[i], value),
  };
  return WALLET_FEATURES.map((f) => byName[f.name]);
}

/**
 * The features of every wallet of a UTXO chain (WALLET_FEATURES), streamed over the store once in stored order:
 * wallets are the stored clusters (an address in none is a wallet of its own). Memory is typed arrays indexed
 * by wallet number (see WalletTotals), no strings; the wallet graph's PageRank is computed once, here.
 * @example walletFeatureTable(store, 'bitcoin').vector(0).length === WALLET_FEATURES.length
 */
export function walletFeatureTable(store: SqliteStore, chain: string): WalletFeatureTable {
  const db = store.db;
  const index = walletIndex(db, chain);
  const maxTx = db.prepare('SELECT coalesce(max(id), 0) FROM txs').pluck().get() as number;
  const coinjoin = new Uint8Array(maxTx + 1);
  const flagged = db.prepare("SELECT DISTINCT t.id FROM cluster_events e JOIN txs t ON t.chain = e.chain AND t.txid = e.txid WHERE e.chain = ? AND e.kind IN ('coinjoin', 'ambiguous')").pluck();
  for (const id of flagged.iterate(chain) as Iterable<number>) coinjoin[id] = 1;
  const t = walletTotals(db, chain, index, coinjoin);
  const n = index.count;
  const g = t.graph;
  const active = (i: number) => t.txs[i] > 0;
  const payers = new Uint32Array(n);
  const payerSize = new Float64Array(n);
  const payeeSize = new Float64Array(n);
  for (let k = 0; k < g.src.length; k++) {
    const s = g.src[k];
    const d = g.dst[k];
    payers[d]++;
    payerSize[d] += log10p(t.addresses[s]);
    payeeSize[s] += log10p(t.addresses[d]);
  }
  const forward = walletPagerank(n, g.src, g.dst, g.value);
  const reverse = walletPagerank(n, g.dst, g.src, g.value);
  const seed = index.labels.map((l, w) => (l & ILLICIT && active(w) ? 1 : 0));
  const stop = index.labels.map((l) => (l & SERVICE ? 1 : 0));
  const flow = exposureFlow(n, g.src, g.dst, g.value, t.received, seed, stop);
  const measures = { payers, payerSize, payeeSize, rank: forward.rank, reverse: reverse.rank, hops: hopsFromIllicit(g, index.labels, active), flow, n };
  return {
    count: n,
    walletOf: index.walletOf,
    active,
    vector: (i) => vectorOf(t, i, measures),
    pagerank: { iterations: Math.max(forward.iterations, reverse.iterations), converged: forward.converged && reverse.converged },
    edges: g.src.length,
  };
}

/**
 * Every active wallet of the chain with its addresses and feature vector (walletFeatureTable, with the address
 * strings read back): for a case store; at 10^6 transactions use walletFeatureTable, which holds no strings.
 * @returns rows sorted by wallet name
 * @example walletFeatures(store, 'bitcoin-regtest')[0].features.length === WALLET_FEATURES.length
 */
export function walletFeatures(store: SqliteStore, chain: string): WalletRow[] {
  const table = walletFeatureTable(store, chain);
  const addresses: string[][] = Array.from({ length: table.count }, () => []);
  for (const [id, address] of store.db.prepare('SELECT id, address FROM addresses WHERE chain = ? ORDER BY address').raw().iterate(chain) as Iterable<[number, string]>) {
    const w = table.walletOf[id];
    if (w >= 0 && table.active(w)) addresses[w].push(address);
  }
  const rows: WalletRow[] = [];
  for (let i = 0; i < table.count; i++) if (addresses[i].length) rows.push({ wallet: addresses[i][0], addresses: addresses[i], features: table.vector(i) });
  return rows.sort((x, y) => (x.wallet < y.wallet ? -1 : x.wallet > y.wallet ? 1 : 0));
}
