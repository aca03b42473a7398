import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SqliteStore, type WalletRow, ingestFiles, openSqliteStore, queryLabels, rebuildClusters, updateClusters, walletVectors, writeLabels } from '@cryptotrace/adapters';
import { type ChainKind, CtraceError, type Label, type LoadedModel, type ScoredItem, brier, loadWalletModel, prAuc, precisionAtK, recallAtFpr, reliability, rocAuc, trainWalletModel } from '@cryptotrace/core';
import { loadTruth } from '@cryptotrace/fixtures';
import type { CommandContext } from '../context.js';
import { SEED_SCORE, haircutExposure } from './model-haircut.js';
import { table, toJson } from '../output.js';
import { ACCOUNT_SEED_CATEGORY, checkModelChainKind, chainKindOf, exposureIndex, predictWallets, walletRows, writeAccountWorld } from './model-chain-kind.js';

/** The label a seed-labelled world gives an entity kind (an investigator's few known labels). */
const SEED_CATEGORY: Record<string, string> = { market: 'market', ransomware: 'ransomware', mixer: 'mixing_service', exchange: 'exchange' };

/** A generated world made ready to learn from or to judge: its wallets' features and their truth. */
export interface World {
  dir: string;
  scenario: string;
  seed: string;
  txs: number;
  chainKind: ChainKind;
  rows: WalletRow[];
  /** 1 when most of the wallet's addresses belong to an illicit entity. */
  truth: number[];
  /** The illicit entity kind behind the wallet, or ''. */
  roles: string[];
  /** The entity kind most of its addresses belong to (retail, exchange, market, ...). */
  kinds: string[];
  /** When judged: each wallet's score in `ctrace suspects`' haircut ranking from the seed labels (model-haircut.ts). */
  haircut: number[];
  /** Whether the wallet holds an address with a seed label (of any category; none when the world got no seed labels). */
  labelled: boolean[];
}

/**
 * Ingest a world's blocks into a scratch store, cluster them with the default rules, import a few seed labels
 * from its truth when asked (one address in ten of the markets, ransomware gangs, mixers and exchanges), and read
 * every wallet's features and truth; to judge a model (`baselines`), also the haircut baseline's scores.
 */
export async function prepareWorld(dir: string, seedLabels: boolean, baselines = false): Promise<World> {
  if (!existsSync(join(dir, 'manifest.json'))) throw new CtraceError('INPUT_UNREADABLE', `${dir} is not a generated world (no manifest.json): give the --out directory of ctrace generate`);
  const truth = loadTruth(dir);
  const scratch = mkdtempSync(join(tmpdir(), 'ctrace-model-'));
  try {
    const store = openSqliteStore(join(scratch, 'world.db'), { create: true });
    const chain = truth.manifest.chain;
    const chainKind = chainKindOf(chain);
    if (chainKind === 'account') writeAccountWorld(store, dir);
    else await ingestFiles(store, truth.manifest.files.filter((f) => /^blk\d+\.dat$/.test(f)).map((f) => join(dir, f)), { at: '1970-01-01T00:00:00.000Z' });
    const kindOf = new Map(truth.entities.map((e) => [e.id, e]));
    const seedAddresses = new Set<string>();
    // Account worlds get their seed labels whatever the model reads: deposit-address clusters with the labelled
    // exchange addresses, so a model without label features learns on the wallets it is judged on.
    if (seedLabels || chainKind === 'account') {
      const labels: Label[] = [];
      const sorted = [...truth.addresses].sort((a, b) => (a.address < b.address ? -1 : 1));
      sorted.forEach((a, k) => {
        const category = (chainKind === 'account' ? ACCOUNT_SEED_CATEGORY : SEED_CATEGORY)[kindOf.get(a.entity)?.kind ?? ''];
        if (category && k % 10 === 0) labels.push({ chain, address: a.address, category, actor: a.entity, source: 'seed', confidence: 90, validFrom: null, name: null });
      });
      writeLabels(store.db, labels, '1970-01-01T00:00:00.000Z');
      for (const l of labels) seedAddresses.add(l.address);
    }
    rebuildClusters(store, chain, undefined, { at: '1970-01-01T00:00:00.000Z' });
    const rows = walletRows(store, chain);
    const haircut = seedLabels && baselines ? haircutExposure(store, chain, rows) : [];
    store.close();
    const owner = truth.ownerOf;
    const truthOf = rows.map((r) => {
      const kinds = r.addresses.map((a) => kindOf.get(owner.get(a) ?? ''));
      const bad = kinds.filter((k) => k?.illicit);
      const count = new Map<string, number>();
      for (const k of kinds) count.set(k?.kind ?? 'unknown', (count.get(k?.kind ?? 'unknown') ?? 0) + 1);
      const kind = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
      return { y: bad.length * 2 > r.addresses.length ? 1 : 0, role: bad.length * 2 > r.addresses.length ? bad[0]!.kind : '', kind };
    });
    return { dir, scenario: truth.manifest.scenario, seed: truth.manifest.seed, txs: truth.manifest.transactions, chainKind, rows, truth: truthOf.map((t) => t.y), roles: truthOf.map((t) => t.role), kinds: truthOf.map((t) => t.kind), haircut, labelled: rows.map((r) => r.addresses.some((a) => seedAddresses.has(a))) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function readModel(path: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CtraceError('INPUT_UNREADABLE', `cannot read the model ${path}: train one with ctrace model train --world <dir> --out ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CtraceError('USAGE', `${path} is not JSON: give a model file written by ctrace model train`);
  }
  return loadWalletModel(json, path);
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/** The metrics of scores against a world's truth (Brier only for scores that are probabilities: NaN otherwise). */
function metrics(items: ScoredItem[], probabilities = true) {
  const k = items.filter((i) => i.positive).length;
  return { wallets: items.length, illicit: k, auc: rocAuc(items), prAuc: prAuc(items), precisionAtK: precisionAtK(items, k), recallAt1PctFpr: recallAtFpr(items, 0.01), brier: probabilities ? brier(items) : Number.NaN };
}

/** `ctrace model train --world <dir>... --out model.json`. */
export async function modelTrain(ctx: CommandContext, o: { world: string[]; out: string; labels: string; kind: string; seed: string; trees: string; negatives: string }): Promise<number> {
  if (o.labels !== 'with' && o.labels !== 'without') throw new CtraceError('USAGE', `--labels must be with or without, not "${o.labels}"`);
  if (o.kind !== 'forest' && o.kind !== 'logistic') throw new CtraceError('USAGE', `--kind must be forest or logistic, not "${o.kind}"`);
  const seed = Number(o.seed);
  if (!Number.isSafeInteger(seed)) throw new CtraceError('USAGE', `--seed must be a whole number, not "${o.seed}"`);
  const negatives = Number(o.negatives);
  if (!Number.isSafeInteger(negatives) || negatives < 1) throw new CtraceError('USAGE', `--negatives must be a whole number of licit wallets per illicit one, at least 1, not "${o.negatives}"`);
  const worlds = [];
  for (const w of o.world) worlds.push(await prepareWorld(resolve(ctx.cwd, w), o.labels === 'with'));
  const chainKind = worlds[0].chainKind;
  const other = worlds.find((w) => w.chainKind !== chainKind);
  if (other) throw new CtraceError('USAGE', `${other.dir} is a world of ${other.chainKind} chains and ${worlds[0].dir} of ${chainKind} chains: a model reads one chain kind, train one per kind`);
  const rows = worlds.flatMap((w) => w.rows.map((r) => r.features));
  const truth = worlds.flatMap((w) => w.truth);
  if (!truth.includes(1) || !truth.includes(0)) throw new CtraceError('USAGE', 'the training worlds need wallets of both kinds, illicit and not: add a darknet-market, ransomware or aggregator world');
  const model = trainWalletModel(rows, truth, { kind: o.kind, labels: o.labels, seed, trees: Number(o.trees), negativesPerPositive: negatives, chainKind }, worlds.map((w) => ({ scenario: w.scenario, seed: w.seed, txs: w.txs, wallets: w.rows.length, illicit: w.truth.reduce((s, x) => s + x, 0) })));
  const loaded = loadWalletModel(model);
  const p = loaded.predict(rows);
  model.training.metrics = Object.fromEntries(Object.entries(metrics(p.map((score, i) => ({ id: String(i), score, positive: truth[i] === 1 })))).map(([k, v]) => [k, Number(Number(v).toFixed(6))]));
  const out = resolve(ctx.cwd, o.out);
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  const calibration = model.calibration ? { method: model.calibration.method, points: model.calibration.x.length, wallets: model.calibration.wallets } : null;
  if (ctx.json) ctx.io.out(toJson({ out, kind: model.kind, labels: model.labels, features: model.features, training: model.training, calibration }));
  else ctx.io.out(`trained a ${model.kind} on ${rows.length} wallets of ${worlds.length} worlds (${model.training.metrics.illicit} illicit), labels ${model.labels}: training AUC ${f4(model.training.metrics.auc)}, PR-AUC ${f4(model.training.metrics.prAuc)}; calibration ${calibration ? `${calibration.method}, ${calibration.points} points fitted on ${calibration.wallets} wallets the trees did not train on` : 'none'}; wrote ${out}\n`);
  return 0;
}

/**
 * `ctrace model evaluate --model m --world <dir>...`: the model against unseen worlds, next to two rankings from the
 * same seed labels: direct exposure, and `ctrace suspects`' multi-hop haircut ranking; with its reliability before
 * and after calibration.
 */
export async function modelEvaluate(ctx: CommandContext, o: { model: string; world: string[] }): Promise<number> {
  const model = readModel(resolve(ctx.cwd, o.model));
  const exposureIdx = exposureIndex(model.file.chainKind);
  const rows = [];
  const all: { learned: ScoredItem[]; uncalibrated: ScoredItem[]; exposure: ScoredItem[]; haircut: ScoredItem[]; roles: string[]; kinds: string[]; features: number[][]; labelled: boolean[] } = { learned: [], uncalibrated: [], exposure: [], haircut: [], roles: [], kinds: [], features: [], labelled: [] };
  for (const w of o.world) {
    // Seed labels in every judged world: the exposure ranking needs them, and a `with` model reads them.
    const world = await prepareWorld(resolve(ctx.cwd, w), true, true);
    checkModelChainKind(model, world.chainKind, `the world ${world.dir} (${world.scenario})`);
    const p = model.predict(world.rows.map((r) => r.features));
    const learned = p.map((score, i) => ({ id: `${world.dir}:${world.rows[i].wallet}`, score, positive: world.truth[i] === 1 }));
    const uncalibrated = model.predict(world.rows.map((r) => r.features), { calibrated: false }).map((score, i) => ({ ...learned[i], score }));
    const exposure = world.rows.map((r, i) => ({ id: learned[i].id, score: r.features[exposureIdx], positive: world.truth[i] === 1 }));
    const haircut = world.haircut.map((score, i) => ({ id: learned[i].id, score, positive: world.truth[i] === 1 }));
    all.learned.push(...learned);
    all.uncalibrated.push(...uncalibrated);
    all.exposure.push(...exposure);
    all.haircut.push(...haircut);
    all.roles.push(...world.roles);
    all.kinds.push(...world.kinds);
    all.features.push(...world.rows.map((r) => r.features));
    all.labelled.push(...world.labelled);
    rows.push({ world: world.dir, scenario: world.scenario, seed: world.seed, txs: world.txs, learned: metrics(learned), exposure: metrics(exposure), haircut: metrics(haircut, false) });
  }
  const k = all.learned.filter((i) => i.positive).length;
  const topK = new Set([...all.learned].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k).map((i) => i.id));
  const roles = [...new Set(all.roles.filter(Boolean))].sort().map((role) => {
    const of = all.learned.filter((_, i) => all.roles[i] === role);
    return { role, wallets: of.length, foundInTopK: of.filter((i) => topK.has(i.id)).length };
  });
  // The wallets it gets wrong: the licit wallets it ranks highest (with who they are) and the illicit ones it
  // ranks lowest, each with the features that moved its probability most.
  const order = all.learned.map((_, i) => i).sort((a, b) => all.learned[b].score - all.learned[a].score || (all.learned[a].id < all.learned[b].id ? -1 : 1));
  const wrong = (i: number) => ({ wallet: all.learned[i].id, kind: all.kinds[i], role: all.roles[i] || null, probability: all.learned[i].score.toFixed(6), contributions: model.explain(all.features[i], 3).map((c) => `${c.feature}=${Number(c.value.toFixed(4))} ${c.contribution >= 0 ? '+' : ''}${c.contribution.toFixed(4)}`) });
  const errors = {
    falsePositives: order.filter((i) => !all.learned[i].positive).slice(0, 10).map(wrong),
    missed: order.filter((i) => all.learned[i].positive).slice(-10).reverse().map(wrong),
  };
  // Global importance: the mean absolute contribution of each feature over the illicit wallets and the top k.
  const judged = [...new Set([...order.slice(0, k), ...order.filter((i) => all.learned[i].positive)])].sort((a, b) => a - b);
  const sums = new Map<string, number>();
  for (const i of judged) for (const c of model.explain(all.features[i], model.file.features.length)) sums.set(c.feature, (sums.get(c.feature) ?? 0) + Math.abs(c.contribution));
  const importances = [...sums].map(([feature, sum]) => ({ feature, importance: Number((sum / Math.max(1, judged.length)).toFixed(6)) })).sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
  const calibration = { method: model.file.calibration?.method ?? 'none', brierBefore: brier(all.uncalibrated), brierAfter: brier(all.learned), uncalibrated: metrics(all.uncalibrated), before: reliability(all.uncalibrated), after: reliability(all.learned) };
  // The wallets the seed labels name outright (first in the haircut ranking), and how many of them are illicit.
  const seeded = all.haircut.filter((i) => i.score === SEED_SCORE);
  const seedWallets = { wallets: seeded.length, illicit: seeded.filter((i) => i.positive).length };
  // The wallets no seed label points to (none of their addresses holds one, of any category): what the model is for.
  const unlabelledOf = (items: ScoredItem[]) => items.filter((_, i) => !all.labelled[i]);
  const leftOut = all.learned.filter((_, i) => all.labelled[i]);
  const unlabelled = { leftOut: { wallets: leftOut.length, illicit: leftOut.filter((i) => i.positive).length }, learned: metrics(unlabelledOf(all.learned)), exposure: metrics(unlabelledOf(all.exposure)), haircut: metrics(unlabelledOf(all.haircut), false) };
  const result = { model: { kind: model.file.kind, labels: model.file.labels, trainedOn: model.file.training.worlds }, worlds: rows, pooled: { learned: metrics(all.learned), exposure: metrics(all.exposure), haircut: metrics(all.haircut, false) }, unlabelled, seedWallets, roles, reliability: calibration.after, calibration, errors, importances };
  if (ctx.json) {
    ctx.io.out(toJson(result));
    return 0;
  }
  const line = (name: string, m: ReturnType<typeof metrics>) => [name, String(m.wallets), String(m.illicit), f4(m.auc), f4(m.prAuc), f4(m.precisionAtK), f4(m.recallAt1PctFpr), f4(m.brier)];
  ctx.io.out(table(['world', 'ranking', 'wallets', 'illicit', 'AUC', 'PR-AUC', 'p@k', 'recall@1%FPR', 'Brier'], [
    ...[...rows, { scenario: 'pooled', seed: '', txs: 0, ...result.pooled }, { scenario: 'pooled, unlabelled wallets', seed: '', txs: 0, ...unlabelled }].flatMap((r) => [
      [r.seed ? `${r.scenario} seed ${r.seed} (${r.txs} txs)` : r.scenario, ...line('learned', r.learned)], ['', ...line('direct exposure', r.exposure)], ['', ...line('haircut (suspects)', r.haircut)],
    ]),
  ], [2, 3, 4, 5, 6, 7, 8]));
  ctx.io.out(`direct exposure: share received straight from seed-labelled wallets; haircut (suspects): ctrace suspects' score from the same seeds (haircut, 6 hops), seed wallets first (${seedWallets.wallets} wallets hold an illicit seed address, ${seedWallets.illicit} of them illicit)\n`);
  ctx.io.out(`unlabelled wallets: those holding no seed-labelled address of any category (${unlabelled.leftOut.wallets} wallets hold one and are left out, ${unlabelled.leftOut.illicit} of them illicit)\n`);
  ctx.io.out(`\nillicit roles found in the top k (k = ${k}): ${roles.map((r) => `${r.role} ${r.foundInTopK}/${r.wallets}`).join(', ')}\n`);
  const kinds = (list: typeof errors.missed) => [...list.reduce((m, e) => m.set(e.kind, (m.get(e.kind) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ');
  ctx.io.out(`highest-ranked licit wallets (top 10): ${kinds(errors.falsePositives)}; e.g. ${errors.falsePositives[0]?.wallet ?? '-'} (${errors.falsePositives[0]?.contributions.join('; ') ?? ''})\n`);
  ctx.io.out(`lowest-ranked illicit wallets (bottom 10): ${kinds(errors.missed)}\n`);
  ctx.io.out(`importance (mean |contribution| over the illicit wallets and the top k): ${importances.slice(0, 8).map((x) => `${x.feature} ${x.importance.toFixed(4)}`).join(', ')}\n`);
  ctx.io.out(`\nreliability (pooled; calibration ${calibration.method}): Brier ${f4(calibration.brierBefore)} before, ${f4(calibration.brierAfter)} after\n`);
  ctx.io.out(table(['predicted', 'wallets', 'mean predicted', 'observed', 'wallets after', 'mean predicted after', 'observed after'], reliabilityRows(calibration.before, calibration.after), [1, 2, 3, 4, 5, 6]));
  return 0;
}

/** The reliability tables before and after calibration side by side, one row per tenth that either fills. */
function reliabilityRows(before: ReturnType<typeof reliability>, after: ReturnType<typeof reliability>): string[][] {
  const bins = [...new Set([...before, ...after].map((b) => b.bin))].sort();
  const cells = (b: ReturnType<typeof reliability>[number] | undefined) => (b ? [String(b.n), b.predicted.toFixed(4), b.observed.toFixed(4)] : ['0', '-', '-']);
  return bins.map((bin) => [bin, ...cells(before.find((b) => b.bin === bin)), ...cells(after.find((b) => b.bin === bin))]);
}

/** `ctrace score --model m`: the store's wallets ranked by the probability of an illicit role, each explained. */
export async function score(ctx: CommandContext, o: { model: string; chain?: string; limit: string }): Promise<number> {
  const model = readModel(resolve(ctx.cwd, o.model));
  const limit = Number(o.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new CtraceError('USAGE', `--limit must be a whole number of at least 1, not "${o.limit}"`);
  const store = openSqliteStore(ctx.db);
  try {
    const chains = o.chain ? [o.chain] : store.stats().chains;
    const chain = chains[0];
    if (!chain) throw new CtraceError('NOT_FOUND', `${ctx.db} holds no transactions: ingest or fetch some first`);
    checkModelChainKind(model, chainKindOf(chain), `${ctx.db}'s chain ${chain}`);
    updateClusters(store, { chain });
    const wallets = walletVectors(store, chain);
    const p = predictWallets(model, wallets);
    // The first `limit` by probability, ties by wallet name: only the wallets tied with the last one's probability
    // or above it have their addresses read.
    const byProbability = Array.from({ length: wallets.count }, (_, i) => i).sort((a, b) => p[b] - p[a]);
    const cut = byProbability.length === 0 ? 0 : p[byProbability[Math.min(limit, byProbability.length) - 1]];
    const candidates = byProbability.filter((i) => p[i] >= cut);
    const addresses = wallets.addressesOf(candidates);
    const name = (i: number) => addresses.get(i)![0];
    const order = candidates.sort((a, b) => p[b] - p[a] || (name(a) < name(b) ? -1 : 1)).slice(0, limit);
    const exposureIdx = exposureIndex(model.file.chainKind);
    const labelled = new Map<string, string[]>();
    for (const l of queryLabels(store.db, { chain, limit: 1_000_000 })) labelled.set(l.address, [...(labelled.get(l.address) ?? []), l.category]);
    const out = order.map((i, rank) => {
      const list = addresses.get(i)!;
      const features = wallets.vector(i);
      return {
        rank: rank + 1, wallet: list[0], size: list.length, addresses: list, probability: p[i].toFixed(6),
        exposure: features[exposureIdx].toFixed(6), labels: [...new Set(list.flatMap((a) => labelled.get(a) ?? []))].sort(),
        contributions: model.explain(features, 5).map((c) => ({ feature: c.feature, value: Number(c.value.toFixed(6)), contribution: c.contribution.toFixed(6) })),
      };
    });
    if (ctx.json) {
      ctx.io.out(toJson({ chain, model: { kind: model.file.kind, labels: model.file.labels }, wallets: wallets.count, scored: out }));
      return 0;
    }
    ctx.io.out(table(['rank', 'wallet', 'addresses', 'probability', 'direct exposure', 'labels', 'top contributions (probability falls by this at the training median)'], out.map((r) => [
      String(r.rank), r.wallet, String(r.size), r.probability, r.exposure, r.labels.join(',') || '-', r.contributions.slice(0, 3).map((c) => `${c.feature}=${c.value} ${c.contribution}`).join('; '),
    ]), [0, 2, 3, 4]));
    ctx.io.out(`${wallets.count} wallets scored in ${ctx.db} (${chain}) by a ${model.file.kind} model (labels ${model.file.labels})\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** How `suspects --model` combines the two scores, said in every row. */
export const COMBINED_HOW = 'combined = (exposure score / 100 + learned probability) / 2, ranked by it';

/**
 * Each suspect's learned probability (its wallet's, as `score` computes it; the highest over its addresses'
 * wallets) and the combined score, the list ranked again by that.
 */
export function combineWithModel<T extends { rank: number; score: string; addresses: string[] }>(store: SqliteStore, chain: string, model: LoadedModel, list: T[]): (T & { learned: { probability: string; combined: string; how: string } })[] {
  checkModelChainKind(model, chainKindOf(chain), `the chain ${chain}`);
  // Only the suspects' wallets are scored.
  const vectors = walletVectors(store, chain);
  const walletOf = vectors.walletsOf(new Set(list.flatMap((s) => s.addresses)));
  const wallets = [...new Set(walletOf.values())];
  const p = predictWallets(model, vectors, wallets);
  const probabilityOf = new Map(wallets.map((w, k) => [w, p[k]]));
  const out = list.map((s) => {
    const probability = Math.max(0, ...s.addresses.map((a) => probabilityOf.get(walletOf.get(a) ?? -1) ?? 0));
    const combined = (Number(s.score) / 100 + probability) / 2;
    return { ...s, learned: { probability: probability.toFixed(6), combined: combined.toFixed(6), how: COMBINED_HOW } };
  });
  out.sort((a, b) => Number(b.learned.combined) - Number(a.learned.combined) || a.rank - b.rank);
  return out.map((s, i) => ({ ...s, rank: i + 1 }));
}
