#!/usr/bin/env node
// Accuracy of taint and suspect ranking on generated scenarios with ground truth (issue 6).
// Run after `pnpm build`: node scripts/accuracy-taint.mjs [--txs N] [--json]
// For each scenario: whether fifo dirty amounts equal the truth on every output, whether the reached addresses equal
// the truth, and per policy the ranking's precision at k (k = illicit addresses) and ROC AUC (addresses the walk
// never reached score 0; source addresses are left out).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles, openSqliteStore, streamUtxoTransactions, taintLookups } from '../packages/adapters/dist/index.js';
import { createLabelIndex, precisionAtK, propagateUtxoTaint, rankSuspects, rocAuc, summarizeTaint } from '../packages/core/dist/index.js';
import { loadTruth, writeUtxoScenario } from '../fixtures/dist/index.js';

const args = process.argv.slice(2);
const txs = Number(args.includes('--txs') ? args[args.indexOf('--txs') + 1] : 3000);
const asJson = args.includes('--json');
const SCENARIOS = [['darknet-market', 'taint-1'], ['ransomware', 'taint-2'], ['aggregator', 'taint-3']];
const POLICIES = ['fifo', 'lifo', 'haircut', 'tiho', 'poison'];
const chain = 'bitcoin-regtest';
const rows = [];

for (const [name, seed] of SCENARIOS) {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-accuracy-'));
  try {
    writeUtxoScenario(name, { txs, seed }, { out: dir, model: false });
    const store = openSqliteStore(join(dir, 'case.db'), { create: true });
    await ingestFiles(store, readdirSync(dir).filter((f) => f.startsWith('blk')).map((f) => join(dir, f)));
    const truth = loadTruth(dir);
    const outpoints = truth.transactions.flatMap((t) => (t.sources ?? []).map((vout) => ({ txid: t.txid, vout })));
    const want = new Map(truth.transactions.flatMap((t) => (t.dirty ?? []).map((d) => [`${t.txid}:${d.vout}`, BigInt(d.amount)])));
    const illicit = new Set(truth.entities.filter((e) => e.illicit).map((e) => e.id));
    for (const policy of POLICIES) {
      const run = propagateUtxoTaint(streamUtxoTransactions(store.db, chain), { policy, seeds: { outpoints } });
      const row = { scenario: name, txs, policy };
      if (policy === 'fifo') {
        const ours = new Map(run.outputs.map((o) => [`${o.txid}:${o.vout}`, o.taint]));
        const keys = new Set([...ours.keys(), ...want.keys()]);
        row.dirtyOutputs = want.size;
        row.fifoExact = [...keys].every((k) => ours.get(k) === want.get(k));
        const reached = new Set(run.outputs.filter((o) => o.taint > 0n && o.holder).map((o) => o.holder));
        row.reachedEqual = reached.size === truth.reached.size && [...reached].every((a) => truth.reached.has(a));
      }
      const summary = summarizeTaint(run, taintLookups(store.db, chain));
      const seeds = new Set(run.outputs.filter((o) => o.hop === 0 && o.holder).map((o) => o.holder));
      const { suspects } = rankSuspects(summary, { chain, labels: createLabelIndex([]), sources: seeds, useClusters: false });
      const score = new Map(suspects.map((s) => [s.wallet, Number(s.score)]));
      const items = truth.addresses.filter((a) => !seeds.has(a.address)).map((a) => ({ id: a.address, score: score.get(a.address) ?? 0, positive: illicit.has(a.entity) }));
      const k = items.filter((i) => i.positive).length;
      Object.assign(row, { addresses: items.length, illicit: k, precisionAtK: Number(precisionAtK(items, k).toFixed(3)), rocAuc: Number(rocAuc(items).toFixed(3)) });
      rows.push(row);
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (asJson) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const cols = ['scenario', 'policy', 'fifoExact', 'reachedEqual', 'addresses', 'illicit', 'precisionAtK', 'rocAuc'];
  const cell = (r, c) => (r[c] === undefined ? '' : String(r[c]));
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (cells) => cells.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd();
  console.log(`taint and suspect ranking on generated scenarios (${txs} transactions each; k = illicit addresses)`);
  console.log(line(cols));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
}
if (rows.some((r) => r.policy === 'fifo' && (!r.fifoExact || !r.reachedEqual))) process.exitCode = 1;
