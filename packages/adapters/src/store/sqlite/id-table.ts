import { CtraceError } from '@cryptotrace/core';

/**
 * Row ids by a 64-bit hash of their key, in one typed array (open addressing, linear probing): what a bulk load's
 * writer knows of the transactions and addresses stored, while their unique indexes are dropped (bulk-load.ts). 8
 * bytes a slot (a 32-bit tag folded from the 64-bit hash, which also places it, and the id), so that 10^7 keys take
 * 130 to 270 MB where a Map of their strings would take over a gigabyte (12-byte slots with both halves took a third
 * more). Two keys may share a tag: a caller checks each id found against the row itself (`matches`); a key not found
 * is not stored. Ids are positive and below 2^32 (SQLite's rowids of these tables count up from 1).
 */
export interface IdTable {
  /** [tag, id] per slot; id 0: empty. */
  slots: Uint32Array;
  size: number;
}

/** The 32-bit tag of a hash: both halves folded, so that keys sharing one half are still told apart. */
const tagOf = (hi: number, lo: number) => (hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0;

const INITIAL_SLOTS = 1 << 12;

export function createIdTable(): IdTable {
  return { slots: new Uint32Array(INITIAL_SLOTS * 2), size: 0 };
}

/** The id stored under the hash (`hi`, `lo`) for which `matches(id, a, b)` holds, or 0. */
export function findId<A, B>(t: IdTable, hi: number, lo: number, matches: (id: number, a: A, b: B) => boolean, a: A, b: B): number {
  const { slots } = t;
  const mask = slots.length / 2 - 1;
  const tag = tagOf(hi, lo);
  for (let k = tag & mask; ; k = (k + 1) & mask) {
    const id = slots[k * 2 + 1];
    if (id === 0) return 0;
    if (slots[k * 2] === tag && matches(id, a, b)) return id;
  }
}

/** Store `id` under the hash (`hi`, `lo`); the caller has found no id for its key. */
export function addId(t: IdTable, hi: number, lo: number, id: number): void {
  if (!Number.isInteger(id) || id <= 0 || id > 0xffffffff) throw new CtraceError('INTERNAL', `row id ${id} is outside what a bulk load's id table holds (1 to 2^32 - 1)`);
  // At most 60 % full, so that a key not stored (most lookups of a load) ends its probe within a few slots.
  if ((t.size + 1) * 5 > (t.slots.length / 2) * 3) grow(t);
  place(t.slots, tagOf(hi, lo), id);
  t.size++;
}

function place(slots: Uint32Array, tag: number, id: number): void {
  const mask = slots.length / 2 - 1;
  let k = tag & mask;
  while (slots[k * 2 + 1] !== 0) k = (k + 1) & mask;
  slots[k * 2] = tag;
  slots[k * 2 + 1] = id;
}

function grow(t: IdTable): void {
  const old = t.slots;
  t.slots = new Uint32Array(old.length * 2);
  for (let k = 0; k < old.length; k += 2) if (old[k + 1] !== 0) place(t.slots, old[k], old[k + 1]);
}

/** The last hash {@link hashKey} made (two numbers kept, so that hashing allocates nothing). */
export const HASH = { hi: 0, lo: 0 };

/**
 * A 64-bit hash of a string as two 32-bit halves, left in {@link HASH}: two FNV-1a passes with different
 * multipliers, mixed at the end. A txid's hex is hashed like any other key (it is random already, but a key of
 * another chain need not be hex).
 */
export function hashKey(key: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a ^= b >>> 15;
  b ^= Math.imul(a, 0x85ebca6b) >>> 13;
  HASH.hi = a >>> 0;
  HASH.lo = b >>> 0;
}
