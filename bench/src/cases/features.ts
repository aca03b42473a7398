import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, rebuildClusters, walletFeatureTable } from '../../../packages/adapters/dist/index.js';
import { Database } from '../deps.js';
import { timed } from '../measure.js';

/**
 * The learned identifier's features over a whole store (walletFeatureTable, then every wallet's vector computed,
 * none kept), on the store's clusters: a store without clusters is copied and clustered first, untimed.
 */
export async function featuresCase(params: { store: string }): Promise<Record<string, unknown>> {
  let path = params.store;
  let scratch: string | null = null;
  const probe = new Database(path);
  const clustered = (probe.prepare('SELECT count(*) FROM cluster_members').pluck().get() as number) > 0;
  probe.close();
  if (!clustered) {
    scratch = mkdtempSync(join(tmpdir(), 'ctrace-bench-features-'));
    path = join(scratch, 'case.db');
    copyFileSync(params.store, path);
    const s = openSqliteStore(path);
    rebuildClusters(s, 'bitcoin', undefined, { at: '2026-01-01T00:00:00.000Z' });
    s.close();
  }
  try {
    const store = openSqliteStore(path);
    const { seconds, cpuSeconds, value } = await timed(() => {
      const t = walletFeatureTable(store, 'bitcoin');
      let active = 0;
      for (let i = 0; i < t.count; i++) if (t.active(i) && t.vector(i).length) active++;
      return { wallets: active, edges: t.edges, pagerank: t.pagerank };
    });
    const transactions = store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
    store.close();
    return { seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, ...value, clusteredHere: !clustered };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The reference: the same three cursors over txs, inputs and outputs in row order, each row read, nothing computed. */
export async function featuresReadCase(params: { store: string }): Promise<Record<string, unknown>> {
  const db = new Database(params.store);
  const { seconds, cpuSeconds, value } = await timed(() => {
    let rows = 0;
    for (const sql of [
      'SELECT id, block_height, block_time FROM txs WHERE chain = ? ORDER BY id',
      'SELECT i.tx_id, i.coinbase, i.address_id, i.value FROM inputs i JOIN txs t ON t.id = i.tx_id WHERE t.chain = ? ORDER BY i.tx_id, i.n',
      "SELECT o.tx_id, o.address_id, o.value, o.script_type FROM outputs o JOIN txs t ON t.id = o.tx_id WHERE t.chain = ? AND o.script_type <> 'nulldata' ORDER BY o.tx_id, o.n",
    ]) for (const _ of db.prepare(sql).raw().iterate('bitcoin')) rows++;
    return rows;
  });
  const transactions = db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
  db.close();
  return { seconds, cpuSeconds, rows: value, transactions, txPerSec: transactions / seconds };
}
