import { type AccountTransaction, SERVICE_CATEGORIES, type WatchEntry, accountMoves, propagateAccountTaint } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { perDatabase } from './per-database.js';
import { type AlertBlock, type AlertMaker, type WatchAlert, alertMaker } from './alert.js';
import { storedHoldings } from './account-holdings.js';
import { clusterGrowthAlerts } from './cluster-growth.js';
import { share, watchedHolders } from './evaluate.js';

/** The taint policy of the watch on account chains: `ctrace trace`'s default there. */
export const ACCOUNT_WATCH_POLICY = 'fifo';

interface Label {
  category: string;
  actor: string | null;
}

const statements = perDatabase((db) => ({
  labelsOf: db.prepare('SELECT category, actor FROM labels WHERE chain = ? AND address = ? ORDER BY category, actor'),
  token: db.prepare('SELECT symbol, decimals FROM tokens WHERE chain = ? AND address = ?'),
}));

/**
 * Evaluate the watch rules on one block of an account chain, its transactions stored, and record what they carry
 * forward (holdings, cluster members); the caller runs it in the transaction that records its alerts and advances
 * the watch.
 * - movement: value leaves a watched holder: one alert per entry, transaction and asset (`native` or the token
 *   contract), the amount summed over the transaction's moves of that asset (its value, internal transfers, token
 *   transfers; not the fee);
 * - exposure: fifo taint from the entry's holders over every move, each holding (address and asset) a queue carried
 *   from block to block in `watch_holdings`, followed `maxHops` moves deep and not past an address labelled as a
 *   service; a move whose tainted share reaches the entry's threshold raises an alert naming the receiver's labels;
 * - cluster-growth: an address joins a watched cluster (the store's account rules), with the links that joined it.
 * @param txs the block's transactions, in block order
 * @returns the alerts, in block order, then rule
 */
export function evaluateAccountBlock(store: SqliteStore, block: AlertBlock, entries: readonly WatchEntry[], txs: readonly AccountTransaction[]): WatchAlert[] {
  const { chain } = block;
  const q = statements(store.db);
  const watched = watchedHolders(store, chain, entries);
  const make = alertMaker(block);
  const token = (asset: string) => (asset === 'native' ? null : ((q.token.get(chain, asset) as { symbol: string | null; decimals: number | null } | undefined) ?? { symbol: null, decimals: null }));
  const labelsOf = (address: string) => q.labelsOf.all(chain, address) as Label[];
  const isService = (address: string) => labelsOf(address).some((l) => SERVICE_CATEGORIES.includes(l.category));
  const alerts: WatchAlert[] = [];
  // Every holding the block's moves can touch, read per entry in one query rather than one a holding.
  const touched = txs.flatMap((tx) => accountMoves(tx).flatMap((m) => [`${m.asset}\u0000${m.from}`, `${m.asset}\u0000${m.to}`]));
  for (const e of entries) {
    const holders = watched.get(e.key)!;
    if (e.rules.includes('movement')) alerts.push(...movementAlerts(txs, e, holders, make, token));
    if (!e.rules.includes('exposure')) continue;
    const holdings = storedHoldings(store, chain, e.key, block.height);
    holdings.prefetch(touched);
    const run = propagateAccountTaint(txs, { policy: ACCOUNT_WATCH_POLICY, seeds: { addresses: [...holders] }, maxHops: e.maxHops, stopAt: isService, holdings: holdings.map });
    holdings.save();
    for (const o of run.outputs) {
      if (o.holder === null || holders.has(o.holder) || o.taint * 1_000_000n < BigInt(Math.round(e.threshold * 1_000_000)) * o.value) continue;
      const asset = o.asset ?? 'native';
      alerts.push(make(e, 'exposure', o.txid, o.holder, o.taint, {
        rule: 'exposure', policy: ACCOUNT_WATCH_POLICY, asset, token: token(asset), move: o.vout, ref: o.ref, value: o.value.toString(), share: share(o.taint, o.value), hop: o.hop,
        via: o.via === null ? null : { txid: o.via.txid, move: o.via.vout }, stopped: o.stopped, labels: labelsOf(o.holder),
      }, o.vout));
    }
  }
  const position = new Map(txs.map((t, i) => [t.hash, i]));
  alerts.sort((a, b) => position.get(a.txid)! - position.get(b.txid)!);
  alerts.push(...clusterGrowthAlerts(store, chain, block.height, entries, watched, txs.map((t) => t.hash), make));
  return alerts;
}

/** movement: the moves of each transaction that leave the entry's holders, summed per asset. */
function movementAlerts(txs: readonly AccountTransaction[], e: WatchEntry, holders: Set<string>, make: AlertMaker, token: (asset: string) => unknown): WatchAlert[] {
  const out: WatchAlert[] = [];
  for (const tx of txs) {
    if (tx.status !== 'success') continue;
    const byAsset = new Map<string, ReturnType<typeof accountMoves>>();
    for (const m of accountMoves(tx)) if (holders.has(m.from)) byAsset.set(m.asset, [...(byAsset.get(m.asset) ?? []), m]);
    for (const [asset, moves] of byAsset) {
      out.push(make(e, 'movement', tx.hash, moves[0].from, moves.reduce((s, m) => s + m.value, 0n), {
        rule: 'movement', asset, token: token(asset), moves: moves.map((m) => ({ move: m.index, ref: m.ref, from: m.from, to: m.to, value: m.value.toString() })),
      }, asset));
    }
  }
  return out;
}
