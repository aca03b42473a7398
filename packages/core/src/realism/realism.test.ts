import { describe, expect, test } from 'vitest';
import { makeTx } from '../heuristics/cluster/test-tx.js';
import { compareRealism, totalVariation } from './compare.js';
import { REALISM_STATISTICS, realismTally } from './statistics.js';

describe('realism statistics', () => {
  test('default: total variation is half the L1 distance of the shares', () => {
    expect(totalVariation(new Map([['a', 1]]), new Map([['a', 5]]))).toBe(0);
    expect(totalVariation(new Map([['a', 1]]), new Map([['b', 1]]))).toBe(1_000_000);
    // {a: .75, b: .25} vs {a: .25, b: .5, c: .25}: (.5 + .25 + .25) / 2
    expect(totalVariation(new Map([['a', 3], ['b', 1]]), new Map([['a', 1], ['b', 2], ['c', 1]]))).toBe(500_000);
  });

  test('default: a tally counts each transaction, its inputs and outputs in the named buckets; coinbases are left out', () => {
    const t = realismTally();
    t.add(makeTx({ coinbase: true, outs: [['m', 5e9]] }));
    t.add(makeTx({ ins: [['a', 300_000]], outs: [['b', 200_000], ['c', 98_765]] }));
    t.add(makeTx({ ins: [['b', 200_000], ['d', 50_000]], outs: [['b', 249_000]] }));
    expect(t.transactions).toBe(2);
    const c = t.counts();
    expect(Object.fromEntries(c['inputs-per-tx'])).toEqual({ 1: 1, 2: 1 });
    expect(Object.fromEntries(c['two-output-txs'])).toEqual({ yes: 1, no: 1 });
    expect(Object.fromEntries(c['round-outputs'])).toEqual({ '1e5': 1, none: 1, '1e3': 1 });
    expect(Object.fromEntries(c['output-values'])).toEqual({ '1e5': 2, '1e4': 1 });
    // b is paid again within the same block (test transactions share one).
    expect(Object.fromEntries(c['address-reuse'])).toEqual({ no: 2, yes: 1 });
  });

  test('behavior: the comparison lists every statistic, in a fixed order, with byte-identical output for the same input', () => {
    const tally = () => {
      const t = realismTally();
      t.add(makeTx({ ins: [['a', 300_000]], outs: [['b', 200_000], ['c', 98_765]] }));
      return t.counts();
    };
    const a = JSON.stringify(compareRealism(tally(), tally()));
    expect(JSON.stringify(compareRealism(tally(), tally()))).toBe(a);
    const rows = compareRealism(tally(), tally());
    expect(rows.map((r) => r.name)).toEqual([...REALISM_STATISTICS]);
    expect(rows.every((r) => r.distance === '0.0000')).toBe(true);
    expect(rows.find((r) => r.name === 'version')!.buckets.map((b) => b.bucket)).toEqual(['1', '2', 'other']);
  });
});
