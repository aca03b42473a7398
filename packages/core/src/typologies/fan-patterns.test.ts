import { describe, expect, test } from 'vitest';
import { detectFanPatterns } from './fan-patterns.js';
import type { Flow } from './flows.js';

const flow = (txid: string, time: number, from: string[], to: [string, number][], asset = 'native'): Flow =>
  ({ txid, time, from, to: to.map(([holder, value]) => ({ holder, value: BigInt(value) })), asset });
const five = [1, 2, 3, 4, 5];

describe('fan patterns', () => {
  test('behavior: a holder is judged apart in each asset (the same name in a token is another holder)', () => {
    const flows = [
      // Native: X takes 100 from each of five senders and passes all 500 on to five receivers within the hour.
      ...five.map((i) => flow(`in${i}`, 1000 + i, [`s${i}`], [['X', 100]])),
      flow('out', 2000, ['X'], five.map((i) => [`r${i}`, 100])),
      // The token: X takes 500 the same way but keeps 400 of it (not a pass-through); if it were counted with the
      // native coin, X would have passed on 600 of 1000 and not be an aggregator at all.
      ...five.map((i) => flow(`tin${i}`, 1000 + i, [`t${i}`], [['X', 100]], 'tok')),
      flow('tout', 2000, ['X'], five.map((i) => [`r${i}`, 20]), 'tok'),
      // Native: five deposit addresses, each paid by another, each swept whole into T; and one in the token.
      ...five.map((i) => flow(`pay${i}`, 3000 + i, [`p${i}`], [[`d${i}`, 100]])),
      ...five.map((i) => flow(`sweep${i}`, 4000 + i, [`d${i}`], [['T', 100]])),
      flow('tpay', 3006, ['p6'], [['d6', 100]], 'tok'),
      flow('tsweep', 4006, ['d6'], [['T', 100]], 'tok'),
    ];
    expect(detectFanPatterns(flows)).toEqual([
      { typology: 'aggregator', holder: 'X', members: [], asset: 'native', txids: ['in1', 'in2', 'in3', 'in4', 'in5', 'out'], detail: '5 senders in, 5 receivers out' },
      { typology: 'deposit-sweep', holder: 'T', members: ['d1', 'd2', 'd3', 'd4', 'd5'], asset: 'native', txids: five.map((i) => `sweep${i}`), detail: '5 deposit addresses swept into it in 5 transactions' },
    ]);
  });

  test('behavior: senders and receivers are counted once each, however often they pay or are paid', () => {
    // X takes 100 from s1 to s4 and again from s4 (five payments, four senders), and pays r1 to r5, r5 twice.
    const payments = [...[1, 2, 3, 4, 4].map((i, k) => flow(`in${k}`, 1000 + k, [`s${i}`], [['X', 100]])), flow('out', 2000, ['X'], [...five, 5].map((i) => [`r${i}`, 100]))];
    expect(detectFanPatterns(payments)).toEqual([]);
    // A fifth sender makes it one: five senders in, five receivers out (the second payment to r5 counted once).
    const hits = detectFanPatterns([flow('in5', 1005, ['s5'], [['X', 100]]), ...payments]);
    expect(hits.map((h) => [h.typology, h.holder, h.detail, h.txids.length])).toEqual([['aggregator', 'X', '5 senders in, 5 receivers out', 7]]);
  });
});
