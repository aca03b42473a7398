import { addRow, columns, runStarts } from './typed-runs.js';

/** Payments between wallets as they are found: growable typed arrays, 16 bytes an edge. */
export interface EdgeBuffer {
  push(src: number, dst: number, value: number): void;
  /** The edges merged per (src, dst), value summed: sorted by src, then dst. */
  compact(n: number): WalletGraph;
}

/** The wallet graph in compressed rows: the out-edges of wallet w are `start[w]` to `start[w + 1]`. */
export interface WalletGraph {
  start: Int32Array;
  src: Int32Array;
  dst: Int32Array;
  value: Float64Array;
}

export function edgeBuffer(): EdgeBuffer {
  const c = columns(new Int32Array(1 << 16), new Int32Array(1 << 16), new Float64Array(1 << 16));
  return {
    push(s, d, v) {
      const k = addRow(c);
      c.cols[0][k] = s;
      c.cols[1][k] = d;
      c.cols[2][k] = v;
    },
    compact(n) {
      const [src, dst, value] = c.cols;
      const size = c.size;
      // A counting sort by src, then each wallet's out-edges sorted by dst and merged.
      const start = runStarts(src, size, n);
      const at = start.slice(0, n);
      const d = new Int32Array(size);
      const v = new Float64Array(size);
      for (let k = 0; k < size; k++) {
        const p = at[src[k]]++;
        d[p] = dst[k];
        v[p] = value[k];
      }
      c.cols = [new Int32Array(1), new Int32Array(1), new Float64Array(1)];
      c.size = 0;
      const outStart = new Int32Array(n + 1);
      let m = 0;
      const order: number[] = [];
      for (let w = 0; w < n; w++) {
        const a = start[w];
        const b = start[w + 1];
        order.length = 0;
        for (let p = a; p < b; p++) order.push(p);
        if (b - a > 1) order.sort((x, y) => d[x] - d[y]);
        let last = -1;
        // Written in place: position m never passes the one read, since the order is only of this wallet's range.
        const dd = order.map((p) => d[p]);
        const vv = order.map((p) => v[p]);
        for (let k = 0; k < dd.length; k++) {
          if (dd[k] === last) v[m - 1] += vv[k];
          else {
            d[m] = last = dd[k];
            v[m++] = vv[k];
          }
        }
        outStart[w + 1] = m;
      }
      const gsrc = new Int32Array(m);
      for (let w = 0; w < n; w++) gsrc.fill(w, outStart[w], outStart[w + 1]);
      return { start: outStart, src: gsrc, dst: d.slice(0, m), value: v.slice(0, m) };
    },
  };
}
