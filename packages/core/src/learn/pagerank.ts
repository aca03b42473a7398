/**
 * Weighted PageRank by power iteration over an edge list in typed arrays (Page, Brin, Motwani and Winograd, "The
 * PageRank citation ranking", 1999): the streaming equivalent of graphology-metrics' `pagerank` for a wallet graph
 * too large to hold as a graphology Graph. The same iteration as that library's (damping `alpha`, the rank of
 * nodes with no out-edge spread evenly) with one change: it stops when the L1 change of the whole vector (which
 * sums to 1) falls below `tolerance`, where graphology stops below `n · tolerance`, which at 10^6 wallets is
 * after the first iteration.
 */
export interface PagerankParams {
  alpha?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface PagerankResult {
  /** Rank per node, summing to 1. */
  rank: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * PageRank of `n` nodes over edges `src[k] → dst[k]` with weight `weight[k]` (parallel edges add up).
 * @example walletPagerank(2, Int32Array.of(0), Int32Array.of(1), Float64Array.of(1)).rank[1] > 0.5
 */
export function walletPagerank(n: number, src: Int32Array, dst: Int32Array, weight: Float64Array, { alpha = 0.85, maxIterations = 200, tolerance = 1e-9 }: PagerankParams = {}): PagerankResult {
  const out = new Float64Array(n);
  for (let k = 0; k < src.length; k++) out[src[k]] += weight[k];
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && n > 0) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += x[i];
    next.fill((alpha * dangling + 1 - alpha) / n);
    for (let k = 0; k < src.length; k++) {
      const s = src[k];
      // A node whose out-edges all weigh 0 (payments of 0 sat) is dangling: its rank is spread above, not 0/0 here.
      if (out[s] > 0) next[dst[k]] += (alpha * x[s] * weight[k]) / out[s];
    }
    let error = 0;
    for (let i = 0; i < n; i++) error += Math.abs(next[i] - x[i]);
    [x, next] = [next, x];
    iterations++;
    if (error < tolerance) {
      converged = true;
      break;
    }
  }
  return { rank: x, iterations, converged };
}
