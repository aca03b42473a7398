/** A numeric column: one typed array, grown by copying. */
export type TypedColumn = Float64Array | Int32Array | Uint8Array | BigInt64Array;

/**
 * `a` when it holds `n` values, else a copy at least twice as long (64 at least), the new slots set to `fill`.
 * @example ids = room(ids, count + 1, -1); ids[count] = 7
 */
export function room<T extends TypedColumn>(a: T, n: number, fill = 0): T {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(Math.max(n, 2 * a.length, 64));
  b.set(a as never);
  if (fill !== 0) (b as Float64Array).fill(fill, a.length);
  return b;
}
