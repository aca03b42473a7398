import { describe, expect, test } from 'vitest';
import { makeTx, type IoSpec } from '../cluster/test-tx.js';
import { coinjoinGeneric } from './coinjoin-generic.js';
import { coinjoinVerdict, detectCoinjoin } from './detect-coinjoin.js';
import { joinmarket } from './joinmarket.js';
import { stonewall } from './stonewall.js';
import { wasabi1 } from './wasabi-1.js';
import { wasabi2 } from './wasabi-2.js';
import { whirlpool } from './whirlpool.js';
import { whirlpoolTx0 } from './whirlpool-tx0.js';
import { holderShape, txShape } from './shape.js';
import { holderIdTx } from '../../model/holder-id-tx.js';
import { holderOf } from '../../model/utxo.js';

const ins = (n: number, v: number | bigint = 20_000_000, holders = n) => Array.from({ length: n }, (_, i): IoSpec => [`in${i % holders}`, v]);
const outs = (values: (number | bigint)[], prefix = 'o') => values.map((v, i): IoSpec => [`${prefix}${i}`, v]);
const rep = <T>(n: number, v: T) => Array.from({ length: n }, () => v);

const detectors = { 'coinjoin-generic': coinjoinGeneric, 'wasabi-1': wasabi1, 'wasabi-2': wasabi2, whirlpool, 'whirlpool-tx0': whirlpoolTx0, joinmarket, stonewall };
type Case = { rule: keyof typeof detectors; title: string; ins: IoSpec[]; outs: IoSpec[] };

const valid: Case[] = [
  { rule: 'coinjoin-generic', title: '3 inputs, 5 outputs, value 1e6 three times', ins: ins(3), outs: outs([1e6, 1e6, 1e6, 123, 456]) },
  { rule: 'wasabi-1', title: '12 inputs, 4 at 0.1 BTC and one at 0.2 BTC (level 1)', ins: ins(12), outs: outs([1e7, 1e7, 1e7, 1e7, 2e7, 777_777]) },
  { rule: 'wasabi-2', title: '20 inputs, 3 repeated values carry most outputs', ins: ins(20), outs: outs([5e5, 5e5, 1e6, 1e6, 2e6, 2e6, 123_456]) },
  { rule: 'whirlpool', title: '5 inputs at 0.01 BTC + fee share, 5 outputs of 0.01 BTC', ins: ins(5, 1_000_170), outs: outs(rep(5, 1e6)) },
  { rule: 'whirlpool-tx0', title: 'OP_RETURN, 3 premixes of 0.01 BTC + 170 sat, fee, change', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 1_000_170, 42_500, 1_900_000])] },
  { rule: 'joinmarket', title: '3 makers of 0.05 BTC and change outputs', ins: ins(4), outs: outs([5e6, 5e6, 5e6, 1_234, 5_678]) },
  { rule: 'stonewall', title: '2 inputs, 4 outputs, one value twice', ins: ins(2), outs: outs([100_000, 100_000, 34_567, 45_678]) },
];

const invalid: Case[] = [
  { rule: 'coinjoin-generic', title: 'payment with change', ins: ins(2), outs: outs([1e6, 2345]) },
  { rule: 'coinjoin-generic', title: 'equal values at the 546 dust limit', ins: ins(3), outs: outs([546, 546, 546, 1, 2]) },
  { rule: 'coinjoin-generic', title: 'one holder behind all inputs (n > distinct holders)', ins: ins(3, 1e7, 1), outs: outs([1e6, 1e6, 1e6, 3, 4]) },
  { rule: 'wasabi-1', title: 'only 9 inputs', ins: ins(9), outs: outs([1e7, 1e7, 1e7, 5]) },
  { rule: 'wasabi-1', title: 'one holder with 20 % of the inputs', ins: ins(10, 2e7, 5), outs: outs([1e7, 1e7, 1e7, 1e7]) },
  { rule: 'wasabi-1', title: 'denomination far from 0.1 BTC', ins: ins(12), outs: outs([3e7, 3e7, 3e7, 3e7]) },
  { rule: 'wasabi-2', title: 'an output below 5,000 sat', ins: ins(20), outs: outs([5e5, 5e5, 1e6, 1e6, 2e6, 2e6, 4999]) },
  { rule: 'wasabi-2', title: 'two outputs to one script', ins: ins(20), outs: [['same', 5e5], ['same', 5e5], ...outs([1e6, 1e6, 2e6, 2e6])] },
  { rule: 'whirlpool', title: 'an input above d + 110,000 sat', ins: [...ins(4, 1_000_170), ['big', 1_200_000]], outs: outs(rep(5, 1e6)) },
  { rule: 'whirlpool', title: 'not a pool denomination', ins: ins(5, 2_000_170), outs: outs(rep(5, 2e6)) },
  { rule: 'whirlpool-tx0', title: 'no OP_RETURN', ins: ins(1, 5e6), outs: outs([1_000_170, 1_000_170, 42_500, 1_900_000]) },
  { rule: 'joinmarket', title: 'equal outputs below half of the outputs', ins: ins(4), outs: outs([5e6, 5e6, 5e6, 1, 2, 3, 4, 5]) },
  { rule: 'joinmarket', title: 'no other output', ins: ins(3), outs: outs([5e6, 5e6, 5e6]) },
  { rule: 'stonewall', title: 'one input', ins: ins(1), outs: outs([100_000, 100_000, 34_567]) },
  { rule: 'stonewall', title: 'the pair is below 5,000 sat', ins: ins(2), outs: outs([4000, 4000, 34_567]) },
];

describe('CoinJoin detectors (heuristics.md §3)', () => {
  test.each(valid)('default: $rule flags $title', ({ rule, ins, outs }) => {
    const e = detectors[rule](txShape(makeTx({ ins, outs })))!;
    expect(e).not.toBeNull();
    expect(e).toMatchObject({ rule, version: 1, chain: 'bitcoin', blockHeight: 100, outputIndex: null });
    expect(e.confidence).toBeGreaterThan(0.5);
  });
  test.each(invalid)('behavior: $rule does not flag $title', ({ rule, ins, outs }) => {
    expect(detectors[rule](txShape(makeTx({ ins, outs })))).toBeNull();
  });
  test('behavior: a coinbase is never flagged', () => {
    const tx = makeTx({ coinbase: true, outs: outs([1e6, 1e6, 1e6, 5, 6]) });
    for (const d of Object.values(detectors)) expect(d(txShape(tx))).toBeNull();
  });
  test('behavior: STONEWALL vetoes the generic detector', () => {
    const tx = makeTx({ ins: ins(2), outs: outs([100_000, 100_000, 34_567]) });
    expect(coinjoinGeneric(txShape(tx))).not.toBeNull();
    const v = detectCoinjoin(tx);
    expect(v.coinjoin).toBe(false);
    expect(v.veto?.rule).toBe('stonewall');
    expect(detectCoinjoin(tx, new Set(['coinjoin-generic'])).coinjoin).toBe(true);
  });
  test('default: detectCoinjoin lists every detector that fired', () => {
    const v = detectCoinjoin(makeTx({ ins: ins(5, 1_000_170), outs: outs(rep(5, 1e6)) }));
    expect(v.coinjoin).toBe(true);
    expect(v.flags.map((f) => f.rule)).toEqual(['whirlpool']);
  });
});

describe('the shape the detectors judge', () => {
  test('behavior: a shape from holder ids, numbered as a store numbers them, equals the model transaction\'s shape', () => {
    const unresolved: IoSpec[] = [[null, 0], [null, 0], ['in0', 1e6], ['in0', 1e6]];
    const cases = [...valid, ...invalid, { ins: unresolved, outs: outs([1e6, 1e6, 1e6, 5, 6]) }];
    for (const c of cases) {
      const tx = makeTx({ ins: c.ins, outs: c.outs });
      // Sparse ids, not in order of appearance: the shape must depend on equality of ids alone.
      const ids = new Map<string, number>();
      const idOf = (h: string | null) => {
        if (h === null) return -1;
        if (!ids.has(h)) ids.set(h, 9_000 - 7 * ids.size);
        return ids.get(h)!;
      };
      const t = holderIdTx(tx, tx.inputs.map((i) => idOf(holderOf(i))), tx.outputs.map((o) => idOf(holderOf(o))));
      expect(holderShape(t)).toEqual(txShape(tx));
      expect(coinjoinVerdict(holderShape(t))).toEqual(detectCoinjoin(tx));
    }
    // Unresolved inputs count as distinct holders.
    expect(txShape(makeTx({ ins: unresolved, outs: outs([1]) }))).toMatchObject({ inputs: 4, distinctInputHolders: 3, maxInputsPerHolder: 2 });
  });
  test('behavior: a detector judges the counts of the shape it is given and names the shape\'s transaction', () => {
    const plain = makeTx({ ins: ins(2), outs: outs([1e6, 2345]) });
    const cj = makeTx({ ins: valid[0].ins, outs: valid[0].outs });
    expect(coinjoinGeneric(txShape(plain))).toBeNull();
    const e = coinjoinGeneric({ ...txShape(cj), tx: plain });
    expect(e).toMatchObject({ rule: 'coinjoin-generic', txid: plain.txid });
  });
});
