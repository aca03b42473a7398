import { describe, expect, it } from 'vitest';
import { HASH, addId, createIdTable, findId, hashKey } from './id-table.js';

const yes = () => true;

describe('id table', () => {
  it('default: every id added is found under its hash, across the table growing many times', () => {
    const t = createIdTable();
    const keys = Array.from({ length: 50_000 }, (_, k) => `key-${k}`);
    for (const [k, key] of keys.entries()) {
      hashKey(key);
      addId(t, HASH.hi, HASH.lo, k + 1);
    }
    expect(t.size).toBe(keys.length);
    expect(t.slots.length / 2).toBeGreaterThan(keys.length);
    const byId = (id: number, key: string) => keys[id - 1] === key;
    for (const [k, key] of keys.entries()) {
      hashKey(key);
      expect(findId(t, HASH.hi, HASH.lo, byId, key, null)).toBe(k + 1);
    }
    hashKey('key-50000');
    expect(findId(t, HASH.hi, HASH.lo, byId, 'key-50000', null)).toBe(0);
  });

  it('behavior: ids that share a hash are told apart by the check, whichever was added first', () => {
    const t = createIdTable();
    for (const id of [7, 8, 9]) addId(t, 1, 2, id);
    addId(t, 3, 2, 10);
    const is = (id: number, want: number) => id === want;
    expect([7, 8, 9, 10].map((w) => findId(t, 1, 2, is, w, null))).toEqual([7, 8, 9, 0]);
    expect(findId(t, 3, 2, is, 10, null)).toBe(10);
    expect(findId(t, 1, 2, yes, null, null)).toBe(7);
    expect(findId(t, 5, 6, yes, null, null)).toBe(0);
  });

  it('error: an id the table cannot hold is refused, not stored truncated', () => {
    const t = createIdTable();
    expect(() => addId(t, 1, 1, 2 ** 32)).toThrow(/outside what a bulk load's id table holds/);
    expect(() => addId(t, 1, 1, 0)).toThrow(/outside/);
    expect(t.size).toBe(0);
  });

  it('default: the hash depends on every character', () => {
    const txid = 'ab'.repeat(32);
    const hashes = new Set<string>();
    for (let k = 0; k < txid.length; k++) {
      hashKey(`${txid.slice(0, k)}c${txid.slice(k + 1)}`);
      hashes.add(`${HASH.hi}:${HASH.lo}`);
    }
    hashKey(txid);
    hashes.add(`${HASH.hi}:${HASH.lo}`);
    expect(hashes.size).toBe(txid.length + 1);
  });
});
