/** Running sums of the gaps (in blocks) between a wallet's transactions. */
export interface Gaps {
  gaps: number;
  gapSum: number;
  gapSq: number;
}

/**
 * Burstiness of the gaps, (σ − μ) / (σ + μ) (Goh & Barabási 2008): −1 regular, 0 random (Poisson), 1 bursty;
 * 0 with no gaps.
 * @example burstiness({ gaps: 2, gapSum: 2, gapSq: 2 }) // -1
 */
export function burstiness(g: Gaps): number {
  const mean = g.gaps ? g.gapSum / g.gaps : 0;
  const sd = g.gaps ? Math.sqrt(Math.max(0, g.gapSq / g.gaps - mean * mean)) : 0;
  return sd + mean > 0 ? (sd - mean) / (sd + mean) : 0;
}
