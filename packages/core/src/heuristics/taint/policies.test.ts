import { describe, expect, test } from 'vitest';
import { CtraceError } from '../../errors.js';
import { checkConservation } from './conservation.js';
import { fifo } from './fifo.js';
import { haircut } from './haircut.js';
import { lifo } from './lifo.js';
import { TAINT_POLICIES, getTaintPolicy } from './policies.js';
import { poison } from './poison.js';
import { apportion } from './spans.js';
import { tiho } from './tiho.js';
import type { TaintTxInput, TaintTxResult } from './types.js';

const taints = (r: TaintTxResult) => [...r.outputs.map((o) => o.taint), r.fee.taint];
const clean = (value: bigint) => ({ value, taint: 0n });
const dirty = (value: bigint) => ({ value, taint: value });

// Each case: a hand-made transaction and, per policy, the taint of each output then the fee, worked out by hand.
const cases: { name: string; tx: TaintTxInput; want: Record<string, bigint[]> }[] = [
  {
    name: 'fee: tainted input first, clean second, 1 unit fee',
    tx: { inputs: [dirty(5n), clean(5n)], outputs: [3n, 6n], fee: 1n },
    // fifo: taint [0,5) -> out0 [0,3) all, out1 [3,9) 2; lifo: inputs reversed, taint [5,10) -> out1 [5,9) 4, fee [9,10) 1;
    // tiho: taint first [0,5) to the largest output (6) -> 5; haircut: 5/10 of 3,6,1 = 1.5,3,0.5 -> remainders tie, out0 first.
    want: { fifo: [3n, 2n, 0n], lifo: [0n, 4n, 1n], tiho: [0n, 5n, 0n], haircut: [2n, 3n, 0n], poison: [3n, 6n, 1n] },
  },
  {
    name: 'dust: one unit of taint among 1000',
    tx: { inputs: [{ value: 1000n, taint: 1n }], outputs: [1n, 999n], fee: 0n },
    // fifo/lifo: the first unit is the tainted one and lands in the dust output; tiho: largest output first (999);
    // haircut: 1/1000 and 999/1000 -> floors 0, 0, remainder 999 wins: out1.
    want: { fifo: [1n, 0n, 0n], lifo: [1n, 0n, 0n], tiho: [0n, 1n, 0n], haircut: [0n, 1n, 0n], poison: [1n, 999n, 0n] },
  },
  {
    name: 'multiple tainted inputs around a clean one',
    tx: { inputs: [dirty(3n), clean(4n), dirty(3n)], outputs: [5n, 5n], fee: 0n },
    // fifo: taint [0,3) and [7,10) -> 3 and 3; lifo: order 3(d),4(c),3(d) reversed is the same shape -> 3 and 3;
    // tiho: tainted first [0,6) -> out0 (equal values: earlier first) 5, out1 1; haircut: 6/10 of 5 = 3 each.
    want: { fifo: [3n, 3n, 0n], lifo: [3n, 3n, 0n], tiho: [5n, 1n, 0n], haircut: [3n, 3n, 0n], poison: [5n, 5n, 0n] },
  },
  {
    name: 'equal output values',
    tx: { inputs: [clean(4n), dirty(4n)], outputs: [4n, 4n], fee: 0n },
    // fifo: taint [4,8) -> out1; lifo: reversed, taint [0,4) -> out0; tiho: tainted first, equal outputs -> out0; haircut 2/2.
    want: { fifo: [0n, 4n, 0n], lifo: [4n, 0n, 0n], tiho: [4n, 0n, 0n], haircut: [2n, 2n, 0n], poison: [4n, 4n, 0n] },
  },
  {
    name: 'spans inside an input keep their place',
    tx: { inputs: [{ value: 5n, taint: 2n, spans: [[2n, 4n]] }], outputs: [3n, 2n], fee: 0n },
    // fifo/lifo (one input): [2,4) -> out0 [2,3) 1, out1 [0,1) 1; tiho: out0 (3) first: same; haircut 2/5 of 3,2 = 1.2,0.8 -> 1,1.
    want: { fifo: [1n, 1n, 0n], lifo: [1n, 1n, 0n], tiho: [1n, 1n, 0n], haircut: [1n, 1n, 0n], poison: [3n, 2n, 0n] },
  },
];

describe('taint policies on hand-made transactions', () => {
  for (const c of cases) {
    for (const [policy, want] of Object.entries(c.want)) {
      test(`default: ${policy}, ${c.name}`, () => {
        const p = getTaintPolicy(policy);
        const r = p.apply(c.tx);
        expect(taints(r)).toEqual(want);
        checkConservation(p, 'test', c.tx, r);
      });
    }
  }

  test('behavior: fifo spans say where the taint sits', () => {
    const r = fifo({ inputs: [dirty(3n), clean(4n), dirty(3n)], outputs: [5n, 5n], fee: 0n });
    expect(r.outputs.map((o) => o.spans)).toEqual([[[0n, 3n]], [[2n, 5n]]]);
    expect(r.flows).toEqual([{ input: 0, output: 0, amount: 3n }, { input: 2, output: 1, amount: 3n }]);
  });

  test('behavior: fifo backward maps an output back to the inputs that paid it, exactly', () => {
    // forward: inputs 5 (clean), 5 (clean); outputs 3, 6, fee 1. Which input paid output 1 ([3,9))? 2 of input 0, 4 of input 1.
    const back = fifo({ inputs: [clean(3n), dirty(6n), clean(1n)], outputs: [5n, 5n], fee: 0n }, { direction: 'backward' });
    expect(taints(back)).toEqual([2n, 4n, 0n]);
    const lifoBack = lifo({ inputs: [clean(3n), dirty(6n), clean(1n)], outputs: [5n, 5n], fee: 0n }, { direction: 'backward' });
    // lifo forward lays input 1 first: [0,5) is input 1, [5,10) input 0; output 1 is [3,9) -> input 1 gets 2, input 0 gets 4.
    expect(taints(lifoBack)).toEqual([4n, 2n, 0n]);
  });

  test('behavior: haircut rounding gives leftover units to the largest remainders, earlier first, and never loses one', () => {
    expect(apportion(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(apportion(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(apportion(7n, [0n, 5n, 2n])).toEqual([0n, 5n, 2n]);
    const tx = { inputs: [{ value: 7n, taint: 3n }, { value: 11n, taint: 5n }], outputs: [5n, 5n, 5n], fee: 3n };
    const r = haircut(tx);
    // 8/18 of 5,5,5,3 = 2.22,2.22,2.22,1.33: floors 2,2,2,1, one unit left; remainders 4/18 x3 and 6/18: the fee's wins
    expect(taints(r)).toEqual([2n, 2n, 2n, 2n]);
    checkConservation(TAINT_POLICIES.haircut, 't', tx, r);
  });

  test('behavior: a clean transaction stays clean under every policy', () => {
    const tx = { inputs: [clean(5n)], outputs: [2n, 3n], fee: 0n };
    for (const f of [fifo, lifo, tiho, haircut, poison]) expect(taints(f(tx))).toEqual([0n, 0n, 0n]);
  });

  test('error: a result that loses taint fails loudly', () => {
    const tx = { inputs: [dirty(5n)], outputs: [2n, 3n], fee: 0n };
    const bad = { outputs: [{ taint: 2n }, { taint: 2n }], fee: { taint: 0n }, flows: [] };
    expect(() => checkConservation(TAINT_POLICIES.fifo, 'ab12', tx, bad)).toThrowErrorMatchingInlineSnapshot(
      `[CtraceError: taint not conserved by fifo in transaction ab12: 5 in, 4 out + 0 fee (this is a bug, please report it)]`,
    );
    expect(() => checkConservation(TAINT_POLICIES.fifo, 'ab12', tx, bad)).toThrow(CtraceError);
  });

  test('error: tiho does not walk backward; unknown policies are usage errors', () => {
    expect(() => tiho({ inputs: [], outputs: [], fee: 0n }, { direction: 'backward' })).toThrow(/only walks forward/);
    expect(() => getTaintPolicy('fofi')).toThrowErrorMatchingInlineSnapshot(`[CtraceError: unknown taint policy "fofi": use one of poison, haircut, fifo, lifo, tiho]`);
  });
});
