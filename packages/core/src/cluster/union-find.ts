/**
 * Disjoint sets over integer ids (the store's address ids) in typed arrays: 8 bytes per id, so tens of millions
 * of addresses fit in a few hundred MB. Union by size, path halving.
 */
export interface UnionFind {
  parent: Int32Array;
  size: Int32Array;
}

/**
 * Make a union-find for ids 0..capacity-1; it grows when a larger id is used.
 * @example const uf = createUnionFind(1024); union(uf, 1, 2); find(uf, 2) === find(uf, 1)
 */
export function createUnionFind(capacity = 1024): UnionFind {
  const uf = { parent: new Int32Array(0), size: new Int32Array(0) };
  ensureCapacity(uf, capacity);
  return uf;
}

/** Grow to hold ids below `n` (doubling). */
export function ensureCapacity(uf: UnionFind, n: number): void {
  const old = uf.parent.length;
  if (n <= old) return;
  let cap = Math.max(old, 1024);
  while (cap < n) cap *= 2;
  const parent = new Int32Array(cap);
  const size = new Int32Array(cap);
  parent.set(uf.parent);
  size.set(uf.size);
  for (let i = old; i < cap; i++) {
    parent[i] = i;
    size[i] = 1;
  }
  uf.parent = parent;
  uf.size = size;
}

/** The root of x's set. */
export function find(uf: UnionFind, x: number): number {
  ensureCapacity(uf, x + 1);
  const p = uf.parent;
  while (p[x] !== x) {
    p[x] = p[p[x]];
    x = p[x];
  }
  return x;
}

/** Number of ids in x's set. */
export function setSize(uf: UnionFind, x: number): number {
  return uf.size[find(uf, x)];
}

/**
 * Merge the sets of a and b; the larger set's root stays root (ties: the smaller id, so results are deterministic).
 * @returns the new root, or -1 when a and b were in one set already
 */
export function union(uf: UnionFind, a: number, b: number): number {
  let ra = find(uf, a);
  let rb = find(uf, b);
  if (ra === rb) return -1;
  if (uf.size[ra] < uf.size[rb] || (uf.size[ra] === uf.size[rb] && rb < ra)) [ra, rb] = [rb, ra];
  uf.parent[rb] = ra;
  uf.size[ra] += uf.size[rb];
  return ra;
}
