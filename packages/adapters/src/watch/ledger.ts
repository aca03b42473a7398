import type { Db } from '../store/sqlite/open.js';
import type { WatchAlert } from './alert.js';

/** Where a watch of a chain stands: the last block it evaluated. */
export interface WatchState {
  chain: string;
  height: number;
  hash: string;
  updatedAt: string;
}

/** The watch tables of a store (migration 7): state, alert ledger, known cluster members, taint. */
export function createWatchLedger(db: Db) {
  const s = {
    state: db.prepare('SELECT chain, height, hash, updated_at AS updatedAt FROM watch_state WHERE chain = ?'),
    states: db.prepare('SELECT chain, height, hash, updated_at AS updatedAt FROM watch_state ORDER BY chain'),
    setState: db.prepare(`INSERT INTO watch_state (chain, height, hash, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (chain) DO UPDATE SET height = excluded.height, hash = excluded.hash, updated_at = excluded.updated_at`),
    insert: db.prepare('INSERT INTO watch_alerts (id, chain, height, block_hash, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    above: db.prepare("SELECT body FROM watch_alerts WHERE chain = ? AND height > ? AND retracted = 0 AND json_extract(body, '$.type') = 'alert' ORDER BY seq"),
    retract: db.prepare('UPDATE watch_alerts SET retracted = 1 WHERE id = ?'),
    undeliveredFile: db.prepare('SELECT body FROM watch_alerts WHERE chain = ? AND delivered_file = 0 ORDER BY seq'),
    undeliveredWebhook: db.prepare('SELECT body FROM watch_alerts WHERE chain = ? AND delivered_webhook = 0 ORDER BY seq'),
    deliveredFile: db.prepare('UPDATE watch_alerts SET delivered_file = 1 WHERE id = ?'),
    deliveredWebhook: db.prepare('UPDATE watch_alerts SET delivered_webhook = 1 WHERE id = ?'),
    count: db.prepare('SELECT count(*) FROM watch_alerts WHERE chain = ?').pluck(),
    counts: db.prepare("SELECT chain, count(*) AS alerts, sum(json_extract(body, '$.type') = 'retracted') AS retractions, sum(delivered_file = 0) AS unsentFile, sum(delivered_webhook = 0) AS unsentWebhook FROM watch_alerts GROUP BY chain ORDER BY chain"),
  };
  const parse = (rows: unknown[]) => rows.map((r) => JSON.parse((r as { body: string }).body) as WatchAlert);
  return {
    state: (chain: string) => (s.state.get(chain) as WatchState | undefined) ?? null,
    states: () => s.states.all() as WatchState[],
    setState: (chain: string, height: number, hash: string, at: string) => s.setState.run(chain, height, hash, at),
    /** Record an alert; false when the ledger holds it already (a block evaluated again after a restart). */
    record: (a: WatchAlert) => s.insert.run(a.id, a.chain, a.height, a.block, JSON.stringify(a)).changes > 0,
    alertsAbove: (chain: string, height: number) => parse(s.above.all(chain, height)),
    markRetracted: (id: string) => s.retract.run(id),
    undelivered: (chain: string, to: 'file' | 'webhook') => parse((to === 'file' ? s.undeliveredFile : s.undeliveredWebhook).all(chain)),
    delivered: (id: string, to: 'file' | 'webhook') => (to === 'file' ? s.deliveredFile : s.deliveredWebhook).run(id),
    count: (chain: string) => s.count.get(chain) as number,
    counts: () => s.counts.all() as { chain: string; alerts: number; retractions: number; unsentFile: number; unsentWebhook: number }[],
  };
}
export type WatchLedger = ReturnType<typeof createWatchLedger>;
