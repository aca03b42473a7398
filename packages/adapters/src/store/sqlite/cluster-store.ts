import type { AccountTransaction, ClusterRunState, ClusterStore } from '@cryptotrace/core';
import { getChain } from '@cryptotrace/core';
import { forgetAccountNeighbourhood, sqliteAccountNeighbourhood } from './account-neighbourhood.js';
import { createFactsReader, createSpendReader } from './cluster-facts.js';
import { createClusterTables } from './clusters.js';
import type { SqliteStore } from './store.js';
import { clusterStoresOf as opened } from './store-memory.js';

/**
 * A SQLite store as a clustering run reads and writes it, for one chain (ClusterStore): compact facts and spends
 * in, links, events and members out. No decision is made here: the run is the core's (runClusters). Made once per
 * store and chain, so that what its readers learn (prepared queries, the script types of address ids, which never
 * change) serves every later run: a watch updates the clusters every block.
 * @example runClusters(sqliteClusterStore(store, 'bitcoin'), parseRuleSet('multi-input'), 'rebuild')
 */
export function sqliteClusterStore(store: SqliteStore, chain: string): ClusterStore {
  let chains = opened.get(store);
  if (!chains) opened.set(store, (chains = new Map()));
  let c = chains.get(chain);
  if (!c) chains.set(chain, (c = clusterStoreOf(store, chain)));
  return c;
}

function clusterStoreOf(store: SqliteStore, chain: string): ClusterStore {
  const db = store.db;
  const tables = createClusterTables(db);
  const facts = createFactsReader(db, chain);
  const spends = createSpendReader(db, chain);
  const one = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) !== undefined;
  const s = {
    fresh: db.prepare('SELECT id, address FROM addresses WHERE +chain = ? AND id > ? ORDER BY id LIMIT ?').raw(),
    // One query per batch: the forms as a JSON list, each looked up on the (chain, address) index.
    present: db.prepare('SELECT j.key, a.id FROM json_each(?) AS j CROSS JOIN addresses AS a WHERE a.chain = ? AND a.address = j.value').raw(),
    seenIn: db.prepare(`SELECT t.txid, t.block_height FROM (SELECT tx_id FROM outputs WHERE address_id = @id UNION ALL SELECT tx_id FROM inputs WHERE address_id = @id) x
      JOIN txs t ON t.id = x.tx_id ORDER BY t.id LIMIT 1`).raw(),
    idOf: db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck(),
    // `+chain`: from the row-id range (the new rows), not every row of the chain.
    freshAccount: db.prepare('SELECT hash FROM account_txs WHERE id > ? AND +chain = ? ORDER BY block_number, position').pluck(),
    // Down the block index from the top, past the few new rows.
    lastBlockUpTo: db.prepare('SELECT block_number FROM account_txs WHERE chain = ? AND id <= ? ORDER BY block_number DESC LIMIT 1').pluck(),
  };
  return {
    chain,
    kind: getChain(chain).kind,
    addressCapacity: () => (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) + 1,
    read: facts.read,
    readRows: (rows, need) => facts.readRows(rows, need),
    ...spends,
    owners(minConfidence) {
      const rows = db.prepare(`SELECT a.id, min(l.actor) FROM labels l JOIN addresses a ON a.chain = l.chain AND a.address = l.address
        WHERE l.chain = ? AND l.actor <> '' AND l.confidence >= ? GROUP BY a.id`).raw().all(chain, minConfidence) as [number, string][];
      return new Map(rows);
    },
    loadRun: () => tables.loadRun(chain),
    // `+chain`: the row-id range is the index to use; on the chain's index SQLite walks every row of the chain.
    hasWork: (run: ClusterRunState) =>
      one('SELECT 1 FROM txs WHERE id > ? AND +chain = ? LIMIT 1', run.lastTxId, chain)
      || one('SELECT 1 FROM account_txs WHERE id > ? AND +chain = ? LIMIT 1', run.lastAccountTxId, chain)
      || one('SELECT 1 FROM addresses WHERE id > ? AND +chain = ? LIMIT 1', run.lastAddressId, chain)
      || tables.pendingRowIds(chain).length > 0,
    pendingRows: () => tables.pendingRowIds(chain),
    reset(ruleSet, at) {
      forgetAccountNeighbourhood(store, chain);
      tables.reset(chain, ruleSet, at);
    },
    loadIds: (uf, ids, loaded) => tables.loadIds(uf, ids, loaded),
    loadAll: (uf) => tables.loadInto(chain, uf),
    write: (ops, state, members) => tables.write(chain, ops, state, members),
    finish: (ops, uf, state) => tables.finish(ops, uf, state),
    addressesAfter: (after, limit) => s.fresh.all(chain, after, limit) as [number, string][],
    present: (holders) => s.present.all(JSON.stringify(holders), chain) as [number, number][],
    firstTxOf(id) {
      const r = s.seenIn.get({ id }) as [string, number | null] | undefined;
      return r ? { txid: r[0], height: r[1] } : null;
    },
    lastAccountTxId: () => db.prepare('SELECT coalesce(max(id), 0) FROM account_txs WHERE chain = ?').pluck().get(chain) as number,
    accountTransactions() {
      const hashes = db.prepare('SELECT hash FROM account_txs WHERE chain = ? ORDER BY block_number, position').pluck().all(chain) as string[];
      return hashes.map((h) => store.getTransaction(chain, h) as AccountTransaction);
    },
    freshAccountTransactions(afterId) {
      const hashes = s.freshAccount.all(afterId, chain) as string[];
      // Nothing new (an empty block): nothing to link, and no reason to read the whole chain.
      if (hashes.length === 0) return [];
      const read = (h: string) => store.getTransaction(chain, h) as AccountTransaction;
      const first = read(hashes[0]);
      // A fresh transaction in a block already linked (an ingest out of order): the caller reads the whole chain, so
      // the rest is not read here.
      const below = s.lastBlockUpTo.get(chain, afterId) as number | undefined;
      return below !== undefined && first.blockNumber <= below ? null : [first, ...hashes.slice(1).map(read)];
    },
    accountNeighbourhood: (upTo) => sqliteAccountNeighbourhood(store, chain, upTo),
    labelled: (categories) => db.prepare(`SELECT DISTINCT address FROM labels WHERE chain = ? AND category IN (${categories.map(() => '?').join(',')}) ORDER BY address`)
      .pluck().all(chain, ...categories) as string[],
    addressId: (address) => s.idOf.get(chain, address) as number,
  };
}
