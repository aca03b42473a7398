/**
 * Isotonic calibration of probabilities: the monotone fit closest (least squares) to the observed outcomes, by
 * pool-adjacent-violators (Zadrozny & Elkan 2002, "Transforming classifier scores into accurate multiclass
 * probability estimates", KDD, doi:10.1145/775047.775151). The map runs linearly between the blocks' centres (their
 * mean probability, at their observed rate) and is clipped outside them, so it keeps the order of predictions
 * between the first and the last centre (a step function would tie whole blocks and change the ranking). A pure
 * function of its input: the same predictions and outcomes give the same map. Written here because no maintained
 * isotonic package exists on npm (mljs has none) and the algorithm is twenty lines.
 */

/** A fitted map from raw probability to calibrated probability: points (x, y), both increasing. */
export interface IsotonicCalibration {
  method: 'isotonic';
  x: number[];
  y: number[];
}

/**
 * Fit the isotonic map of probabilities to outcomes.
 * @param p probabilities the model gave, for cases it did not train on
 * @param outcome 1 when the case came true, 0 otherwise
 * @returns the map's points: each block's mean probability and observed rate
 * @example fitIsotonic([0.1, 0.2, 0.3], [0, 1, 1]) // { method: 'isotonic', x: [0.1, 0.25], y: [0, 1] }
 */
export function fitIsotonic(p: readonly number[], outcome: readonly number[]): IsotonicCalibration {
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b] || outcome[a] - outcome[b]);
  // Blocks of equal probability first (ties get one value), then pooled while a block's rate falls below the last's.
  const blocks: { hi: number; sp: number; sum: number; n: number }[] = [];
  for (const i of order) {
    const last = blocks[blocks.length - 1];
    if (last && last.hi === p[i]) {
      last.sp += p[i];
      last.sum += outcome[i];
      last.n++;
    } else blocks.push({ hi: p[i], sp: p[i], sum: outcome[i], n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].sum / blocks[blocks.length - 2].n >= blocks[blocks.length - 1].sum / blocks[blocks.length - 1].n) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1];
      a.hi = b.hi;
      a.sp += b.sp;
      a.sum += b.sum;
      a.n += b.n;
    }
  }
  return { method: 'isotonic', x: blocks.map((b) => Math.round((b.sp / b.n) * 1e9) / 1e9), y: blocks.map((b) => round6(b.sum / b.n)) };
}

/**
 * The calibrated probability of a raw one: linear between the map's points, clipped outside them.
 * @example applyIsotonic({ method: 'isotonic', x: [0, 1], y: [0.2, 0.6] }, 0.5) // 0.4
 */
export function applyIsotonic(c: IsotonicCalibration, p: number): number {
  const { x, y } = c;
  if (!x.length) return p;
  if (p <= x[0]) return y[0];
  if (p >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= p) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (p - x[lo])) / (x[hi] - x[lo]);
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
