import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalDump, openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, isCtraceError } from '@cryptotrace/core';
import { bulkLoadState } from './bulk-load.js';

/**
 * A bulk load's writer keeps txids and addresses unique itself, their unique indexes dropped (write.ts, key-ids.ts):
 * the same rows as the case path's writer, whatever the batches repeat, with another writer in between, or after a
 * batch that rolled back; and a duplicate it could not see refuses the load's end in one line.
 */

const provenance = { source: 'test', locator: 'bulk-load.test.ts', format: 'model', at: '2026-01-01T00:00:00.000Z' };
const txid = (n: number) => n.toString(16).padStart(64, '0');

/** Transaction `n`: pays `value` to each of `to`, spending `spends` (txid number, vout), or a coinbase. */
function tx(n: number, to: string[], spends: [number, number][] = [], value = 50n): UtxoTransaction {
  return {
    chain: 'bitcoin',
    txid: txid(n),
    block: null,
    position: null,
    version: 2,
    locktime: 0,
    size: null,
    vsize: null,
    inputs: spends.length === 0
      ? [{ index: 0, prevTxid: '0'.repeat(64), prevVout: 0xffffffff, sequence: 0, coinbase: true, address: null, scriptId: null, value: null, resolved: false }]
      : spends.map(([p, v], index) => ({ index, prevTxid: txid(p), prevVout: v, sequence: 0, coinbase: false, address: null, scriptId: null, value: null, resolved: false })),
    outputs: to.map((address, index) => ({ index, value, scriptType: 'p2wpkh', address, scriptId: null })),
  };
}

const store = (name: string) => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-bulk-writer-')), name), { create: true });
const write = (s: SqliteStore, txs: UtxoTransaction[]) => s.write({ provenance, utxoTransactions: txs });
const dump = (s: SqliteStore) => [...canonicalDump(s.db)].join('\n');
const ids = (s: SqliteStore, table: 'txs' | 'addresses') => s.db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all();

const batches: UtxoTransaction[][] = [
  [tx(1, ['a', 'b']), tx(2, ['a']), tx(1, ['a', 'b']), tx(3, ['c', 'a'], [[1, 0], [2, 0]], 40n)],
  [tx(2, ['a']), tx(4, ['b', 'd'], [[3, 1]], 20n), tx(5, ['e'], [[1, 1]])],
];

describe('bulk load writer', () => {
  it('default: repeated transactions and addresses are stored once, the same store as the case path gives', () => {
    const bulk = store('bulk.db');
    const plain = store('case.db');
    bulk.beginBulkLoad!();
    expect(bulk.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name IN ('txs_txid_chain', 'addresses_address_chain')").pluck().get()).toBe(0);
    const counts = batches.map((b) => [write(bulk, b), write(plain, b)]);
    for (const [a, b] of counts) expect(a).toEqual(b);
    expect(counts.map(([a]) => [a.transactions, a.duplicates])).toEqual([[3, 1], [2, 1]]);
    expect(bulk.finishBulkLoad!()).toEqual({ resolvedInputs: 0, indexes: 7 });
    expect(dump(bulk)).toBe(dump(plain));
    expect(ids(bulk, 'txs')).toEqual(ids(plain, 'txs'));
    expect(ids(bulk, 'addresses')).toEqual([1, 2, 3, 4, 5]);
    expect(bulk.stats()).toMatchObject({ transactions: 5, unresolvedInputs: 0 });
    bulk.close();
    plain.close();
  });

  it('behavior: a second writer into the same load sees what the first stored, and the first sees its rows', () => {
    const first = store('shared.db');
    first.beginBulkLoad!();
    const second = openSqliteStore(first.path, { bulkLoad: true });
    expect(write(first, [tx(1, ['a', 'b'])])).toMatchObject({ transactions: 1, duplicates: 0 });
    expect(write(second, [tx(1, ['a', 'b']), tx(2, ['b', 'c'], [[1, 0]], 20n)])).toMatchObject({ transactions: 1, duplicates: 1, resolvedInputs: 1 });
    expect(write(first, [tx(2, ['b', 'c'], [[1, 0]], 20n), tx(3, ['c'], [[2, 1]], 20n)])).toMatchObject({ transactions: 1, duplicates: 1, resolvedInputs: 1 });
    second.close();
    expect(first.finishBulkLoad!().indexes).toBe(7);
    expect(ids(first, 'txs')).toEqual([1, 2, 3]);
    expect(first.db.prepare('SELECT address FROM addresses ORDER BY id').pluck().all()).toEqual(['a', 'b', 'c']);
    first.close();
  });

  it('behavior: after a batch that rolled back, the next one gives its ids again and stores its rows once', () => {
    const s = store('rollback.db');
    s.beginBulkLoad!();
    write(s, [tx(1, ['a'])]);
    // Transaction 3 pays out more than the 50 it spends: the batch is refused, transaction 2 and address b with it.
    expect(() => write(s, [tx(2, ['b']), tx(3, ['c'], [[1, 0]], 60n)])).toThrow(/negative fee/);
    expect(write(s, [tx(2, ['b']), tx(2, ['b'])])).toMatchObject({ transactions: 1, duplicates: 1 });
    s.finishBulkLoad!();
    expect(ids(s, 'txs')).toEqual([1, 2]);
    expect(s.db.prepare('SELECT address FROM addresses ORDER BY id').pluck().all()).toEqual(['a', 'b']);
    s.close();
  });

  it('error: a duplicate written past the writer refuses the end of the load in one line, and the load stays under way', () => {
    const s = store('duplicate.db');
    s.beginBulkLoad!();
    write(s, [tx(1, ['a']), tx(2, ['b'])]);
    s.db.prepare("INSERT INTO txs (chain, txid, version, locktime, provenance_id) VALUES ('bitcoin', ?, 1, 0, 1)").run(txid(2));
    let err: unknown;
    try {
      s.finishBulkLoad!();
    } catch (e) {
      err = e;
    }
    expect(isCtraceError(err, 'STORE_INVALID')).toBe(true);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/stored a row twice, so its unique index txs_txid_chain cannot be built .*txs\.txid, txs\.chain/);
    expect(bulkLoadState(s.db)).not.toBeNull();
    expect(s.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('txs', 'addresses')").pluck().get()).toBe(0);
    s.close();
  });
});
