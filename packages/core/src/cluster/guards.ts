import type { Evidence } from '../heuristics/cluster/evidence.js';
import { type UnionFind, find, union } from './union-find.js';

/** Spec: guards of heuristics.md §1, all on by default. */
export interface GuardParams {
  /** Refuse merging two clusters both larger than this many addresses (S). */
  maxMergeSize: number;
  /** Refuse merging clusters whose owner labels differ (labels of at least `labelConfidence`). */
  labelGuard: boolean;
  labelConfidence: number;
  /** CoinJoin transactions give no multi-input or change link. */
  coinjoinGuard: boolean;
}

export const defaultGuardParams: GuardParams = { maxMergeSize: 10_000, labelGuard: true, labelConfidence: 80, coinjoinGuard: true };

/** A merge the collapse guard refused. */
export interface Refusal {
  reason: 'size' | 'labels';
  a: number;
  b: number;
  sizeA: number;
  sizeB: number;
  /** The conflicting owner labels, for `labels`. */
  ownerA: string | null;
  ownerB: string | null;
  evidence: Evidence;
}

/** The union-find with the collapse guard: cluster sizes and owner labels checked before each merge. */
export interface GuardedUnion {
  uf: UnionFind;
  params: GuardParams;
  /** Root id -> owner label (sparse: only clusters holding an owner label). */
  owners: Map<number, string>;
}

/**
 * Wrap a union-find; `owners` maps address ids to their high-confidence owner label, re-keyed here by the roots
 * of the clusters they sit in (ownersByRoot).
 */
export function createGuardedUnion(uf: UnionFind, params: GuardParams = defaultGuardParams, owners: Map<number, string> = new Map()): GuardedUnion {
  return { uf, params, owners: ownersByRoot(uf, owners) };
}

/**
 * Owner labels keyed by the roots of the clusters their addresses sit in (the label guard looks owners up by
 * root): a labelled address that is not its cluster's root would go unseen. Where a cluster (a stored one, with
 * labels imported after it was built) holds several, the root's own label stands, else that of the smallest id,
 * whatever the map's order.
 * @example ownersByRoot(uf, new Map([[5, 'Kraken']])) // Map { find(uf, 5) => 'Kraken' }
 */
export function ownersByRoot(uf: UnionFind, owners: ReadonlyMap<number, string>): Map<number, string> {
  const byRoot = new Map<number, string>();
  const heldBy = new Map<number, number>();
  for (const [id, owner] of owners) {
    const root = find(uf, id);
    const held = heldBy.get(root);
    if (held !== undefined && (held === root || (id !== root && held < id))) continue;
    byRoot.set(root, owner);
    heldBy.set(root, id);
  }
  return byRoot;
}

/** A merge made: the root that stays and the root it absorbed. */
export interface Merge {
  root: number;
  absorbed: number;
}

/**
 * Merge a and b unless the collapse guard refuses.
 * @returns the merge, 'same' (one cluster already), or the refusal
 */
export function guardedUnion(g: GuardedUnion, a: number, b: number, evidence: Evidence): Merge | 'same' | Refusal {
  const ra = find(g.uf, a);
  const rb = find(g.uf, b);
  if (ra === rb) return 'same';
  const sizeA = g.uf.size[ra];
  const sizeB = g.uf.size[rb];
  // Most runs have no owner labels: no look-up per merge then.
  const labelled = g.owners.size > 0;
  const ownerA = labelled ? (g.owners.get(ra) ?? null) : null;
  const ownerB = labelled ? (g.owners.get(rb) ?? null) : null;
  if (sizeA > g.params.maxMergeSize && sizeB > g.params.maxMergeSize) return { reason: 'size', a, b, sizeA, sizeB, ownerA, ownerB, evidence };
  if (g.params.labelGuard && ownerA !== null && ownerB !== null && ownerA !== ownerB) return { reason: 'labels', a, b, sizeA, sizeB, ownerA, ownerB, evidence };
  const root = union(g.uf, ra, rb);
  const owner = ownerA ?? ownerB;
  if (labelled) {
    g.owners.delete(ra);
    g.owners.delete(rb);
  }
  if (owner !== null) g.owners.set(root, owner);
  return { root, absorbed: root === ra ? rb : ra };
}
