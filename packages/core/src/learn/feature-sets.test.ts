import { describe, expect, it } from 'vitest';
import { ACCOUNT_FEATURES, WALLET_FEATURES, featureNamesOf, featureSpecs, loadWalletModel, trainWalletModel } from '@cryptotrace/core';

/** 40 wallets of the account feature set: the illicit ones (every 5th) have a high `pulled-out`. */
function rows(): { X: number[][]; y: number[] } {
  const k = ACCOUNT_FEATURES.findIndex((f) => f.name === 'pulled-out');
  const X = Array.from({ length: 40 }, (_, i) => ACCOUNT_FEATURES.map((_, j) => (j === k ? (i % 5 === 0 ? 1 : 0) : ((i * 7 + j * 3) % 11) / 11)));
  return { X, y: X.map((_, i) => (i % 5 === 0 ? 1 : 0)) };
}

describe('feature sets', () => {
  it('default: one documented set per chain kind, names unique, the label-read ones marked', () => {
    for (const kind of ['utxo', 'account'] as const) {
      const specs = featureSpecs(kind);
      expect(new Set(specs.map((f) => f.name)).size).toBe(specs.length);
      for (const f of specs) expect([f.definition.length > 10, f.unit.length > 0]).toEqual([true, true]);
      expect(featureNamesOf(kind, true)).toEqual(specs.map((f) => f.name));
      expect(featureNamesOf(kind, false)).not.toContain('exposure-direct');
    }
    expect(featureSpecs('utxo')).toBe(WALLET_FEATURES);
    expect(featureNamesOf('account', true).filter((n) => !featureNamesOf('account', false).includes(n))).toEqual(['via-exchange', 'exposure-direct', 'exposure-hops', 'exposure-to-service']);
  });

  it('behavior: an account model names its kind and set, reads rows of ACCOUNT_FEATURES, and is refused as a utxo one', () => {
    const { X, y } = rows();
    const m = trainWalletModel(X, y, { kind: 'logistic', labels: 'without', seed: 1, chainKind: 'account' }, []);
    expect(m).toMatchObject({ chainKind: 'account', featureSet: 'account-wallet' });
    const p = loadWalletModel(m).predict(X);
    expect(Math.min(...p.filter((_, i) => y[i] === 1))).toBeGreaterThan(Math.max(...p.filter((_, i) => y[i] === 0)));
    expect(() => loadWalletModel({ ...m, chainKind: 'utxo', featureSet: 'utxo-wallet' }, 'm.json')).toThrow(/m\.json reads features this cryptotrace does not compute \(same-block, sent-txs/);
    expect(() => loadWalletModel({ ...m, chainKind: undefined }, 'm.json')).toThrow(/m\.json names no chain kind/);
  });
});
