import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_FEATURES, type AccountTransaction, type Label } from '@cryptotrace/core';
import { rebuildClusters } from '../store/sqlite/clusters-run.js';
import { writeLabels } from '../store/sqlite/labels.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/store.js';
import { accountWalletFeatures } from './account-wallet-features.js';

const provenance = { source: 'test', locator: 'account-wallet-features.test.ts', format: 'model', at: '2026-01-01T00:00:00.000Z' };
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const [A, B, S, T, R, D] = [1, 2, 3, 4, 5, 6].map((n) => addr(0xa0 + n));
const ZERO = addr(0);
let k = 0;
const tx = (blockNumber: number, from: string, to: string | null, more: Partial<AccountTransaction> = {}): AccountTransaction => ({
  chain: 'ethereum', hash: `0x${(++k).toString(16).padStart(64, '0')}`, blockNumber, blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}`, blockTime: 1_700_000_000 + blockNumber * 12,
  position: k, nonce: 0, from, to, value: 0n, fee: 21_000n * 10n ** 9n, status: 'success', contractAddress: null, internalTransfers: [], tokenTransfers: [], ...more,
});
/**
 * D creates the token T and mints to A; A pays B in the coin and approves T; the account S pulls A's tokens
 * (transferFrom through T); B calls the contract R, which pays A internally.
 */
const TXS = [
  tx(1, D, null, { contractAddress: T, tokenTransfers: [{ token: T, from: ZERO, to: A, value: 10n ** 9n, logIndex: 0 }] }),
  tx(2, A, B, { value: 10n ** 18n }),
  tx(2, A, T),
  tx(3, S, T, { tokenTransfers: [{ token: T, from: A, to: S, value: 10n ** 8n, logIndex: 0 }] }),
  tx(5, B, R, { value: 10n ** 17n, internalTransfers: [{ traceAddress: '0', from: R, to: A, value: 5n * 10n ** 16n, callType: 'call' }] }),
];
const label = (address: string, category: string): Label => ({ chain: 'ethereum', address, category, actor: 'test-actor', source: 'test', confidence: 90, validFrom: null, name: null });

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-account-features-'));
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
  store.write({ provenance, accountTransactions: TXS });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
const featuresOf = (wallet: string) => {
  const row = accountWalletFeatures(store, 'ethereum').find((r) => r.wallet === wallet)!;
  return Object.fromEntries(ACCOUNT_FEATURES.map((f, i) => [f.name, row.features[i]]));
};

describe('accountWalletFeatures', () => {
  it('default: activity, flows, the approval and its use, contract calls and counterparties of each address', () => {
    writeLabels(store.db, [label(R, 'scam'), label(S, 'exchange')], '2026-01-01T00:00:00.000Z');
    const a = featuresOf(A);
    expect(a).toMatchObject({
      txs: Math.log10(6), lifetime: 4, 'same-block': 0.2, addresses: Math.log10(2), 'sent-txs': 0.4, approvals: Math.log10(2), 'pulled-out': 1, 'contract-calls': 0.5,
      'native-received': Math.log10(5e16 + 1), 'internal-received': 1, 'round-native': 0, 'token-received': Math.log10(1e9 + 1), 'round-token': 1, 'distinct-tokens': 1,
      payers: Math.log10(2), payees: Math.log10(3), 'fan-in': 1 / 3, 'via-exchange': 0.25, 'exposure-direct': 1, 'exposure-hops': 1, 'exposure-to-service': 1,
    });
    expect(featuresOf(S)).toMatchObject({ pulls: 1, 'sent-txs': 1, 'contract-calls': 1, 'pulled-out': 0, 'exposure-direct': 0 });
    expect(featuresOf(B)).toMatchObject({ 'contract-calls': 1, 'native-turnover': 0.1, 'round-native': 1, 'exposure-hops': 0.5 });
    // Hops follow the payment graph, not time: R paid A after A paid B, yet B is 2 hops from R.
    expect(featuresOf(D)).toMatchObject({ creations: 1, 'contract-calls': 1 });
    // The features are the same whatever the order of the labels and the number of reads.
    expect(accountWalletFeatures(store, 'ethereum')).toEqual(accountWalletFeatures(store, 'ethereum'));
  });

  it('behavior: the time profile from block times (UTC): hour and weekday concentration, weekend share', () => {
    // X: Saturday 2024-01-06 00:00 and 06:00 and Monday 2024-01-08 00:00 (1,704,499,200 s is that Saturday's midnight).
    const [X, Y, Z] = [1, 2, 3].map((n) => addr(0xb0 + n));
    const sat = 1_704_499_200;
    store.write({ provenance, accountTransactions: [
      tx(10, X, Y, { value: 1n, blockTime: sat }), tx(11, X, B, { value: 1n, blockTime: sat + 6 * 3600 }), tx(12, X, B, { value: 1n, blockTime: sat + 2 * 86_400 }),
      tx(13, Z, B, { value: 1n, blockTime: 0 }),
    ] });
    // Hours at angles 0, π/2, 0: the mean vector (2, 1) / 3. Days: two Saturdays and a Monday, 2 days (4π/7) apart:
    // |2u + v| = √(4 + 1 + 4 cos 4π/7).
    const x = featuresOf(X);
    expect(x['hour-concentration']).toBeCloseTo(Math.sqrt(5) / 3, 12);
    expect(x['weekday-concentration']).toBeCloseTo(Math.sqrt(5 + 4 * Math.cos((4 * Math.PI) / 7)) / 3, 12);
    expect(x['weekend-share']).toBeCloseTo(2 / 3, 12);
    // One transaction, on the Saturday: all in one hour and one day.
    expect(featuresOf(Y)).toMatchObject({ 'hour-concentration': 1, 'weekday-concentration': 1, 'weekend-share': 1 });
    // No block time: no profile.
    expect(featuresOf(Z)).toMatchObject({ 'hour-concentration': 0, 'weekday-concentration': 0, 'weekend-share': 0 });
    // The generated transactions of 2023-11-14 (a Tuesday), 12 s apart: all within a few minutes.
    expect(featuresOf(A)['weekend-share']).toBe(0);
    expect(featuresOf(A)['hour-concentration']).toBeGreaterThan(0.99);
  });

  it('behavior: a stored account cluster is one wallet: the self-approval pair A-S, whose pull is then inside it', () => {
    rebuildClusters(store, 'ethereum', undefined, { at: '2026-01-01T00:00:00.000Z' });
    const rows = accountWalletFeatures(store, 'ethereum');
    expect(rows.find((r) => r.wallet === A)!.addresses).toEqual([A, S]);
    expect(rows.some((r) => r.wallet === S)).toBe(false);
    expect(featuresOf(A)).toMatchObject({ addresses: Math.log10(3), 'pulled-out': 0, 'sent-txs': 3 / 5, payees: Math.log10(2) });
  });
});
