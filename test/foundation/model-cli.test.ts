import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';

// The learned identifier end to end on generated worlds: trained on some, judged on a world of another scenario,
// seed and size, and applied to a store.
describe('ctrace model train | evaluate, ctrace score', () => {
  const dir = tempDir();
  const w = (name: string) => join(dir, name);
  const model = w('model.json');
  beforeAll(() => {
    for (const [scenario, txs, seed, out] of [['darknet-market', '3000', '21', 'train1'], ['aggregator', '3000', '22', 'train2'], ['ransomware', '4000', '93', 'test1']]) {
      const r = ctrace(['generate', scenario, '--txs', txs, '--seed', seed, '--era', '587500', '--out', w(out)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const r = ctrace(['--json', 'model', 'train', '--world', w('train1'), '--world', w('train2'), '--trees', '20', '--out', model]);
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);

  it('default: the model file holds its features, training manifest, hyperparameters and metrics; training is deterministic', () => {
    const m = JSON.parse(readFileSync(model, 'utf8'));
    expect(m).toMatchObject({ format: 'cryptotrace-wallet-model', version: 2, kind: 'forest', labels: 'without', seed: 1 });
    expect(m.features).not.toContain('exposure-direct');
    expect(m.training.worlds.map((x: { scenario: string; seed: string }) => [x.scenario, x.seed])).toEqual([['darknet-market', '21'], ['aggregator', '22']]);
    expect(m.training.metrics.auc).toBeGreaterThan(0.9);
    const again = w('again.json');
    expect(ctrace(['model', 'train', '--world', w('train1'), '--world', w('train2'), '--trees', '20', '--out', again]).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(model, 'utf8'));
  }, 240_000);

  it('behavior: on an unseen world of a held-out scenario it ranks illicit wallets far above chance, and above direct exposure', () => {
    const r = ctrace(['--json', 'model', 'evaluate', '--model', model, '--world', w('test1')]);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.worlds[0]).toMatchObject({ scenario: 'ransomware', seed: '93' });
    expect(e.pooled.learned.auc).toBeGreaterThan(0.8);
    expect(e.pooled.learned.auc).toBeGreaterThan(e.pooled.exposure.auc);
    expect(e.roles.map((x: { role: string }) => x.role)).toContain('ransomware');
    // Global importances over every feature the model reads, and the wallets it gets wrong, with who they are.
    expect(e.importances.map((x: { feature: string }) => x.feature).sort()).toEqual([...JSON.parse(readFileSync(model, 'utf8')).features].sort());
    expect(e.errors.falsePositives.length).toBeGreaterThan(0);
    expect(e.errors.falsePositives[0]).toMatchObject({ kind: expect.any(String), role: null, contributions: expect.any(Array) });
  }, 240_000);

  it('default: score ranks a store\'s wallets with their probability, addresses and top contributions', () => {
    const db = w('case.db');
    expect(ctrace(['--db', db, 'ingest', join(w('test1'), 'blk00000.dat')]).code).toBe(0);
    const r = ctrace(['--db', db, '--json', 'score', '--model', model, '--limit', '5']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.scored).toHaveLength(5);
    expect(s.scored[0]).toMatchObject({ rank: 1, probability: expect.stringMatching(/^0\.\d{6}$|^1\.000000$/), addresses: expect.any(Array) });
    expect(s.scored[0].contributions).toHaveLength(5);
    expect(Number(s.scored[0].probability)).toBeGreaterThanOrEqual(Number(s.scored[4].probability));
    expect(ctrace(['--db', db, '--json', 'score', '--model', model, '--limit', '5']).stdout).toBe(r.stdout);
    expect(ctrace(['--db', db, 'score', '--model', model, '--limit', '3']).stdout).toMatch(/top contributions/);
  }, 240_000);

  it('behavior: suspects --model ranks by exposure and learned probability together and says how in every row', () => {
    const db = w('case.db');
    // From a ransom payment address of the world's truth: its money moves on, so there are suspects to rank.
    const truth = readFileSync(join(w('test1'), 'truth/addresses.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { address: string; role: string });
    const source = truth.find((a) => a.role === 'ransom-payment')!.address;
    const r = ctrace(['--db', db, '--json', 'suspects', '--source', source, '--model', model, '--limit', '10']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout).suspects as { rank: number; score: string; learned: { probability: string; combined: string; how: string } }[];
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(s.learned.how).toMatch(/combined = \(exposure score \/ 100 \+ learned probability\) \/ 2/);
      expect(Number(s.learned.combined)).toBeCloseTo((Number(s.score) / 100 + Number(s.learned.probability)) / 2, 5);
    }
    expect(list.map((s) => s.rank)).toEqual(list.map((_, i) => i + 1));
    const combined = list.map((s) => Number(s.learned.combined));
    expect(combined).toEqual([...combined].sort((a, b) => b - a));
  });

  it('error: a model of another version or feature set is one line naming the mismatch, exit 2', () => {
    const m = JSON.parse(readFileSync(model, 'utf8'));
    const bad = w('bad.json');
    writeFileSync(bad, JSON.stringify({ ...m, version: 9 }));
    let r = ctrace(['--db', w('case.db'), 'score', '--model', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is a version 9 model; this cryptotrace reads version 2/);
    // A model trained before the features of issue 19 (version 1, 25 features): one line, exit 2, for score and evaluate.
    writeFileSync(bad, JSON.stringify({ ...m, version: 1, features: m.features.filter((f: string) => !['median-receipt', 'pagerank'].includes(f)) }));
    for (const args of [['--db', w('case.db'), 'score', '--model', bad], ['model', 'evaluate', '--model', bad, '--world', w('test1')]]) {
      r = ctrace(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/bad\.json is a version 1 model; this cryptotrace reads version 2: train it again with ctrace model train/);
    }
    writeFileSync(bad, JSON.stringify({ ...m, features: [...m.features, 'moon-phase'] }));
    r = ctrace(['--db', w('case.db'), 'score', '--model', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reads features this cryptotrace does not compute \(moon-phase\)/);
  });
});
