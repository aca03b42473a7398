import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { accountFlows, detectFanPatterns, propagateAccountTaint } from '@cryptotrace/core';
import { type EvmTxTruth, readAccountTransactions, readNdjson, writeEvmScenario } from '@cryptotrace/fixtures';
import { streamAccountTransactions } from './taint-stream.js';

// The EVM stablecoin-aggregator world (fixtures/TRUTH.md): its truth holds the account-model FIFO dirty amount of
// every transfer (value, internal:<k>, log:<i>) and of every fee. The core, reading the chain back from a real store,
// must agree to the unit.
describe('truth: account-model fifo on the stablecoin-aggregator scenario (1500 transactions)', () => {
  let dir: string;
  let store: SqliteStore;
  let truth: EvmTxTruth[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctrace-evm-truth-'));
    writeEvmScenario('stablecoin-aggregator', { txs: 1500, seed: 'taint-evm' }, { out: dir });
    store = openSqliteStore(join(dir, 'case.db'), { create: true });
    store.write({ provenance: { source: 'generator', locator: dir, format: 'model-ndjson', at: '2026-01-01T00:00:00.000Z' }, accountTransactions: [...readAccountTransactions(dir)] });
    truth = [...readNdjson<EvmTxTruth>(join(dir, 'truth/transactions.ndjson'))];
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('default: every transfer\'s dirty amount and every dirty fee equal the truth exactly', () => {
    const opening = [...readNdjson<{ address: string; asset: string; value: string }>(join(dir, 'truth/alloc.ndjson'))].map((a) => ({ ...a, value: BigInt(a.value) }));
    const transfers = truth.flatMap((t) => (t.sources ?? []).map((ref) => ({ txid: t.txid, ref })));
    expect(transfers.length).toBeGreaterThan(0);
    const run = propagateAccountTaint(streamAccountTransactions(store.db, 'ethereum'), { policy: 'fifo', seeds: { transfers }, opening });
    const ours = new Map(run.outputs.map((o) => [`${o.txid} ${o.ref}`, `${o.asset} ${o.holder} ${o.taint}`]));
    const want = new Map(truth.flatMap((t) => (t.dirty ?? []).map((d) => [`${t.txid} ${d.ref}`, `${d.asset} ${d.to} ${d.amount}`] as const)));
    const diff = [...new Set([...ours.keys(), ...want.keys()])].filter((k) => ours.get(k) !== want.get(k)).slice(0, 5).map((k) => [k, ours.get(k), want.get(k)]);
    expect(diff).toEqual([]);
    expect(ours.size).toBe(want.size);
    const fees = new Map(run.steps.map((s) => [s.txid, s.fee]));
    const dirtyFees = truth.filter((t) => t.dirtyFee && t.dirtyFee !== '0');
    for (const t of dirtyFees) expect(fees.get(t.txid), t.txid).toBe(BigInt(t.dirtyFee!));
    // Each stablecoin is tracked apart from ether: both carry taint here.
    expect(new Set(run.outputs.map((o) => o.asset === 'native' ? 'native' : 'token'))).toEqual(new Set(['native', 'token']));
  });

  test('behavior: on the stablecoin flows the aggregator is found, and only it; sweeps lead to the exchange', () => {
    const owner = new Map([...readNdjson<{ address: string; entity: string }>(join(dir, 'truth/addresses.ndjson'))].map((a) => [a.address, a.entity]));
    const kind = new Map([...readNdjson<{ id: string; kind: string; illicit: boolean }>(join(dir, 'truth/entities.ndjson'))].map((e) => [e.id, `${e.kind}${e.illicit ? '*' : ''}`]));
    const hits = detectFanPatterns((function* () { for (const tx of streamAccountTransactions(store.db, 'ethereum')) yield* accountFlows(tx); })());
    const of = (t: string) => hits.filter((h) => h.typology === t).map((h) => `${kind.get(owner.get(h.holder) ?? '')} ${h.asset === 'native' ? 'native' : 'token'}`);
    expect(of('aggregator')).toEqual(['aggregator* token']);
    // Measured: the exchange's hot wallet, the aggregator's own collection address, and one retail wallet that empties
    // small wallets into itself (a false positive: evidence, not a verdict).
    expect(of('deposit-sweep').sort()).toEqual(['aggregator* token', 'exchange token', 'retail token']);
  });
});
