import { describe, expect, it } from 'vitest';
import { exposureFlow } from './exposure-flow.js';

const e = (pairs: [number, number, number][]) => ({ src: Int32Array.from(pairs.map((p) => p[0])), dst: Int32Array.from(pairs.map((p) => p[1])), value: Float64Array.from(pairs.map((p) => p[2])) });

describe('exposureFlow', () => {
  it('default: shares by value at every hop, as the haircut policy does', () => {
    // 0 (seed) pays 1 half of what 1 receives; 1 pays all it has to 2, which also gets as much from elsewhere (3).
    const g = e([[0, 1, 5], [4, 1, 5], [1, 2, 10], [3, 2, 10]]);
    const received = Float64Array.of(0, 10, 20, 0, 0);
    const seed = Uint8Array.of(1, 0, 0, 0, 0);
    const share = exposureFlow(5, g.src, g.dst, g.value, received, seed, new Uint8Array(5));
    expect([...share]).toEqual([1, 0.5, 0.25, 0, 0]);
  });

  it('behavior: hops bound the walk; a labelled service keeps its share and passes none on', () => {
    const g = e([[0, 1, 10], [1, 2, 10], [2, 3, 10]]);
    const received = Float64Array.of(0, 10, 10, 10);
    const seed = Uint8Array.of(1, 0, 0, 0);
    expect([...exposureFlow(4, g.src, g.dst, g.value, received, seed, new Uint8Array(4), { hops: 2 })]).toEqual([1, 1, 1, 0]);
    expect([...exposureFlow(4, g.src, g.dst, g.value, received, seed, Uint8Array.of(0, 1, 0, 0))]).toEqual([1, 1, 0, 0]);
  });

  it('edge: a wallet that received nothing has share 0, never more than 1', () => {
    const g = e([[0, 1, 50]]);
    const share = exposureFlow(3, g.src, g.dst, g.value, Float64Array.of(0, 10, 0), Uint8Array.of(1, 0, 0), new Uint8Array(3));
    expect([...share]).toEqual([1, 1, 0]);
  });
});
