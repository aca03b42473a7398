import { REALISM_BUCKETS, REALISM_STATISTICS, REALISM_STATISTIC_UNITS, type RealismCounts, type RealismStatisticName } from './statistics.js';

/** One bucket of a statistic in both samples: counts and shares (shares as decimal text, six places). */
export interface RealismBucket {
  bucket: string;
  world: number;
  real: number;
  worldShare: string;
  realShare: string;
}

/** One statistic compared: its total-variation distance and both distributions. */
export interface RealismStatistic {
  name: RealismStatisticName;
  counts: string;
  /** Total-variation distance, 0 (same distribution) to 1 (disjoint), decimal text with four places. */
  distance: string;
  buckets: RealismBucket[];
}

/** Micro-units of a share, integer arithmetic so that the report is byte-identical everywhere. */
function micro(n: number, total: number): number {
  return total === 0 ? 0 : Math.round((n * 1_000_000) / total);
}

function fixed(microUnits: number, places: number): string {
  const scale = 10 ** (6 - places);
  const v = Math.round(microUnits / scale);
  const s = String(v).padStart(places + 1, '0');
  return `${s.slice(0, -places)}.${s.slice(-places)}`;
}

/**
 * Total-variation distance between two distributions given as counts: half the sum of the absolute differences of
 * their shares.
 * @returns micro-units (0 to 1,000,000)
 * @example totalVariation(new Map([['a', 1]]), new Map([['b', 1]])) // 1000000
 */
export function totalVariation(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const ta = [...a.values()].reduce((s, x) => s + x, 0);
  const tb = [...b.values()].reduce((s, x) => s + x, 0);
  if (ta === 0 || tb === 0) return ta === tb ? 0 : 1_000_000;
  let sum = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) sum += Math.abs((a.get(k) ?? 0) / ta - (b.get(k) ?? 0) / tb);
  return Math.round(sum * 500_000);
}

/**
 * Compare the statistics of a generated world with those of real blocks.
 * @param world counts of the world (realismTally)
 * @param real counts of the real blocks
 * @returns one entry per statistic, in REALISM_STATISTICS order, buckets in a fixed order
 * @example compareRealism(w.counts(), r.counts()).filter((s) => Number(s.distance) > 0.1)
 */
export function compareRealism(world: RealismCounts, real: RealismCounts): RealismStatistic[] {
  return REALISM_STATISTICS.map((name) => {
    const a = world[name];
    const b = real[name];
    const fixedOrder = REALISM_BUCKETS[name] ?? [];
    const rest = [...new Set([...a.keys(), ...b.keys()])].filter((k) => !fixedOrder.includes(k)).sort();
    const ta = [...a.values()].reduce((s, x) => s + x, 0);
    const tb = [...b.values()].reduce((s, x) => s + x, 0);
    const buckets = [...fixedOrder, ...rest].map((bucket) => {
      const w = a.get(bucket) ?? 0;
      const r = b.get(bucket) ?? 0;
      return { bucket, world: w, real: r, worldShare: fixed(micro(w, ta), 6), realShare: fixed(micro(r, tb), 6) };
    });
    return { name, counts: REALISM_STATISTIC_UNITS[name], distance: fixed(totalVariation(a, b), 4), buckets };
  });
}
