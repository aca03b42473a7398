import type { Growth, ResultRow } from './results.js';

/** How time and peak memory grow with size, per stage measured at two or more sizes. */
export function growthOf(rows: ResultRow[]): Growth[] {
  const byStage = new Map<string, ResultRow[]>();
  for (const r of rows) {
    if (r.size === null || r.growth === false || !r.subject || r.subject.seconds === null) continue;
    byStage.set(r.stage, [...(byStage.get(r.stage) ?? []), r]);
  }
  const out: Growth[] = [];
  for (const [stage, list] of byStage) {
    const points = list
      .map((r) => ({ size: r.size!, seconds: r.subject!.seconds!, maxRssMb: r.subject!.maxRssMb, usPerTx: (r.subject!.seconds! / r.size!) * 1e6 }))
      .sort((a, b) => a.size - b.size);
    if (new Set(points.map((p) => p.size)).size < 2) continue;
    const exp = (f: (p: (typeof points)[number]) => number) =>
      points.slice(1).map((p, k) => Math.round((Math.log(f(p) / f(points[k])) / Math.log(p.size / points[k].size)) * 100) / 100);
    out.push({ stage, points, timeExponents: exp((p) => p.seconds), memoryExponents: exp((p) => p.maxRssMb) });
  }
  return out;
}
