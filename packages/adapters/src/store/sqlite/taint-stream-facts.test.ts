import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { type Flow, type UtxoTransaction, peelChainDefaults, utxoFlow } from '@cryptotrace/core';
// A test helper of the core's own tests, not part of its public API.
import { makeTx } from '../../../../core/src/heuristics/cluster/test-tx.js';
import { streamUtxoTransactions } from './taint-stream.js';
import { CHUNK } from './taint-stream-facts.js';
import { caseNeighbourhood } from './taint-stream-neighbourhood.js';

// The neighbourhood's transactions are held as columns (a fact table): what the detectors get from them must be what
// the whole chain gives, across read chunks, for values past 2^53 and for unconfirmed transactions.
describe('the fact table under a case\'s neighbourhood', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-facts-'));
  const store = openSqliteStore(join(dir, 'case.db'), { create: true });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const id = (n: number) => n.toString(16).padStart(64, '0');
  // More transactions of the holder h than one chunk of a read; each pays x<k> a value no float holds exactly (2^53 + an
  // odd number, up to past 2^62), the change back to h; the last two are unconfirmed (no block).
  const n = CHUNK + 100;
  const txs: UtxoTransaction[] = [];
  for (let k = 1; k <= n; k++) {
    const big = k % 2 ? 2n ** 53n + BigInt(2 * k + 1) : 2n ** 62n + BigInt(2 * k + 1);
    // The change before and a coin from outside the store (the store refuses values that do not add up).
    const outside = `${'d'.repeat(60)}${k.toString(16).padStart(4, '0')}:0`;
    const tx = makeTx({ txid: id(k), height: 10 + Math.floor(k / 10), ins: [['h', 1000n], ['h', big]], spends: [k === 1 ? `${'e'.repeat(64)}:0` : `${id(k - 1)}:1`, outside], outs: [[`x${k}`, big], ['h', 1000n]] });
    txs.push(k > n - 2 ? { ...tx, block: null } : tx);
  }
  store.write({ provenance: { source: 'file', locator: 'test', format: 'test', at: '2026-01-01T00:00:00Z' }, utxoTransactions: txs });

  test('behavior: the fan flows are the whole chain\'s, exact past 2^53; an unconfirmed one carries its place in the chain', () => {
    // The whole chain's flows, each unconfirmed one with its place (1-based) in them.
    const whole: Flow[] = [...streamUtxoTransactions(store.db, 'bitcoin')].map((tx, k) => (tx.block ? utxoFlow(tx) : { ...utxoFlow(tx), seq: k + 1 }));
    expect(whole.filter((f) => f.seq !== undefined).map((f) => f.seq)).toEqual([n - 1, n]);
    const near = caseNeighbourhood(store.db, 'bitcoin', ['h'], peelChainDefaults.maxBlocks);
    const fan = [...near.fan];
    expect(fan).toEqual(whole);
    expect(fan[0].to[0].value).toBe(2n ** 53n + 3n);
    expect(fan[1].to[0].value).toBe(2n ** 62n + 5n);
  });

  test('behavior: the peel candidates are the whole chain\'s transactions, with the outpoints they spend (some not in the store)', () => {
    const near = caseNeighbourhood(store.db, 'bitcoin', ['h'], peelChainDefaults.maxBlocks);
    const peel = [...near.peel];
    const whole = [...streamUtxoTransactions(store.db, 'bitcoin')];
    expect(peel.map((t) => t.txid)).toEqual(whole.map((t) => t.txid));
    expect(peel.map((t) => [t.block, t.inputs.map((i) => [i.prevTxid, i.prevVout, i.coinbase, i.address]), t.outputs.map((o) => [o.index, o.address])]))
      .toEqual(whole.map((t) => [t.block && { height: t.block.height }, t.inputs.map((i) => [i.prevTxid, i.prevVout, i.coinbase, i.address]), t.outputs.map((o) => [o.index, o.address])]));
  });
});
