import { describe, expect, test } from 'vitest';
import { makeTx } from '../heuristics/cluster/test-tx.js';
import { clusterTransactions } from './cluster-transactions.js';
import { shortestEvidencePath } from './evidence-path.js';
import { createGuardedUnion, guardedUnion, ownersByRoot } from './guards.js';
import { parseRuleSet } from './rule-set.js';
import { createUnionFind, find, setSize, union } from './union-find.js';
import type { Evidence } from '../heuristics/cluster/evidence.js';

const ev = (txid: string): Evidence => ({ rule: 'multi-input', version: 1, chain: 'bitcoin', txid, outputIndex: null, logIndex: null, blockHeight: 1, confidence: 1, params: {} });

describe('union-find', () => {
  test('default: unions, sizes and growth past the initial capacity', () => {
    const uf = createUnionFind(4);
    expect(union(uf, 1, 2)).toBeGreaterThanOrEqual(0);
    expect(union(uf, 2, 1)).toBe(-1);
    union(uf, 3, 5000);
    union(uf, 1, 5000);
    expect(find(uf, 2)).toBe(find(uf, 3));
    expect(setSize(uf, 5000)).toBe(4);
    expect(find(uf, 7)).toBe(7);
  });
});

describe('collapse guard', () => {
  test('behavior: refuses merging two clusters both larger than S', () => {
    const uf = createUnionFind();
    const g = createGuardedUnion(uf, { maxMergeSize: 2, labelGuard: true, labelConfidence: 80, coinjoinGuard: true });
    for (const [a, b] of [[1, 2], [2, 3], [10, 11], [11, 12]]) expect(guardedUnion(g, a, b, ev('x'))).toHaveProperty('root');
    const r = guardedUnion(g, 1, 10, ev('bad'));
    expect(r).toMatchObject({ reason: 'size', sizeA: 3, sizeB: 3 });
    expect(guardedUnion(g, 1, 20, ev('ok'))).toHaveProperty('root');
  });
  test('behavior: refuses merging clusters with different owner labels, allows one label', () => {
    const uf = createUnionFind();
    const g = createGuardedUnion(uf, undefined, new Map([[1, 'Binance'], [5, 'Kraken']]));
    expect(guardedUnion(g, 1, 2, ev('a'))).toHaveProperty('root');
    expect(guardedUnion(g, 2, 5, ev('b'))).toMatchObject({ reason: 'labels', ownerA: 'Binance', ownerB: 'Kraken' });
    expect(guardedUnion(g, 5, 6, ev('c'))).toHaveProperty('root');
    expect(guardedUnion(g, 6, 1, ev('d'))).toMatchObject({ reason: 'labels' });
  });
  test('behavior: owner labels are keyed by their cluster\'s root; in a cluster holding several, the root\'s own, else the smallest id\'s', () => {
    // A stored cluster {1, 2, 3} rooted at 1 and {7, 8, 9} rooted at 7, as an update loads them.
    const uf = createUnionFind();
    for (const [a, b] of [[1, 2], [1, 3], [7, 8], [7, 9]]) union(uf, a, b);
    expect(find(uf, 3)).toBe(1);
    expect(find(uf, 9)).toBe(7);
    const want = new Map([[1, 'Binance'], [7, 'Kraken'], [20, 'Bitstamp']]);
    // In any order of the labels: the root's own label stands over its members' (1), the smallest member's otherwise (8 over 9).
    const labels: [number, string][] = [[3, 'Huobi'], [1, 'Binance'], [9, 'OKX'], [8, 'Kraken'], [20, 'Bitstamp']];
    for (const order of [labels, [...labels].reverse()]) expect([...ownersByRoot(uf, new Map(order))].sort((x, y) => x[0] - y[0])).toEqual([...want]);
    // The guard reads them so: a labelled member that is not its root still refuses a merge with another owner.
    const g = createGuardedUnion(uf, undefined, new Map([[3, 'Binance'], [9, 'Kraken']]));
    expect(guardedUnion(g, 2, 8, ev('e'))).toMatchObject({ reason: 'labels', ownerA: 'Binance', ownerB: 'Kraken' });
  });
});

describe('shortestEvidencePath', () => {
  const edges = [
    { from: 'a', to: 'b', evidence: ev('t1') },
    { from: 'c', to: 'b', evidence: ev('t2') },
    { from: 'c', to: 'd', evidence: ev('t3') },
    { from: 'a', to: 'd', evidence: ev('t4') },
  ];
  test('default: the shortest chain, oriented from a to b', () => {
    expect(shortestEvidencePath(edges, 'a', 'c')!.map((e) => [e.from, e.to, e.evidence.txid])).toEqual([['a', 'b', 't1'], ['b', 'c', 't2']]);
    expect(shortestEvidencePath(edges, 'b', 'd')!.length).toBe(2);
  });
  test('behavior: null when not linked, [] for the same holder', () => {
    expect(shortestEvidencePath(edges, 'a', 'zz')).toBeNull();
    expect(shortestEvidencePath(edges, 'a', 'a')).toEqual([]);
  });
});

describe('parseRuleSet', () => {
  test('default: multi-input and the certain rules; change off', () => {
    expect(parseRuleSet(undefined).rules).toEqual(['multi-input', 'pubkey-reuse', 'deposit-address', 'airdrop-multi', 'self-approval']);
  });
  test('args: change rule ids switch change on and pick its voters', () => {
    const s = parseRuleSet('multi-input,fresh-address,round-value');
    expect(s.rules).toEqual(['multi-input', 'change']);
    expect(s.change.rules).toEqual(['fresh-address', 'round-value']);
  });
  test('error: an unknown rule', () => {
    expect(() => parseRuleSet('multi-input,nope')).toThrowErrorMatchingInlineSnapshot(`[CtraceError: unknown rule "nope" in --rules: use multi-input, change, peel-chain, pubkey-reuse, deposit-address, airdrop-multi, self-approval, address-reuse, optimal-change, address-type, fresh-address, round-value, locktime-fingerprint, version-fingerprint, rbf-fingerprint, segwit-fingerprint, multisig-fingerprint, wasabi-1, wasabi-2, whirlpool, whirlpool-tx0, joinmarket, coinjoin-generic, ambiguous-equal-output]`);
  });
});

describe('clusterTransactions', () => {
  test('default: multi-input unions with evidence; CoinJoin guard reported', () => {
    const t1 = makeTx({ ins: [['a', 5], ['b', 6]], outs: [['p', 10]] });
    const t2 = makeTx({ ins: [['b', 5], ['c', 6]], outs: [['q', 10]] });
    const cj = makeTx({ ins: [['c', 2e6], ['x', 2e6], ['y', 2e6]], outs: [['o1', 1e6], ['o2', 1e6], ['o3', 1e6], ['r', 5], ['s', 6]] });
    const r = clusterTransactions([t1, t2, cj]);
    expect(r.clusterOf.get('a')).toBe(r.clusterOf.get('c'));
    expect(r.clusterOf.get('x')).not.toBe(r.clusterOf.get('c'));
    expect(r.links.map((l) => [l.from, l.to, l.evidence.txid])).toEqual([['a', 'b', t1.txid], ['b', 'c', t2.txid]]);
    expect(r.coinjoins.map((e) => [e.rule, e.txid])).toEqual([['joinmarket', cj.txid]]);
  });
  test('args: owners feed the label guard, and refusals name holders', () => {
    const t1 = makeTx({ ins: [['a', 5], ['b', 6]], outs: [['p', 10]] });
    const r = clusterTransactions([t1], [], { owners: new Map([['a', 'X'], ['b', 'Y']]) });
    expect(r.refusals.map((x) => [x.reason, x.a, x.b])).toEqual([['labels', 'a', 'b']]);
    expect(r.clusterOf.get('a')).not.toBe(r.clusterOf.get('b'));
  });
});

describe('accuracy', () => {
  test('default: pair precision, recall and the largest false merge', async () => {
    const { pairAccuracy, changeAccuracy } = await import('./accuracy.js');
    const clusterOf = new Map([['a', 'X'], ['b', 'X'], ['c', 'X'], ['d', 'Y'], ['e', 'Z']]);
    const ownerOf = new Map([['a', 'o1'], ['b', 'o1'], ['c', 'o2'], ['d', 'o2'], ['e', 'o1']]);
    expect(pairAccuracy(clusterOf, ownerOf)).toEqual({
      addresses: 5, predictedPairs: 3, truePairs: 4, correctPairs: 1, precision: 1 / 3, recall: 1 / 4, largestFalseMerge: { size: 3, owners: 2, cluster: 'X' },
    });
    expect(changeAccuracy(new Map([['t1', 1], ['t2', 0]]), new Map([['t1', [1]], ['t2', [1]], ['t3', [0]], ['t4', []]]))).toEqual({ withChange: 3, picks: 2, correct: 1, precision: 0.5, recall: 1 / 3 });
  });
  test('default: calibration buckets decisions by confidence and weighs each bucket\'s gap by its size', async () => {
    const { calibration } = await import('./accuracy.js');
    const ds = [
      ...Array.from({ length: 4 }, (_, n) => ({ confidence: 0.8, correct: n < 2 })), // claims 0.8, delivers 0.5
      ...Array.from({ length: 4 }, () => ({ confidence: 0.95, correct: true })), // claims 0.95, delivers 1
      { confidence: 1, correct: true }, // the last bucket is closed: 1 falls in [0.9, 1]
    ];
    const c = calibration(ds, [0, 0.9, 1]);
    expect(c.buckets).toEqual([
      { from: 0, to: 0.9, links: 4, correct: 2, meanConfidence: 0.8, observed: 0.5 },
      { from: 0.9, to: 1, links: 5, correct: 5, meanConfidence: (4 * 0.95 + 1) / 5, observed: 1 },
    ]);
    expect(c.ece).toBeCloseTo((4 / 9) * 0.3 + (5 / 9) * 0.04, 12);
    expect(c.overconfidence).toBeCloseTo((4 / 9) * 0.3, 12);
    expect(calibration([])).toEqual({ buckets: [], ece: 0, overconfidence: 0 });
  });
});
