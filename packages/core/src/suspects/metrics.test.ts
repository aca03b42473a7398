import { describe, expect, test } from 'vitest';
import { precisionAtK, rocAuc } from './metrics.js';

const item = (id: string, score: number, positive: boolean) => ({ id, score, positive });

describe('ranking metrics', () => {
  test('default: a perfect ranking has precision 1 at the number of positives and AUC 1', () => {
    const items = [item('a', 3, true), item('b', 2, true), item('c', 1, false), item('d', 0, false)];
    expect(precisionAtK(items, 2)).toBe(1);
    expect(precisionAtK(items, 4)).toBe(0.5);
    expect(rocAuc(items)).toBe(1);
  });

  test('behavior: ties count half; a reversed ranking has AUC 0', () => {
    expect(rocAuc([item('a', 1, true), item('b', 1, false)])).toBe(0.5);
    expect(rocAuc([item('a', 0, true), item('b', 1, false)])).toBe(0);
    // 2 positives, 2 negatives: pairs (p1>n1, p1>n2, p2<n1, p2=n2) -> (1 + 1 + 0 + 0.5) / 4
    expect(rocAuc([item('p1', 5, true), item('p2', 2, true), item('n1', 3, false), item('n2', 2, false)])).toBe(0.625);
  });

  test('error: no positives or no negatives give NaN, k = 0 gives 0', () => {
    expect(rocAuc([item('a', 1, true)])).toBeNaN();
    expect(precisionAtK([item('a', 1, true)], 0)).toBe(0);
  });
});
