import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic } from './calibrate.js';

describe('fitIsotonic / applyIsotonic', () => {
  it('default: pools adjacent violators into blocks at their observed rate (worked by hand)', () => {
    // Sorted outcomes 1 0 0 | 1 0 | 1: the first three pool to 1/3, the next two to 1/2, the last stays 1.
    const c = fitIsotonic([0.6, 0.1, 0.2, 0.3, 0.4, 0.5], [1, 1, 0, 0, 1, 0]);
    expect(c).toEqual({ method: 'isotonic', x: [0.2, 0.45, 0.6], y: [0.333333, 0.5, 1] });
  });

  it('behavior: ties in probability get one value, and the map is clipped outside its points and linear between them', () => {
    const c = fitIsotonic([0.2, 0.2, 0.8, 0.8], [0, 1, 1, 1]);
    expect(c.x).toEqual([0.2, 0.8]);
    expect(c.y).toEqual([0.5, 1]);
    expect(applyIsotonic(c, 0)).toBe(0.5);
    expect(applyIsotonic(c, 1)).toBe(1);
    expect(applyIsotonic(c, 0.5)).toBeCloseTo(0.75, 12);
  });

  it('behavior: an under-confident model is corrected (lower Brier on the fitted set), order kept between the centres', () => {
    // Predictions that say p/3 for events that come true at rate p.
    const p: number[] = [];
    const y: number[] = [];
    for (let k = 0; k < 3000; k++) {
      const rate = ((k % 30) + 0.5) / 30;
      p.push(rate / 3);
      y.push((k * 7919) % 1000 < rate * 1000 ? 1 : 0);
    }
    const c = fitIsotonic(p, y);
    const brier = (q: number[]) => q.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / q.length;
    const q = p.map((v) => applyIsotonic(c, v));
    expect(brier(q)).toBeLessThan(brier(p) * 0.8);
    for (let k = 1; k < c.y.length; k++) expect(c.y[k]).toBeGreaterThan(c.y[k - 1]);
    expect(fitIsotonic(p, y)).toEqual(c);
  });

  it('error: an empty map leaves probabilities as they are', () => {
    expect(applyIsotonic(fitIsotonic([], []), 0.3)).toBe(0.3);
  });
});
