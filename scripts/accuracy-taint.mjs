#!/usr/bin/env node
// Accuracy of taint and suspect ranking on generated scenarios with ground truth (issue 6).
// Run after `pnpm build`: node scripts/accuracy-taint.mjs [--txs N] [--era H] [--clusters RULES [--fingerprint-redundancy X]] [--json]
// For each scenario: whether fifo dirty amounts equal the truth on every output, whether the reached addresses equal
// the truth, and per policy the ranking's precision at k (k = illicit addresses) and ROC AUC (addresses the walk
// never reached score 0; source addresses are left out); and the typology detectors' hits by the truth owner's kind
// (a `*` marks an illicit owner), on the same worlds generated at ten transactions a block.
// --clusters RULES (e.g. multi-input,change) builds the store's clusters with those rules first and ranks wallets
// (clusters): each address then scores its cluster's rank, so the figure moves with the clustering; the change vote's
// fingerprint redundancy (heuristics.md §2) can be set to compare combinations (0: the independent vote).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles, openSqliteStore, rebuildClusters, streamUtxoTransactions, taintLookups } from '../packages/adapters/dist/index.js';
import { createLabelIndex, detectFanPatterns, detectPeelChains, parseRuleSet, precisionAtK, propagateUtxoTaint, rankSuspects, rocAuc, summarizeTaint, utxoFlow } from '../packages/core/dist/index.js';
import { loadTruth, writeUtxoScenario } from '../fixtures/dist/index.js';

const args = process.argv.slice(2);
const txs = Number(args.includes('--txs') ? args[args.indexOf('--txs') + 1] : 3000);
// Worlds of an era (generate --era): the realistic wallets instead of the synthetic ones.
const era = args.includes('--era') ? Number(args[args.indexOf('--era') + 1]) : undefined;
const asJson = args.includes('--json');
const clusterRules = args.includes('--clusters') ? args[args.indexOf('--clusters') + 1] : undefined;
const redundancy = args.includes('--fingerprint-redundancy') ? Number(args[args.indexOf('--fingerprint-redundancy') + 1]) : undefined;
const SCENARIOS = [['darknet-market', 'taint-1'], ['ransomware', 'taint-2'], ['aggregator', 'taint-3']];
const POLICIES = ['fifo', 'lifo', 'haircut', 'tiho', 'poison'];
const chain = 'bitcoin-regtest';
const rows = [];
const typologyRows = [];

for (const [name, seed] of SCENARIOS) {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-accuracy-'));
  try {
    writeUtxoScenario(name, { txs, seed, ...(era === undefined ? {} : { era }) }, { out: dir, model: false });
    const store = openSqliteStore(join(dir, 'case.db'), { create: true });
    await ingestFiles(store, readdirSync(dir).filter((f) => f.startsWith('blk')).map((f) => join(dir, f)));
    if (clusterRules) {
      const set = parseRuleSet(clusterRules);
      if (redundancy !== undefined) set.change.fingerprintRedundancy = redundancy;
      rebuildClusters(store, chain, set);
    }
    const truth = loadTruth(dir);
    const outpoints = truth.transactions.flatMap((t) => (t.sources ?? []).map((vout) => ({ txid: t.txid, vout })));
    const want = new Map(truth.transactions.flatMap((t) => (t.dirty ?? []).map((d) => [`${t.txid}:${d.vout}`, BigInt(d.amount)])));
    const illicit = new Set(truth.entities.filter((e) => e.illicit).map((e) => e.id));
    for (const policy of POLICIES) {
      const run = propagateUtxoTaint(streamUtxoTransactions(store.db, chain), { policy, seeds: { outpoints } });
      const row = { scenario: name, txs, policy, ...(clusterRules ? { clusters: clusterRules } : {}) };
      if (policy === 'fifo') {
        const ours = new Map(run.outputs.map((o) => [`${o.txid}:${o.vout}`, o.taint]));
        const keys = new Set([...ours.keys(), ...want.keys()]);
        row.dirtyOutputs = want.size;
        row.fifoExact = [...keys].every((k) => ours.get(k) === want.get(k));
        const reached = new Set(run.outputs.filter((o) => o.taint > 0n && o.holder).map((o) => o.holder));
        row.reachedEqual = reached.size === truth.reached.size && [...reached].every((a) => truth.reached.has(a));
      }
      const lookups = taintLookups(store.db, chain);
      const summary = summarizeTaint(run, lookups);
      const seeds = new Set(run.outputs.filter((o) => o.hop === 0 && o.holder).map((o) => o.holder));
      const { suspects } = rankSuspects(summary, { chain, labels: createLabelIndex([]), sources: seeds, useClusters: clusterRules !== undefined });
      // The ranking's own order (score, then its tie-breaks) is what an investigator sees: rank n of N scores N - n + 1.
      const score = new Map(suspects.map((s) => [s.wallet, suspects.length - s.rank + 1]));
      // Ranked by cluster, an address scores its cluster's rank.
      const walletOf = (a) => (clusterRules ? lookups.clusterOf(a) ?? a : a);
      const items = truth.addresses.filter((a) => !seeds.has(a.address)).map((a) => ({ id: a.address, score: score.get(walletOf(a.address)) ?? 0, positive: illicit.has(a.entity) }));
      const k = items.filter((i) => i.positive).length;
      Object.assign(row, { addresses: items.length, illicit: k, precisionAtK: Number(precisionAtK(items, k).toFixed(3)), rocAuc: Number(rocAuc(items).toFixed(3)) });
      rows.push(row);
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Typologies are about pace: the same world at ten transactions a block.
  const tdir = mkdtempSync(join(tmpdir(), 'ctrace-accuracy-'));
  try {
    writeUtxoScenario(name, { txs, seed, blockTxs: 10 }, { out: tdir, model: false });
    const store = openSqliteStore(join(tdir, 'case.db'), { create: true });
    await ingestFiles(store, readdirSync(tdir).filter((f) => f.startsWith('blk')).map((f) => join(tdir, f)));
    const truth = loadTruth(tdir);
    const kind = new Map(truth.entities.map((e) => [e.id, `${e.kind}${e.illicit ? '*' : ''}`]));
    const hits = [
      ...detectPeelChains(streamUtxoTransactions(store.db, chain)),
      ...detectFanPatterns((function* () { for (const tx of streamUtxoTransactions(store.db, chain)) yield utxoFlow(tx); })()),
    ];
    for (const typology of ['peel-chain', 'aggregator', 'market-consolidation', 'deposit-sweep']) {
      const by = {};
      for (const h of hits.filter((x) => x.typology === typology)) {
        const k = kind.get(truth.ownerOf.get(h.holder) ?? '') ?? '?';
        by[k] = (by[k] ?? 0) + 1;
      }
      typologyRows.push({ scenario: name, typology, hits: Object.values(by).reduce((a, b) => a + b, 0), byOwner: Object.entries(by).sort().map(([k, n]) => `${k} ${n}`).join(', ') });
    }
    store.close();
  } finally {
    rmSync(tdir, { recursive: true, force: true });
  }
}

function print(title, cols, list) {
  const cell = (r, c) => (r[c] === undefined ? '' : String(r[c]));
  const w = cols.map((c) => Math.max(c.length, ...list.map((r) => cell(r, c).length)));
  const line = (cells) => cells.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd();
  console.log(title);
  console.log(line(cols));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const r of list) console.log(line(cols.map((c) => cell(r, c))));
}
if (asJson) {
  process.stdout.write(`${JSON.stringify({ taint: rows, typologies: typologyRows }, null, 2)}\n`);
} else {
  print(`taint and suspect ranking on generated scenarios (${txs} transactions each; k = illicit addresses${clusterRules ? `; wallets are clusters of ${clusterRules}` : ''})`, ['scenario', 'policy', 'fifoExact', 'reachedEqual', 'addresses', 'illicit', 'precisionAtK', 'rocAuc'], rows);
  console.log('');
  print('typology hits by the truth owner of the holder (* = illicit), ten transactions a block', ['scenario', 'typology', 'hits', 'byOwner'], typologyRows);
}
if (rows.some((r) => r.policy === 'fifo' && (!r.fifoExact || !r.reachedEqual))) process.exitCode = 1;
