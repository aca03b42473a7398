import { describe, expect, test } from 'vitest';
import type { AccountTransaction } from '../../model/account.js';
import { propagateAccountTaint } from './propagate-account.js';
import { traceAccountBackward } from './trace-account-back.js';
import { summarizeTaint } from './summarize.js';

const A = '0x000000000000000000000000000000000000000A';
const B = '0x000000000000000000000000000000000000000B';
const C = '0x000000000000000000000000000000000000000C';
const D = '0x000000000000000000000000000000000000000D';
const E = '0x000000000000000000000000000000000000000E';
const X = '0x00000000000000000000000000000000000000Ff';
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

let n = 0;
function tx(from: string, to: string, value: bigint, extra: Partial<AccountTransaction> = {}): AccountTransaction {
  n++;
  return {
    chain: 'ethereum', hash: `0x${n.toString(16).padStart(64, '0')}`, blockNumber: 100 + n, blockHash: `0x${'b'.repeat(64)}`, blockTime: 1_700_000_000 + n * 12,
    position: 0, nonce: 0, from, to, value, fee: 0n, status: 'success', contractAddress: null, internalTransfers: [], tokenTransfers: [], ...extra,
  };
}
const taintTo = (run: ReturnType<typeof propagateAccountTaint>) => Object.fromEntries(summarizeTaint(run).addresses.map((a) => [a.holder.slice(-1), a.taint]));

describe('account-model taint: holdings as queues, stacks or pots, in time order', () => {
  // B is paid 10 clean (from C) and then 10 dirty (from A, the seed); then pays 10 to D and 10 to E.
  const story = () => [tx(C, B, 10n), tx(A, B, 10n), tx(B, D, 10n), tx(B, E, 10n)];

  test('default: fifo sends the older clean units first, lifo the newer dirty ones, haircut half and half', () => {
    const seeds = { addresses: [A] };
    expect(taintTo(propagateAccountTaint(story(), { policy: 'fifo', seeds }))).toEqual({ B: 10n, E: 10n });
    expect(taintTo(propagateAccountTaint(story(), { policy: 'lifo', seeds }))).toEqual({ B: 10n, D: 10n });
    expect(taintTo(propagateAccountTaint(story(), { policy: 'haircut', seeds }))).toEqual({ B: 10n, D: 5n, E: 5n });
  });

  test('args: holdings carried from one walk to the next give what one walk over all gives, under each policy', () => {
    const txs = story();
    for (const policy of ['fifo', 'lifo', 'haircut'] as const) {
      const holdings = new Map();
      const parts = [txs.slice(0, 2), txs.slice(2, 3), txs.slice(3)].flatMap((part) => propagateAccountTaint(part, { policy, seeds: { addresses: [A] }, holdings }).outputs);
      expect(parts).toEqual(propagateAccountTaint(txs, { policy, seeds: { addresses: [A] } }).outputs);
      expect(parts.length).toBeGreaterThan(1);
      // Without them each part starts from nothing: B pays out units it is not known to hold (clean).
      expect(propagateAccountTaint(txs.slice(2), { policy, seeds: { addresses: [A] } }).outputs).toEqual([]);
    }
  });

  test('behavior: order in time decides: the dirty payment first makes D dirty under fifo', () => {
    const [c, a, d, e] = story();
    const swapped = [{ ...a, blockNumber: c.blockNumber, blockTime: c.blockTime }, { ...c, blockNumber: a.blockNumber, blockTime: a.blockTime }, d, e];
    expect(taintTo(propagateAccountTaint(swapped, { policy: 'fifo', seeds: { addresses: [A] } }))).toEqual({ B: 10n, D: 10n });
  });

  test('behavior: the fee takes its share first; reverted transactions move only the fee', () => {
    const txs = [tx(A, B, 10n), tx(B, D, 5n, { fee: 1n }), tx(B, E, 4n, { status: 'reverted', fee: 2n })];
    const run = propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] } });
    expect(taintTo(run)).toEqual({ B: 10n, D: 5n });
    expect(run.steps.map((s) => s.fee)).toEqual([0n, 1n, 2n]);
  });

  test('behavior: each token is tracked apart from the native coin; internal transfers carry taint', () => {
    const txs = [
      tx(C, B, 0n, { tokenTransfers: [{ token: USDT, from: A, to: B, value: 7n, logIndex: 0 }] }),
      tx(C, B, 9n),
      tx(B, D, 9n, { tokenTransfers: [{ token: USDT, from: B, to: E, value: 7n, logIndex: 3 }] }),
      tx(A, X, 6n, { internalTransfers: [{ traceAddress: '', from: A, to: X, value: 6n, callType: 'call' }, { traceAddress: '0', from: X, to: C, value: 6n, callType: 'call' }] }),
    ];
    const run = propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] } });
    // D got native coin from B, whose native holding is clean; E got the token, all of it dirty; C got A's 6 via X.
    expect(taintTo(run)).toEqual({ B: 7n, E: 7n, f: 6n, C: 6n });
    expect(propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] }, assets: ['native'] }).outputs.map((o) => o.holder)).toEqual([X, C]);
  });

  test('args: hops and labels stop the walk; taint under the minimum is dropped', () => {
    const txs = [tx(A, B, 10n), tx(B, D, 10n), tx(D, E, 10n)];
    expect(taintTo(propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] }, maxHops: 2 }))).toEqual({ B: 10n, D: 10n });
    expect(taintTo(propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] }, stopAt: (h) => h === B }))).toEqual({ B: 10n });
    const min = propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [A] }, minAmount: 11n });
    expect(min.outputs).toEqual([]);
    expect(min.dropped).toBe(10n);
  });

  test('error: poison and tiho are UTXO policies', () => {
    expect(() => propagateAccountTaint([], { policy: 'tiho' as 'fifo', seeds: {} })).toThrowErrorMatchingInlineSnapshot(`[CtraceError: account chains are traced with fifo, lifo or haircut, not tiho]`);
  });

  test('behavior: backward, fifo and lifo say exactly which earlier transfers paid a transfer', () => {
    // B is paid 10 by C, then 10 by A; B pays D 5, then E 15.
    const txs = [tx(C, B, 10n), tx(A, B, 10n), tx(B, D, 5n), tx(B, E, 15n)];
    const [t1, t2, , t4] = txs.map((t) => t.hash);
    const back = (policy: 'fifo' | 'lifo') => traceAccountBackward(txs, { policy, seeds: { transfers: [{ txid: t4, ref: 'value' }] } }).outputs
      .map((o) => [o.txid === t1 ? 't1' : o.txid === t2 ? 't2' : o.txid === t4 ? 't4' : '?', o.vout, o.holder?.slice(-1), o.taint, o.hop, o.spans]);
    // fifo: D took C's first 5; E's 15 are C's units [5,10) and A's [0,10); A's and C's own funds predate the case.
    expect(back('fifo')).toEqual([
      ['t4', 0, 'E', 15n, 0, [[0n, 15n]]],
      ['t2', 0, 'B', 10n, 1, [[0n, 10n]]],
      ['t2', -1, 'A', 10n, 2, undefined],
      ['t1', 0, 'B', 5n, 1, [[5n, 10n]]],
      ['t1', -1, 'C', 5n, 2, undefined],
    ]);
    // lifo: the newest lot (A's) goes first, its units from the front: D took A's [0,5); E's 15 are A's [5,10), then C's [0,10).
    expect(back('lifo').slice(0, 4)).toEqual([
      ['t4', 0, 'E', 15n, 0, [[0n, 15n]]],
      ['t2', 0, 'B', 5n, 1, [[5n, 10n]]],
      ['t2', -1, 'A', 5n, 2, undefined],
      ['t1', 0, 'B', 10n, 1, [[0n, 10n]]],
    ]);
    expect(() => traceAccountBackward([], { policy: 'haircut' as 'fifo', seeds: {} })).toThrow(/fifo or lifo, not haircut/);
  });
});
