import { ILLICIT_CATEGORIES, SERVICE_CATEGORIES, WALLET_FEATURES, holderOf, holderScriptType } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';

/** A wallet and its feature vector (WALLET_FEATURES order). */
export interface WalletRow {
  /** The wallet's name: its smallest address. */
  wallet: string;
  addresses: string[];
  features: number[];
}

interface Acc {
  addresses: Set<string>;
  txs: number;
  first: number;
  last: number;
  prev: number;
  gaps: number;
  gapSum: number;
  gapSq: number;
  received: bigint;
  sent: bigint;
  receipts: number;
  logSum: number;
  round: number;
  spends: number;
  faninSum: number;
  fanoutSum: number;
  consolidations: number;
  batches: number;
  peels: number;
  reused: number;
  fresh: number;
  payers: Set<string>;
  payees: Set<string>;
  coinjoins: number;
  fromIllicit: bigint;
  toService: bigint;
}

const CAP = 1000;
const log10p = (x: number | bigint) => Math.log10(Number(x) + 1);

/**
 * The feature vector of every wallet of a UTXO chain, streamed over the store in block order: wallets are the
 * stored clusters (the addresses of no cluster are wallets of their own). Memory: one accumulator per wallet.
 * @returns rows sorted by wallet name
 * @example walletFeatures(store, 'bitcoin-regtest')[0].features.length === WALLET_FEATURES.length
 */
export function walletFeatures(store: SqliteStore, chain: string): WalletRow[] {
  const db = store.db;
  const clusterOf = new Map<string, number>();
  for (const [address, cluster] of db.prepare('SELECT a.address, m.cluster_id FROM cluster_members m JOIN addresses a ON a.id = m.address_id WHERE a.chain = ?').raw().iterate(chain) as Iterable<[string, number]>) clusterOf.set(address, cluster);
  const walletOf = (h: string) => {
    const c = clusterOf.get(h);
    return c === undefined ? h : `#${c}`;
  };
  const illicit = new Set<string>();
  const service = new Set<string>();
  for (const [address, category] of db.prepare('SELECT address, category FROM labels WHERE chain = ?').raw().iterate(chain) as Iterable<[string, string]>) {
    if ((ILLICIT_CATEGORIES as readonly string[]).includes(category)) illicit.add(walletOf(address));
    if ((SERVICE_CATEGORIES as readonly string[]).includes(category)) service.add(walletOf(address));
  }
  const coinjoins = new Set(db.prepare("SELECT DISTINCT txid FROM cluster_events WHERE chain = ? AND kind IN ('coinjoin', 'ambiguous')").pluck().all(chain) as string[]);
  const acc = new Map<string, Acc>();
  const get = (w: string): Acc => {
    let a = acc.get(w);
    if (!a) {
      a = { addresses: new Set(), txs: 0, first: -1, last: -1, prev: -1, gaps: 0, gapSum: 0, gapSq: 0, received: 0n, sent: 0n, receipts: 0, logSum: 0, round: 0, spends: 0, faninSum: 0, fanoutSum: 0, consolidations: 0, batches: 0, peels: 0, reused: 0, fresh: 0, payers: new Set(), payees: new Set(), coinjoins: 0, fromIllicit: 0n, toService: 0n };
      acc.set(w, a);
    }
    return a;
  };
  const firstHeight = new Map<string, number>();
  for (const tx of store.iterateUtxoTransactions(chain)) {
    const height = tx.block?.height ?? 0;
    const coinbase = tx.inputs[0]?.coinbase ?? false;
    const spenders = new Set<string>();
    for (const i of tx.inputs) {
      const h = holderOf(i);
      if (h === null) continue;
      spenders.add(walletOf(h));
    }
    const spendable = tx.outputs.filter((o) => o.scriptType !== 'nulldata');
    const receivers = new Set<string>();
    for (const o of spendable) {
      const h = holderOf(o);
      if (h !== null) receivers.add(walletOf(h));
    }
    const touched = new Set([...spenders, ...receivers]);
    for (const w of touched) {
      const a = get(w);
      a.txs++;
      if (a.first < 0) a.first = height;
      if (a.prev >= 0) {
        const g = height - a.prev;
        a.gaps++;
        a.gapSum += g;
        a.gapSq += g * g;
      }
      a.prev = height;
      a.last = height;
      if (coinjoins.has(tx.txid)) a.coinjoins++;
    }
    const fromIllicit = [...spenders].some((w) => illicit.has(w));
    for (const w of spenders) {
      const a = get(w);
      a.spends++;
      a.faninSum += tx.inputs.length;
      a.fanoutSum += spendable.length;
      if (tx.inputs.length >= 3 && spendable.length === 1) a.consolidations++;
      if (spendable.length >= 5) a.batches++;
      if (tx.inputs.length === 1 && spendable.length === 2 && spendable.some((o) => holderOf(o) !== null && walletOf(holderOf(o)!) === w)) a.peels++;
      for (const i of tx.inputs) if (holderOf(i) !== null && walletOf(holderOf(i)!) === w && i.value !== null) a.sent += i.value;
      for (const r of receivers) if (r !== w && a.payees.size < CAP) a.payees.add(r);
      for (const o of spendable) {
        const h = holderOf(o);
        if (h !== null && service.has(walletOf(h)) && walletOf(h) !== w) a.toService += o.value;
      }
    }
    for (const o of spendable) {
      const h = holderOf(o);
      if (h === null) continue;
      const w = walletOf(h);
      const a = get(w);
      a.addresses.add(h);
      a.received += o.value;
      a.receipts++;
      a.logSum += Math.log10(Number(o.value) + 1);
      if (o.value > 0n && o.value % 100_000n === 0n) a.round++;
      // The block an address first received in: a receipt after it is reuse, one in it is fresh.
      const first = firstHeight.get(h);
      if (first === undefined) firstHeight.set(h, height);
      else a.reused++;
      if ((first ?? height) === height) a.fresh++;
      if (!coinbase) for (const s of spenders) if (s !== w && a.payers.size < CAP) a.payers.add(s);
      if (fromIllicit && !spenders.has(w)) a.fromIllicit += o.value;
    }
    for (const i of tx.inputs) {
      const h = holderOf(i);
      if (h !== null) get(walletOf(h)).addresses.add(h);
    }
  }
  const sizeOf = (w: string) => acc.get(w)?.addresses.size ?? 1;
  // Hops from the illicit-labelled wallets along payments (breadth first over each wallet's payees, 6 deep).
  const hops = new Map<string, number>();
  let frontier = [...illicit].filter((w) => acc.has(w)).sort();
  for (const w of frontier) hops.set(w, 0);
  for (let d = 1; d <= 6 && frontier.length; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (const p of [...acc.get(w)!.payees].sort()) {
        if (hops.has(p)) continue;
        hops.set(p, d);
        if (acc.has(p)) next.push(p);
      }
    }
    frontier = next;
  }
  const rows: WalletRow[] = [];
  for (const [key, a] of acc) {
    const addresses = [...a.addresses].sort();
    if (addresses.length === 0) continue;
    const mean = a.gaps ? a.gapSum / a.gaps : 0;
    const sd = a.gaps ? Math.sqrt(Math.max(0, a.gapSq / a.gaps - mean * mean)) : 0;
    const types = new Set(addresses.map((h) => holderScriptType(chain, h) ?? 'unknown'));
    const payerSize = a.payers.size ? [...a.payers].reduce((s, p) => s + Math.log10(sizeOf(p) + 1), 0) / a.payers.size : 0;
    const byName: Record<string, number> = {
      txs: log10p(a.txs), lifetime: a.last - a.first, burstiness: sd + mean > 0 ? (sd - mean) / (sd + mean) : 0, addresses: log10p(addresses.length),
      'script-types': types.size, received: log10p(a.received), sent: log10p(a.sent), turnover: a.received > 0n ? Number(a.sent) / Number(a.received) : 0,
      'mean-receipt': a.receipts ? a.logSum / a.receipts : 0, receipts: log10p(a.receipts), 'round-receipts': a.receipts ? a.round / a.receipts : 0,
      'fan-in': a.spends ? a.faninSum / a.spends : 0, 'fan-out': a.spends ? a.fanoutSum / a.spends : 0,
      consolidations: a.spends ? a.consolidations / a.spends : 0, batches: a.spends ? a.batches / a.spends : 0, peels: a.spends ? a.peels / a.spends : 0,
      reuse: a.receipts ? a.reused / a.receipts : 0, payers: log10p(a.payers.size), payees: log10p(a.payees.size), 'payer-size': payerSize,
      'coinjoin-share': a.txs ? a.coinjoins / a.txs : 0, 'fresh-receipts': a.receipts ? a.fresh / a.receipts : 0,
      'exposure-direct': a.received > 0n ? Number(a.fromIllicit) / Number(a.received) : 0,
      'exposure-hops': (hops.get(key) ?? 0) > 0 ? 1 / hops.get(key)! : 0, 'exposure-to-service': a.sent > 0n ? Number(a.toService) / Number(a.sent) : 0,
    };
    rows.push({ wallet: addresses[0], addresses, features: WALLET_FEATURES.map((f) => byName[f.name]) });
  }
  return rows.sort((x, y) => (x.wallet < y.wallet ? -1 : x.wallet > y.wallet ? 1 : 0));
}
