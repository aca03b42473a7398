import { describe, expect, test } from 'vitest';
import { makeTx, type IoSpec } from '../cluster/test-tx.js';
import { coinjoinGeneric } from './coinjoin-generic.js';
import { coinjoinVerdict, detectCoinjoin } from './detect-coinjoin.js';
import { joinmarket } from './joinmarket.js';
import { ambiguousEqualOutput } from './ambiguous-equal-output.js';
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

const detectors = { 'coinjoin-generic': coinjoinGeneric, 'wasabi-1': wasabi1, 'wasabi-2': wasabi2, whirlpool, 'whirlpool-tx0': whirlpoolTx0, joinmarket, 'ambiguous-equal-output': ambiguousEqualOutput };
type Case = { rule: keyof typeof detectors; title: string; ins: IoSpec[]; outs: IoSpec[]; nulldata?: string[] };

// A TX0's OP_RETURN: 46 bytes of (encrypted) fee payload, as Whirlpool writes it.
const feePayload = `6a2e${'5a'.repeat(46)}`;
// An Omni Layer class C simple send of 100 USDT (property 31), built to the Omni spec: "omni", version 0, type 0.
const omniSend = `6a14${'6f6d6e69'}0000${'0000'}${'0000001f'}${(10_000_000_000n).toString(16).padStart(16, '0')}`;
// Unresolved inputs: a holder derived from the spending data, no value yet.
const unresolved = (n: number) => Array.from({ length: n }, (_, i): IoSpec => [`u${i}`, null]);

const valid: Case[] = [
  { rule: 'coinjoin-generic', title: '3 inputs, 5 outputs, value 1e6 three times', ins: ins(3), outs: outs([1e6, 1e6, 1e6, 123, 456]) },
  { rule: 'coinjoin-generic', title: 'a 9x9 equal-output round, inputs unresolved', ins: unresolved(9), outs: outs(rep(9, 7_000_000)) },
  { rule: 'coinjoin-generic', title: 'a 5x5 round at a value that is no pool', ins: ins(5, 3_000_500), outs: outs(rep(5, 3e6)) },
  { rule: 'wasabi-1', title: '12 inputs, 4 at 0.1 BTC and one at 0.2 BTC (level 1)', ins: ins(12), outs: outs([1e7, 1e7, 1e7, 1e7, 2e7, 777_777]) },
  { rule: 'wasabi-2', title: '20 inputs, 3 repeated values carry most outputs', ins: ins(20), outs: outs([5e5, 5e5, 1e6, 1e6, 2e6, 2e6, 123_456]) },
  { rule: 'wasabi-1', title: 'a ZeroLink round, no input value known', ins: unresolved(12), outs: outs([1e7, 1e7, 1e7, 1e7, 2e7, 777_777]) },
  { rule: 'wasabi-2', title: 'a WabiSabi round, no input value known', ins: unresolved(20), outs: outs([5e5, 5e5, 1e6, 1e6, 2e6, 2e6, 123_456]) },
  { rule: 'joinmarket', title: '3 makers of 0.05 BTC, inputs unresolved', ins: unresolved(4), outs: outs([5e6, 5e6, 5e6, 1_234, 5_678]) },
  { rule: 'whirlpool', title: '5 inputs at 0.01 BTC + fee share, 5 outputs of 0.01 BTC', ins: ins(5, 1_000_170), outs: outs(rep(5, 1e6)) },
  { rule: 'whirlpool', title: '5 outputs of 0.01 BTC, no input value known', ins: unresolved(5), outs: outs(rep(5, 1e6)) },
  { rule: 'whirlpool', title: '5 outputs of 0.05 BTC, 2 of 5 input values known', ins: [...ins(2, 5_000_300), ...unresolved(3)], outs: outs(rep(5, 5e6)) },
  { rule: 'whirlpool', title: 'an Ashigaru 0.025 BTC pool', ins: unresolved(5), outs: outs(rep(5, 2_500_000)) },
  { rule: 'whirlpool', title: 'an Ashigaru 0.25 BTC pool', ins: ins(5, 25_000_200), outs: outs(rep(5, 25_000_000)) },
  { rule: 'whirlpool-tx0', title: '46-byte fee payload, 3 premixes of 0.01 BTC + 170 sat, a 5 % fee, change', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 1_000_170, 50_000, 1_900_000])], nulldata: [feePayload] },
  { rule: 'whirlpool-tx0', title: '0.05 BTC premixes, the fee halved by a discount code', ins: ins(2, 2e7), outs: [[null, 0], ...outs([5_000_300, 5_000_300, 125_000, 1_234_567])], nulldata: [feePayload] },
  { rule: 'whirlpool-tx0', title: 'a store without the OP_RETURN script: the fee output and premixes decide', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 50_000, 2_900_000])] },
  { rule: 'joinmarket', title: '3 makers of 0.05 BTC and change outputs', ins: ins(4), outs: outs([5e6, 5e6, 5e6, 1_234, 5_678]) },
  { rule: 'joinmarket', title: 'a 2-party JoinMarket with two change outputs of one value too', ins: ins(2), outs: outs([5e6, 5e6, 7_777, 7_777]) },
  { rule: 'ambiguous-equal-output', title: '2 inputs, 4 outputs, one value twice (STONEWALL)', ins: ins(2), outs: outs([100_000, 100_000, 34_567, 45_678]) },
  { rule: 'ambiguous-equal-output', title: '2 inputs, 3 outputs, one value twice, inputs unresolved', ins: unresolved(2), outs: outs([100_000, 100_000, 34_567]) },
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
  { rule: 'whirlpool-tx0', title: 'no OP_RETURN', ins: ins(1, 5e6), outs: outs([1_000_170, 1_000_170, 50_000, 1_900_000]) },
  { rule: 'whirlpool-tx0', title: 'an Omni simple send whose output lands in a premix range', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_546, 3_990_000])], nulldata: [omniSend] },
  { rule: 'whirlpool-tx0', title: 'an OP_RETURN that is not 46 bytes', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 50_000, 1_900_000])], nulldata: ['6a025832'] },
  { rule: 'whirlpool-tx0', title: 'no coordinator fee output', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 1_000_170, 1_990_000])], nulldata: [feePayload] },
  { rule: 'whirlpool-tx0', title: 'a fee off the schedule', ins: ins(1, 5e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 42_500, 1_900_000])], nulldata: [feePayload] },
  { rule: 'whirlpool', title: 'a known input below the denomination', ins: [...ins(4, 1_000_170), ['small', 900_000]], outs: outs(rep(5, 1e6)) },
  { rule: 'coinjoin-generic', title: 'a 4x4 round at the dust limit', ins: ins(4), outs: outs(rep(4, 546)) },
  { rule: 'coinjoin-generic', title: 'a round whose inputs all have one holder', ins: ins(4, 1e7, 1), outs: outs(rep(4, 1e6)) },
  { rule: 'ambiguous-equal-output', title: 'two values twice', ins: ins(2), outs: outs([100_000, 100_000, 5e6, 5e6]) },
  { rule: 'joinmarket', title: 'equal outputs below half of the outputs', ins: ins(4), outs: outs([5e6, 5e6, 5e6, 1, 2, 3, 4, 5]) },
  { rule: 'joinmarket', title: 'no other output', ins: ins(3), outs: outs([5e6, 5e6, 5e6]) },
  { rule: 'ambiguous-equal-output', title: 'one input', ins: ins(1), outs: outs([100_000, 100_000, 34_567]) },
  { rule: 'ambiguous-equal-output', title: 'the pair is below 5,000 sat', ins: ins(2), outs: outs([4000, 4000, 34_567]) },
  { rule: 'ambiguous-equal-output', title: 'a plain payment with change', ins: ins(2), outs: outs([100_000, 34_567]) },
];

describe('CoinJoin detectors (heuristics.md §3)', () => {
  test.each(valid)('default: $rule flags $title', ({ rule, ins, outs, nulldata }) => {
    const e = detectors[rule](txShape(makeTx({ ins, outs, nulldata })))!;
    expect(e).not.toBeNull();
    expect(e).toMatchObject({ rule, chain: 'bitcoin', blockHeight: 100, outputIndex: null });
    expect(e.confidence).toBeGreaterThan(0.5);
  });
  test.each(invalid)('behavior: $rule does not flag $title', ({ rule, ins, outs, nulldata }) => {
    expect(detectors[rule](txShape(makeTx({ ins, outs, nulldata })))).toBeNull();
  });
  test('behavior: a coinbase is never flagged', () => {
    const tx = makeTx({ coinbase: true, outs: outs([1e6, 1e6, 1e6, 5, 6]) });
    for (const d of Object.values(detectors)) expect(d(txShape(tx))).toBeNull();
  });
  test('behavior: the ambiguous shape is reported as such, not as the generic or JoinMarket flag it also raises; it is guarded', () => {
    const tx = makeTx({ ins: ins(2), outs: outs([100_000, 100_000, 34_567]) });
    expect(coinjoinGeneric(txShape(tx))).not.toBeNull();
    expect(joinmarket(txShape(tx))).not.toBeNull();
    const v = detectCoinjoin(tx);
    expect(v).toMatchObject({ coinjoin: false, flags: [], guarded: true });
    expect(v.ambiguous?.rule).toBe('ambiguous-equal-output');
    expect(detectCoinjoin(tx, new Set(['coinjoin-generic']))).toMatchObject({ coinjoin: true, ambiguous: null, guarded: true });
    // A specific protocol's flag stands: a TX0 with 2 premixes is also the ambiguous shape.
    const tx0 = makeTx({ ins: ins(2, 3e6), outs: [[null, 0], ...outs([1_000_170, 1_000_170, 50_000, 3_900_000])], nulldata: [feePayload] });
    expect(detectCoinjoin(tx0)).toMatchObject({ coinjoin: true, ambiguous: null, guarded: true });
    expect(detectCoinjoin(tx0).flags.map((f) => f.rule)).toContain('whirlpool-tx0');
    // A plain payment with change is not guarded.
    expect(detectCoinjoin(makeTx({ ins: ins(2), outs: outs([100_000, 34_567]) }))).toMatchObject({ coinjoin: false, guarded: false, ambiguous: null });
  });
  test('behavior: no detector takes an unknown input value as a no: a Whirlpool mix is flagged with 0 to 5 of its input values known', () => {
    for (let known = 0; known <= 5; known++) {
      const tx = makeTx({ ins: [...ins(known, 1_000_170), ...unresolved(5 - known)], outs: outs(rep(5, 1e6)) });
      const v = detectCoinjoin(tx);
      expect(v.guarded).toBe(true);
      expect(v.flags[0]).toMatchObject({ rule: 'whirlpool', params: { inputValuesKnown: known } });
    }
    // A known input out of range takes the Whirlpool flag away, but the equal-output round still guards it.
    const off = makeTx({ ins: [...unresolved(4), ['big', 3_000_000]], outs: outs(rep(5, 1e6)) });
    expect(detectCoinjoin(off).flags.map((f) => f.rule)).toEqual(['coinjoin-generic']);
  });
  test('default: detectCoinjoin lists every detector that fired', () => {
    const v = detectCoinjoin(makeTx({ ins: ins(5, 1_000_170), outs: outs(rep(5, 1e6)) }));
    expect(v.coinjoin).toBe(true);
    expect(v.flags.map((f) => f.rule)).toEqual(['whirlpool', 'coinjoin-generic']);
  });
});

describe('the shape the detectors judge', () => {
  test('behavior: a shape from holder ids, numbered as a store numbers them, equals the model transaction\'s shape', () => {
    const noHolder: IoSpec[] = [[null, 0], [null, 0], ['in0', 1e6], ['in0', 1e6]];
    const cases: { ins: IoSpec[]; outs: IoSpec[]; nulldata?: string[] }[] = [...valid, ...invalid, { ins: noHolder, outs: outs([1e6, 1e6, 1e6, 5, 6]) }];
    for (const c of cases) {
      const tx = makeTx({ ins: c.ins, outs: c.outs, nulldata: c.nulldata });
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
    expect(txShape(makeTx({ ins: noHolder, outs: outs([1]) }))).toMatchObject({ inputs: 4, distinctInputHolders: 3, maxInputsPerHolder: 2 });
  });
  test('behavior: a detector judges the counts of the shape it is given and names the shape\'s transaction', () => {
    const plain = makeTx({ ins: ins(2), outs: outs([1e6, 2345]) });
    const cj = makeTx({ ins: valid[0].ins, outs: valid[0].outs });
    expect(coinjoinGeneric(txShape(plain))).toBeNull();
    const e = coinjoinGeneric({ ...txShape(cj), tx: plain });
    expect(e).toMatchObject({ rule: 'coinjoin-generic', txid: plain.txid });
  });
});
