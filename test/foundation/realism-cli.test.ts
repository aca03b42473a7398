import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

// Mainnet block 587,500 (July 2019, 777 transactions).
const BLOCK = 'data/bitcoin/core-getblock/0000000000000000001702d1e49582d61b6a3f451e98be3169c801b35b2ffa0d.hex';

describe('ctrace realism', () => {
  const dir = tempDir();
  const world = join(dir, 'world');
  beforeAll(() => {
    const r = ctrace(['generate', 'economy', '--txs', '20000', '--era', '587500', '--block-txs', '800', '--seed', '1', '--out', world]);
    expect(r.code, r.stderr).toBe(0);
  });

  it.skipIf(!hasShared(BLOCK))(needs(BLOCK, 'behavior: an economy world of the 2019 era is within 0.10 of block 587,500 on every statistic'), () => {
    const r = ctrace(['--json', 'realism', world, shared(BLOCK)]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.real).toMatchObject({ files: 1, chain: 'bitcoin', transactions: 776 });
    expect(report.world.transactions).toBeGreaterThan(19_000);
    expect(report.statistics.map((s: { name: string }) => s.name)).toEqual([
      'inputs-per-tx', 'outputs-per-tx', 'two-output-txs', 'input-script-types', 'output-script-types', 'output-values',
      'round-outputs', 'locktime', 'version', 'rbf', 'segwit', 'address-reuse',
    ]);
    const far = report.statistics.filter((s: { distance: string }) => Number(s.distance) > 0.1).map((s: { name: string; distance: string }) => `${s.name} ${s.distance}`);
    expect(far).toEqual([]);
    expect(report.over).toEqual([]);
    // The synthetic world is far from it: the report tells them apart.
    const synthetic = join(dir, 'synthetic');
    expect(ctrace(['generate', 'economy', '--txs', '5000', '--out', synthetic]).code).toBe(0);
    const s = JSON.parse(ctrace(['--json', 'realism', synthetic, shared(BLOCK)]).stdout);
    expect(s.over).toEqual(expect.arrayContaining(['input-script-types', 'version', 'locktime']));
    // Deterministic: the same inputs give the same bytes.
    expect(ctrace(['--json', 'realism', world, shared(BLOCK)]).stdout).toBe(r.stdout);
  });

  it('default: the text report has a table of distances and each distribution', () => {
    const r = ctrace(['realism', world, join(world, 'blk00000.dat')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/statistic\s+distance/);
    expect(r.stdout).toMatch(/segwit: transactions carrying witness data/);
    expect(r.stdout).toContain('every statistic is within 0.10 of the real blocks');
  });

  it('error: a directory without blocks, or a file that is no block, is one line and exit 2', () => {
    for (const args of [['realism', dir, join(world, 'blk00000.dat')], ['realism', world, join(world, 'manifest.json')]]) {
      const r = ctrace(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ctrace: /);
    }
    expect(ctrace(['realism', world, join(world, 'blk00000.dat'), '--threshold', 'x']).stderr).toMatch(/--threshold "x" is not a distance/);
  });
});
