import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import { describe, expect, it } from 'vitest';
import { walletPagerank } from './pagerank.js';

/** A random weighted directed graph of n nodes, with parallel edges and nodes without out-edges. */
function randomEdges(n: number, m: number, seed: string) {
  // A linear congruential generator: enough to draw a graph, deterministic for the seed.
  let x = seed.charCodeAt(0);
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const rng = { int: (k: number) => Math.floor(next() * k), logRange: (lo: number, hi: number) => lo * (hi / lo) ** next() };
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const weight = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    src[k] = rng.int(Math.floor(n * 0.8));
    dst[k] = rng.int(n);
    if (dst[k] === src[k]) dst[k] = (dst[k] + 1) % n;
    weight[k] = rng.logRange(1000, 1e8);
  }
  return { src, dst, weight };
}

describe('walletPagerank', () => {
  it('behavior: equals graphology-metrics pagerank (weighted) on the same graph, to 1e-9', () => {
    for (const [n, m, seed] of [[50, 200, 'a'], [400, 900, 'b'], [1000, 1500, 'c']] as const) {
      const { src, dst, weight } = randomEdges(n, m, seed);
      const g = new DirectedGraph();
      for (let i = 0; i < n; i++) g.addNode(String(i));
      // graphology's simple graph holds one edge per pair: parallel edges merged by summing, as ours add up.
      for (let k = 0; k < m; k++) {
        const [s, d] = [String(src[k]), String(dst[k])];
        if (g.hasEdge(s, d)) g.updateEdgeAttribute(s, d, 'weight', (w: number) => w + weight[k]);
        else g.addEdge(s, d, { weight: weight[k] });
      }
      // graphology stops at an L1 change below n · tolerance: a tolerance small enough that both reach the fixed point.
      const theirs = pagerank(g, { getEdgeWeight: 'weight', tolerance: 1e-15, maxIterations: 1000 });
      const ours = walletPagerank(n, src, dst, weight);
      expect(ours.converged).toBe(true);
      for (let i = 0; i < n; i++) expect(Math.abs(ours.rank[i] - theirs[String(i)])).toBeLessThan(1e-9);
      expect(ours.iterations).toBeGreaterThan(5);
      expect(ours.rank.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    }
  });

  it('default: a node paid by all others ranks first; weights move rank', () => {
    const r = walletPagerank(3, Int32Array.of(0, 1, 0), Int32Array.of(2, 2, 1), Float64Array.of(9, 1, 1)).rank;
    expect(r[2]).toBeGreaterThan(r[1]);
    expect(r[1]).toBeGreaterThan(r[0]);
    const heavier = walletPagerank(3, Int32Array.of(0, 1, 0), Int32Array.of(2, 2, 1), Float64Array.of(1, 1, 9)).rank;
    expect(heavier[1]).toBeGreaterThan(r[1]);
  });
  it('edge: a node whose only out-edges weigh 0 is dangling, not a NaN that spreads to every rank', () => {
    // 0 pays 1 nothing (a 0-sat output); 1 pays 2.
    const r = walletPagerank(3, Int32Array.of(0, 1), Int32Array.of(1, 2), Float64Array.of(0, 5));
    expect(r.converged).toBe(true);
    expect([...r.rank].every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(r.rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The same as the graph without the 0-weight edge, where 0 has no out-edge at all.
    const without = walletPagerank(3, Int32Array.of(1), Int32Array.of(2), Float64Array.of(5));
    for (let i = 0; i < 3; i++) expect(r.rank[i]).toBeCloseTo(without.rank[i], 12);
  });
});
