import { addRow, columns, runStarts } from './typed-runs.js';

/** Values per wallet gathered in one pass, for their medians at the end: 12 bytes a value. */
export interface MedianBuffer {
  push(wallet: number, x: number): void;
  /** The median of each wallet's values (0 for a wallet with none). */
  medians(n: number): Float64Array;
}

export function medianBuffer(): MedianBuffer {
  const c = columns(new Int32Array(1 << 16), new Float64Array(1 << 16));
  return {
    push(wallet, value) {
      const k = addRow(c);
      c.cols[0][k] = wallet;
      c.cols[1][k] = value;
    },
    medians(n) {
      const [w, x] = c.cols;
      const size = c.size;
      // A counting sort by wallet, then each wallet's run sorted in place (a typed array sorts numerically).
      const start = runStarts(w, size, n);
      const at = start.slice(0, n);
      const sorted = new Float64Array(size);
      for (let k = 0; k < size; k++) sorted[at[w[k]]++] = x[k];
      c.cols = [new Int32Array(1), new Float64Array(1)];
      c.size = 0;
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
