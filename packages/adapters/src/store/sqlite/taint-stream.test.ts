import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestFiles, openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { type PropagateUtxoTaintParams, propagateUtxoTaint } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../../test/support/shared.js';
import { streamUtxoTransactions, utxoCaseSource } from './taint-stream.js';

const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const BTC = 100_000_000n;
// The block-9 coinbase and the peel chain that spends it (blocks 170, 181, 182, 183, 248): each transaction has one
// input and two outputs and no fee; the change (output 1) goes back to the sender's own key 12cbQLTF.
const CB9 = '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9';
const T170 = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
const T181 = 'a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be';
const T182 = '591e91f809d716912ca1d4a9295e70c3e78bab077683f79350f101da64588073';
const T183 = '12b5633bad1f9c167d523ad1aa1947b2732a865bf5414eab2f9e5ae5d5c191ba';
const T248 = '828ef3b079f9c23829c56fe86e85b4a69d9e06e5b54ea597eef5fb3ffef509fe';
const T187 = '4385fcf8b14497d0659adccfe06ae7e38e0b5dc95ff8a13d7c62035994a0cd79'; // spends 183's 1 BTC payment
const T221 = '298ca2045d174f8a158961806ffc4ef96fad02d71a6b84d9fa0491813a776160'; // spends 182's 1 BTC payment
const HAL = 'p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3';

describe.skipIf(!hasShared(PEEL))(needs(PEEL, 'taint through the block-9 coinbase peel chain'), () => {
  let store: SqliteStore;
  beforeAll(async () => {
    store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-taint-')), 'case.db'), { create: true });
    await ingestFiles(store, [shared(PEEL)], { at: '2026-01-01T00:00:00.000Z' });
  });
  afterAll(() => store.close());

  const walk = (p: Omit<PropagateUtxoTaintParams, 'seeds'> & { seeds?: PropagateUtxoTaintParams['seeds'] }) =>
    propagateUtxoTaint(utxoCaseSource(store.db, 'bitcoin', p.direction), { seeds: { outpoints: [{ txid: CB9, vout: 0 }] }, ...p });
  const amounts = (run: ReturnType<typeof walk>) => Object.fromEntries(run.outputs.map((o) => [`${o.txid.slice(0, 4)}:${o.vout}`, `${o.taint}@${o.hop}`]));

  test('default: the whole coinbase taints every hop wholly under every policy (one input, no fee)', () => {
    // By hand: each transaction spends one wholly tainted output, so each output is wholly tainted: value = taint.
    const want = {
      '0437:0': `${50n * BTC}@0`,
      'f418:0': `${10n * BTC}@1`, 'f418:1': `${40n * BTC}@1`,
      'a16f:0': `${10n * BTC}@2`, 'a16f:1': `${30n * BTC}@2`,
      '591e:0': `${1n * BTC}@3`, '591e:1': `${29n * BTC}@3`,
      '12b5:0': `${1n * BTC}@4`, '12b5:1': `${28n * BTC}@4`,
      '298c:0': `${1n * BTC}@4`,
      '4385:0': `${1n * BTC}@5`,
      '828e:0': `${10n * BTC}@5`, '828e:1': `${18n * BTC}@5`,
    };
    for (const policy of ['fifo', 'lifo', 'haircut', 'tiho', 'poison'] as const) expect(amounts(walk({ policy }))).toEqual(want);
  });

  test('behavior: 5 BTC of the coinbase, per policy and per hop, checked by hand', () => {
    const seeds = { outpoints: [{ txid: CB9, vout: 0, amount: 5n * BTC }] };
    // fifo and lifo (one input): the first 5 BTC are the first 5 of block 170's 10 BTC payment to Hal; nothing further.
    expect(amounts(walk({ policy: 'fifo', seeds }))).toEqual({ '0437:0': `${5n * BTC}@0`, 'f418:0': `${5n * BTC}@1` });
    expect(amounts(walk({ policy: 'lifo', seeds }))).toEqual({ '0437:0': `${5n * BTC}@0`, 'f418:0': `${5n * BTC}@1` });
    // tiho: the taint always takes the largest output, the change: 40, 30, 29, 28, 18 BTC.
    expect(amounts(walk({ policy: 'tiho', seeds }))).toEqual({
      '0437:0': `${5n * BTC}@0`, 'f418:1': `${5n * BTC}@1`, 'a16f:1': `${5n * BTC}@2`, '591e:1': `${5n * BTC}@3`, '12b5:1': `${5n * BTC}@4`, '828e:1': `${5n * BTC}@5`,
    });
    // haircut: 10 % of every output downstream: 1 and 4; then 4 BTC over 10/30 -> 1 and 3; 3 over 1/29 -> 0.1 and 2.9;
    // 2.9 over 1/28 -> 0.1 and 2.8; 2.8 over 10/18 -> 1 and 1.8; the 1 BTC payments spent in 187 and 221 stay 10 %.
    expect(amounts(walk({ policy: 'haircut', seeds }))).toEqual({
      '0437:0': `${5n * BTC}@0`,
      'f418:0': `${1n * BTC}@1`, 'f418:1': `${4n * BTC}@1`,
      'a16f:0': `${1n * BTC}@2`, 'a16f:1': `${3n * BTC}@2`,
      '591e:0': `${BTC / 10n}@3`, '591e:1': `${(29n * BTC) / 10n}@3`,
      '12b5:0': `${BTC / 10n}@4`, '12b5:1': `${(28n * BTC) / 10n}@4`,
      '298c:0': `${BTC / 10n}@4`,
      '4385:0': `${BTC / 10n}@5`,
      '828e:0': `${1n * BTC}@5`, '828e:1': `${(18n * BTC) / 10n}@5`,
    });
    // poison: every output touched is wholly tainted, the same as the whole-coinbase walk.
    expect(walk({ policy: 'poison', seeds }).outputs.find((o) => o.txid === T248 && o.vout === 1)?.taint).toBe(18n * BTC);
  });

  test('behavior: each step carries its evidence (txid, amounts in and out), and paths lead back to the seed', () => {
    const run = walk({ policy: 'fifo' });
    expect(run.steps.map((s) => [s.txid, s.hop])).toEqual([[T170, 1], [T181, 2], [T182, 3], [T183, 4], [T187, 5], [T221, 4], [T248, 5]]);
    const s182 = run.steps.find((s) => s.txid === T182)!;
    expect(s182.from).toEqual([{ txid: T181, vout: 1, holder: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', taint: 30n * BTC }]);
    expect(s182.to.map((t) => [t.vout, t.taint])).toEqual([[0, 1n * BTC], [1, 29n * BTC]]);
    expect(s182.fee).toBe(0n);
    const o248 = run.outputs.find((o) => o.txid === T248 && o.vout === 0)!;
    expect(o248.via).toEqual({ txid: T183, vout: 1, amount: 10n * BTC });
  });

  test('behavior: the case-bounded walk reads only the case and equals a walk over the whole chain in memory', () => {
    const cases: PropagateUtxoTaintParams[] = [
      { policy: 'fifo', seeds: { outpoints: [{ txid: T170, vout: 1 }] } },
      { policy: 'haircut', seeds: { addresses: ['p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S'] } },
      { policy: 'poison', seeds: { txids: [T181], outpoints: [{ txid: CB9, vout: 0, amount: 7n }] }, maxHops: 3 },
      { policy: 'lifo', direction: 'backward', seeds: { outpoints: [{ txid: T248, vout: 0 }] } },
      { policy: 'haircut', direction: 'backward', seeds: { txids: [T248, T187] } },
    ];
    for (const p of cases) {
      const source = utxoCaseSource(store.db, 'bitcoin', p.direction);
      const run = propagateUtxoTaint(source, p);
      expect(run).toEqual(propagateUtxoTaint(streamUtxoTransactions(store.db, 'bitcoin', { direction: p.direction }), p));
      expect(run.steps.length).toBeGreaterThan(0);
      // Read: the seeds' transactions and the steps (forward, the spends of the last outputs too), out of 256 blocks.
      expect(source.visited).toBeLessThan(20);
    }
    const fifo = utxoCaseSource(store.db, 'bitcoin');
    propagateUtxoTaint(fifo, { policy: 'fifo', seeds: { outpoints: [{ txid: CB9, vout: 0 }] } });
    // The coinbase, the seven steps of the peel chain and nothing else: the other blocks are never read.
    expect(fifo.visited).toBe(8);
  });

  test('args: --hops stops the walk; a labelled holder stops it; a time window skips later spends', () => {
    const two = walk({ policy: 'fifo', maxHops: 2 });
    expect(two.outputs.filter((o) => o.hop === 2).every((o) => o.stopped === 'hops')).toBe(true);
    expect(two.outputs.some((o) => o.hop > 2)).toBe(false);
    const hal = walk({ policy: 'fifo', stopAt: (h) => h === HAL });
    expect(hal.outputs.find((o) => o.holder === HAL)?.stopped).toBe('label');
    const time183 = store.getBlock('bitcoin', 183)!.time;
    const early = walk({ policy: 'fifo', to: time183 - 1 });
    expect(early.outputs.some((o) => o.txid === T183)).toBe(false);
    expect(early.skipped.map((s) => s.txid)).toContain(T183);
  });

  test('behavior: backward fifo from block 248\'s 10 BTC payment finds the exact units of the coinbase it spent', () => {
    const run = walk({ policy: 'fifo', direction: 'backward', seeds: { outpoints: [{ txid: T248, vout: 0 }] } });
    const back = run.outputs.map((o) => [o.txid.slice(0, 4), o.vout, o.taint, o.spans?.map(([a, b]) => [a / BTC, b / BTC])]);
    // 248's output 0 is the first 10 BTC of its input, 183's change: [0,10) of 12b5:1. 183 pays 1 BTC first, so that
    // is [1,11) of its input 591e:1; 182 pays 1 BTC first: [2,12) of a16f:1; 181 pays 10 BTC first: [12,22) of
    // f418:1; 170 pays Hal 10 BTC first: [22,32) of the block-9 coinbase output, minted by its coinbase (vout -1).
    expect(back).toEqual([
      ['828e', 0, 10n * BTC, [[0n, 10n]]],
      ['12b5', 1, 10n * BTC, [[0n, 10n]]],
      ['591e', 1, 10n * BTC, [[1n, 11n]]],
      ['a16f', 1, 10n * BTC, [[2n, 12n]]],
      ['f418', 1, 10n * BTC, [[12n, 22n]]],
      ['0437', 0, 10n * BTC, [[22n, 32n]]],
      ['0437', -1, 10n * BTC, [[22n, 32n]]],
    ]);
  });
});
