import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type SqliteStore, ingestFiles, openSqliteStore } from '@cryptotrace/adapters';
import { type TypologyHit, detectFanPatterns, detectPeelChains, peelChainDefaults, utxoFlow } from '@cryptotrace/core';
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
    }
  });
});
