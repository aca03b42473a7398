import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { type AccountTransaction, CtraceError } from '@cryptotrace/core';
import { MIGRATIONS } from './migrations.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ctrace-store-'));
const provenance = { source: 'test', locator: 'store.test.ts', format: 'model', at: '2026-01-01T00:00:00.000Z' };
const A = '0x00000000000000000000000000000000000000A1';
const B = '0x00000000000000000000000000000000000000b2';
const TOKEN = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

const tx: AccountTransaction = {
  chain: 'ethereum',
  hash: `0x${'11'.repeat(32)}`,
  blockNumber: 100,
  blockHash: `0x${'22'.repeat(32)}`,
  blockTime: 1_700_000_000,
  position: 3,
  nonce: 7,
  from: A,
  to: B,
  value: 1_000_000_000_000_000_000_000_000n, // 10^24 wei: past int64
  fee: 21_000n * 30_000_000_000n,
  status: 'success',
  contractAddress: null,
  internalTransfers: [
    { traceAddress: '0', from: B, to: A, value: 5n, callType: 'call' },
    { traceAddress: '0.10', from: B, to: A, value: 6n, callType: 'call' },
    { traceAddress: '0.2', from: B, to: A, value: 7n, callType: 'delegatecall' },
  ],
  tokenTransfers: [{ token: TOKEN, from: A, to: B, value: 123_456_789n, logIndex: 4 }],
};

describe('SQLite case store', () => {
  it('default: an account transaction round-trips with its internal and token transfers, in order', () => {
    const store = openSqliteStore(join(dir(), 'a.db'), { create: true });
    expect(store.write({ provenance, accountTransactions: [tx], tokens: [{ chain: 'ethereum', address: TOKEN, name: 'Tether <b>USD</b>', symbol: 'USDT', decimals: 6 }] })).toMatchObject({ transactions: 1 });
    expect(store.getTransaction('ethereum', tx.hash)).toEqual(tx);
    expect(store.stats()).toMatchObject({ transactions: 1, internalTransfers: 3, tokenTransfers: 1, chains: ['ethereum'] });
    expect(store.write({ provenance, accountTransactions: [tx] })).toMatchObject({ transactions: 0, duplicates: 1 });
    const history = store.addressHistory('ethereum', A);
    expect(history.map((h) => [h.asset, h.received, h.sent])).toEqual([
      ['native', 0n, tx.value],
      ['native', 5n, 0n],
      ['native', 6n, 0n],
      ['native', 7n, 0n],
      [TOKEN, 0n, 123_456_789n],
    ]);
    expect(store.chainsOfTransaction(tx.hash)).toEqual(['ethereum']);
    expect(store.chainsOfAddress(B)).toEqual(['ethereum']);
    store.close();
  });

  it('behavior: a transaction stored without traces gets its internal transfers when a traced copy arrives', () => {
    const store = openSqliteStore(join(dir(), 't.db'), { create: true });
    store.write({ provenance, accountTransactions: [{ ...tx, internalTransfers: [] }] });
    expect(store.stats().internalTransfers).toBe(0);
    expect(store.write({ provenance, accountTransactions: [tx] })).toMatchObject({ transactions: 0, duplicates: 1 });
    expect(store.getTransaction('ethereum', tx.hash)).toEqual(tx);
    store.write({ provenance, accountTransactions: [tx] });
    expect(store.stats()).toMatchObject({ transactions: 1, internalTransfers: 3, tokenTransfers: 1 });
    store.close();
  });

  it('behavior: a failed batch leaves nothing behind, and the next batch works', () => {
    const store = openSqliteStore(join(dir(), 'b.db'), { create: true });
    const broken = { ...tx, hash: `0x${'33'.repeat(32)}`, from: null as unknown as string };
    expect(() => store.write({ provenance, accountTransactions: [tx, broken] })).toThrow();
    expect(store.stats()).toMatchObject({ transactions: 0, addresses: 0, provenance: 0 });
    store.write({ provenance, accountTransactions: [tx] });
    expect(store.getTransaction('ethereum', tx.hash)).toEqual(tx);
    store.close();
  });

  it('behavior: a store is marked, versioned and migrated forward', () => {
    const path = join(dir(), 'c.db');
    openSqliteStore(path, { create: true }).close();
    const db = new Database(path);
    expect(db.pragma('application_id', { simple: true })).toBe(0x63747263);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('behavior: a read of a store with an older schema migrates it forward first', () => {
    const path = join(dir(), 'old.db');
    openSqliteStore(path, { create: true }).close();
    const d = new Database(path);
    d.exec('DROP TABLE label_names');
    d.pragma(`user_version = ${MIGRATIONS.length - 3}`);
    d.close();
    const store = openSqliteStore(path, { readonly: true });
    expect(store.stats().labels).toBe(0);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(store.db.readonly).toBe(true);
    store.close();
  });

  it('behavior: migration 6 keeps the guard reports, renames the stonewall detector in stored rule sets and takes ambiguous reports', () => {
    const path = join(dir(), 'v5.db');
    openSqliteStore(path, { create: true }).close();
    const d = new Database(path);
    // The schema as migration 5 left it: no nulldata_scripts, cluster_events without the 'ambiguous' kind.
    d.exec(`DROP TABLE nulldata_scripts; DROP TABLE cluster_events;
      CREATE TABLE cluster_events (id INTEGER PRIMARY KEY, chain TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('coinjoin', 'refused-size', 'refused-labels')),
        txid TEXT NOT NULL, rule TEXT NOT NULL, a_id INTEGER, b_id INTEGER, detail TEXT NOT NULL);
      INSERT INTO cluster_events (chain, kind, txid, rule, detail) VALUES ('bitcoin', 'coinjoin', 'aa', 'whirlpool', '{}');
      INSERT INTO cluster_runs (chain, rule_set, built_at, updated_at) VALUES ('bitcoin', '{"coinjoin":["whirlpool","stonewall"]}', 't', 't');`);
    d.pragma('user_version = 5');
    d.close();
    const store = openSqliteStore(path);
    expect(store.db.prepare('SELECT kind, txid, rule FROM cluster_events').all()).toEqual([{ kind: 'coinjoin', txid: 'aa', rule: 'whirlpool' }]);
    expect(store.db.prepare('SELECT rule_set FROM cluster_runs').pluck().get()).toBe('{"coinjoin":["whirlpool","ambiguous-equal-output"]}');
    store.db.prepare("INSERT INTO cluster_events (chain, kind, txid, rule, detail) VALUES ('bitcoin', 'ambiguous', 'bb', 'ambiguous-equal-output', '{}')").run();
    expect(store.db.prepare('SELECT count(*) FROM nulldata_scripts').pluck().get()).toBe(0);
    store.close();
  });

  it.each([
    ['a missing file (read)', (p: string) => p, { readonly: true }, 'STORE_INVALID', /no case store at/],
    ['a text file', (p: string) => (writeFileSync(p, 'not sqlite '.repeat(100)), p), { create: true }, 'STORE_INVALID', /is not a cryptotrace case store/],
    ['another application\'s database', (p: string) => { const d = new Database(p); d.exec('CREATE TABLE t (x)'); d.close(); return p; }, { create: true }, 'STORE_INVALID', /is not a cryptotrace case store/],
    ['a store from a newer cryptotrace', (p: string) => { openSqliteStore(p, { create: true }).close(); const d = new Database(p); d.pragma(`user_version = ${MIGRATIONS.length + 1}`); d.close(); return p; }, {}, 'STORE_TOO_NEW', /written by a newer cryptotrace/],
    ['a directory', (p: string) => dirOf(p), { create: true }, 'STORE_INVALID', /is a directory/],
  ])('error: %s', (_name, make, options, code, message) => {
    const path = make(join(dir(), 'x.db'));
    try {
      openSqliteStore(path, options);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CtraceError);
      expect((err as CtraceError).code).toBe(code);
      expect((err as CtraceError).shortMessage).toMatch(message);
    }
  });
});

function dirOf(p: string): string {
  return join(p, '..');
}

describe('inconsistent UTXO values are refused or corrected, whatever the format', () => {
  const utxo = (txid: string, ins: { prev: string; vout: number; value: bigint | null; address: string | null }[], outs: bigint[]) => ({
    chain: 'bitcoin', txid, block: null, position: null, version: 1, locktime: 0, size: null, vsize: null,
    inputs: ins.map((i, index) => ({ index, prevTxid: i.prev, prevVout: i.vout, sequence: 0xffffffff, coinbase: false, address: i.address, scriptId: null, value: i.value, resolved: i.value !== null })),
    outputs: outs.map((value, index) => ({ index, value, scriptType: 'p2pkh' as const, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', scriptId: null })),
  });
  const P = 'aa'.repeat(32);

  it('error: inputs whose known values sum below the outputs (a negative fee) refuse the batch, and nothing of it is stored', () => {
    const store = openSqliteStore(join(dir(), 'neg.db'), { create: true });
    const bad = utxo('bb'.repeat(32), [{ prev: P, vout: 0, value: 10n, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' }], [11n]);
    expect(() => store.write({ provenance, utxoTransactions: [bad] })).toThrow(/^transaction b{64} spends 10 but pays out 11: its input values do not add up \(a negative fee\); nothing of the batch was stored$/);
    expect(store.stats().transactions).toBe(0);
    store.close();
  });

  it('behavior: a claim stored before its parent is corrected when the parent arrives, in whichever batch', () => {
    const store = openSqliteStore(join(dir(), 'claim.db'), { create: true });
    const child = utxo('cc'.repeat(32), [{ prev: P, vout: 1, value: 10_000_000_000n, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' }], [9_000_000_000n]);
    const parent = utxo(P, [{ prev: 'dd'.repeat(32), vout: 0, value: null, address: null }], [1n, 5_000_000_000n]);
    expect(store.write({ provenance, utxoTransactions: [child] }).correctedInputs).toBeUndefined();
    const r = store.write({ provenance, utxoTransactions: [parent] });
    expect(r.correctedInputs).toEqual([{ txid: child.txid, index: 0, prevTxid: P, prevVout: 1, claimedValue: 10_000_000_000n, actualValue: 5_000_000_000n }]);
    expect(store.getTransaction('bitcoin', child.txid)?.inputs[0]).toMatchObject({ value: 5_000_000_000n, resolved: true });
    // The other way round the claim is refused: the parent is there to say so.
    expect(() => store.write({ provenance, utxoTransactions: [utxo('ee'.repeat(32), [{ prev: P, vout: 0, value: 2n, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' }], [1n])] }))
      .toThrow(/input 0 claims 2 for a{64}:0, which holds 1 in the store; nothing of the batch was stored/);
    store.close();
  });
});
