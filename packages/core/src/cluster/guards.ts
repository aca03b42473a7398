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

/** Wrap a union-find; `owners` maps address ids to their high-confidence owner label. */
export function createGuardedUnion(uf: UnionFind, params: GuardParams = defaultGuardParams, owners: Map<number, string> = new Map()): GuardedUnion {
  const byRoot = new Map<number, string>();
  for (const [id, owner] of owners) byRoot.set(find(uf, id), owner);
  return { uf, params, owners: byRoot };
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
  const ownerA = g.owners.get(ra) ?? null;
  const ownerB = g.owners.get(rb) ?? null;
  if (sizeA > g.params.maxMergeSize && sizeB > g.params.maxMergeSize) return { reason: 'size', a, b, sizeA, sizeB, ownerA, ownerB, evidence };
  if (g.params.labelGuard && ownerA !== null && ownerB !== null && ownerA !== ownerB) return { reason: 'labels', a, b, sizeA, sizeB, ownerA, ownerB, evidence };
  const root = union(g.uf, ra, rb);
  const owner = ownerA ?? ownerB;
  g.owners.delete(ra);
  g.owners.delete(rb);
  if (owner !== null) g.owners.set(root, owner);
  return { root, absorbed: root === ra ? rb : ra };
}
