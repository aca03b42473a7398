#!/usr/bin/env node
// Each wallet feature's own ROC AUC on generated worlds with truth (issue 19): does one feature alone separate the
// illicit wallets? Run after `pnpm build`: node scripts/feature-auc.mjs <world-dir>... [--json]
// The worlds are prepared as `ctrace model evaluate` prepares them (ingested, seed labels, clustered). AUC > 0.5:
// higher values are more illicit; "alone" is max(AUC, 1 − AUC), the feature's separating power in either direction.
// "PR-AUC" is the feature's average precision ranked in that direction, beside the illicit share (what chance
// gives): a feature can rank most illicit wallets above most licit ones (high AUC) and still find them among many
// licit wallets of the same kind (low PR-AUC).
import { prepareWorld } from '../packages/cli/dist/commands/model.js';
import { featureSpecs, prAuc, rocAuc } from '../packages/core/dist/index.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const dirs = args.filter((a) => !a.startsWith('--'));
if (dirs.length === 0) {
  console.error('give the directories of generated worlds: node scripts/feature-auc.mjs ml/te1 ml/te2');
  process.exit(2);
}
const rows = [];
const truth = [];
let kind = null;
for (const d of dirs) {
  const w = await prepareWorld(d, true);
  if (kind !== null && w.chainKind !== kind) {
    console.error(`${d} is a ${w.chainKind} world and the ones before it are ${kind} worlds: their features differ, give worlds of one kind`);
    process.exit(2);
  }
  kind = w.chainKind;
  rows.push(...w.rows.map((r) => r.features));
  truth.push(...w.truth);
}
const out = featureSpecs(kind).map((f, k) => {
  const items = rows.map((r, i) => ({ id: String(i).padStart(9, '0'), score: r[k], positive: truth[i] === 1 }));
  const auc = rocAuc(items);
  const pr = prAuc(auc >= 0.5 ? items : items.map((x) => ({ ...x, score: -x.score })));
  return { feature: f.name, group: f.group, fromLabels: Boolean(f.fromLabels), auc: Number(auc.toFixed(4)), alone: Number(Math.max(auc, 1 - auc).toFixed(4)), prAuc: Number(pr.toFixed(4)) };
}).sort((a, b) => b.alone - a.alone || (a.feature < b.feature ? -1 : 1));
if (asJson) console.log(JSON.stringify({ worlds: dirs, wallets: rows.length, illicit: truth.filter((y) => y === 1).length, features: out }, null, 2));
else {
  const illicit = truth.filter((y) => y === 1).length;
  console.log(`${rows.length} wallets, ${illicit} illicit (${((100 * illicit) / rows.length).toFixed(2)} %: the PR-AUC of chance), in ${dirs.length} worlds`);
  for (const r of out) console.log(`${r.feature.padEnd(24)} ${r.group.padEnd(15)} AUC ${r.auc.toFixed(4)}  alone ${r.alone.toFixed(4)}  PR-AUC ${r.prAuc.toFixed(4)}${r.fromLabels ? '  (labels)' : ''}`);
}
