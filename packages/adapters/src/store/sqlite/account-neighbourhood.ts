import type { AccountNeighbourhood, AccountTransaction } from '@cryptotrace/core';
import type { SqliteStore } from './store.js';

const opened = new WeakMap<SqliteStore, ReturnType<typeof prepare>>();

function prepare(store: SqliteStore) {
  const db = store.db;
  // Addresses go in as one JSON list, each found on the (chain, address) index, then rows on the from/to indexes.
  const ids = `SELECT a.id FROM json_each(@addresses) j CROSS JOIN addresses a WHERE a.chain = @chain AND a.address = j.value`;
  return {
    touching: db.prepare(`SELECT t.hash FROM account_txs t WHERE t.id IN (
        SELECT x.id FROM account_txs x WHERE x.from_id IN (${ids}) UNION SELECT x.id FROM account_txs x WHERE x.to_id IN (${ids})
        UNION SELECT k.tx_id FROM token_transfers k WHERE k.from_id IN (${ids}) UNION SELECT k.tx_id FROM token_transfers k WHERE k.to_id IN (${ids}))
      AND t.id <= @upTo AND t.chain = @chain`).pluck(),
    between: db.prepare(`SELECT t.hash FROM json_each(@pairs) j CROSS JOIN addresses f CROSS JOIN account_txs t
      WHERE f.chain = @chain AND f.address = j.value ->> 0 AND t.from_id = f.id AND t.id <= @upTo AND t.chain = @chain
      AND t.to_id = (SELECT r.id FROM addresses r WHERE r.chain = @chain AND r.address = j.value ->> 1)`).pluck(),
    senders: db.prepare(`SELECT DISTINCT f.address FROM addresses r CROSS JOIN token_transfers k JOIN account_txs t ON t.id = k.tx_id
      JOIN addresses f ON f.id = k.from_id JOIN addresses c ON c.id = k.token_id
      WHERE r.chain = @chain AND r.address = @recipient AND k.to_id = r.id AND c.address = @token AND t.status = 'success' AND t.id <= @upTo ORDER BY 1`).pluck(),
    sends: db.prepare(`SELECT r.address AS "to", t.block_number AS block FROM addresses f CROSS JOIN token_transfers k JOIN account_txs t ON t.id = k.tx_id
      JOIN addresses r ON r.id = k.to_id JOIN addresses c ON c.id = k.token_id
      WHERE f.chain = @chain AND f.address = @from AND k.from_id = f.id AND c.address = @token AND t.status = 'success' AND t.id <= @upTo
      ORDER BY t.block_number, t.position, k.log_index`),
  };
}

/**
 * An account chain's stored transactions up to row `upTo`, as an update reads them around new blocks
 * (AccountNeighbourhood): each read from the address indexes, so that its cost follows the addresses' activity,
 * not the chain's length.
 * @example accountBlockLinks(fresh, sqliteAccountNeighbourhood(store, 'ethereum', run.lastAccountTxId), set, known)
 */
export function sqliteAccountNeighbourhood(store: SqliteStore, chain: string, upTo: number): AccountNeighbourhood {
  let s = opened.get(store);
  if (!s) opened.set(store, (s = prepare(store)));
  const q = s;
  const load = (hashes: string[]) => hashes.map((h) => store.getTransaction(chain, h) as AccountTransaction);
  return {
    touching: (addresses) => load(q.touching.all({ chain, upTo, addresses: JSON.stringify(addresses) }) as string[]),
    between: (pairs) => load(q.between.all({ chain, upTo, pairs: JSON.stringify(pairs) }) as string[]),
    tokenSenders: (token, recipient) => q.senders.all({ chain, upTo, token, recipient }) as string[],
    tokenSends: (token, from) => q.sends.all({ chain, upTo, token, from }) as { to: string; block: number }[],
  };
}
