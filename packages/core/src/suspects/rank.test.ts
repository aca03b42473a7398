import { describe, expect, test } from 'vitest';
import { createLabelIndex } from '../labels/label-index.js';
import type { Label } from '../labels/label.js';
import { propagateUtxoTaint } from '../heuristics/taint/propagate-utxo.js';
import { shareText, summarizeTaint } from '../heuristics/taint/summarize.js';
import type { UtxoTransaction } from '../model/utxo.js';
import { comparePolicies } from './compare.js';
import { percent, rankSuspects } from './rank.js';

// A small hand-made world: S (the source) pays A 6 and B 4; A pays C 6; B pays X (an exchange) 4; C also gets 6 clean.
const tx = (txid: string, height: number, ins: [string, number, string, bigint][], outs: [string, bigint][]): UtxoTransaction => ({
  chain: 'bitcoin', txid, block: { hash: `h${height}`, height, time: 1000 + height }, position: 0, version: 1, locktime: 0, size: null, vsize: null,
  inputs: ins.map(([prevTxid, prevVout, address, value], index) => ({ index, prevTxid, prevVout, sequence: 0, coinbase: false, address, scriptId: null, value, resolved: true })),
  outputs: outs.map(([address, value], index) => ({ index, value, scriptType: 'p2pkh', address, scriptId: null })),
});
const txs = [
  tx('t0', 1, [['f0', 0, 'Z', 10n]], [['S', 10n]]),
  tx('t1', 2, [['t0', 0, 'S', 10n]], [['A', 6n], ['B', 4n]]),
  tx('t2', 3, [['t1', 0, 'A', 6n]], [['C', 6n]]),
  tx('t3', 4, [['t1', 1, 'B', 4n]], [['X', 4n]]),
  tx('t4', 5, [['f1', 0, 'Y', 6n]], [['C', 6n]]),
];
const label = (address: string, category: string): Label => ({ chain: 'bitcoin', address, category, actor: '', source: 'test', confidence: 90, validFrom: null, name: null });
const labels = createLabelIndex([label('S', 'ransomware'), label('X', 'exchange')]);
const received: Record<string, bigint> = { A: 6n, B: 4n, C: 12n, X: 4n, S: 10n };

function ranked(policy: 'fifo' | 'haircut', clusterOf?: (h: string) => string | null) {
  const run = propagateUtxoTaint(txs, { policy, seeds: { addresses: ['S'] }, stopAt: (h) => labels.has('bitcoin', h) });
  const summary = summarizeTaint(run, { receivedOf: (h) => received[h] ?? null, clusterOf });
  return { summary, ...rankSuspects(summary, { chain: 'bitcoin', labels, sources: new Set(['S']), sourceLabels: ['ransomware'] }) };
}

describe('suspect ranking', () => {
  test('default: score is tainted / received; direct and indirect parts; the exchange is a service, the source is left out', () => {
    const { suspects, services } = ranked('fifo');
    expect(suspects.map((s) => [s.rank, s.wallet, s.score, s.parts.direct, s.parts.indirect, s.parts.received, s.parts.minHop])).toEqual([
      [1, 'A', '100.00', 6n, 0n, 6n, 1],
      [2, 'B', '100.00', 4n, 0n, 4n, 1],
      [3, 'C', '50.00', 0n, 6n, 12n, 2],
    ]);
    expect(services).toEqual([{ wallet: 'X', labels: ['exchange'], tainted: 4n }]);
    expect(suspects[2].evidence.paths).toEqual([{ amount: 6n, hops: [
      { txid: 't0', vout: 0, holder: 'S', amount: 6n }, { txid: 't1', vout: 0, holder: 'A', amount: 6n }, { txid: 't2', vout: 0, holder: 'C', amount: 6n },
    ] }]);
    expect(suspects[0].parts.sourceLabels).toEqual(['ransomware']);
  });

  test('behavior: clusters are ranked as one wallet where the store knows them', () => {
    const { suspects, summary } = ranked('fifo', (h) => (h === 'A' || h === 'C' ? 'cluster:A' : null));
    expect(summary.clusters.map((c) => [c.holder, c.taint, c.received])).toEqual([['cluster:A', 12n, 18n]]);
    expect(suspects.map((s) => [s.wallet, s.kind, s.addresses, s.score])).toEqual([['B', 'address', ['B'], '100.00'], ['cluster:A', 'cluster', ['A', 'C'], '66.66']]);
  });

  test('behavior: comparing policies lines up each wallet\'s rank', () => {
    const rows = comparePolicies({ fifo: ranked('fifo').suspects, haircut: ranked('haircut').suspects });
    expect(rows.map((r) => [r.wallet, r.byPolicy.fifo?.rank, r.byPolicy.haircut?.rank])).toEqual([['A', 1, 1], ['B', 2, 2], ['C', 3, 3]]);
  });

  test('args: exact decimal shares and percents, rounded down', () => {
    expect(shareText(1n, 3n)).toBe('0.333333');
    expect(shareText(5n, 0n)).toBe('0.000000');
    expect(percent(2n, 3n)).toBe('66.66');
    expect(percent(3n, 3n)).toBe('100.00');
  });
});
