/** Parallel typed columns that grow by doubling: rows appended one at a time, `size` of them so far. */
export interface Columns<T extends readonly (Int32Array | Float64Array)[]> {
  cols: T;
  size: number;
}

export function columns<T extends readonly (Int32Array | Float64Array)[]>(...cols: T): Columns<T> {
  return { cols, size: 0 };
}

/** The index of a new row, the columns doubled first when full. */
export function addRow<T extends readonly (Int32Array | Float64Array)[]>(c: Columns<T>): number {
  if (c.size === c.cols[0].length) {
    c.cols = c.cols.map((a) => {
      const b = new (a.constructor as new (n: number) => typeof a)(a.length * 2);
      b.set(a);
      return b;
    }) as unknown as T;
  }
  return c.size++;
}

/**
 * Where each key's run starts once `size` entries are laid out by key (a counting sort): entries of key k go to
 * `start[k]` up to `start[k + 1]`.
 * @example runStarts(Int32Array.of(1, 0, 1), 3, 2) // Int32Array [0, 1, 3]
 */
export function runStarts(keys: Int32Array, size: number, n: number): Int32Array {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < size; k++) start[keys[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  return start;
}
