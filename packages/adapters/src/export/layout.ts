import type { CaseGraph } from './case-report.js';

export interface Position {
  x: number;
  y: number;
}

/**
 * A left-to-right layout of a fund flow: each node's column is its distance in hops from the sources (nodes that
 * receive nothing in the case), each column stacked around y = 0 in key order. Deterministic: same graph, same places.
 * @param graph the case graph
 * @returns the position of every node
 * @example flowLayout(graph).get('1A1z...') // { x: 0, y: 0 }
 */
export function flowLayout(graph: CaseGraph): Map<string, Position> {
  const keys = [...graph.nodes()].sort();
  const depth = new Map<string, number>();
  const walk = (starts: string[]) => {
    for (const k of starts) depth.set(k, 0);
    let frontier = starts;
    while (frontier.length) {
      const next: string[] = [];
      for (const k of frontier) {
        for (const n of [...graph.outNeighbors(k)].sort()) {
          if (depth.has(n)) continue;
          depth.set(n, (depth.get(k) ?? 0) + 1);
          next.push(n);
        }
      }
      frontier = next;
    }
  };
  walk(keys.filter((k) => graph.inNeighbors(k).every((n) => n === k)));
  // A cycle with no way in still needs a start: the smallest key not placed yet.
  for (let k = keys.find((x) => !depth.has(x)); k !== undefined; k = keys.find((x) => !depth.has(x))) walk([k]);
  const columns = new Map<number, string[]>();
  for (const k of keys) {
    const d = depth.get(k) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), k]);
  }
  // Tall columns wrap into sub-columns so the picture stays about as wide as it is high.
  const rowsMax = Math.max(8, Math.ceil(Math.sqrt(keys.length) * 1.5));
  const lanes = new Map([...columns].map(([d, column]) => [d, Math.ceil(column.length / rowsMax)]));
  const slots = [...columns.keys()].sort((a, b) => a - b);
  const positions = new Map<string, Position>();
  let x = 0;
  for (const d of slots) {
    const column = columns.get(d) as string[];
    const laneCount = lanes.get(d) ?? 1;
    const rows = Math.ceil(column.length / laneCount);
    column.forEach((k, i) => {
      const lane = Math.floor(i / rows);
      const row = i % rows;
      positions.set(k, { x: x + lane * 6, y: (rows - 1) * 2.5 - row * 5 + (lane % 2) * 2.5 });
    });
    x += (laneCount - 1) * 6 + 20;
  }
  return positions;
}
