import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { loadTruth, readAccountTransactions } from '@cryptotrace/fixtures';
import { ctrace, tempDir } from '../support/cli.js';

// The learned identifier on account (EVM) worlds end to end: trained on two stablecoin-approvals worlds, judged on
// one of another seed and size, applied to a store; a model of the other chain kind, or an old file, is refused.
describe('ctrace model train | evaluate, ctrace score on account chains', () => {
  const dir = tempDir();
  const w = (name: string) => join(dir, name);
  const model = w('account.json');
  const gen = (args: string[]) => expect(ctrace(['generate', ...args]).code).toBe(0);
  beforeAll(() => {
    gen(['stablecoin-approvals', '--txs', '4000', '--seed', '31', '--out', w('train1')]);
    gen(['stablecoin-approvals', '--txs', '4000', '--seed', '32', '--out', w('train2')]);
    gen(['stablecoin-approvals', '--txs', '8000', '--seed', '93', '--out', w('test1')]);
    const r = ctrace(['--json', 'model', 'train', '--world', w('train1'), '--world', w('train2'), '--trees', '30', '--out', model]);
    expect(r.code, r.stderr).toBe(0);
    // The CLI has no reader for the generator's account records: the store is written through the store's API.
    const store = openSqliteStore(w('case.db'), { create: true });
    store.write({ provenance: { source: 'generator', locator: w('test1'), format: 'model-ndjson', at: '2026-01-01T00:00:00.000Z' }, accountTransactions: [...readAccountTransactions(w('test1'))] });
    store.close();
  }, 300_000);

  it('default: the model file names its chain kind and feature set, reads the account features, and trains the same bytes twice', () => {
    const m = JSON.parse(readFileSync(model, 'utf8'));
    expect(m).toMatchObject({ format: 'cryptotrace-wallet-model', chainKind: 'account', featureSet: 'account-wallet', kind: 'forest', labels: 'without' });
    expect(m.features).toEqual(expect.arrayContaining(['approvals', 'pulled-out', 'pulls', 'contract-calls', 'token-turnover', 'distinct-tokens', 'degree']));
    expect(m.features).not.toContain('exposure-direct');
    expect(m.training.worlds.map((x: { scenario: string; seed: string }) => [x.scenario, x.seed])).toEqual([['stablecoin-approvals', '31'], ['stablecoin-approvals', '32']]);
    const again = w('again.json');
    expect(ctrace(['model', 'train', '--world', w('train1'), '--world', w('train2'), '--trees', '30', '--out', again]).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(model, 'utf8'));
  }, 300_000);

  it('behavior: on an unseen account world of another seed and size it ranks illicit wallets far above chance, and above direct exposure', () => {
    const r = ctrace(['--json', 'model', 'evaluate', '--model', model, '--world', w('test1')]);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.worlds[0]).toMatchObject({ scenario: 'stablecoin-approvals', seed: '93' });
    expect(e.pooled.learned.illicit).toBeGreaterThan(10);
    expect(e.pooled.learned.auc).toBeGreaterThan(0.9);
    expect(e.pooled.learned.prAuc).toBeGreaterThan(e.pooled.exposure.prAuc);
    expect(e.roles.map((x: { role: string }) => x.role)).toEqual(['aggregator', 'drainer']);
    // The unlabelled view leaves out every wallet holding a seed address as the store holds it (exchange, mixer and
    // DEX seeds too, not only the illicit seeds the haircut ranks first).
    expect(e.unlabelled.leftOut.wallets).toBeGreaterThan(e.seedWallets.wallets);
    expect(e.unlabelled.learned).toMatchObject({ wallets: e.pooled.learned.wallets - e.unlabelled.leftOut.wallets, illicit: e.pooled.learned.illicit - e.unlabelled.leftOut.illicit });
    expect(e.importances.map((x: { feature: string }) => x.feature).sort()).toEqual([...JSON.parse(readFileSync(model, 'utf8')).features].sort());
  }, 300_000);

  it('default: score ranks an account store\'s wallets with their probability and top contributions, the same bytes each run', () => {
    const r = ctrace(['--db', w('case.db'), '--json', 'score', '--model', model, '--limit', '5']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ chain: 'ethereum' });
    expect(s.scored).toHaveLength(5);
    expect(s.scored[0].contributions).toHaveLength(5);
    expect(Number(s.scored[0].probability)).toBeGreaterThanOrEqual(Number(s.scored[4].probability));
    expect(ctrace(['--db', w('case.db'), '--json', 'score', '--model', model, '--limit', '5']).stdout).toBe(r.stdout);
    // suspects --model on the account chain, from the drainer: each suspect carries its wallet's learned probability.
    const drainer = loadTruth(w('test1')).addresses.find((a) => a.role === 'drainer')!.address;
    const sus = ctrace(['--db', w('case.db'), '--json', 'suspects', '--source', drainer, '--model', model, '--limit', '5']);
    expect(sus.code, sus.stderr).toBe(0);
    const list = JSON.parse(sus.stdout).suspects as { learned: { probability: string; how: string } }[];
    expect(list.length).toBeGreaterThan(0);
    for (const x of list) expect(x.learned).toMatchObject({ probability: expect.stringMatching(/^[01]\.\d{6}$/), how: expect.stringMatching(/^combined = /) });
  }, 300_000);

  it('error: a model of the other chain kind, an old file without one, or worlds of two kinds: one line naming the mismatch, exit 2', () => {
    gen(['darknet-market', '--txs', '1500', '--seed', '5', '--era', '587500', '--out', w('utxo')]);
    const utxoModel = w('utxo.json');
    expect(ctrace(['model', 'train', '--world', w('utxo'), '--trees', '20', '--out', utxoModel]).code).toBe(0);
    const one = (r: { code: number; stderr: string }, pattern: RegExp) => {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    one(ctrace(['--db', w('case.db'), 'score', '--model', utxoModel]), /the model reads utxo wallets \(feature set utxo-wallet\) but .*case\.db's chain ethereum is an account chain: train a model on account worlds/);
    const utxoDb = w('utxo.db');
    expect(ctrace(['--db', utxoDb, 'ingest', join(w('utxo'), 'blk00000.dat')]).code).toBe(0);
    one(ctrace(['--db', utxoDb, 'score', '--model', model]), /the model reads account wallets \(feature set account-wallet\) but .* is a utxo chain/);
    one(ctrace(['model', 'evaluate', '--model', model, '--world', w('utxo')]), /the model reads account wallets .* but the world .*utxo \(darknet-market\) is a utxo chain/);
    one(ctrace(['model', 'train', '--world', w('train1'), '--world', w('utxo'), '--out', w('mixed.json')]), /is a world of utxo chains and .*train1 of account chains: a model reads one chain kind/);
    const { chainKind: _, featureSet: __, ...old } = JSON.parse(readFileSync(model, 'utf8'));
    writeFileSync(w('old.json'), JSON.stringify(old));
    one(ctrace(['--db', w('case.db'), 'score', '--model', w('old.json')]), /old\.json names no chain kind \(a model file from before account chains/);
    writeFileSync(w('set.json'), JSON.stringify({ ...old, chainKind: 'account', featureSet: 'account-wallet-v0' }));
    one(ctrace(['--db', w('case.db'), 'score', '--model', w('set.json')]), /reads the feature set "account-wallet-v0"; a account model here reads "account-wallet"/);
  }, 300_000);
});
