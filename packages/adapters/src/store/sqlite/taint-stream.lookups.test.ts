import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { propagateUtxoTaint, summarizeTaint, type UtxoTransaction } from '@cryptotrace/core';
import { taintLookups, utxoCaseSource } from './taint-stream.js';

const A = '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA';
const B = '1MQBDeRWsiJBf7K1VGjJ7PWEL6GJXMfmLg';
const C = '1D1ej7zQzywWBDNXKNYpmH7Hso2U9koDG4';
const h = (n: number) => n.toString(16).padStart(64, '0');
const tx = (txid: string, height: number, ins: [string, number, string, bigint][], outs: [string, bigint][]): UtxoTransaction => ({
  chain: 'bitcoin', txid, block: null, position: null, version: 1, locktime: 0, size: null, vsize: null,
  inputs: ins.length
    ? ins.map(([prevTxid, prevVout, address, value], index) => ({ index, prevTxid, prevVout, sequence: 0, coinbase: false, address, scriptId: null, value, resolved: true }))
    : [{ index: 0, prevTxid: '0'.repeat(64), prevVout: 0xffffffff, sequence: 0, coinbase: true, address: null, scriptId: null, value: null, resolved: true }],
  outputs: outs.map(([address, value], index) => ({ index, value, scriptType: 'p2pkh', address, scriptId: null })),
});

describe('store look-ups for the taint summary', () => {
  test('default: totals received come from the store; persisted clusters (cluster_members) group addresses', () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-lookups-')), 'case.db'), { create: true });
    store.write({
      provenance: { source: 'file', locator: 'test', format: 'model', at: '2026-01-01T00:00:00.000Z' },
      utxoTransactions: [tx(h(1), 1, [], [[A, 10n]]), tx(h(2), 2, [[h(1), 0, A, 10n]], [[B, 7n], [C, 3n]]), tx(h(3), 3, [], [[C, 5n]])],
    });
    // What the clustering run persists: members of a cluster of two or more, keyed by the root address's id.
    const id = (a: string) => store.db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck().get('bitcoin', a) as number;
    store.db.prepare('INSERT INTO cluster_members (address_id, cluster_id) VALUES (?, ?), (?, ?)').run(id(B), id(B), id(C), id(B));
    const look = taintLookups(store.db, 'bitcoin');
    expect([look.receivedOf(A), look.receivedOf(B), look.receivedOf(C), look.receivedOf('nope')]).toEqual([10n, 7n, 8n, null]);
    expect([look.clusterOf(B), look.clusterOf(C), look.clusterOf(A)]).toEqual([`cluster:${B}`, `cluster:${B}`, null]);
    const run = propagateUtxoTaint(utxoCaseSource(store.db, 'bitcoin'), { policy: 'fifo', seeds: { addresses: [A] } });
    const s = summarizeTaint(run, look);
    expect(s.addresses.map((a) => [a.holder, a.taint, a.received, a.share, a.cluster])).toEqual([[B, 7n, 7n, '1.000000', `cluster:${B}`], [C, 3n, 8n, '0.375000', `cluster:${B}`]]);
    expect(s.clusters.map((c) => [c.holder, c.taint, c.received, c.share])).toEqual([[`cluster:${B}`, 10n, 15n, '0.666666']]);
    // Read many at once (what the summary asks first): the same answers, 'nope' (not in the store) included.
    const many = taintLookups(store.db, 'bitcoin');
    many.prefetch([A, B, C, 'nope', B]);
    expect([many.receivedOf(A), many.receivedOf(B), many.receivedOf(C), many.receivedOf('nope')]).toEqual([10n, 7n, 8n, null]);
    expect([many.clusterOf(B), many.clusterOf(C), many.clusterOf(A), many.clusterOf('nope')]).toEqual([`cluster:${B}`, `cluster:${B}`, null, null]);
    store.close();
  });
});
