/** A typed array twice as long holding the same values first: a growable buffer's next size. */
export function grown<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
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
