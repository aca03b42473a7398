import { type UtxoTransaction, type WatchEntry, detectFanPatterns, detectPeelChains, holderOf, peelChainDefaults } from '@cryptotrace/core';
import { caseNeighbourhood } from '../store/sqlite/taint-stream-neighbourhood.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import { perDatabase } from './per-database.js';
import { type WatchAlert, alertMaker } from './alert.js';
import { clusterGrowthAlerts, seedMembers as seedClusterMembers } from './cluster-growth.js';

/** The block being evaluated. */
export interface WatchBlock {
  chain: string;
  hash: string;
  height: number;
  time: number;
}

/**
 * The holders each entry watches now: the address itself; every member of the address's cluster (as the store's
 * clusters stand after this block); every address labelled with the category.
 */
export function watchedHolders(store: SqliteStore, chain: string, entries: readonly WatchEntry[]): Map<string, Set<string>> {
  const q = statements(store);
  const out = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.kind === 'address') out.set(e.key, new Set([e.subject]));
    else if (e.kind === 'cluster') out.set(e.key, new Set([e.subject, ...(q.members.all(chain, e.subject, chain) as string[])]));
    else out.set(e.key, new Set(q.labelled.all(chain, e.subject) as string[]));
  }
  return out;
}

/** The queries the rules run on every block, prepared once per database. */
function prepare(db: SqliteStore['db']) {
  return {
    // From the cluster's members to their addresses (CROSS JOIN keeps that order): the other way round SQLite walks
    // every address of the chain in address order to save the sort, per watched cluster and block.
    members: db.prepare(`SELECT a.address FROM cluster_members m CROSS JOIN addresses a ON a.id = m.address_id
      WHERE m.cluster_id = (SELECT m2.cluster_id FROM cluster_members m2 JOIN addresses a2 ON a2.id = m2.address_id WHERE a2.chain = ? AND a2.address = ?)
      AND a.chain = ? ORDER BY a.address`).pluck(),
    labelled: db.prepare('SELECT DISTINCT address FROM labels WHERE chain = ? AND category = ? ORDER BY address').pluck(),
    taintedSpend: db.prepare('SELECT 1 FROM watch_taint WHERE chain = ? AND txid = ? AND vout = ? LIMIT 1').pluck(),
    // By the block's txids (a JSON list, each an index seek): no index leads from a block hash to its transactions.
    inputsOfBlock: db.prepare(`SELECT t.txid, a.address, i.prev_txid AS prevTxid, i.prev_vout AS prevVout FROM json_each(?) AS j CROSS JOIN txs t ON t.txid = j.value
      CROSS JOIN inputs i ON i.tx_id = t.id LEFT JOIN addresses a ON a.id = i.address_id WHERE t.chain = ? AND t.block_hash = ? AND i.coinbase = 0`),
    taintOf: db.prepare('SELECT entry, amount, hop FROM watch_taint WHERE chain = ? AND txid = ? AND vout = ?'),
    putTaint: db.prepare(`INSERT INTO watch_taint (chain, txid, vout, entry, amount, hop, height) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (chain, txid, vout, entry) DO UPDATE SET amount = excluded.amount, hop = excluded.hop, height = excluded.height`),
    labelsOf: db.prepare('SELECT category, actor FROM labels WHERE chain = ? AND address = ? ORDER BY category, actor'),
  };
}
const preparedFor = perDatabase(prepare);
const statements = (store: SqliteStore) => preparedFor(store.db);

/** Six decimal places of a ratio of integers, as text. */
export function share(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '0.000000';
  const m = (part * 1_000_000n) / whole;
  return `${m / 1_000_000n}.${String(m % 1_000_000n).padStart(6, '0')}`;
}

/**
 * Evaluate the watch rules on one stored block and record what they carry forward (taint, cluster members); the
 * caller runs it in the transaction that records its alerts and advances the watch, so that all of it commits or
 * none does.
 * - movement: value leaves a watched holder (one alert per entry and transaction);
 * - exposure: the haircut share of an output traced to an entry's holders, followed `maxHops` transactions deep,
 *   reaches the entry's threshold (the receiver's labels named: a deposit into a service is what gets an account
 *   blocked);
 * - cluster-growth: an address joins a watched cluster, with the links that joined it;
 * - typology: a watched wallet starts or continues a peel chain, an aggregation, a consolidation or a deposit sweep.
 * @param txids the block's transactions, in block order, stored (inputs resolved where their parents are stored)
 * @returns the alerts, in block order, then rule
 */
export function evaluateBlock(store: SqliteStore, block: WatchBlock, entries: readonly WatchEntry[], txids: readonly string[]): WatchAlert[] {
  const { chain } = block;
  const db = store.db;
  const q = statements(store);
  const watched = watchedHolders(store, chain, entries);
  // Only the transactions that spend a watched holder's coin or a tainted output can fire movement or exposure:
  // found from the stored inputs in one query, so that only those are read as model transactions.
  const all = new Set<string>();
  for (const h of watched.values()) for (const a of h) all.add(a);
  const relevant = new Set<string>();
  for (const r of q.inputsOfBlock.iterate(JSON.stringify(txids), chain, block.hash) as Iterable<{ txid: string; address: string | null; prevTxid: string; prevVout: number }>) {
    if (relevant.has(r.txid)) continue;
    if ((r.address !== null && all.has(r.address)) || q.taintedSpend.get(chain, r.prevTxid, r.prevVout)) relevant.add(r.txid);
  }
  const txs = txids.filter((t) => relevant.has(t)).map((t) => store.getTransaction(chain, t) as UtxoTransaction);
  const alerts: WatchAlert[] = [];
  const base = alertMaker(block);

  const exposed = entries.some((e) => e.rules.includes('exposure'));
  for (const tx of txs) {
    if (tx.inputs[0]?.coinbase) continue;
    // What each input carries, by entry: read once per input for all entries (this transaction's own outputs are
    // the only taint written while it is judged).
    const carried = exposed ? tx.inputs.map((i) => new Map((q.taintOf.all(chain, i.prevTxid, i.prevVout) as { entry: string; amount: string; hop: number }[]).map((t) => [t.entry, t]))) : [];
    for (const e of entries) {
      const holders = watched.get(e.key)!;
      const mine = tx.inputs.filter((i) => holders.has(holderOf(i) ?? ''));
      if (e.rules.includes('movement') && mine.length > 0) {
        const known = mine.every((i) => i.value !== null);
        const amount = known ? mine.reduce((s, i) => s + i.value!, 0n) : null;
        alerts.push(base(e, 'movement', tx.txid, holderOf(mine[0])!, amount, {
          rule: 'movement',
          inputs: mine.map((i) => ({ index: i.index, prevTxid: i.prevTxid, prevVout: i.prevVout, address: holderOf(i), value: i.value === null ? null : i.value.toString(), resolved: i.resolved })),
          outputs: tx.outputs.filter((o) => o.scriptType !== 'nulldata').map((o) => ({ index: o.index, address: holderOf(o), value: o.value.toString() })),
        }));
      }
      if (!e.rules.includes('exposure')) continue;
      // Haircut over this transaction: what its inputs carry from the entry, shared by value among its outputs.
      let tainted = 0n;
      let hop = Number.POSITIVE_INFINITY;
      let total = 0n;
      const from: { prevTxid: string; prevVout: number; amount: string; hop: number }[] = [];
      for (const [k, i] of tx.inputs.entries()) {
        if (i.value === null) continue;
        total += i.value;
        if (holders.has(holderOf(i) ?? '')) {
          tainted += i.value;
          hop = 0;
          from.push({ prevTxid: i.prevTxid, prevVout: i.prevVout, amount: i.value.toString(), hop: 0 });
          continue;
        }
        const t = carried[k].get(e.key);
        if (t) {
          tainted += BigInt(t.amount);
          hop = Math.min(hop, t.hop);
          from.push({ prevTxid: i.prevTxid, prevVout: i.prevVout, amount: t.amount, hop: t.hop });
        }
      }
      if (tainted === 0n || total === 0n || hop + 1 > e.maxHops) continue;
      for (const o of tx.outputs) {
        const h = holderOf(o);
        if (o.scriptType === 'nulldata' || h === null || holders.has(h) || o.value === 0n) continue;
        const amount = (tainted * o.value) / total;
        if (amount === 0n) continue;
        q.putTaint.run(chain, tx.txid, o.index, e.key, amount.toString(), hop + 1, block.height);
        if (amount * 1_000_000n < BigInt(Math.round(e.threshold * 1_000_000)) * o.value) continue;
        const labels = q.labelsOf.all(chain, h) as { category: string; actor: string | null }[];
        alerts.push(base(e, 'exposure', tx.txid, h, amount, {
          rule: 'exposure', policy: 'haircut', output: o.index, value: o.value.toString(), share: share(amount, o.value), hop: hop + 1, from, labels,
        }, o.index));
      }
    }
  }

  // Typologies a watched wallet takes part in, with a transaction of this block: a peel chain it starts or
  // continues, an aggregation, a consolidation or a deposit sweep centred on it.
  const typed = entries.filter((e) => e.rules.includes('typology'));
  if (typed.length) {
    const inBlock = new Set(txids);
    const holders = new Set(typed.flatMap((e) => [...watched.get(e.key)!]));
    const touched = [...holders].filter((h) => txs.some((t) => t.inputs.some((i) => holderOf(i) === h) || t.outputs.some((o) => holderOf(o) === h)));
    if (touched.length) {
      const near = caseNeighbourhood(db, chain, touched, peelChainDefaults.maxBlocks);
      const hits = [...detectPeelChains(near.peel), ...detectFanPatterns(near.fan)];
      for (const e of typed) {
        const mine = watched.get(e.key)!;
        for (const hit of hits) {
          const here = hit.txids.filter((t) => inBlock.has(t));
          if (here.length === 0 || !(mine.has(hit.holder) || hit.members.some((m) => mine.has(m)))) continue;
          alerts.push(base(e, 'typology', here[here.length - 1], hit.holder, null, {
            rule: 'typology', typology: hit.typology, holder: hit.holder, members: hit.members.slice(0, 20), txids: hit.txids.slice(-20), detail: hit.detail,
          }, hit.typology));
        }
      }
    }
  }

  alerts.push(...clusterGrowthAlerts(store, chain, block.height, entries, watched, txids, base));
  return alerts;
}

/** Record the current members of the watched clusters without alerting (the first run of a watch). */
export function seedMembers(store: SqliteStore, chain: string, entries: readonly WatchEntry[], height: number): void {
  seedClusterMembers(store, chain, entries, watchedHolders(store, chain, entries), height);
}
