/**
 * How well a ranking finds the truth: precision at k and the area under the ROC curve, for the accuracy report.
 */

/** A ranked item: its score (higher is more suspect) and whether the truth calls it illicit. */
export interface ScoredItem {
  id: string;
  score: number;
  positive: boolean;
}

/**
 * Precision at k: the share of illicit items among the k highest scores (ties broken by id, as the ranking does).
 * @example precisionAtK([{ id: 'a', score: 2, positive: true }, { id: 'b', score: 1, positive: false }], 1) // 1
 */
export function precisionAtK(items: readonly ScoredItem[], k: number): number {
  if (k <= 0) return 0;
  const top = [...items].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k);
  return top.length ? top.filter((i) => i.positive).length / top.length : 0;
}

/**
 * ROC AUC: the probability that a random illicit item scores above a random licit one (ties count half),
 * computed exactly from ranks (Mann-Whitney U). NaN when either class is empty.
 * @example rocAuc([{ id: 'a', score: 2, positive: true }, { id: 'b', score: 1, positive: false }]) // 1
 */
export function rocAuc(items: readonly ScoredItem[]): number {
  const pos = items.filter((i) => i.positive).length;
  const neg = items.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].positive) rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function byScore(items: readonly ScoredItem[]): ScoredItem[] {
  return [...items].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/**
 * Average precision: the area under the precision-recall curve, step-wise, over the ranking (ties broken by id).
 * @example prAuc([{ id: 'a', score: 2, positive: true }, { id: 'b', score: 1, positive: false }]) // 1
 */
export function prAuc(items: readonly ScoredItem[]): number {
  const pos = items.filter((i) => i.positive).length;
  let hits = 0;
  let sum = 0;
  byScore(items).forEach((x, k) => {
    if (!x.positive) return;
    hits++;
    sum += hits / (k + 1);
  });
  return pos ? sum / pos : 0;
}

/** Recall at the top of the ranking, as far as it goes with at most this share of the licit items flagged. */
export function recallAtFpr(items: readonly ScoredItem[], fpr = 0.01): number {
  const pos = items.filter((i) => i.positive).length;
  const neg = items.length - pos;
  let fp = 0;
  let tp = 0;
  for (const x of byScore(items)) {
    if (!x.positive && fp + 1 > fpr * neg) break;
    if (x.positive) tp++;
    else fp++;
  }
  return pos ? tp / pos : 0;
}

/** Brier score of scores that are probabilities: the mean squared error against the truth. */
export function brier(items: readonly ScoredItem[]): number {
  return items.length ? items.reduce((s, x) => s + (x.score - (x.positive ? 1 : 0)) ** 2, 0) / items.length : 0;
}

/** Reliability table of probabilities: per tenth, how many, their mean and the observed rate. */
export function reliability(items: readonly ScoredItem[]): { bin: string; n: number; predicted: number; observed: number }[] {
  const bins = Array.from({ length: 10 }, (_, b) => ({ bin: `${(b / 10).toFixed(1)}-${((b + 1) / 10).toFixed(1)}`, n: 0, sp: 0, so: 0 }));
  for (const x of items) {
    const b = bins[Math.min(9, Math.floor(x.score * 10))];
    b.n++;
    b.sp += x.score;
    b.so += x.positive ? 1 : 0;
  }
  return bins.filter((b) => b.n > 0).map((b) => ({ bin: b.bin, n: b.n, predicted: b.sp / b.n, observed: b.so / b.n }));
}
