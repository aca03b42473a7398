import type { Evidence } from '../heuristics/cluster/evidence.js';

/** One recorded union: two holders and the evidence that joined them. */
export interface EvidenceEdge {
  from: string;
  to: string;
  evidence: Evidence;
}

/**
 * The shortest chain of evidence linking two holders (breadth-first over the recorded unions, edges taken in
 * either direction, ties broken by edge order so the answer is deterministic).
 * @returns the edges in order from `a` to `b`, each oriented a→b; [] when a === b; null when not linked
 * @example shortestEvidencePath(edges, '1A...', '1B...')?.map((e) => e.evidence.rule)
 */
export function shortestEvidencePath(edges: readonly EvidenceEdge[], a: string, b: string): EvidenceEdge[] | null {
  if (a === b) return [];
  const adjacent = new Map<string, { next: string; edge: EvidenceEdge }[]>();
  const add = (x: string, next: string, edge: EvidenceEdge) => {
    const list = adjacent.get(x);
    if (list) list.push({ next, edge });
    else adjacent.set(x, [{ next, edge }]);
  };
  for (const e of edges) {
    add(e.from, e.to, e);
    add(e.to, e.from, e);
  }
  const came = new Map<string, { prev: string; edge: EvidenceEdge }>();
  const queue = [a];
  came.set(a, { prev: a, edge: edges[0] });
  for (let q = 0; q < queue.length; q++) {
    const x = queue[q];
    for (const { next, edge } of adjacent.get(x) ?? []) {
      if (came.has(next)) continue;
      came.set(next, { prev: x, edge });
      if (next === b) return unwind(came, a, b);
      queue.push(next);
    }
  }
  return null;
}

function unwind(came: Map<string, { prev: string; edge: EvidenceEdge }>, a: string, b: string): EvidenceEdge[] {
  const path: EvidenceEdge[] = [];
  for (let x = b; x !== a; ) {
    const { prev, edge } = came.get(x)!;
    path.push({ from: prev, to: x, evidence: edge.evidence });
    x = prev;
  }
  return path.reverse();
}
