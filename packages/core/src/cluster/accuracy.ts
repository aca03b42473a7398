/**
 * Accuracy of clusters and change picks against ground truth (generated scenarios): the figures `pnpm accuracy`
 * prints. Pairs are counted, not clusters: precision is the share of same-cluster address pairs that truly have one
 * owner, recall the share of same-owner pairs that ended in one cluster.
 */

/** Same-owner pair accuracy of a clustering, and its largest false merge. */
export interface PairAccuracy {
  /** Addresses with both a cluster and a truth owner. */
  addresses: number;
  predictedPairs: number;
  truePairs: number;
  correctPairs: number;
  /** correct / predicted; 1 when nothing was predicted. */
  precision: number;
  /** correct / true. */
  recall: number;
  /** The largest cluster holding addresses of two or more owners: its size and owner count (0 when none). */
  largestFalseMerge: { size: number; owners: number; cluster: string | null };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * Score a clustering against truth.
 * @param clusterOf holder -> cluster representative
 * @param ownerOf holder -> truth owner
 * @example pairAccuracy(clusterTransactions(txs).clusterOf, truth.ownerOf).precision
 */
export function pairAccuracy(clusterOf: ReadonlyMap<string, string>, ownerOf: ReadonlyMap<string, string>): PairAccuracy {
  const clusterSize = new Map<string, number>();
  const cell = new Map<string, number>();
  const ownerSize = new Map<string, number>();
  const owners = new Map<string, Set<string>>();
  let addresses = 0;
  for (const [holder, cluster] of clusterOf) {
    const owner = ownerOf.get(holder);
    if (owner === undefined) continue;
    addresses++;
    clusterSize.set(cluster, (clusterSize.get(cluster) ?? 0) + 1);
    const key = `${cluster}\u0000${owner}`;
    cell.set(key, (cell.get(key) ?? 0) + 1);
    ownerSize.set(owner, (ownerSize.get(owner) ?? 0) + 1);
    const set = owners.get(cluster) ?? new Set<string>();
    set.add(owner);
    owners.set(cluster, set);
  }
  let predictedPairs = 0;
  let correctPairs = 0;
  let truePairs = 0;
  for (const n of clusterSize.values()) predictedPairs += pairs(n);
  for (const n of cell.values()) correctPairs += pairs(n);
  for (const n of ownerSize.values()) truePairs += pairs(n);
  let largestFalseMerge: PairAccuracy['largestFalseMerge'] = { size: 0, owners: 0, cluster: null };
  for (const [cluster, set] of [...owners].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const size = clusterSize.get(cluster)!;
    if (set.size > 1 && size > largestFalseMerge.size) largestFalseMerge = { size, owners: set.size, cluster };
  }
  return {
    addresses, predictedPairs, truePairs, correctPairs,
    precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    largestFalseMerge,
  };
}

/** Change-detection accuracy: picks against the truth's change outputs. */
export interface ChangeAccuracy {
  /** Transactions with at least one true change output among those judged. */
  withChange: number;
  picks: number;
  correct: number;
  precision: number;
  /** correct / withChange (the coverage of the published tables). */
  recall: number;
}

/**
 * Score change picks.
 * @param picks txid -> the output picked as change (absent: no pick)
 * @param truth txid -> the true change outputs of the transactions judged
 * @example changeAccuracy(new Map([['t', 1]]), new Map([['t', [1]]])).precision // 1
 */
export function changeAccuracy(picks: ReadonlyMap<string, number>, truth: ReadonlyMap<string, readonly number[]>): ChangeAccuracy {
  let withChange = 0;
  let correct = 0;
  let made = 0;
  for (const [txid, change] of truth) {
    if (change.length > 0) withChange++;
    const pick = picks.get(txid);
    if (pick === undefined) continue;
    made++;
    if (change.includes(pick)) correct++;
  }
  return { withChange, picks: made, correct, precision: made === 0 ? 1 : correct / made, recall: withChange === 0 ? 1 : correct / withChange };
}

/** One bucket of a reliability table: the links whose confidence falls in [from, to). */
export interface ReliabilityBucket {
  from: number;
  to: number;
  links: number;
  correct: number;
  /** Mean reported confidence of the bucket's links. */
  meanConfidence: number;
  /** correct / links. */
  observed: number;
}

/** How well reported confidences match observed precision. */
export interface Calibration {
  buckets: ReliabilityBucket[];
  /** Expected calibration error: Σ links_b / N · |observed_b − meanConfidence_b| over the non-empty buckets. */
  ece: number;
  /** The same, counting only buckets that claim more than they deliver (the direction that lets wrong links pass a threshold). */
  overconfidence: number;
}

/**
 * Bucket confidence-carrying decisions and compare each bucket's mean confidence with its observed precision. Unlike
 * `reliability` (suspects/metrics: tenths, for a model's probabilities) the default edges are fine near 1, where
 * change confidences sit, and the result carries the expected calibration error.
 * @param decisions each decision's reported confidence and whether the truth agrees
 * @param edges ascending bucket edges; the last bucket is closed ([edges[n-2], edges[n-1]])
 * @example calibration([{ confidence: 0.9, correct: true }], [0, 0.5, 1]).ece // ≈ 0.1
 */
export function calibration(decisions: Iterable<{ confidence: number; correct: boolean }>, edges: readonly number[] = [0, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999, 1]): Calibration {
  const n = edges.length - 1;
  const links = new Array<number>(n).fill(0);
  const correct = new Array<number>(n).fill(0);
  const sum = new Array<number>(n).fill(0);
  let total = 0;
  for (const d of decisions) {
    let b = 0;
    while (b < n - 1 && d.confidence >= edges[b + 1]) b++;
    links[b]++;
    sum[b] += d.confidence;
    if (d.correct) correct[b]++;
    total++;
  }
  const buckets: ReliabilityBucket[] = [];
  let ece = 0;
  let overconfidence = 0;
  for (let b = 0; b < n; b++) {
    if (links[b] === 0) continue;
    const meanConfidence = sum[b] / links[b];
    const observed = correct[b] / links[b];
    buckets.push({ from: edges[b], to: edges[b + 1], links: links[b], correct: correct[b], meanConfidence, observed });
    ece += (links[b] / total) * Math.abs(observed - meanConfidence);
    overconfidence += (links[b] / total) * Math.max(0, meanConfidence - observed);
  }
  return { buckets, ece, overconfidence };
}
