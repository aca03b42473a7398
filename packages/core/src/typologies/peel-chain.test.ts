import { describe, expect, test } from 'vitest';
import { peelLinker } from './peel-chain.js';

describe('peelLinker', () => {
  test('default: a transaction joins the run of the first unspent output it spends, within maxBlocks of its last member', () => {
    const link = peelLinker(2);
    expect(link.add(-1, 10)).toBe(0); // A
    expect(link.spend(0, 1)).toBe(true); // B spends A's second output
    expect(link.add(0, 12)).toBe(0); // B, 2 blocks after A: joins
    expect(link.unspent(0)).toBe(true); // A's first output is still unspent
    expect(link.spend(0, 1)).toBe(false); // spent already: C links to nothing
    expect(link.add(-1, 12)).toBe(1);
    expect(link.spend(0, 0)).toBe(true);
    expect(link.unspent(0)).toBe(false);
    // D spends A's first output 3 blocks after B, A's run's last member: too late, a run of its own.
    expect(link.add(0, 15)).toBe(2);
    expect(link.places).toBe(4);
  });

  test('behavior: no height is never within reach, either way; places past the first allocation', () => {
    const link = peelLinker(2);
    expect(link.add(-1, null)).toBe(0);
    link.spend(0, 0);
    expect(link.add(0, 5)).toBe(1);
    link.spend(1, 0);
    expect(link.add(1, null)).toBe(2);
    // A run of 200, each spending the one before's second output in the same block.
    const r = link.add(-1, 7);
    for (let k = 1; k < 200; k++) {
      link.spend(link.places - 1, 1);
      expect(link.add(link.places - 1, 7)).toBe(r);
    }
    expect(link.places).toBe(203);
  });
});
