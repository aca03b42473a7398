import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type SqliteStore, ingestFiles, openSqliteStore } from '@cryptotrace/adapters';
import { type TypologyHit, type UtxoTransaction, detectFanPatterns, detectPeelChains, peelChainDefaults, utxoFlow } from '@cryptotrace/core';
// A test helper of the core's own tests, not part of its public API.
import { makeTx } from '../../../../core/src/heuristics/cluster/test-tx.js';
import { loadTruth, writeUtxoScenario } from '@cryptotrace/fixtures';
import { streamUtxoTransactions } from './taint-stream.js';
import { caseNeighbourhood } from './taint-stream-neighbourhood.js';

// The typology detectors on generated worlds with ten transactions a block (a realistic pace: the peel and
// aggregator patterns are about speed), judged against the truth's owners and transaction types.
const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterAll(() => {
  stores.forEach((s) => s.close());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function world(name: 'darknet-market' | 'aggregator', seed: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-typology-'));
  dirs.push(dir);
  writeUtxoScenario(name, { txs: 3000, seed, blockTxs: 10 }, { out: dir, model: false });
  const store = openSqliteStore(join(dir, 'case.db'), { create: true });
  await ingestFiles(store, readdirSync(dir).filter((f) => f.startsWith('blk')).map((f) => join(dir, f)));
  const truth = loadTruth(dir);
  const chain = 'bitcoin-regtest';
  const hits = [
    ...detectPeelChains(streamUtxoTransactions(store.db, chain)),
    ...detectFanPatterns((function* () { for (const tx of streamUtxoTransactions(store.db, chain)) yield utxoFlow(tx); })()),
  ];
  stores.push(store);
  const kind = new Map(truth.entities.map((e) => [e.id, `${e.kind}${e.illicit ? '*' : ''}`]));
  const kindOf = (h: TypologyHit) => kind.get(truth.ownerOf.get(h.holder) ?? '') ?? '?';
  const tally = (typology: string) => {
    const t: Record<string, number> = {};
    for (const h of hits.filter((x) => x.typology === typology)) t[kindOf(h)] = (t[kindOf(h)] ?? 0) + 1;
    return t;
  };
  return { truth, hits, tally, store, chain };
}

describe('typologies on generated worlds', () => {
  test('default: darknet market: every market consolidation found, sweeps only at exchanges, aggregators only illicit', async () => {
    const { truth, hits, tally } = await world('darknet-market', 'typology-1');
    const marketConsolidations = truth.transactions.filter((t) => t.type === 'consolidation' && t.owner?.startsWith('market')).map((t) => t.txid);
    const found = new Set(hits.filter((h) => h.typology === 'market-consolidation').flatMap((h) => h.txids));
    // Measured: 17 of 19 (two consolidations of fewer than 3 order addresses are below minInputs).
    expect(marketConsolidations.filter((t) => found.has(t)).length).toBeGreaterThanOrEqual(17);
    expect(Object.keys(tally('market-consolidation'))).toEqual(['market*']);
    expect(Object.keys(tally('deposit-sweep'))).toEqual(['exchange']);
    expect(Object.keys(tally('aggregator')).every((k) => k.endsWith('*'))).toBe(true);
    // Every peel of the vendors' cash-out chains is in a detected chain; some wallets spending change quickly look alike.
    const peels = truth.transactions.filter((t) => t.type === 'peel').map((t) => t.txid);
    const inChains = new Set(hits.filter((h) => h.typology === 'peel-chain').flatMap((h) => h.txids));
    expect(peels.length).toBeGreaterThan(0);
    expect(peels.every((t) => inChains.has(t))).toBe(true);
    expect(tally('peel-chain')['vendor*']).toBeGreaterThanOrEqual(4);
    console.log('darknet-market typologies by owner kind:', JSON.stringify(Object.fromEntries(['peel-chain', 'aggregator', 'market-consolidation', 'deposit-sweep'].map((t) => [t, tally(t)]))));
  });

  test('default: aggregator world: the fan-in then fan-out wallet is found, and nothing licit is called an aggregator', async () => {
    const { tally } = await world('aggregator', 'typology-3');
    expect(Object.keys(tally('aggregator'))).toEqual(['aggregator*']);
    expect(Object.keys(tally('deposit-sweep'))).toEqual(['exchange']);
    console.log('aggregator typologies by owner kind:', JSON.stringify(Object.fromEntries(['peel-chain', 'aggregator', 'market-consolidation', 'deposit-sweep'].map((t) => [t, tally(t)]))));
  });

  test('behavior: the hits naming a case\'s holders are the same read from their neighbourhood as from the whole chain', async () => {
    for (const [name, seed] of [['darknet-market', 'typology-1'], ['aggregator', 'typology-3']] as const) {
      const { truth, hits, store, chain } = await world(name, seed);
      const total = store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
      const addresses = [...new Set(truth.addresses.map((a) => a.address))].sort();
      let compared = 0;
      // Cases of 40 addresses each, across the world (every third one, to keep the test quick).
      for (let k = 0; k < addresses.length; k += 120) {
        const holders = new Set(addresses.slice(k, k + 40));
        const naming = (list: TypologyHit[]) => list.filter((t) => holders.has(t.holder) || t.members.some((m) => holders.has(m)));
        const near = caseNeighbourhood(store.db, chain, holders, peelChainDefaults.maxBlocks);
        const ours = [...detectPeelChains(near.peel), ...detectFanPatterns(near.fan)];
        expect(naming(ours)).toEqual(naming(hits));
        compared += naming(hits).length;
        expect(near.visited).toBeLessThan(total);
      }
      expect(compared).toBeGreaterThan(0);
      // The whole world as one case: more holders, transactions and spends than one chunk of a read (500).
      const everyone = new Set(addresses);
      const whole = caseNeighbourhood(store.db, chain, everyone, peelChainDefaults.maxBlocks);
      const peel = [...whole.peel];
      expect(peel.length).toBeGreaterThan(500);
      expect([...detectPeelChains(peel), ...detectFanPatterns(whole.fan)]).toEqual(hits.filter((t) => everyone.has(t.holder) || t.members.some((m) => everyone.has(m))));
    }
  });
});

describe('peel chains from a case\'s neighbourhood', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-peel-'));
  dirs.push(dir);
  const store = openSqliteStore(join(dir, 'case.db'), { create: true });
  stores.push(store);
  const id = (n: number) => n.toString(16).padStart(64, '0');
  const tx = (n: number, height: number, spends: string, holder: string, outs: [string, number][]): UtxoTransaction =>
    makeTx({ txid: id(n), height, ins: [[holder, outs[0][1] + outs[1][1]]], spends: [spends], outs });
  // The case's holder h pays A; A's change goes on in B and C (near hops: within 2 blocks of the one before). D spends
  // A's payment 4 blocks after A: a far hop, joined only because C (block 13) is within 2 blocks of it. E spends D's
  // change (near). G spends D's payment 3 blocks after D: a far hop that is a candidate only once D is in the chain,
  // and joins only because E (block 16) is: found in a second round. Z spends C's payment too late (block 30).
  const A = tx(1, 10, `${'e'.repeat(64)}:0`, 'h', [['pA', 100], ['cA', 900]]);
  const B = tx(2, 11, `${id(1)}:1`, 'cA', [['pB', 100], ['cB', 800]]);
  const C = tx(3, 13, `${id(2)}:1`, 'cB', [['pC', 100], ['cC', 700]]);
  const D = tx(4, 14, `${id(1)}:0`, 'pA', [['pD', 10], ['cD', 90]]);
  const E = tx(5, 16, `${id(4)}:1`, 'cD', [['pE', 10], ['cE', 80]]);
  const G = tx(6, 17, `${id(4)}:0`, 'pD', [['pG', 1], ['cG', 9]]);
  const Z = tx(7, 30, `${id(3)}:0`, 'pC', [['pZ', 1], ['cZ', 99]]);
  store.write({ provenance: { source: 'file', locator: 'test', format: 'test', at: '2026-01-01T00:00:00Z' }, utxoTransactions: [A, B, C, D, E, G, Z] });

  test('behavior: a far hop that is a candidate only after an earlier round is in the chain, as over the whole chain', () => {
    const want: TypologyHit[] = [{
      typology: 'peel-chain', holder: 'cA', members: ['cB', 'cD', 'h', 'pA', 'pD', 'pB'], asset: 'native', txids: [1, 2, 3, 4, 5, 6].map(id),
      detail: '6 transactions in quick succession, each spending an output of the one before and paying 5 others off',
    }];
    expect(detectPeelChains(streamUtxoTransactions(store.db, 'bitcoin'))).toEqual(want);
    const near = caseNeighbourhood(store.db, 'bitcoin', ['h'], peelChainDefaults.maxBlocks);
    // Every member, and no more: Z (too late) is neither read as a peel candidate nor in a hit.
    expect([...near.peel].map((t) => t.txid)).toEqual([1, 2, 3, 4, 5, 6].map(id));
    expect(detectPeelChains(near.peel)).toEqual(want);
  });
});
