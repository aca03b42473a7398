import { grown, runStarts } from './typed-runs.js';

/** Values per wallet gathered in one pass, for their medians at the end: 12 bytes a value. */
export interface MedianBuffer {
  push(wallet: number, x: number): void;
  /** The median of each wallet's values (0 for a wallet with none). */
  medians(n: number): Float64Array;
}

export function medianBuffer(): MedianBuffer {
  let w = new Int32Array(1 << 16);
  let x = new Float64Array(1 << 16);
  let size = 0;
  return {
    push(wallet, value) {
      if (size === w.length) [w, x] = [grown(w), grown(x)];
      w[size] = wallet;
      x[size++] = value;
    },
    medians(n) {
      // A counting sort by wallet, then each wallet's run sorted in place (a typed array sorts numerically).
      const start = runStarts(w, size, n);
      const at = start.slice(0, n);
      const sorted = new Float64Array(size);
      for (let k = 0; k < size; k++) sorted[at[w[k]]++] = x[k];
      w = new Int32Array(0);
      x = new Float64Array(0);
      size = 0;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = start[i];
        const len = start[i + 1] - a;
        if (len === 0) continue;
        const run = sorted.subarray(a, a + len).sort();
        out[i] = len % 2 ? run[(len - 1) >> 1] : (run[len / 2 - 1] + run[len / 2]) / 2;
      }
      return out;
    },
  };
}
