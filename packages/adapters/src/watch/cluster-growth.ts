import type { WatchEntry } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { perDatabase } from './per-database.js';
import type { AlertMaker, WatchAlert } from './alert.js';

const statements = perDatabase((db) => ({
  known: db.prepare('SELECT 1 FROM watch_members WHERE chain = ? AND entry = ? AND address = ?').pluck(),
  addMember: db.prepare('INSERT INTO watch_members (chain, entry, address, height) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
  // The address's links found from its id on the link indexes (by its text, SQLite read every link of the chain).
  links: db.prepare(`SELECT l.rule, l.version, l.txid, l.confidence, a.address AS a, b.address AS b FROM cluster_links l
    JOIN addresses a ON a.id = l.a_id JOIN addresses b ON b.id = l.b_id
    WHERE l.id IN (SELECT x.id FROM addresses h CROSS JOIN cluster_links x ON x.a_id = h.id WHERE h.chain = @chain AND h.address = @address
      UNION ALL SELECT x.id FROM addresses h CROSS JOIN cluster_links x ON x.b_id = h.id WHERE h.chain = @chain AND h.address = @address)
    AND l.chain = @chain ORDER BY l.block_height DESC, l.id DESC LIMIT 3`),
}));

/**
 * cluster-growth, on either model: each address that joined a watched cluster since the last block (the store's
 * clusters as they stand after this block), with the links that brought it in; the member is recorded at the
 * block's height, so that a reorg below it forgets it.
 * @param watched each entry's holders now (`watchedHolders`)
 * @param txids the block's transactions in block order: the alert names the one whose link joined the member, else the last
 */
export function clusterGrowthAlerts(store: SqliteStore, chain: string, height: number, entries: readonly WatchEntry[], watched: Map<string, Set<string>>, txids: readonly string[], make: AlertMaker): WatchAlert[] {
  const q = statements(store.db);
  const alerts: WatchAlert[] = [];
  const inBlock = new Set(txids);
  for (const e of entries.filter((x) => x.rules.includes('cluster-growth'))) {
    for (const address of [...watched.get(e.key)!].sort()) {
      if (q.known.get(chain, e.key, address)) continue;
      q.addMember.run(chain, e.key, address, height);
      const evidence = q.links.all({ chain, address }) as { rule: string; version: number; txid: string; confidence: number; a: string; b: string }[];
      const txid = evidence.find((l) => inBlock.has(l.txid))?.txid ?? txids[txids.length - 1] ?? '';
      alerts.push(make(e, 'cluster-growth', txid, address, null, { rule: 'cluster-growth', links: evidence.map((l) => ({ rule: l.rule, version: l.version, txid: l.txid, confidence: l.confidence, from: l.a, to: l.b })) }));
    }
  }
  return alerts;
}

/** Record the current members of the watched clusters without alerting (the first run of a watch). */
export function seedMembers(store: SqliteStore, chain: string, entries: readonly WatchEntry[], watched: Map<string, Set<string>>, height: number): void {
  const q = statements(store.db);
  for (const e of entries) if (e.rules.includes('cluster-growth')) for (const a of watched.get(e.key)!) q.addMember.run(chain, e.key, a, height);
}
