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
