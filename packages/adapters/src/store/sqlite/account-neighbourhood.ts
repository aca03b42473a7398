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
    // Rows after `after` only: the from/to indexes hold (address, tx_id), so a range of one address's rows is one seek.
    senders: db.prepare(`SELECT f.address FROM addresses r CROSS JOIN token_transfers k JOIN account_txs t ON t.id = k.tx_id
      JOIN addresses f ON f.id = k.from_id JOIN addresses c ON c.id = k.token_id
      WHERE r.chain = @chain AND r.address = @recipient AND k.to_id = r.id AND k.tx_id > @after AND k.tx_id <= @upTo AND c.address = @token AND t.status = 'success'`).pluck(),
    sends: db.prepare(`SELECT r.address AS "to", t.block_number AS block FROM addresses f CROSS JOIN token_transfers k JOIN account_txs t ON t.id = k.tx_id
      JOIN addresses r ON r.id = k.to_id JOIN addresses c ON c.id = k.token_id
      WHERE f.chain = @chain AND f.address = @from AND k.from_id = f.id AND k.tx_id > @after AND k.tx_id <= @upTo AND c.address = @token AND t.status = 'success'
      ORDER BY t.block_number, t.position, k.log_index`).raw(),
  };
}

/** What the token reads learnt, per store and chain: each list as of a row id, extended by the rows after it. */
interface Kept<T> {
  after: number;
  value: T;
}
interface Sends {
  to: string[];
  block: number[];
}
interface Learnt {
  upTo: number;
  senders: Map<string, Kept<Set<string>>>;
  sends: Map<string, Kept<Sends>>;
}
const learnt = new WeakMap<SqliteStore, Map<string, Learnt>>();

function learntOf(store: SqliteStore, chain: string, upTo: number): Learnt {
  let chains = learnt.get(store);
  if (!chains) learnt.set(store, (chains = new Map()));
  let l = chains.get(chain);
  // Rows at or below what was learnt were removed (a reorg: their ids are handed out again): start afresh.
  if (!l || upTo < l.upTo) chains.set(chain, (l = { upTo, senders: new Map(), sends: new Map() }));
  l.upTo = upTo;
  return l;
}

/** Forget what the token reads learnt (a rebuild starts: the rows they read may be gone). */
export function forgetAccountNeighbourhood(store: SqliteStore, chain: string): void {
  learnt.get(store)?.delete(chain);
}

/**
 * An account chain's stored transactions up to row `upTo`, as an update reads them around new blocks
 * (AccountNeighbourhood): each read from the address indexes, so that its cost follows the addresses' activity,
 * not the chain's length. A token's senders to an address and sends from one are kept from update to update and
 * only the rows stored since are read (a watch asks for the same hubs every block).
 * @example accountBlockLinks(fresh, sqliteAccountNeighbourhood(store, 'ethereum', run.lastAccountTxId), set, known)
 */
export function sqliteAccountNeighbourhood(store: SqliteStore, chain: string, upTo: number): AccountNeighbourhood {
  let s = opened.get(store);
  if (!s) opened.set(store, (s = prepare(store)));
  const q = s;
  const l = learntOf(store, chain, upTo);
  const known = <T>(kept: Map<string, Kept<T>>, key: string, empty: () => T, extend: (v: T, after: number) => void): T => {
    let k = kept.get(key);
    if (!k) kept.set(key, (k = { after: 0, value: empty() }));
    if (k.after < upTo) extend(k.value, k.after);
    k.after = upTo;
    return k.value;
  };
  const load = (hashes: string[]) => hashes.map((h) => store.getTransaction(chain, h) as AccountTransaction);
  return {
    touching: (addresses) => load(q.touching.all({ chain, upTo, addresses: JSON.stringify(addresses) }) as string[]),
    between: (pairs) => load(q.between.all({ chain, upTo, pairs: JSON.stringify(pairs) }) as string[]),
    tokenSenders: (token, recipient) => known(l.senders, `${token}\u0000${recipient}`, () => new Set<string>(), (v, after) => {
      for (const f of q.senders.all({ chain, after, upTo, token, recipient }) as string[]) v.add(f);
    }),
    tokenSends: (token, from) => known(l.sends, `${token}\u0000${from}`, (): Sends => ({ to: [], block: [] }), (v, after) => {
      for (const [to, block] of q.sends.all({ chain, after, upTo, token, from }) as [string, number][]) {
        v.to.push(to);
        v.block.push(block);
      }
    }),
  };
}
