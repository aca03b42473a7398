import type { Statement } from 'better-sqlite3';
import { HASH, type IdTable, addId, createIdTable, findId, hashKey } from './id-table.js';
import type { Db } from './open.js';

/**
 * The ids of a table's rows by chain and key (txs by txid, addresses by address), held by a bulk load's writer while
 * the table's unique index is dropped: filled from the store when the writer starts (a load resumed after a crash
 * knows what the runs before stored), each row the writer adds added, and a match checked against the row itself.
 */
export interface KeyIds {
  byChain: Map<string, IdTable>;
  /** Whether the row of an id has this chain and key. */
  isRow: Statement;
}

export type KeyedTable = 'txs' | 'addresses';

const KEY_COLUMN: Record<KeyedTable, string> = { txs: 'txid', addresses: 'address' };

export function loadKeyIds(db: Db, table: KeyedTable): KeyIds {
  const column = KEY_COLUMN[table];
  const k: KeyIds = { byChain: new Map(), isRow: db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND chain = ? AND ${column} = ?`).pluck() };
  for (const [id, chain, key] of db.prepare(`SELECT id, chain, ${column} FROM ${table}`).raw().iterate() as IterableIterator<[number, string, string]>) {
    addKeyId(k, chain, key, id);
  }
  return k;
}

/**
 * The id of the row of `chain` and `key`, or 0 when there is none. `isRow` tells whether the row of an id found
 * under the key's hash is that row (the writer's: a row it has not inserted yet is not in the store).
 */
export function findKeyId(k: KeyIds, chain: string, key: string, isRow: (id: number, chain: string, key: string) => boolean): number {
  const t = k.byChain.get(chain);
  if (t === undefined) return 0;
  hashKey(key);
  return findId(t, HASH.hi, HASH.lo, isRow, chain, key);
}

/** Whether the stored row of `id` has this chain and key. */
export function isStoredRow(k: KeyIds, id: number, chain: string, key: string): boolean {
  return k.isRow.get(id, chain, key) !== undefined;
}

/** Record the id of a row just written; the caller found none for its chain and key. */
export function addKeyId(k: KeyIds, chain: string, key: string, id: number): void {
  let t = k.byChain.get(chain);
  if (t === undefined) {
    t = createIdTable();
    k.byChain.set(chain, t);
  }
  hashKey(key);
  addId(t, HASH.hi, HASH.lo, id);
}
