import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { core, fixtures } from './deps.js';
import { measureEvm } from './measure-evm.js';
import { type ChangeRow, type PairRow, measureUtxo } from './measure-utxo.js';
import { calibrationTable, changeTable, coinjoinTable, pairTable } from './report.js';

/**
 * `pnpm accuracy`: generate every scenario with its ground truth, cluster it with each rule and combination, and
 * print same-owner pair precision and recall, change precision and recall, the largest false merge, and whether any
 * CoinJoin merged two owners, as markdown tables for the README.
 */
const { values } = parseArgs({
  options: {
    txs: { type: 'string', default: '20000' },
    seed: { type: 'string', default: 'accuracy-1' },
    scenarios: { type: 'string', default: fixtures.SCENARIOS.join(',') },
    json: { type: 'boolean', default: false },
    /** Generate the UTXO scenarios in the era of this block height (generate --era); adds the calibration table. */
    era: { type: 'string' },
    /** The change vote's fingerprint redundancy (heuristics.md §2); 0 measures the independent vote of before. */
    'fingerprint-redundancy': { type: 'string' },
  },
});
const txCount = Number(values.txs);
const dir = mkdtempSync(join(tmpdir(), 'ctrace-accuracy-'));
const pairs: PairRow[] = [];
const change: ChangeRow[] = [];
const coinjoins: { scenario: string; truth: number; flagged: number; falseLinks: number }[] = [];
try {
  for (const scenario of values.scenarios!.split(',')) {
    const out = join(dir, scenario);
    const started = Date.now();
    const utxo = !(fixtures.EVM_SCENARIOS as readonly string[]).includes(scenario);
    fixtures.generateScenario(scenario, { txs: txCount, seed: values.seed!, out, model: true, ...(values.era && utxo ? { era: Number(values.era) } : {}) });
    const truth = fixtures.loadTruth(out);
    if (truth.manifest.model === 'account') {
      pairs.push(...measureEvm(scenario, [...fixtures.readAccountTransactions(out)], truth));
    } else {
      const redundancy = values['fingerprint-redundancy'] === undefined ? undefined : Number(values['fingerprint-redundancy']);
      const r = measureUtxo(scenario, [...fixtures.readUtxoTransactions(out)], truth, redundancy);
      pairs.push(...r.pairs);
      change.push(...r.change);
      const guarded = r.pairs.find((p) => p.config === 'multi-input')!;
      coinjoins.push({ scenario, ...r.coinjoins, falseLinks: guarded.coinjoinFalseLinks });
    }
    process.stderr.write(`${scenario}: ${truth.manifest.transactions} txs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (values.json) {
  process.stdout.write(`${JSON.stringify({ txs: txCount, seed: values.seed, pairs, change, coinjoins }, null, 2)}\n`);
} else {
  const era = values.era ? `, era of block ${values.era}` : ', synthetic worlds';
  process.stdout.write(`# cryptotrace accuracy (${txCount} transactions per scenario, seed ${values.seed}, generator v${fixtures.GENERATOR_VERSION}${era})\n\n`);
  process.stdout.write(`## Same-owner pairs\n\n${pairTable(pairs)}\n## Change detection (pooled over the UTXO scenarios)\n\n${changeTable(change)}\n## CoinJoin guard\n\n${coinjoinTable(coinjoins)}`);
  process.stdout.write(`\n## Calibration: change rules against Möser and Narayanan (FC 2022)\n\n${calibrationTable(change)}`);
}
const failed = pairs.filter((p) => p.config === 'multi-input' && p.precision < 0.99).length + coinjoins.filter((c) => c.falseLinks > 0).length;
process.exitCode = failed > 0 ? 1 : 0;
void core;
