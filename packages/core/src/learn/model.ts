import { RandomForestClassifier } from 'ml-random-forest';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { CtraceError } from '../errors.js';
import type { ChainKind } from '../model/chain.js';
import { type IsotonicCalibration, applyIsotonic, fitIsotonic } from './calibrate.js';
import { FEATURE_SETS, featureNamesOf, featureSpecs } from './feature-sets.js';

/** What a model file says it is: checked when it is loaded. */
export const MODEL_FORMAT = 'cryptotrace-wallet-model';
/** 2: the features of issue 19 (time of day, median, dollar-round, peel length, CoinJoin/mixer/exchange value, PageRank) and the forest's isotonic calibration. */
export const MODEL_VERSION = 2;

export type ModelKind = 'forest' | 'logistic';

/** A trained model as its JSON file holds it. */
export interface WalletModel {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  /** The chain kind it reads (utxo or account) and the name of that kind's feature set (FEATURE_SETS). */
  chainKind: ChainKind;
  featureSet: string;
  /** The features read, in order (a subset of the chain kind's feature set). */
  features: string[];
  labels: 'with' | 'without';
  seed: number;
  hyperparameters: Record<string, number | string | boolean>;
  /** Where its training data came from, and how it scored on it. */
  training: { worlds: { scenario: string; seed: string; txs: number; wallets: number; illicit: number }[]; metrics: Record<string, number> };
  /** Per feature: the median (the reference value of contributions), mean and standard deviation (scaling). */
  medians: number[];
  /** The share of licit training wallets kept (the sample's prior correction). */
  beta: number;
  means: number[];
  sds: number[];
  model: unknown;
  /**
   * The map from the prior-corrected probability to the calibrated one, fitted on predictions the model did not
   * train on (the forest's out-of-bag votes and the thinned-out licit wallets); null for the logistic baseline.
   */
  calibration: (IsotonicCalibration & { fittedOn: string; wallets: number }) | null;
}

export interface TrainOptions {
  kind: ModelKind;
  labels: 'with' | 'without';
  seed: number;
  /** Trees of the forest (default 100). */
  trees?: number;
  /** Licit wallets kept per illicit one when the licit are thinned for training (default 10). */
  negativesPerPositive?: number;
  /** The chain kind of the rows (default utxo: WALLET_FEATURES; account: ACCOUNT_FEATURES). */
  chainKind?: ChainKind;
}

/** Column `k` of the rows given as all-feature vectors of a chain kind, for the model's features. */
function select(rows: readonly (readonly number[])[], names: readonly string[], chainKind: ChainKind): number[][] {
  const specs = featureSpecs(chainKind);
  const idx = names.map((n) => specs.findIndex((f) => f.name === n));
  return rows.map((r) => idx.map((k) => r[k]));
}

function column(rows: readonly number[][], k: number): number[] {
  return rows.map((r) => r[k]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
}

/**
 * Train a wallet model: a random forest (ml-random-forest) or a logistic regression on standardized features
 * (ml-logistic-regression, the linear baseline). Deterministic for a seed.
 * @param rows feature vectors in the order of the chain kind's feature set (WALLET_FEATURES, ACCOUNT_FEATURES)
 * @param truth 1 for a wallet with an illicit role, 0 otherwise
 */
export function trainWalletModel(rows: readonly number[][], truth: readonly number[], o: TrainOptions, training: WalletModel['training']['worlds']): WalletModel {
  const chainKind = o.chainKind ?? 'utxo';
  const features = featureNamesOf(chainKind, o.labels === 'with');
  const all = select(rows, features, chainKind);
  // Illicit wallets are a few in a hundred: the negatives are thinned to a few per positive (every k-th, so the
  // sample is deterministic), or the trees never split; `beta` (the share of negatives kept) corrects the
  // probabilities back to the real prior (Elkan 2001).
  const positives = truth.reduce((s, y) => s + y, 0);
  const negatives = truth.length - positives;
  const perPositive = o.negativesPerPositive ?? 10;
  const step = Math.max(1, Math.floor(negatives / Math.max(1, perPositive * positives)));
  const keep: number[] = [];
  let seen = 0;
  truth.forEach((y, i) => {
    if (y === 1 || seen++ % step === 0) keep.push(i);
  });
  const X = keep.map((i) => all[i]);
  const y = keep.map((i) => truth[i]);
  const beta = keep.filter((i) => truth[i] === 0).length / Math.max(1, negatives);
  const medians = features.map((_, k) => median(column(all, k)));
  const means = features.map((_, k) => column(all, k).reduce((s, x) => s + x, 0) / Math.max(1, all.length));
  const sds = features.map((_, k) => Math.sqrt(column(all, k).reduce((s, x) => s + (x - means[k]) ** 2, 0) / Math.max(1, all.length)) || 1);
  let model: unknown;
  let calibration: WalletModel['calibration'] = null;
  let hyperparameters: WalletModel['hyperparameters'];
  if (o.kind === 'forest') {
    const forest = { nEstimators: o.trees ?? 100, maxFeatures: 0.5, replacement: true, useSampleBagging: true };
    const tree = { maxDepth: 12, minNumSamples: 3, gainThreshold: 0.0001 };
    hyperparameters = { ...forest, ...tree, negativesPerPositive: perPositive };
    const rf = new RandomForestClassifier({ ...forest, seed: o.seed, noOOB: false, treeOptions: tree });
    // The library takes the mode of each wallet's out-of-bag votes, and throws when a wallet is in every tree's
    // sample (likely with few trees): such a wallet gets no out-of-bag vote, which forestCalibration skips.
    const lib = rf as unknown as { selection: (votes: number[]) => number };
    const mode = lib.selection.bind(rf);
    lib.selection = (votes) => (votes.length ? mode(votes) : 0);
    rf.train(X, y);
    model = rf.toJSON();
    calibration = forestCalibration(rf, keep, all, truth, beta);
  } else {
    const steps = { numSteps: 3000, learningRate: 0.05 };
    hyperparameters = { ...steps, negativesPerPositive: perPositive };
    const lr = new LogisticRegression(steps);
    // Standardized, with a constant column for the intercept (the library fits none of its own).
    lr.train(new Matrix(X.map((r) => [...r.map((x, k) => (x - means[k]) / sds[k]), 1])), Matrix.columnVector(y));
    model = lr.toJSON();
  }
  const m: WalletModel = { format: MODEL_FORMAT, version: MODEL_VERSION, kind: o.kind, chainKind, featureSet: FEATURE_SETS[chainKind], features, labels: o.labels, seed: o.seed, hyperparameters, training: { worlds: training, metrics: {} }, beta, medians, means, sds, model, calibration };
  return m;
}

/** The sample's probability back to the real prior (Elkan 2001): p' = βp / (βp − p + 1). */
function priorCorrected(p: number, beta: number): number {
  return (beta * p) / (beta * p - p + 1);
}

/**
 * The forest's isotonic calibration, fitted on every training wallet once, each by trees that did not see it: a
 * sampled wallet by the trees whose bootstrap left it out (its out-of-bag votes), a thinned-out licit wallet by the
 * whole forest (no tree saw it). Both are corrected to the real prior first, as predictions are.
 */
function forestCalibration(rf: RandomForestClassifier, keep: number[], all: number[][], truth: readonly number[], beta: number): NonNullable<WalletModel['calibration']> {
  const oob = (rf as unknown as { oobResults: { all: number[] }[] }).oobResults;
  const p: number[] = [];
  const y: number[] = [];
  keep.forEach((i, k) => {
    const votes = oob[k].all;
    if (!votes.length) return;
    p.push(priorCorrected(votes.filter((v) => v === 1).length / votes.length, beta));
    y.push(truth[i]);
  });
  const kept = new Set(keep);
  const unseen = all.map((_, i) => i).filter((i) => !kept.has(i));
  const q = unseen.length ? (rf.predictProbability(unseen.map((i) => all[i]), 1) as number[]) : [];
  unseen.forEach((i, k) => {
    p.push(priorCorrected(q[k], beta));
    y.push(truth[i]);
  });
  return { ...fitIsotonic(p, y), fittedOn: 'out-of-bag votes of the sampled wallets and whole-forest predictions of the thinned-out licit ones', wallets: p.length };
}

/** A loaded model: its file, and a function giving the probability of an illicit role for feature vectors. */
export interface LoadedModel {
  file: WalletModel;
  /** Probabilities for rows in the order of the model's chain kind's feature set (calibrated when the model has a calibration, unless told not to). */
  predict(rows: readonly number[][], o?: { calibrated?: boolean }): number[];
  /**
   * Per-prediction contributions: for each feature, how much the probability falls when that feature alone is set to
   * the training median (occlusion), largest first.
   */
  explain(row: readonly number[], top?: number): { feature: string; value: number; contribution: number }[];
}

/**
 * Check a model file and make it usable.
 * @throws CtraceError USAGE naming the mismatch (format, version, chain kind, or a feature this build does not compute)
 */
export function loadWalletModel(json: unknown, where = 'the model file'): LoadedModel {
  const m = json as WalletModel;
  if (typeof m !== 'object' || m === null || m.format !== MODEL_FORMAT) throw new CtraceError('USAGE', `${where} is not a cryptotrace wallet model (no "format": "${MODEL_FORMAT}"): train one with ctrace model train`);
  if (m.version !== MODEL_VERSION) throw new CtraceError('USAGE', `${where} is a version ${m.version} model; this cryptotrace reads version ${MODEL_VERSION}: train it again with ctrace model train`);
  if (m.chainKind !== 'utxo' && m.chainKind !== 'account') throw new CtraceError('USAGE', `${where} names no chain kind (a model file from before account chains; "chainKind" must be utxo or account): train it again with ctrace model train`);
  if (m.featureSet !== FEATURE_SETS[m.chainKind]) throw new CtraceError('USAGE', `${where} reads the feature set "${String(m.featureSet)}"; a ${m.chainKind} model here reads "${FEATURE_SETS[m.chainKind]}": train it again with ctrace model train`);
  const specs = featureSpecs(m.chainKind);
  const unknown = m.features.filter((f) => !specs.some((w) => w.name === f));
  if (unknown.length) throw new CtraceError('USAGE', `${where} reads features this cryptotrace does not compute (${unknown.join(', ')}): train it again with ctrace model train`);
  /** Probabilities as the model learnt them, on the thinned sample's prior. */
  let raw: (X: number[][]) => number[];
  if (m.kind === 'forest') {
    const rf = RandomForestClassifier.load(m.model as never);
    raw = (X) => rf.predictProbability(X, 1) as number[];
  } else if (m.kind === 'logistic') {
    const lr = LogisticRegression.load(m.model as never);
    const scaled = (X: number[][]) => new Matrix(X.map((r) => [...r.map((x, k) => (x - m.means[k]) / m.sds[k]), 1]));
    // One-vs-all: the first classifier scores "not class 0", which is the probability of class 1.
    const c = (lr as unknown as { classifiers: { testScores(X: Matrix): number[] }[] }).classifiers[0];
    raw = (X) => [...c.testScores(scaled(X))];
  } else throw new CtraceError('USAGE', `${where} has an unknown model kind "${String(m.kind)}"`);
  const calibration = m.calibration ?? null;
  const probability = (X: number[][], calibrated = true) => raw(X).map((p) => {
    const q = priorCorrected(p, m.beta);
    return calibrated && calibration ? applyIsotonic(calibration, q) : q;
  });
  const predict = (rows: readonly number[][], o: { calibrated?: boolean } = {}) => probability(select(rows, m.features, m.chainKind), o.calibrated ?? true).map((p) => Math.min(1, Math.max(0, Math.round(p * 1e6) / 1e6)));
  return {
    file: m,
    predict,
    explain(row, top = 5) {
      const x = select([[...row]], m.features, m.chainKind)[0];
      const variants = [x, ...m.features.map((_, k) => x.map((v, j) => (j === k ? m.medians[k] : v)))];
      const [base, ...rest] = probability(variants);
      return m.features
        .map((feature, k) => ({ feature, value: x[k], contribution: Math.round((base - rest[k]) * 1e6) / 1e6 }))
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1))
        .slice(0, top);
    },
  };
}
