import type { NeighbourhoodReads } from '@cryptotrace/core';
import type { Db } from './open.js';

/** Ids (or addresses, or txids) per read: each read takes a chunk of them as a JSON array. */
export const CHUNK = 500;

/** The items a chunk at a time, each chunk as the JSON array a read takes. */
export function* chunks<T>(items: readonly T[]): Generator<string> {
  for (let c = 0; c < items.length; c += CHUNK) yield JSON.stringify(items.slice(c, c + CHUNK));
}

/** Every row of a read over each chunk of the items, in chunk order. */
function* eachChunk<R>(items: readonly unknown[], read: (chunk: string) => R[]): Generator<R> {
  for (const chunk of chunks(items)) yield* read(chunk);
}

/**
 * The SQLite store's side of the neighbourhood walk of the core ({@link neighbourhoodOf} of @cryptotrace/core): only
 * reads, a chunk of 500 ids (or addresses, or txids) per query, rows of ids and facts as the walk takes them.
 * @param db the store's database
 * @param chain a UTXO chain
 * @example detectPeelChains(neighbourhoodOf(neighbourhoodReads(store.db, 'bitcoin'), reached, 2).peel)
 */
export function neighbourhoodReads(db: Db, chain: string): NeighbourhoodReads {
  const list = 'SELECT value FROM json_each(?)';
  const addressIds = db.prepare(`SELECT id FROM addresses WHERE chain = ? AND address IN (${list})`).pluck();
  const touching = db.prepare(`SELECT address_id, tx_id FROM outputs WHERE address_id IN (${list}) UNION SELECT address_id, tx_id FROM inputs WHERE address_id IN (${list})`).raw();
  // Transactions are read in chunks of ids (ascending: inputs and outputs are stored by transaction).
  const txRows = db.prepare(`SELECT id, txid, block_hash IS NOT NULL, block_height, block_time, position FROM txs WHERE id IN (${list}) ORDER BY id`).raw();
  const insOf = db.prepare(`SELECT tx_id, address_id, coinbase FROM inputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw();
  // Values are exact (64-bit) integers: this read gives bigints, the ids made numbers below.
  const outsOf = db.prepare(`SELECT tx_id, n, address_id, value FROM outputs WHERE tx_id IN (${list}) ORDER BY tx_id, n`).raw().safeIntegers(true);
  // The spent transaction's row id of each input; its txid only when the store lacks it.
  const prevsOf = db.prepare(`SELECT i.tx_id, p.id, CASE WHEN p.id IS NULL THEN i.prev_txid END, i.prev_vout FROM inputs i LEFT JOIN txs p ON p.chain = ? AND p.txid = i.prev_txid
    WHERE i.tx_id IN (${list}) ORDER BY i.tx_id, i.n`).raw();
  const spendersOf = db.prepare(`SELECT DISTINCT i.prev_txid, i.prev_vout, t.id FROM inputs i CROSS JOIN txs t ON t.id = i.tx_id WHERE i.prev_txid IN (${list}) AND t.chain = ?`).raw();
  const addressesOf = db.prepare(`SELECT id, address FROM addresses WHERE id IN (${list})`).raw();
  const confirmed = db.prepare('SELECT count(*) FROM txs WHERE chain = ? AND block_height IS NOT NULL').pluck();
  const before = db.prepare(`SELECT count(*) FROM txs WHERE chain = @chain AND block_height IS NULL
    AND (coalesce(position, -1) < @p OR (coalesce(position, -1) = @p AND id < @id))`).pluck();
  type Tx = [number, string, number, number | null, number | null, number | null];
  return {
    addressIds: (addresses) => eachChunk(addresses, (c) => addressIds.all(chain, c) as number[]),
    transactionsOf: (ids) => eachChunk(ids, (c) => touching.all(c, c) as [number, number][]),
    transactions: (ids) => eachChunk(ids, (c) => txRows.all(c) as Tx[]),
    inputs: (ids) => eachChunk(ids, (c) => insOf.all(c) as [number, number | null, number][]),
    outputs: (ids) => eachChunk(ids, (c) => (outsOf.all(c) as [bigint, bigint, bigint | null, bigint][]).map(([id, n, a, v]) => [Number(id), Number(n), a === null ? null : Number(a), v] as const)),
    spent: (ids) => eachChunk(ids, (c) => prevsOf.all(chain, c) as [number, number | null, string | null, number][]),
    spenders: (txids) => eachChunk(txids, (c) => spendersOf.all(c, chain) as [string, number, number][]),
    addresses: (ids) => eachChunk(ids, (c) => addressesOf.all(c) as [number, string][]),
    confirmedCount: () => confirmed.get(chain) as number,
    unconfirmedBefore: (p, id) => before.get({ chain, p, id }) as number,
  };
}
